import { CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Every compliance finding the library acknowledges, with the reason it ships. Each is applied to exactly
 * one resource; the README and the compliance report list this table.
 */
export interface Acknowledgement {
  /** The finding id as the validation framework reports it. */
  readonly id: string;
  /** Why the rule does not apply to this resource. */
  readonly reason: string;
}

/** Aurora instances cannot be in an AWS Backup selection: AWS Backup protects the cluster. */
export const ACK_INSTANCE_BACKUP_PLAN: readonly Acknowledgement[] = [
  'HIPAA.Security',
  'NIST.800.53.R4',
  'NIST.800.53.R5',
].map((pack) => ({
  id: `${pack}-RDSInBackupPlan`,
  reason:
    'Aurora DB instances hold no data of their own: storage and backups belong to the cluster, which AWS Backup and the automated backups (7+ days) protect. AWS Backup cannot select an Aurora instance.',
}));

/**
 * Aurora MySQL members of a global database have no Backtrack: Aurora Global Database does not support it
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations). Applied to the member's CfnDBCluster only, and only on Aurora MySQL (AwsSolutions-RDS14 checks
 * nothing else). Control Tower CT.RDS.PR.6 reports the same thing and can only be acknowledged app-wide, so the
 * library does not acknowledge it: see the README.
 */
export const ACK_GLOBAL_DATABASE_BACKTRACK: readonly Acknowledgement[] = [
  {
    id: 'AwsSolutions-RDS14',
    reason:
      'Global Database does not support Backtrack (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations): this Aurora MySQL cluster is a member of an Aurora Global Database. Point-in-time restore from automated backups and cross-Region failover remain.',
  },
];

/**
 * The enhanced-monitoring policy names RDS's own log group, whose streams are per instance resource id. The
 * finding id spells the ARN as cdk-nag renders it: tokens as `<AWS::Region>`, known values literally.
 */
export function ackMonitoringLogStreams(stack: Stack): Acknowledgement {
  // The partition is a literal when the app enables @aws-cdk/core:enablePartitionLiterals (new projects do).
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return {
    id: `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:RDSOSMetrics:log-stream:*]`,
    reason:
      'Enhanced Monitoring writes one log stream per DB instance resource id (db-...) into the RDSOSMetrics log group, including instances that reader autoscaling creates later; the statement is scoped to that one log group in this account and Region.',
  };
}

/**
 * The namespace under which an acknowledgement is matched by the rule pack on the resource it is recorded on, and
 * by nothing else.
 *
 * How a finding meets an acknowledgement (cdk-nag 3.0, aws-cdk-lib 2.262 to 2.276):
 * - cdk-nag (`NagPack.isAcknowledged`) looks, on the flagged CfnResource and its ancestors only, for a key of the
 *   `aws:cdk:acknowledged-rules` metadata equal to the finding id, after removing a leading `Annotation::`: scoped.
 * - aws-cdk-lib's validation framework then filters what the plugins report. Up to 2.275 it gathers the keys of
 *   that metadata from the WHOLE app and drops every violation whose name (when it contains `::`, as every granular
 *   id such as `AwsSolutions-IAM5[Resource::*]` does) or `<plugin>::<name>` equals a key, on every resource of
 *   every stack; from 2.276 it matches `<plugin>::<name>` by construct path. `Validations.acknowledge` records a
 *   granular id as it is (before 2.276), so an acknowledgement of `AwsSolutions-IAM5[Resource::*]` on one policy
 *   silenced that finding on every policy of the app.
 * Recording the key `Annotation::<finding id>` — what `Validations.acknowledge` records for a plain id — is
 * matched by cdk-nag on this resource and never by the framework's filter (no plugin is named `Annotation`).
 */
const SCOPED_NAMESPACE = 'Annotation';

/**
 * Acknowledges findings of the cdk-nag packs on one CfnResource only (`construct` itself, or the L2 whose default
 * child it is): each silences the one finding it names on that resource, and nothing elsewhere in the app.
 */
export function acknowledge(construct: IConstruct, acks: readonly Acknowledgement[]): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path}: acknowledgements belong on one CloudFormation resource`);
  }
  for (const ack of acks) {
    resource.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
      [`${SCOPED_NAMESPACE}::${ack.id}`]: ack.reason,
    });
  }
}

/** The replica-cleanup policy: the wildcards that cannot be narrowed, each explained. */
export function ackReplicaCleanupPolicy(stack: Stack): Acknowledgement[] {
  // As in ackMonitoringLogStreams: a literal partition with @aws-cdk/core:enablePartitionLiterals.
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
  const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
  return [
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets, which Lambda needs to place the function in the cluster\'s subnets (Control Tower CT.LAMBDA.PR.3); Lambda documents that ec2:CreateNetworkInterface and ec2:DescribeNetworkInterfaces work only on "*" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html).',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:ec2:${region}:${account}:network-interface/*]`,
      reason:
        'ec2:DeleteNetworkInterface, ec2:AssignPrivateIpAddresses and ec2:UnassignPrivateIpAddresses, which Lambda needs to manage the network interfaces of a function in a VPC; their ids are generated by Lambda, so Lambda documents all network interfaces of the account and Region as the resource (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html).',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:rds:${region}:${account}:db:*]`,
      reason:
        'rds:DescribeDBInstances (read-only) lists the instances of this cluster with a db-cluster-id filter; the replicas Aurora Auto Scaling adds have generated names, so no narrower ARN exists. Scoped to this account and Region.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:rds:${region}:${account}:db:application-autoscaling-*]`,
      reason:
        'rds:DeleteDBInstance only on instances named application-autoscaling-* (the prefix Aurora Auto Scaling gives the replicas it creates) that carry the tag application-autoscaling:resourceId = cluster:<this cluster> (IAM condition): the replicas of this cluster that no template manages.',
    },
  ];
}

/** The activity stream function's policy: the Lambda VPC wildcards that cannot be narrowed, each explained. */
export function ackActivityStreamPolicy(stack: Stack): Acknowledgement[] {
  return ackReplicaCleanupPolicy(stack).slice(0, 2);
}

/**
 * The AWS Backup service role of a cluster's backup plan (`backupPlan`): AWS Backup's own managed policies, the
 * permissions AWS documents for backing up and restoring RDS and Aurora. The finding id spells the ARN as cdk-nag
 * renders it.
 */
export function ACK_BACKUP_SERVICE_ROLE(stack: Stack): Acknowledgement[] {
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  return ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'].map((policy) => ({
    id: `AwsSolutions-IAM4[Policy::arn:${partition}:iam::aws:policy/service-role/${policy}]`,
    reason: `${policy} is the AWS managed policy AWS Backup documents for its service role (https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html); AWS maintains it as services add backup and restore APIs, and the role can only be assumed by backup.amazonaws.com.`,
  }));
}

/**
 * A cross-Region read replica and its source have no Backtrack: AWS does not create cross-Region read replicas of a
 * backtrack-enabled cluster. Applied to those two CfnDBClusters only (Aurora MySQL).
 */
export const ACK_CROSS_REGION_REPLICA_BACKTRACK: readonly Acknowledgement[] = [
  {
    id: 'AwsSolutions-RDS14',
    reason:
      'AWS does not create cross-Region read replicas of a backtrack-enabled cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Limitations): this Aurora MySQL cluster is, or replicates from, the source of a cross-Region read replica. Point-in-time restore from automated backups and the replica in another Region remain.',
  },
];
