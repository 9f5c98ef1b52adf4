import { Duration, Token } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EngineFamily } from './engine-family';
import { describeFloor, meetsFloor, ParsedVersion, VersionFloor } from './engine-version';
import { durationRule, known, numberRule, Rule } from './validate';

/**
 * AWS rules on the cluster's props that synth can check, one small function a rule group, each citing the AWS page
 * that states it (messages render as `<path>: <prop>: <what is wrong> (<doc>); <fix>`, see `renderRule`). Values that
 * are tokens are skipped here: `deploy-time.ts` says at synth which ones could not be checked.
 */

/** The AWS pages the rules cite. */
export const DOC = {
  createCluster: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html',
  createInstance: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html',
  limits: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html',
  backupWindow:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Managing.Backups.html#Aurora.Managing.Backups.BackupWindow',
  maintenanceWindow:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_UpgradeDBInstance.Maintenance.html#AdjustingTheMaintenanceWindow.Aurora',
  monitoring: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.Enabling.html',
  performanceInsights: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html',
  databaseInsights:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Considerations.html',
  pgRoles: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.html',
  mysqlReservedUsers:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Security.html#AuroraMySQL.Security.ReservedUsers',
  controlTowerRds: 'https://docs.aws.amazon.com/controltower/latest/controlreference/rds-rules.html',
  instanceClasses:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html',
  storageType:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.storage-type.html',
  serverlessV2Regions:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.ServerlessV2.html',
  limitless: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reqs-limits.html',
  kmsKeyTypes: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.Keys.html',
  kmsSymmetric: 'https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html',
  subnetGroup: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html',
  iamPolicy: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html',
} as const;

const MINUTES_PER_DAY = 1440;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HHMI = '([01][0-9]|2[0-3]):([0-5][0-9])';
const BACKUP_WINDOW = new RegExp(`^${HHMI}-${HHMI}$`);
const MAINTENANCE_WINDOW = new RegExp(`^(${DAYS.join('|')}):${HHMI}-(${DAYS.join('|')}):${HHMI}$`, 'i');

/** A window as start minute and length in minutes, within its period (a day or a week). */
interface Window {
  readonly start: number;
  readonly length: number;
}

/** Parses `hh24:mi-hh24:mi` (UTC). Undefined when malformed. */
export function parseBackupWindow(window: string): Window | undefined {
  const m = BACKUP_WINDOW.exec(window);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return { start, length: (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY };
}

/** Parses `ddd:hh24:mi-ddd:hh24:mi` (UTC, Monday 00:00 is minute 0). Undefined when malformed. */
export function parseMaintenanceWindow(window: string): Window | undefined {
  const m = MAINTENANCE_WINDOW.exec(window);
  if (!m) return undefined;
  const start = DAYS.indexOf(m[1].toLowerCase()) * MINUTES_PER_DAY + Number(m[2]) * 60 + Number(m[3]);
  const end = DAYS.indexOf(m[4].toLowerCase()) * MINUTES_PER_DAY + Number(m[5]) * 60 + Number(m[6]);
  return { start, length: (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK };
}

/** Whether the daily backup window meets the weekly maintenance window on any day. */
export function windowsOverlap(backup: Window, maintenance: Window): boolean {
  for (let day = 0; day < 7; day++) {
    const b0 = day * MINUTES_PER_DAY + backup.start;
    for (const shift of [-MINUTES_PER_WEEK, 0, MINUTES_PER_WEEK]) {
      const m0 = maintenance.start + shift;
      if (b0 < m0 + maintenance.length && m0 < b0 + backup.length) return true;
    }
  }
  return false;
}

function isString(s: unknown): s is string {
  return typeof s === 'string' && !Token.isUnresolved(s);
}

/**
 * Backup and maintenance windows: `hh24:mi-hh24:mi` and `ddd:hh24:mi-ddd:hh24:mi` in UTC, each at least 30 minutes,
 * and the two must not overlap.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (PreferredBackupWindow,
 * PreferredMaintenanceWindow)
 */
export function windowRules(backup: unknown, maintenance: unknown): Rule[] {
  const b = isString(backup) ? parseBackupWindow(backup) : undefined;
  const m = isString(maintenance) ? parseMaintenanceWindow(maintenance) : undefined;
  return [
    {
      condition: backup !== undefined && !Token.isUnresolved(backup) && b === undefined,
      prop: 'preferredBackupWindow',
      message: `${JSON.stringify(backup)} is not a daily window in the format hh24:mi-hh24:mi (UTC)`,
      doc: DOC.createCluster,
      fix: "write it like '03:00-03:30'",
    },
    {
      condition: b !== undefined && b.length < 30,
      prop: 'preferredBackupWindow',
      message: `'${backup}' lasts ${b?.length} minutes; a backup window must be at least 30 minutes`,
      doc: DOC.createCluster,
      fix: "widen it, e.g. '03:00-03:30'",
    },
    {
      condition: maintenance !== undefined && !Token.isUnresolved(maintenance) && m === undefined,
      prop: 'preferredMaintenanceWindow',
      message: `${JSON.stringify(maintenance)} is not a weekly window in the format ddd:hh24:mi-ddd:hh24:mi (UTC, days mon to sun)`,
      doc: DOC.createCluster,
      fix: "write it like 'sun:05:00-sun:05:30'",
    },
    {
      condition: m !== undefined && m.length < 30,
      prop: 'preferredMaintenanceWindow',
      message: `'${maintenance}' lasts ${m?.length} minutes; a maintenance window must be at least 30 minutes`,
      doc: DOC.createCluster,
      fix: "widen it, e.g. 'sun:05:00-sun:05:30'",
    },
    {
      condition: b !== undefined && m !== undefined && b.length >= 30 && m.length >= 30 && windowsOverlap(b, m),
      prop: 'preferredBackupWindow',
      message: `'${backup}' overlaps the maintenance window '${maintenance}'; the backup window must not conflict with the preferred maintenance window`,
      doc: DOC.createCluster,
      fix: 'move one of the two windows',
    },
  ];
}

/** The Enhanced Monitoring intervals AWS accepts, in seconds (0 turns it off). */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];

/**
 * Enhanced Monitoring: 0, 1, 5, 10, 15, 30 or 60 seconds, and a monitoring role only with an interval above 0
 * ("If MonitoringRoleArn is specified, also set MonitoringInterval to a value other than 0"). The library always
 * gives the instances its monitoring role, and the compliance packs require Enhanced Monitoring, so 0 is rejected.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (MonitoringInterval,
 * MonitoringRoleArn)
 */
export function monitoringRules(interval: unknown): Rule[] {
  const typeRule = durationRule('monitoringInterval', interval, 'Duration.seconds(60)');
  if (typeRule.condition || interval === undefined) return [typeRule];
  const seconds = (interval as Duration).toSeconds({ integral: false });
  return [
    {
      condition: known(seconds) && seconds === 0,
      prop: 'monitoringInterval',
      message:
        'an interval of 0 turns Enhanced Monitoring off, but the library gives every instance its monitoring role, and AWS rejects a monitoring role without an interval above 0 (the compliance packs also require Enhanced Monitoring)',
      doc: DOC.createCluster,
      fix: 'choose 1, 5, 10, 15, 30 or 60 seconds',
    },
    {
      condition: known(seconds) && seconds !== 0 && !MONITORING_INTERVALS.includes(seconds),
      prop: 'monitoringInterval',
      message: `must be 1, 5, 10, 15, 30 or 60 seconds, got ${seconds}`,
      doc: DOC.createCluster,
      fix: 'use Duration.seconds(n) with one of those values',
    },
    numberRule('monitoringInterval', seconds, 'use Duration.seconds(60)'),
  ];
}

/** Whether a Performance Insights retention is one AWS accepts: 7, 31 × months (1–23) or 731 days. */
export function validPerformanceInsightsRetention(days: number): boolean {
  return days === 7 || days === 731 || (Number.isInteger(days) && days % 31 === 0 && days >= 31 && days <= 713);
}

/** The retention Database Insights' Advanced mode needs at least: 465 days (15 months). */
export const ADVANCED_MIN_RETENTION = 465;

/**
 * Performance Insights retention: 7, month × 31 for 1–23 months, or 731 days ("If you specify a retention period
 * that isn't valid, such as 94, Amazon RDS issues an error"). Database Insights' Advanced mode needs "at least 465
 * days (15 months)": the considerations page is the rule; the console page's "must be 15 months" describes the
 * console's only choice. So 465 to 731 are accepted with Advanced mode.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (PerformanceInsightsRetentionPeriod)
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Considerations.html
 */
export function performanceInsightsRules(retention: unknown, mode: unknown): Rule[] {
  const days = retention as number;
  const advanced = mode === rds.DatabaseInsightsMode.ADVANCED;
  return [
    numberRule('performanceInsightRetention', retention, 'use rds.PerformanceInsightRetention.DEFAULT (7 days)'),
    {
      condition: known(days) && !validPerformanceInsightsRetention(days),
      prop: 'performanceInsightRetention',
      message: `${days} days is not a retention Performance Insights accepts: 7, a multiple of 31 from 31 to 713 (1 to 23 months), or 731`,
      doc: DOC.performanceInsights,
      fix: 'use a rds.PerformanceInsightRetention member',
    },
    {
      condition:
        mode !== undefined &&
        mode !== rds.DatabaseInsightsMode.STANDARD &&
        mode !== rds.DatabaseInsightsMode.ADVANCED &&
        !Token.isUnresolved(mode),
      prop: 'databaseInsightsMode',
      message: `${JSON.stringify(mode)} is not a Database Insights mode; AWS accepts 'standard' or 'advanced'`,
      doc: DOC.createCluster,
      fix: 'use rds.DatabaseInsightsMode.STANDARD or ADVANCED',
    },
    {
      condition: advanced && known(days) && validPerformanceInsightsRetention(days) && days < ADVANCED_MIN_RETENTION,
      prop: 'performanceInsightRetention',
      message: `${days} days is too short for Database Insights' Advanced mode, which needs a Performance Insights retention of at least 465 days (15 months)`,
      doc: DOC.databaseInsights,
      fix: 'use rds.PerformanceInsightRetention.MONTHS_15 or longer',
    },
  ];
}

/**
 * The master user name: 1 to 16 letters, digits or underscores starting with a letter (CreateDBCluster says "1 to 16
 * letters or numbers"; the CloudFormation pattern `^[a-zA-Z]{1}[a-zA-Z0-9_]*$` admits underscores), not a word or
 * account the engine reserves, and not `admin` or `postgres`, the defaults Control Tower CT.RDS.PR.21 rejects.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (MasterUsername)
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Security.html#AuroraMySQL.Security.ReservedUsers
 * https://docs.aws.amazon.com/controltower/latest/controlreference/rds-rules.html (CT.RDS.PR.21)
 */
export function masterUsernameRules(family: EngineFamily, username: unknown): Rule[] {
  if (typeof username === 'string' && Token.isUnresolved(username)) return [];
  if (typeof username !== 'string') {
    return [
      {
        condition: true,
        prop: 'masterUsername',
        message: `must be a string, got ${typeof username} ${JSON.stringify(username)}`,
        fix: "pass a name such as 'clusteradmin'",
      },
    ];
  }
  const lower = username.toLowerCase();
  const shape = /^[a-zA-Z][a-zA-Z0-9_]*$/.test(username) && username.length <= family.maxUsernameLength;
  const reservedAccount =
    family.reservedUsernames.includes(lower) || family.reservedUsernamePrefixes.some((p) => lower.startsWith(p));
  return [
    {
      condition: !shape,
      prop: 'masterUsername',
      message: `'${username}' must be 1 to ${family.maxUsernameLength} letters, digits or underscores starting with a letter`,
      doc: DOC.createCluster,
      fix: "choose another name, e.g. 'clusteradmin'",
    },
    {
      condition: shape && family.reservedWords.includes(lower),
      prop: 'masterUsername',
      message: `'${username}' is a reserved word of ${family.displayName}, which AWS does not accept as the master user name`,
      doc: DOC.createCluster,
      fix: "choose another name, e.g. 'clusteradmin'",
    },
    {
      condition: shape && reservedAccount,
      prop: 'masterUsername',
      message: `'${username}' is a user or role name ${family.displayName} reserves for itself`,
      doc: family.engineType === 'aurora-mysql' ? DOC.mysqlReservedUsers : DOC.pgRoles,
      fix: "choose another name, e.g. 'clusteradmin'",
    },
    {
      condition: shape && (lower === 'admin' || lower === 'postgres'),
      prop: 'masterUsername',
      message: `'${username}' is a well-known default master user name, which Control Tower CT.RDS.PR.21 rejects`,
      doc: DOC.controlTowerRds,
      fix: "choose a name of your own, e.g. 'clusteradmin'",
    },
  ];
}

/**
 * The initial database name: Aurora MySQL 1 to 64, Aurora PostgreSQL 1 to 63 characters; a letter, then letters,
 * underscores or digits; not a word the engine reserves.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (DBName, Amazon Aurora MySQL
 * and Amazon Aurora PostgreSQL)
 */
export function databaseNameRules(family: EngineFamily, name: unknown): Rule[] {
  if (name === undefined || (typeof name === 'string' && Token.isUnresolved(name))) return [];
  const valid = typeof name === 'string' && /^[a-zA-Z][a-zA-Z0-9_]*$/.test(name);
  return [
    {
      condition: !valid || (name as string).length > family.maxDatabaseNameLength,
      prop: 'defaultDatabaseName',
      message: `${JSON.stringify(name)} must be 1 to ${family.maxDatabaseNameLength} characters for ${family.displayName}: a letter, then letters, digits or underscores`,
      doc: DOC.createInstance,
      fix: "choose another name, e.g. 'orders'",
    },
    {
      condition: valid && family.reservedWords.includes((name as string).toLowerCase()),
      prop: 'defaultDatabaseName',
      message: `'${name}' is a reserved word of ${family.displayName}`,
      doc: DOC.createInstance,
      fix: "choose another name, e.g. 'orders'",
    },
  ];
}

/** How Aurora offers a provisioned instance family. */
interface ClassOffer {
  /** Sizes Aurora offers; undefined: `large` and up. */
  readonly sizes?: readonly string[];
  /** Engine lines (Aurora MySQL 2, 3, …; PostgreSQL majors) that offer it; undefined: every line. */
  readonly mysqlLines?: readonly number[];
  /** Whether Aurora PostgreSQL offers it. */
  readonly postgres: boolean;
}

/** Sizes below `large`, which Aurora's memory-optimized families do not come in. */
const SMALL_SIZES = ['nano', 'micro', 'small', 'medium'];

/**
 * The provisioned DB instance classes Aurora offers, by family.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html
 * - memory-optimized (db.r5, r6g, r6i, r6gd, r6id, r7g, r7i, r8g, r8gd, x2g): `large` and up, both engines;
 * - db.r4: Aurora MySQL 2 only ("not supported in 3.01.0 and higher"), not Aurora PostgreSQL; db.r3: Aurora MySQL 2;
 * - burstable db.t3 and db.t4g: `medium` and `large` only; db.t3.small and db.t2 (small, medium): Aurora MySQL 2 only;
 * - general-purpose and compute-optimized families (db.m*, db.c*) are not offered for Aurora.
 */
const AURORA_CLASSES: { readonly [family: string]: ClassOffer } = {
  r5: { postgres: true },
  r6g: { postgres: true },
  r6i: { postgres: true },
  r6gd: { postgres: true },
  r6id: { postgres: true },
  r7g: { postgres: true },
  r7i: { postgres: true },
  r8g: { postgres: true },
  r8gd: { postgres: true },
  x2g: { postgres: true },
  r4: { mysqlLines: [2], postgres: false },
  r3: { mysqlLines: [2], postgres: false },
  t4g: { sizes: ['medium', 'large'], postgres: true },
  t3: { sizes: ['medium', 'large'], postgres: true },
  t2: { sizes: ['small', 'medium'], mysqlLines: [2], postgres: false },
};

/** The reason Aurora does not offer an instance class for an engine version, or undefined when it does. */
export function unofferedInstanceClass(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  instanceClass: string,
): string | undefined {
  if (instanceClass === 'db.serverless') return undefined;
  const m = /^db\.([a-z0-9-]+)\.([a-z0-9]+)$/.exec(instanceClass);
  if (!m) return `'${instanceClass}' is not a DB instance class name (db.<family>.<size>)`;
  const [, classFamily, size] = m;
  const mysql = family.engineType === 'aurora-mysql';
  // db.t3.small: Aurora MySQL 2 only.
  if (instanceClass === 'db.t3.small') {
    return mysql && (version === undefined || version.line === 2)
      ? undefined
      : `${instanceClass} is offered only for Aurora MySQL version 2`;
  }
  const offer = AURORA_CLASSES[classFamily];
  if (!offer) return `Aurora does not offer the db.${classFamily} instance family`;
  if (offer.sizes ? !offer.sizes.includes(size) : SMALL_SIZES.includes(size)) {
    return `Aurora offers db.${classFamily} only in ${offer.sizes ? offer.sizes.join(' and ') : 'large and bigger'} sizes`;
  }
  if (!mysql && !offer.postgres) return `Aurora PostgreSQL does not offer db.${classFamily}`;
  if (mysql && offer.mysqlLines && version !== undefined && !offer.mysqlLines.includes(version.line)) {
    return `Aurora MySQL ${version.label} does not offer db.${classFamily} (only version ${offer.mysqlLines.join(', ')})`;
  }
  return undefined;
}

/** DB instance identifiers: 1–63 letters, digits or hyphens, a letter first, no `--`, no trailing hyphen. */
export const DB_IDENTIFIER = /^[a-zA-Z](?:-?[a-zA-Z0-9]){0,62}$/;

/**
 * Rules on each bound instance's class and identifier.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (DBInstanceIdentifier)
 */
export function instanceClassRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  instance: rds.CfnDBInstance,
  prop: string,
): Rule[] {
  const id = instance.node.scope?.node.id ?? instance.node.id;
  const instanceClass = instance.dbInstanceClass;
  const classProblem =
    typeof instanceClass === 'string' && !Token.isUnresolved(instanceClass)
      ? unofferedInstanceClass(family, version, instanceClass)
      : undefined;
  const identifier = instance.dbInstanceIdentifier;
  return [
    {
      condition: classProblem !== undefined,
      prop: `${prop} (${id})`,
      message: `${classProblem} for ${family.displayName}${version ? ` ${version.label}` : ''}`,
      doc: DOC.instanceClasses,
      fix: 'choose a class Aurora offers, e.g. db.r7g.large, db.t4g.medium, or rds.ClusterInstance.serverlessV2()',
    },
    {
      condition: typeof identifier === 'string' && !Token.isUnresolved(identifier) && !DB_IDENTIFIER.test(identifier),
      prop: `${prop} (${id}).instanceIdentifier`,
      message: `'${identifier}' must be 1 to 63 letters, digits or hyphens, start with a letter, and contain no '--' or trailing hyphen`,
      doc: DOC.createInstance,
      fix: 'choose a valid identifier',
    },
  ];
}

/** Instance ids given twice collide in the construct tree (aws-cdk-lib would say only "There is already a Construct"). */
export function duplicateInstanceRules(ids: readonly string[]): Rule[] {
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  return [
    {
      condition: dup.length > 0,
      prop: 'writer/readers',
      message: `the instance id${dup.length > 1 ? 's' : ''} ${[...new Set(dup)].map((d) => `'${d}'`).join(', ')} ${dup.length > 1 ? 'are' : 'is'} given to more than one instance`,
      fix: "give every rds.ClusterInstance its own id, e.g. rds.ClusterInstance.serverlessV2('Reader2')",
    },
  ];
}

/** What the version and Region gates need. */
export interface FeatureGateInput {
  readonly family: EngineFamily;
  readonly version?: ParsedVersion;
  readonly fullVersion?: string;
  readonly region: string;
  readonly storageType?: unknown;
  readonly hasServerlessInstances: boolean;
}

function floorRule(input: FeatureGateInput, floor: VersionFloor, when: boolean, what: string, doc: string): Rule {
  const v = input.version;
  return {
    condition: when && v !== undefined && !meetsFloor(v, floor),
    prop: 'engine',
    message: `${input.family.displayName} ${v?.label} does not support ${what}; it needs ${describeFloor(floor, input.family.mysqlStyleVersions)}`,
    doc,
    fix: 'choose a newer engine version',
  };
}

/**
 * Features gated by engine version or Region.
 * - I/O-Optimized storage: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.storage-type.html
 * - Serverless v2 by Region: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.ServerlessV2.html
 * - Limitless Database versions (`…-limitless`) need a Limitless cluster (ClusterScalabilityType limitless), which
 *   this library does not build: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reqs-limits.html
 */
export function featureGateRules(input: FeatureGateInput): Rule[] {
  const { family, storageType, region } = input;
  const regionalFloor = Token.isUnresolved(region) ? undefined : family.serverlessV2RegionalFloors[region];
  const validStorage =
    storageType === undefined ||
    storageType === rds.DBClusterStorageType.AURORA ||
    storageType === rds.DBClusterStorageType.AURORA_IOPT1 ||
    (typeof storageType === 'string' && Token.isUnresolved(storageType));
  return [
    {
      condition: typeof input.fullVersion === 'string' && /limitless$/.test(input.fullVersion),
      prop: 'engine',
      message: `'${input.fullVersion}' is an Aurora PostgreSQL Limitless Database version, which only a Limitless cluster (ClusterScalabilityType limitless, no writer or readers) can run; AuroraCluster builds an ordinary cluster`,
      doc: DOC.limitless,
      fix: 'choose a version without the -limitless suffix, e.g. rds.AuroraPostgresEngineVersion.VER_16_9',
    },
    {
      condition: !validStorage,
      prop: 'storageType',
      message: `${JSON.stringify(storageType)} is not an Aurora storage type; AWS accepts 'aurora' (Standard) or 'aurora-iopt1' (I/O-Optimized)`,
      doc: DOC.createCluster,
      fix: 'use rds.DBClusterStorageType.AURORA or rds.DBClusterStorageType.AURORA_IOPT1',
    },
    floorRule(
      input,
      family.ioOptimizedFloor,
      storageType === rds.DBClusterStorageType.AURORA_IOPT1,
      'Aurora I/O-Optimized storage (aurora-iopt1)',
      DOC.storageType,
    ),
    floorRule(
      input,
      regionalFloor ?? {},
      regionalFloor !== undefined && input.hasServerlessInstances,
      `Aurora Serverless v2 in ${region}`,
      DOC.serverlessV2Regions,
    ),
  ];
}

/**
 * Aurora encrypts storage with a symmetric encryption KMS key (`SYMMETRIC_DEFAULT`, key usage `ENCRYPT_DECRYPT`):
 * asymmetric (RSA, ECC, SM2) and HMAC keys cannot encrypt a DB cluster. Checked for a key created in the same app.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.Keys.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/symm-asymm-choose-key-spec.html
 */
export function keySpecRules(prop: string, key: kms.IKey | undefined): Rule[] {
  const cfn = key?.node.defaultChild;
  if (!(cfn instanceof kms.CfnKey)) return [];
  const spec = cfn.keySpec;
  const usage = cfn.keyUsage;
  const badSpec = typeof spec === 'string' && !Token.isUnresolved(spec) && spec !== kms.KeySpec.SYMMETRIC_DEFAULT;
  const badUsage = typeof usage === 'string' && !Token.isUnresolved(usage) && usage !== kms.KeyUsage.ENCRYPT_DECRYPT;
  return [
    {
      condition: badSpec || badUsage,
      prop,
      message: `the key is ${badSpec ? `a ${spec} key` : ''}${badSpec && badUsage ? ' for ' : ''}${badUsage ? `${usage}` : ''}; Aurora encrypts only with a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)`,
      doc: DOC.kmsKeyTypes,
      fix: 'pass a kms.Key with the default keySpec and keyUsage, or omit encryptionKey to have one created',
    },
  ];
}

/**
 * The database user of an `rds-db:connect` grant names one user: not missing (JavaScript and Python callers), not
 * empty, and without wildcards, which would grant every user.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
 */
export function grantRules(grantee: unknown, dbUser: unknown): Rule[] {
  const userIsString = typeof dbUser === 'string';
  return [
    {
      condition: grantee === undefined || grantee === null || typeof grantee !== 'object',
      prop: 'grantee',
      message: `must be an iam.IGrantable (a role, user or function), got ${grantee === null ? 'null' : typeof grantee}`,
      fix: 'pass the role that connects, e.g. grantConnect(appRole, "app_user")',
    },
    {
      condition: !userIsString,
      prop: 'dbUser',
      message: `must name the database user, got ${dbUser === null ? 'null' : typeof dbUser}`,
      doc: DOC.iamPolicy,
      fix: 'pass the user name, e.g. grantConnect(appRole, "app_user")',
    },
    {
      condition:
        userIsString &&
        !Token.isUnresolved(dbUser) &&
        ((dbUser as string).length === 0 || /[*?]/.test(dbUser as string)),
      prop: 'dbUser',
      message: `'${dbUser}' must name one database user, without wildcards`,
      doc: DOC.iamPolicy,
      fix: 'call grantConnect once per user',
    },
  ];
}

function isEngine(e: unknown): boolean {
  return typeof e === 'object' && e !== null && typeof (e as rds.IClusterEngine).bindToCluster === 'function';
}

function isVpc(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { selectSubnets?: unknown }).selectSubnets === 'function';
}

function isInstance(i: unknown): boolean {
  return typeof i === 'object' && i !== null && typeof (i as rds.IClusterInstance).bind === 'function';
}

/** What the caller rules read (every member may be anything: JavaScript and Python callers have no compiler). */
export interface CallerInput {
  readonly engine?: unknown;
  readonly vpc?: unknown;
  readonly writer?: unknown;
  readonly readers?: unknown;
  readonly analyticsReaders?: unknown;
  readonly numbers?: { readonly [prop: string]: unknown };
  readonly durations?: { readonly [prop: string]: unknown };
  /** Whether `engine` is required (a secondary cluster takes its engine from the primary). */
  readonly engineRequired?: boolean;
}

/**
 * Props whose type a JavaScript or Python caller can get wrong with no compiler to say so: a missing engine or VPC,
 * `readers: [undefined]`, a string where a number belongs, a number where a Duration belongs. Checked before any
 * of them is used, so that the caller gets the library's message instead of a TypeError from deep inside.
 */
export function callerRules(input: CallerInput): Rule[] {
  const readerList = (prop: string, list: unknown): Rule[] => {
    if (list === undefined) return [];
    if (!Array.isArray(list)) {
      return [
        {
          condition: true,
          prop,
          message: `must be a list of rds.ClusterInstance, got ${typeof list}`,
          fix: "pass e.g. [rds.ClusterInstance.serverlessV2('Reader')]",
        },
      ];
    }
    const bad = list.map((r, i) => (isInstance(r) ? -1 : i)).filter((i) => i >= 0);
    return [
      {
        condition: bad.length > 0,
        prop: bad.length === 1 ? `${prop}[${bad[0]}]` : prop,
        message: `${bad.map((i) => `${prop}[${i}]`).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not an rds.ClusterInstance (got ${bad.map((i) => (list[i] === null ? 'null' : typeof list[i])).join(', ')})`,
        fix: 'create each with rds.ClusterInstance.provisioned(id, { instanceType }) or rds.ClusterInstance.serverlessV2(id), or leave it out',
      },
    ];
  };
  return [
    {
      condition: (input.engineRequired ?? true) && !isEngine(input.engine),
      prop: 'engine',
      message:
        input.engine === undefined || input.engine === null
          ? 'is required'
          : `must be an rds.IClusterEngine, got ${typeof input.engine}`,
      fix: 'pass rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }) or rds.DatabaseClusterEngine.auroraMysql({ version: ... })',
    },
    {
      condition: !isVpc(input.vpc),
      prop: 'vpc',
      message:
        input.vpc === undefined || input.vpc === null ? 'is required' : `must be an ec2.IVpc, got ${typeof input.vpc}`,
      fix: "pass the VPC to place the cluster in, e.g. ec2.Vpc.fromLookup(this, 'Vpc', { vpcId })",
    },
    {
      condition: input.writer !== undefined && !isInstance(input.writer),
      prop: 'writer',
      message: `must be an rds.ClusterInstance, got ${input.writer === null ? 'null' : typeof input.writer}`,
      fix: "use rds.ClusterInstance.provisioned('Writer', { instanceType }) or rds.ClusterInstance.serverlessV2('Writer'), or leave it out",
    },
    ...readerList('readers', input.readers),
    ...readerList('analytics.readers', input.analyticsReaders),
    ...Object.entries(input.numbers ?? {}).map(([prop, value]) => numberRule(prop, value, 'pass a number')),
    ...Object.entries(input.durations ?? {}).map(([prop, value]) =>
      durationRule(prop, value, 'an aws-cdk-lib Duration, e.g. Duration.days(7)'),
    ),
  ];
}

/**
 * The retention handed to aws-cdk-lib, and a function that puts the user's retention on the template. aws-cdk-lib
 * accepts Database Insights' Advanced mode only with exactly 465 days, while AWS needs "at least 465"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Considerations.html): longer
 * valid retentions go to aws-cdk-lib as 465 and onto the cluster and its instances as given.
 */
export function performanceInsightsOverride(
  retention: rds.PerformanceInsightRetention,
  mode: rds.DatabaseInsightsMode | undefined,
): {
  l2: rds.PerformanceInsightRetention;
  apply: (cluster: rds.DatabaseCluster, instances: rds.CfnDBInstance[]) => void;
} {
  const longer =
    mode === rds.DatabaseInsightsMode.ADVANCED &&
    known(retention) &&
    validPerformanceInsightsRetention(retention) &&
    retention > ADVANCED_MIN_RETENTION;
  return {
    l2: longer ? rds.PerformanceInsightRetention.MONTHS_15 : retention,
    apply: (cluster, instances) => {
      if (!longer) return;
      (cluster.node.defaultChild as rds.CfnDBCluster).performanceInsightsRetentionPeriod = retention;
      for (const instance of instances) {
        if (instance.performanceInsightsRetentionPeriod !== undefined) {
          instance.performanceInsightsRetentionPeriod = retention;
        }
      }
    },
  };
}

/**
 * Secrets Manager rotates every 4 hours to 1000 days; a rotation interval of 0 would leave the master password
 * unrotated, which the compliance packs reject.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
 */
export function rotationIntervalRules(interval: Duration | undefined): Rule[] {
  if (interval === undefined || typeof (interval as Duration).toSeconds !== 'function' || interval.isUnresolved()) {
    return [];
  }
  const hours = interval.toHours({ integral: false });
  return [
    {
      condition: hours < 4 || hours > 24_000,
      prop: 'secretRotationInterval',
      message: `must be between 4 hours and 1000 days, got ${interval.toHumanString()}`,
      doc: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html',
      fix: 'use e.g. Duration.days(30)',
    },
  ];
}

/** The master user name rules (see `masterUsernameRules`). */
export function usernameRules(family: EngineFamily, username: string): Rule[] {
  return masterUsernameRules(family, username);
}

/**
 * Rules on each bound instance.
 * - Never publicly accessible: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
 * - IAM database authentication is not available on db.t2.small and db.t3.small for Aurora MySQL
 *: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.html
 */
export function instanceRules(
  family: EngineFamily,
  instance: rds.CfnDBInstance,
  prop = 'writer/readers',
  version?: ParsedVersion,
): Rule[] {
  const id = instance.node.scope?.node.id ?? instance.node.id;
  return [
    ...instanceClassRules(family, version, instance, prop),
    {
      condition: instance.publiclyAccessible === true,
      prop: `${prop} (${id})`,
      message:
        'publiclyAccessible: true is not allowed; Aurora instances of this library are reachable only inside the VPC. Remove publiclyAccessible',
    },
    {
      condition:
        family.engineType === 'aurora-mysql' &&
        ['db.t2.small', 'db.t3.small'].includes(String(instance.dbInstanceClass)),
      prop: `${prop} (${id})`,
      message: `${instance.dbInstanceClass} does not support IAM database authentication on Aurora MySQL (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.html); use db.t3.medium or larger`,
    },
  ];
}
