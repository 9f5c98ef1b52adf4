import { ArnFormat, Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * Creates the customer-managed key that encrypts a cluster's storage, master secret, Performance Insights
 * data and exported log groups: rotation on, retained when the stack goes unless `removalPolicy` is DESTROY (then
 * CloudFormation schedules its deletion, after KMS's waiting period), and a key policy that only lets grants be
 * created for AWS resources (Control Tower CT.KMS.PR.3).
 * https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
 */
export function createClusterKey(
  scope: Construct,
  id: string,
  description: string,
  removalPolicy: RemovalPolicy = RemovalPolicy.RETAIN,
): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy,
  });
  // CT.KMS.PR.3: deny kms:CreateGrant unless an AWS service (RDS, Performance Insights) creates the grant.
  // https://docs.aws.amazon.com/controltower/latest/controlreference/kms-rules.html
  // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsNotForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
  return key;
}

/**
 * Lets CloudWatch Logs use the key for the log groups under `logGroupPrefix` (and nothing else).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function allowLogGroupEncryption(key: kms.IKey, logGroupPrefix: string): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsForAuroraLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${logGroupPrefix}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
}
