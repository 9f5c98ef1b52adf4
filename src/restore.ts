import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraClusterSnapshot } from './cluster-snapshot';
import { RestoreKind, RestoreSpec } from './private/restore-rules';

/**
 * Options of {@link RestoreSource.fromSnapshot}.
 */
export interface SnapshotRestoreOptions {
  /**
   * The KMS key the snapshot is encrypted with.
   *
   * Required for a snapshot shared from another account (given by its ARN): AWS only lets encrypted snapshots be
   * shared when a customer-managed key encrypts them, and that key's policy must let this account use it
   * (`kms:CreateGrant`, `kms:Decrypt`, `kms:DescribeKey`, `kms:ReEncrypt*`), as must the IAM policy of the principal
   * that deploys the stack. Must be in the cluster's Region. The restored cluster is re-encrypted with its own key
   * (`encryptionKey`, or the key the library creates).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-share-snapshot.html
   * @default - the snapshot is in this account, and the deploying principal can use its key
   */
  readonly snapshotEncryptionKey?: kms.IKey;
}

/**
 * Options of {@link RestoreSource.pointInTime}.
 */
export interface PointInTimeRestoreOptions {
  /**
   * The cluster whose continuous backups are restored: an `AuroraCluster`'s `cluster`, or any Aurora cluster.
   *
   * Exactly one of `sourceCluster` and `sourceClusterIdentifier`.
   *
   * @default - `sourceClusterIdentifier`
   */
  readonly sourceCluster?: rds.IDatabaseCluster;

  /**
   * The identifier (or, for a cluster in another account, the ARN) of the cluster whose continuous backups are
   * restored.
   *
   * @default - `sourceCluster`
   */
  readonly sourceClusterIdentifier?: string;

  /**
   * The time to restore to, in UTC, ISO 8601 without fractions: `2026-11-28T09:30:00Z`.
   *
   * Must lie in the source's backup retention window (at most 35 days back) and not in the future.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-restoretotime
   * @default - the latest restorable time (usually a few minutes ago)
   */
  readonly restoreToTime?: string;
}

/**
 * Options of {@link RestoreSource.clone}.
 */
export interface CloneOptions {
  /**
   * The cluster to clone: an `AuroraCluster`'s `cluster`, or any Aurora cluster.
   *
   * Exactly one of `sourceCluster` and `sourceClusterIdentifier`.
   *
   * @default - `sourceClusterIdentifier`
   */
  readonly sourceCluster?: rds.IDatabaseCluster;

  /**
   * The identifier of the cluster to clone, or its ARN for a cluster shared with this account through AWS RAM.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Clone.Cross-Account.html
   * @default - `sourceCluster`
   */
  readonly sourceClusterIdentifier?: string;
}

/**
 * Where a new `AuroraCluster` takes its data from: a cluster snapshot, a point in time of another cluster's
 * continuous backups, or a copy-on-write clone of another cluster.
 *
 * The restored cluster gets every default a new one gets (its own key, TLS, IAM authentication, log exports,
 * monitoring, deletion protection, a rotated master secret). The master user name comes from the source; the
 * library's secret holds that name and a new generated password, which CloudFormation sets on the cluster right
 * after the restore (`MasterUserPassword`), so that the secret and the cluster agree from the first deployment on.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/BackupRestoreAurora.html
 * @example
 * declare const vpc: ec2.IVpc;
 * new AuroraCluster(this, 'Restored', {
 *   engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }),
 *   vpc,
 *   restoreFrom: RestoreSource.fromSnapshot('orders-before-migration'),
 * });
 */
export class RestoreSource {
  /**
   * Restores a DB cluster snapshot, by identifier (same account and Region) or by ARN (a snapshot shared from
   * another account: name its key in `snapshotEncryptionKey`).
   *
   * Keep the same snapshot on every later deployment: changing it replaces the cluster with a new restore.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-restore-snapshot.html
   * @example
   * RestoreSource.fromSnapshot('arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders-2026-11-28', {
   *   snapshotEncryptionKey: kms.Key.fromKeyArn(this, 'SnapshotKey',
   *     'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
   * });
   */
  public static fromSnapshot(snapshotIdentifier: string, options: SnapshotRestoreOptions = {}): RestoreSource {
    return new RestoreSource({
      kind: RestoreKind.SNAPSHOT,
      factory: 'fromSnapshot',
      snapshotIdentifier,
      snapshotEncryptionKey: options.snapshotEncryptionKey,
    });
  }

  /**
   * Restores an {@link AuroraClusterSnapshot} of the same app: the new cluster is created after the snapshot, and
   * the engine and master user name of a source the library created are checked and reused.
   *
   * @example
   * declare const orders: AuroraCluster;
   * const snapshot = new AuroraClusterSnapshot(this, 'Snapshot', { cluster: orders.cluster });
   * RestoreSource.fromClusterSnapshot(snapshot);
   */
  public static fromClusterSnapshot(snapshot: AuroraClusterSnapshot): RestoreSource {
    return new RestoreSource({
      kind: RestoreKind.SNAPSHOT,
      factory: 'fromClusterSnapshot',
      snapshotIdentifier: snapshot.snapshotIdentifier,
      snapshot,
      sourceCluster: snapshot.cluster,
    });
  }

  /**
   * Restores another cluster's continuous backups to a point in time (`RestoreType: full-copy`), in the same
   * Region.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-pitr.html
   * @example
   * declare const orders: AuroraCluster;
   * RestoreSource.pointInTime({ sourceCluster: orders.cluster, restoreToTime: '2026-11-28T09:30:00Z' });
   */
  public static pointInTime(options: PointInTimeRestoreOptions): RestoreSource {
    return new RestoreSource({
      kind: RestoreKind.POINT_IN_TIME,
      factory: 'pointInTime',
      sourceCluster: options.sourceCluster,
      sourceClusterIdentifier: options.sourceClusterIdentifier,
      restoreToTime: options.restoreToTime,
    });
  }

  /**
   * A copy-on-write clone of another cluster (`RestoreType: copy-on-write`) at its latest restorable time: fast,
   * and sharing unchanged pages with the source. Same Region only; at most 15 clones per copy of the data.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Clone.html
   * @example
   * declare const orders: AuroraCluster;
   * RestoreSource.clone({ sourceCluster: orders.cluster });
   */
  public static clone(options: CloneOptions): RestoreSource {
    return new RestoreSource({
      kind: RestoreKind.CLONE,
      factory: 'clone',
      sourceCluster: options.sourceCluster,
      sourceClusterIdentifier: options.sourceClusterIdentifier,
    });
  }

  /** @internal */
  public readonly _spec: RestoreSpec;

  private constructor(spec: RestoreSpec) {
    this._spec = spec;
  }
}
