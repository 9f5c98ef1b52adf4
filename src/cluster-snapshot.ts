import { ArnFormat, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { acknowledgeUnknownResourceType } from './private/built-in-rules';
import { omitDependsOnImpliedByReferences } from './private/dependencies';
import { lowerIfLiteral } from './private/deploy-time';
import { derivePhysicalName } from './private/naming';
import { identifierRules, throwIfBroken } from './private/validate';

/**
 * Properties of an {@link AuroraClusterSnapshot}.
 */
export interface AuroraClusterSnapshotProps {
  /**
   * The cluster to snapshot: an `AuroraCluster`'s `cluster`, or any Aurora cluster.
   */
  readonly cluster: rds.IDatabaseCluster;

  /**
   * The DB cluster snapshot identifier.
   *
   * 1 to 63 letters, digits or hyphens, starting with a letter. Changing it takes a new snapshot.
   *
   * @default - `<stack name>-<logical id>-<first 8 characters of the stack's UUID>`: kept by refactors that keep
   * logical ids, and new when the stack is deployed again after `cdk destroy` (the snapshot the first stack retained
   * keeps its name)
   */
  readonly snapshotIdentifier?: string;

  /**
   * What happens to the snapshot when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN - the snapshot outlives the stack
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A manual DB cluster snapshot, taken by CloudFormation (`AWS::RDS::ClusterSnapshot`) when the resource is created.
 *
 * Encrypted with the cluster's key and tagged like the cluster (`CopyTagsToSnapshot`). Restore it into a new cluster
 * with `restoreFrom: RestoreSource.fromClusterSnapshot(snapshot)`.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-clustersnapshot.html
 * @example
 * declare const orders: AuroraCluster;
 * const snapshot = new AuroraClusterSnapshot(this, 'BeforeMigration', { cluster: orders.cluster });
 */
export class AuroraClusterSnapshot extends Construct {
  /** The snapshot identifier. */
  public readonly snapshotIdentifier: string;
  /** The ARN of the snapshot. */
  public readonly snapshotArn: string;
  /** The snapshotted cluster. */
  public readonly cluster: rds.IDatabaseCluster;
  /** The CloudFormation resource. */
  public readonly resource: CfnResource;

  constructor(scope: Construct, id: string, props: AuroraClusterSnapshotProps) {
    super(scope, id);
    throwIfBroken(this.node.path, identifierRules('snapshotIdentifier', props.snapshotIdentifier));
    this.cluster = props.cluster;
    this.snapshotIdentifier =
      props.snapshotIdentifier !== undefined
        ? lowerIfLiteral(props.snapshotIdentifier)
        : derivePhysicalName(this, () => this.resource);
    const stack = Stack.of(this);
    this.resource = new CfnResource(this, 'Resource', {
      type: 'AWS::RDS::ClusterSnapshot',
      properties: {
        DBClusterIdentifier: props.cluster.clusterIdentifier,
        DBClusterSnapshotIdentifier: this.snapshotIdentifier,
      },
    });
    acknowledgeUnknownResourceType(this.resource);
    this.resource.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.RETAIN);
    // The snapshot can only be taken once the cluster has an instance that is available.
    this.resource.node.addDependency(props.cluster);
    omitDependsOnImpliedByReferences(this.resource);
    this.snapshotArn = stack.formatArn({
      service: 'rds',
      resource: 'cluster-snapshot',
      resourceName: this.snapshotIdentifier,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
