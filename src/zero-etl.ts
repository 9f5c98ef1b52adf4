import { Annotations, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { derivePhysicalName } from './private/naming';
import { throwIfBroken } from './private/validate';
import { integrationPropsRules } from './private/zero-etl-rules';

/**
 * Options of a zero-ETL integration from an Aurora cluster to Amazon Redshift.
 */
export interface ZeroEtlIntegrationOptions {
  /**
   * The ARN of the target Amazon Redshift namespace.
   *
   * Redshift Serverless: `arn:<partition>:redshift-serverless:<region>:<account>:namespace/<uuid>`; a provisioned
   * cluster: `arn:<partition>:redshift:<region>:<account>:namespace:<uuid>`. The namespace must be in the cluster's
   * Region, have case sensitivity on (`enable_case_sensitive_identifier`), and authorize this cluster as an
   * integration source (its resource policy: see the README).
   *
   * @see https://docs.aws.amazon.com/redshift/latest/mgmt/zero-etl-using.redshift-iam.html
   */
  readonly targetArn: string;

  /**
   * Which tables are replicated, for example `include: sales.*, exclude: sales.audit_*` (Aurora MySQL:
   * `database.table`; Aurora PostgreSQL: `database.schema.table`).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.filtering.html
   * @default - every table
   */
  readonly dataFilter?: string;

  /**
   * The name of the integration: 1 to 63 letters, digits or hyphens, starting with a letter.
   *
   * Changing it replaces the integration (Redshift then loads the data again).
   *
   * @default - `<stack name>-<logical id>-<first 8 characters of the stack's UUID>`, as for the cluster identifier:
   * kept by refactors that keep logical ids
   */
  readonly integrationName?: string;

  /**
   * A description of the integration.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * The customer-managed key that encrypts the integration's data in transit to Redshift.
   *
   * A key created in this stack gets a key policy statement that lets Amazon Redshift use it for integrations of this
   * account; a key you import must already allow `redshift.amazonaws.com` to `kms:Decrypt` and `kms:CreateGrant`.
   *
   * @default - the cluster's key (stricter than AWS's default, an AWS owned key)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Extra non-secret key-value pairs bound to the key's use (KMS encryption context).
   *
   * @default - none
   */
  readonly additionalEncryptionContext?: { [key: string]: string };
}

/** What the cluster passes to an integration. */
export interface AuroraZeroEtlIntegrationProps extends ZeroEtlIntegrationOptions {
  /** The ARN of the source cluster. */
  readonly sourceArn: string;
  /** The key used when `encryptionKey` is not given (the cluster's). */
  readonly defaultKey: kms.IKey;
}

/**
 * A zero-ETL integration (`AWS::RDS::Integration`) from an Aurora cluster to an Amazon Redshift namespace. Create it
 * with `AuroraCluster.addZeroEtlIntegration`, which also sets the source cluster's required parameters.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.html
 */
export class AuroraZeroEtlIntegration extends Construct {
  /** The integration ARN. */
  public readonly integrationArn: string;
  /** The integration name. */
  public readonly integrationName: string;
  /** The key that encrypts the integration. */
  public readonly encryptionKey: kms.IKey;
  /** The CloudFormation resource (escape hatch). */
  public readonly resource: rds.CfnIntegration;

  constructor(scope: Construct, id: string, props: AuroraZeroEtlIntegrationProps) {
    super(scope, id);
    const name = props.integrationName ?? derivePhysicalName(this, () => this.resource);
    throwIfBroken(this.node.path, integrationPropsRules(props, Stack.of(this).region));
    this.encryptionKey = props.encryptionKey ?? props.defaultKey;
    allowRedshiftToUseKey(this, this.encryptionKey);

    this.resource = new rds.CfnIntegration(this, 'Resource', {
      integrationName: name,
      sourceArn: props.sourceArn,
      targetArn: props.targetArn,
      dataFilter: props.dataFilter,
      description: props.description,
      kmsKeyId: this.encryptionKey.keyArn,
      additionalEncryptionContext: props.additionalEncryptionContext,
    });
    this.integrationArn = this.resource.attrIntegrationArn;
    this.integrationName = name;
  }
}

/**
 * Lets Amazon Redshift decrypt with the key and create grants on it for integrations of this account.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.creating.html
 */
function allowRedshiftToUseKey(scope: Construct, key: kms.IKey): void {
  if (!(key instanceof kms.Key)) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:zeroEtlImportedKey',
      'encryptionKey is not created by this stack, so its key policy cannot be extended: it must allow redshift.amazonaws.com to kms:Decrypt and kms:CreateGrant (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.creating.html)',
    );
    return;
  }
  if (key.node.tryFindChild('ZeroEtlRedshiftAccess')) return;
  new Construct(key, 'ZeroEtlRedshiftAccess');
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowRedshiftForZeroEtlIntegrations',
      principals: [new iam.ServicePrincipal('redshift.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:CreateGrant'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
    }),
  );
}
