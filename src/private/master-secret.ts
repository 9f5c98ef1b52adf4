import { RemovalPolicy, Resource, SecretValue, SecretsManagerSecretOptions, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/**
 * The master secret as the library hands it out (`AuroraCluster.secret`): the cluster's secret, except that
 * `grantRead` and `grantWrite` put the key permissions in the grantee's own policy (`kms:*` through Secrets Manager
 * only), as the key policy's account statement allows, instead of adding the grantee to the key policy.
 *
 * aws-cdk-lib's secret adds a statement naming the grantee to the key policy: with the key in the database's stack
 * and the grantee in an application stack that already depends on it (endpoint, secret ARN), the key policy's
 * reference to the grantee closes a cycle. Grantees whose policy cannot be extended (another account, a service
 * principal) get aws-cdk-lib's grant.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz
 */
export class MasterSecret extends Resource implements secretsmanager.ISecret {
  public readonly encryptionKey?: kms.IKey;
  public readonly secretArn: string;
  public readonly secretName: string;
  private readonly inner: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, inner: secretsmanager.ISecret) {
    super(scope, id);
    this.inner = inner;
    this.secretArn = inner.secretArn;
    this.secretName = inner.secretName;
    this.encryptionKey = inner.encryptionKey;
  }

  public get secretFullArn(): string | undefined {
    return this.inner.secretFullArn;
  }

  public get secretRef(): secretsmanager.SecretReference {
    return this.inner.secretRef;
  }

  public get secretValue(): SecretValue {
    return this.inner.secretValue;
  }

  public secretValueFromJson(key: string): SecretValue {
    return this.inner.secretValueFromJson(key);
  }

  public cfnDynamicReferenceKey(options?: SecretsManagerSecretOptions): string {
    return this.inner.cfnDynamicReferenceKey(options);
  }

  public attach(target: secretsmanager.ISecretAttachmentTarget): secretsmanager.ISecret {
    return this.inner.attach(target);
  }

  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.inner.applyRemovalPolicy(policy);
  }

  public grantRead(grantee: iam.IGrantable, versionStages?: string[]): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      resourceArns: [this.arnForPolicies],
      conditions: versionStages
        ? { 'ForAnyValue:StringEquals': { 'secretsmanager:VersionStage': versionStages } }
        : undefined,
    });
    if (!grant.success) return this.inner.grantRead(grantee, versionStages);
    this.grantKey(grantee, ['kms:Decrypt']);
    return grant;
  }

  public grantWrite(grantee: iam.IGrantable): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: [
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecret',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resourceArns: [this.arnForPolicies],
    });
    if (!grant.success) return this.inner.grantWrite(grantee);
    this.grantKey(grantee, ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*']);
    return grant;
  }

  public addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult {
    return this.inner.addToResourcePolicy(statement);
  }

  public denyAccountRootDelete(): void {
    this.inner.denyAccountRootDelete();
  }

  public addRotationSchedule(
    id: string,
    options: secretsmanager.RotationScheduleOptions,
  ): secretsmanager.RotationSchedule {
    return this.inner.addRotationSchedule(id, options);
  }

  /** The ARN IAM policies name: the full ARN, or the partial one with the 6-character suffix wildcard. */
  private get arnForPolicies(): string {
    return this.inner.secretFullArn ?? `${this.inner.secretArn}-??????`;
  }

  private grantKey(grantee: iam.IGrantable, actions: string[]): void {
    if (!this.encryptionKey) return;
    iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
    });
  }
}
