import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createClusterKey } from '../encryption';

/** Construct ids under the cluster (API: they decide logical ids). */
const TOPIC_ID = 'OperationsTopic';
const TOPIC_KEY_ID = 'OperationsTopicKey';

/**
 * The topic that a cluster's alarms and RDS event subscriptions notify: the user's topic, or one the library
 * creates once per cluster (construct id `OperationsTopic`) and reuses.
 *
 * The library's topic is encrypted with a customer-managed key of its own (rotation on, grants only for AWS
 * resources) whose key policy lets CloudWatch alarms and RDS event notifications encrypt messages
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html#SNS_Encryption,
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.Subscribing.html), and its topic policy
 * refuses publishing without TLS (aws:SecureTransport) and lets only this account's alarms and RDS resources
 * publish (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.GrantingPermissions.html).
 *
 * `cluster` is the construct the topic belongs to: the cluster, or an RDS Proxy of a cluster imported from
 * attributes (`owner` then names the proxy in the key's description).
 */
export function operationsTopic(
  cluster: Construct,
  userTopic: sns.ITopic | undefined,
  owner = `Aurora cluster ${cluster.node.path}`,
): sns.ITopic {
  const existing = cluster.node.tryFindChild(TOPIC_ID) as sns.ITopic | undefined;
  if (userTopic) return userTopic;
  if (existing) return existing;
  const stack = Stack.of(cluster);
  const key = createClusterKey(
    cluster,
    TOPIC_KEY_ID,
    `Notifications of ${owner}: alarms and RDS events`,
    // The key encrypts messages in flight only: nothing stored outlives the topic.
    RemovalPolicy.DESTROY,
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsAndRdsEventsToPublish',
      principals: [
        new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
        new iam.ServicePrincipal('events.rds.amazonaws.com'),
      ],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
    }),
  );
  const topic = new sns.Topic(cluster, TOPIC_ID, {
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowThisAccountsAlarms',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  );
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowThisAccountsRdsEvents',
      principals: [new iam.ServicePrincipal('events.rds.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'rds',
            resource: '*',
            arnFormat: ArnFormat.NO_RESOURCE_NAME,
          }),
        },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  );
  return topic;
}
