import { Annotations, Arn, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeRestoredMasterPassword } from './built-in-rules';
import { EngineFamily } from './engine-family';
import { ParsedVersion } from './engine-version';
import { SourceFacts, sourceFactsOf } from './source-facts';
import { Rule } from './validate';
import type { AuroraClusterSnapshot } from '../cluster-snapshot';
import type { RestoreSource } from '../restore';

/** https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-restore-snapshot.html */
const RESTORE_SNAPSHOT_DOC =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-restore-snapshot.html';
/** https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-pitr.html */
const PITR_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-pitr.html';
/** https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Clone.html */
const CLONE_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Clone.html';
/** https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-share-snapshot.html */
const SHARE_SNAPSHOT_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-share-snapshot.html';
/** https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html */
const CFN_DBCLUSTER_DOC =
  'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html';

/** At most 15 copy-on-write clones share one copy of the data, clones of clones included. */
export const MAX_CLONES_PER_SOURCE = 15;
/** The longest backup retention period, and so the oldest point in time any cluster can be restored to. */
const MAX_RETENTION_DAYS = 35;

/** The kinds of restore, for messages and the template. */
export enum RestoreKind {
  SNAPSHOT = 'snapshot',
  POINT_IN_TIME = 'point-in-time',
  CLONE = 'clone',
}

/** What a RestoreSource stands for. */
export interface RestoreSpec {
  readonly kind: RestoreKind;
  readonly factory: string;
  readonly snapshotIdentifier?: string;
  readonly snapshotEncryptionKey?: kms.IKey;
  readonly snapshot?: AuroraClusterSnapshot;
  readonly sourceCluster?: rds.IDatabaseCluster;
  readonly sourceClusterIdentifier?: string;
  readonly restoreToTime?: string;
}

/** What the restoring cluster says about itself. */
export interface RestoreTarget {
  readonly scope: Construct;
  readonly family: EngineFamily;
  readonly version?: ParsedVersion;
  readonly port: number;
  readonly portGiven: boolean;
  readonly backtrackWindow?: Duration;
  readonly defaultDatabaseName?: string;
  readonly masterUsername?: string;
}

/** The facts of the source the library created, when it did. */
export function restoreSourceFacts(source: RestoreSource): SourceFacts | undefined {
  return sourceFactsOf(source._spec.sourceCluster);
}

/** Defaults the restored cluster takes from a source the library knows. */
export interface RestoreDefaults {
  readonly masterUsername?: string;
  readonly port?: number;
  /** False when the source was created without Backtrack and the restore cannot turn it on. */
  readonly backtrackPossible: boolean;
}

export function restoreDefaults(source: RestoreSource): RestoreDefaults {
  const facts = restoreSourceFacts(source);
  const spec = source._spec;
  const inheritsCluster = spec.kind !== RestoreKind.SNAPSHOT;
  return {
    masterUsername: facts?.masterUsername,
    // Point-in-time restores and clones keep the source's port (CloudFormation passes no port on that path).
    port: inheritsCluster ? facts?.port : undefined,
    // Backtrack can be turned on at creation or snapshot restore, and in a clone only if the source has it.
    backtrackPossible: !(inheritsCluster && facts && !facts.backtrack),
  };
}

interface ParsedSourceArn {
  readonly region?: string;
  readonly account?: string;
}

function parseArn(value: string | undefined): ParsedSourceArn | undefined {
  if (!value || Token.isUnresolved(value) || !value.startsWith('arn:')) return undefined;
  try {
    const arn = Arn.split(value, ArnFormat.COLON_RESOURCE_NAME);
    return { region: arn.region || undefined, account: arn.account || undefined };
  } catch {
    return undefined;
  }
}

function differ(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && !Token.isUnresolved(a) && !Token.isUnresolved(b) && a !== b;
}

/** The clones of each source in an app, counted as they are declared. */
const CLONES = new WeakMap<IConstruct, Map<string, string[]>>();

function sourceKey(spec: RestoreSpec): string {
  if (spec.sourceCluster) return `construct:${spec.sourceCluster.node.path}`;
  return `id:${spec.sourceClusterIdentifier}`;
}

/** Every AWS rule a restore must satisfy that synth can check. */
export function restoreRules(source: RestoreSource, target: RestoreTarget): Rule[] {
  const spec = source._spec;
  const stack = Stack.of(target.scope);
  const facts = restoreSourceFacts(source);
  const prop = `restoreFrom (RestoreSource.${spec.factory})`;
  const rules: Rule[] = [];
  const inheritsCluster = spec.kind !== RestoreKind.SNAPSHOT;
  const doc =
    spec.kind === RestoreKind.SNAPSHOT ? RESTORE_SNAPSHOT_DOC : spec.kind === RestoreKind.CLONE ? CLONE_DOC : PITR_DOC;

  if (inheritsCluster) {
    const both = spec.sourceCluster !== undefined && spec.sourceClusterIdentifier !== undefined;
    const neither = spec.sourceCluster === undefined && spec.sourceClusterIdentifier === undefined;
    rules.push({
      condition: both || neither,
      prop,
      message: `give exactly one of sourceCluster and sourceClusterIdentifier, got ${both ? 'both' : 'neither'}; name the cluster to restore from once`,
    });
  }

  // Region and account of the source.
  const sourceRegion = facts?.region ?? spec.sourceCluster?.env.region;
  const sourceAccount = facts?.account ?? spec.sourceCluster?.env.account;
  const arn = parseArn(spec.snapshotIdentifier ?? spec.sourceClusterIdentifier);
  const region = sourceRegion ?? arn?.region;
  const account = sourceAccount ?? arn?.account;
  if (spec.kind === RestoreKind.SNAPSHOT) {
    rules.push({
      condition: differ(region, stack.region),
      prop,
      message: `the snapshot is in ${region} and the cluster in ${stack.region}: a cluster snapshot can only be restored in its own Region (${RESTORE_SNAPSHOT_DOC}); copy the snapshot to ${stack.region} first (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-copy-snapshot.html) and restore the copy`,
    });
    rules.push({
      condition: spec.snapshot !== undefined && differ(account, stack.account),
      prop,
      message: `the snapshot belongs to account ${account} and the cluster to ${stack.account}: share the snapshot with this account (${SHARE_SNAPSHOT_DOC}) and restore it with RestoreSource.fromSnapshot(<snapshot ARN>, { snapshotEncryptionKey })`,
    });
    rules.push({
      condition:
        spec.snapshot === undefined && differ(account, stack.account) && spec.snapshotEncryptionKey === undefined,
      prop,
      message: `the snapshot is shared from account ${account}: an encrypted snapshot can only be shared under a customer-managed key, which this account must be allowed to use (${SHARE_SNAPSHOT_DOC}); name it in snapshotEncryptionKey`,
    });
    const keyRegion = spec.snapshotEncryptionKey?.env.region;
    rules.push({
      condition: differ(keyRegion, stack.region),
      prop: `${prop}: snapshotEncryptionKey`,
      message: `the key is in ${keyRegion} and the cluster in ${stack.region}: KMS keys are Regional, and a snapshot is encrypted with a key of its own Region (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html#Overview.Encryption.Limitations); name the key of the snapshot's copy in ${stack.region}`,
    });
  } else {
    const what = spec.kind === RestoreKind.CLONE ? 'a copy-on-write clone' : 'a point-in-time restore';
    rules.push({
      condition: differ(region, stack.region),
      prop,
      message: `the source cluster is in ${region} and the new cluster in ${stack.region}: ${what} is only possible in the source's Region (${doc}); restore in ${region}, or use a cross-Region replica or a copied snapshot`,
    });
  }

  // Engine of the source, where the library knows it.
  if (facts) {
    rules.push({
      condition: facts.family.engineType !== target.family.engineType,
      prop: 'engine',
      message: `the source ${facts.path} runs ${facts.family.displayName} and the restored cluster ${target.family.displayName}: a restore keeps the engine (${doc}); use the source's engine`,
    });
    const sv = facts.version;
    const tv = target.version;
    if (sv && tv && facts.family.engineType === target.family.engineType) {
      const older =
        tv.line < sv.line ||
        (tv.line === sv.line && (tv.minor < sv.minor || (tv.minor === sv.minor && tv.patch < sv.patch)));
      rules.push({
        condition: older,
        prop: 'engine',
        message: `the source ${facts.path} runs ${sv.label} and the restored cluster asks for ${tv.label}: Aurora cannot restore to an older engine version (${doc}); use ${sv.label} or later`,
      });
      rules.push({
        condition: inheritsCluster && tv.line !== sv.line,
        prop: 'engine',
        message: `the source ${facts.path} runs major version ${sv.line} and the restored cluster asks for ${tv.line}: ${spec.kind === RestoreKind.CLONE ? 'a clone' : 'a point-in-time restore'} runs the source's engine version (${doc}); use the source's version, and upgrade the restored cluster afterwards`,
      });
    }
    rules.push({
      condition: inheritsCluster && target.portGiven && facts.port !== target.port,
      prop: 'port',
      message: `the source ${facts.path} listens on ${facts.port}: ${spec.kind === RestoreKind.CLONE ? 'a clone' : 'a point-in-time restore'} keeps the source's port (${CFN_DBCLUSTER_DOC}); leave port unset or set it to ${facts.port}`,
    });
    rules.push({
      condition:
        inheritsCluster &&
        !facts.backtrack &&
        target.backtrackWindow !== undefined &&
        !Token.isUnresolved(target.backtrackWindow.toSeconds()) &&
        target.backtrackWindow.toSeconds() > 0,
      prop: 'backtrackWindow',
      message: `the source ${facts.path} was created without Backtrack: Backtrack can only be turned on at creation or snapshot restore, and a clone or point-in-time restore has it only if its source has it (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Limitations); leave backtrackWindow unset, or restore from a snapshot`,
    });
    rules.push({
      condition: target.masterUsername !== undefined && target.masterUsername !== facts.masterUsername,
      prop: 'masterUsername',
      message: `the source ${facts.path} has the master user ${facts.masterUsername}: a restore keeps the source's master user name (${CFN_DBCLUSTER_DOC}#cfn-rds-dbcluster-masterusername); leave masterUsername unset or set it to ${facts.masterUsername}`,
    });
  }

  rules.push({
    condition: target.defaultDatabaseName !== undefined,
    prop: 'defaultDatabaseName',
    message: `a restored cluster takes its databases from the source (${CFN_DBCLUSTER_DOC}#cfn-rds-dbcluster-databasename); remove defaultDatabaseName`,
  });

  // The restore time.
  if (spec.restoreToTime !== undefined && !Token.isUnresolved(spec.restoreToTime)) {
    const match = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(spec.restoreToTime);
    const time = match ? Date.parse(spec.restoreToTime) : NaN;
    rules.push({
      condition: Number.isNaN(time),
      prop: `${prop}: restoreToTime`,
      message: `'${spec.restoreToTime}' is not a UTC time in the form 2026-11-28T09:30:00Z (${CFN_DBCLUSTER_DOC}#cfn-rds-dbcluster-restoretotime); write it so, or leave it unset for the latest restorable time`,
    });
    if (!Number.isNaN(time)) {
      const now = Date.now();
      const retentionDays =
        facts && !Token.isUnresolved(facts.backupRetention.toDays())
          ? facts.backupRetention.toDays()
          : MAX_RETENTION_DAYS;
      const oldest = now - retentionDays * 86_400_000;
      rules.push({
        condition: time > now,
        prop: `${prop}: restoreToTime`,
        message: `${spec.restoreToTime} is in the future: a cluster can be restored up to its latest restorable time (${PITR_DOC}); give a past time, or leave it unset for the latest restorable time`,
      });
      rules.push({
        condition: time < oldest,
        prop: `${prop}: restoreToTime`,
        message: `${spec.restoreToTime} is more than ${retentionDays} days ago, outside ${facts ? `the backup retention period of ${facts.path}` : 'the longest backup retention period (35 days)'} (${PITR_DOC}); restore a snapshot instead, or give a later time`,
      });
    }
  }

  // Clone limits: count the clones of each source declared in this app.
  if (spec.kind === RestoreKind.CLONE) {
    const root = target.scope.node.root;
    const perApp = CLONES.get(root) ?? new Map<string, string[]>();
    CLONES.set(root, perApp);
    const key = sourceKey(spec);
    const clones = perApp.get(key) ?? [];
    if (!clones.includes(target.scope.node.path)) clones.push(target.scope.node.path);
    perApp.set(key, clones);
    rules.push({
      condition: clones.length > MAX_CLONES_PER_SOURCE,
      prop,
      message: `this app declares ${clones.length} copy-on-write clones of ${facts?.path ?? spec.sourceClusterIdentifier}: at most ${MAX_CLONES_PER_SOURCE} clones share one copy of the data (${CLONE_DOC}#Aurora.Managing.Clone.Limitations); restore a snapshot or a point in time for the others`,
    });
  }

  return rules;
}

/** Warnings for what synth could not check. */
export function warnUncheckedRestore(source: RestoreSource, target: RestoreTarget): void {
  const spec = source._spec;
  const facts = restoreSourceFacts(source);
  const annotations = Annotations.of(target.scope);
  if (!facts) {
    annotations.addWarningV2(
      'cdk-aurora-baseline:restoreSourceUnchecked',
      `restoreFrom: the source was not created by this library in this app, so its engine, master user name, port and Backtrack setting could not be checked: the engine and masterUsername must be the source's (${CFN_DBCLUSTER_DOC}); for a clone or point-in-time restore also the port, and backtrackWindow above zero only if the source has Backtrack`,
    );
  }
  if (spec.restoreToTime !== undefined && Token.isUnresolved(spec.restoreToTime)) {
    annotations.addWarningV2(
      'cdk-aurora-baseline:restoreTimeUnchecked',
      `restoreFrom: restoreToTime is a token, so the library could not check that it lies in the source's backup retention window (${PITR_DOC})`,
    );
  }
  if (
    facts?.version &&
    target.version &&
    facts.version.line < target.version.line &&
    spec.kind === RestoreKind.SNAPSHOT
  ) {
    annotations.addWarningV2(
      'cdk-aurora-baseline:restoreMajorUpgrade',
      `restoreFrom: the snapshot's source runs ${facts.version.label} and the restored cluster ${target.version.label}: restoring into a newer major version upgrades the data during the restore; check that AWS supports this upgrade path (${RESTORE_SNAPSHOT_DOC})`,
    );
  }
}

/**
 * Turns the new cluster's CloudFormation resource into a restore: the source properties, and no master user name
 * or database name (they come from the source). `MasterUserPassword` stays: CloudFormation applies it with
 * ModifyDBCluster right after the restore, so the library's secret and the cluster share the new password.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html
 */
export function applyRestore(source: RestoreSource, cluster: rds.CfnDBCluster): void {
  const spec = source._spec;
  cluster.masterUsername = undefined;
  cluster.databaseName = undefined;
  acknowledgeRestoredMasterPassword(cluster, spec.kind !== RestoreKind.SNAPSHOT);
  if (spec.kind === RestoreKind.SNAPSHOT) {
    cluster.snapshotIdentifier = spec.snapshotIdentifier;
    if (spec.snapshot) cluster.node.addDependency(spec.snapshot);
    return;
  }
  cluster.sourceDbClusterIdentifier = spec.sourceCluster?.clusterIdentifier ?? spec.sourceClusterIdentifier;
  cluster.restoreType = spec.kind === RestoreKind.CLONE ? 'copy-on-write' : 'full-copy';
  if (spec.restoreToTime !== undefined) {
    cluster.restoreToTime = spec.restoreToTime;
  } else {
    cluster.useLatestRestorableTime = true;
  }
}
