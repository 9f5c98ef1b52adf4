import { Stack, Token, Validations } from 'aws-cdk-lib';
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
 * Applies acknowledgements to one construct.
 *
 * `Validations.acknowledge` refuses ids with more than one `::`, yet cdk-nag's granular ids for ARNs contain
 * several (`Resource::arn:<AWS::Partition>:…`). Those are recorded in the same acknowledged-rules metadata
 * that `Validations.acknowledge` writes and cdk-nag reads.
 */
export function acknowledge(construct: IConstruct, acks: readonly Acknowledgement[]): void {
  for (const ack of acks) {
    if (ack.id.split('::').length <= 2) {
      Validations.of(construct).acknowledge({ id: ack.id, reason: ack.reason });
    } else {
      const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
      const previous = construct.node.metadata.filter((m) => m.type === key).pop()?.data ?? {};
      construct.node.addMetadata(key, { ...previous, [ack.id]: ack.reason });
    }
  }
}
