import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EngineFamily } from './engine-family';
import { describeFloor, meetsFloor, ParsedVersion, VersionFloor } from './engine-version';

/** One AWS rule, checked at synth: `condition` true means the input breaks it. */
export interface Rule {
  readonly condition: boolean;
  /** The property at fault, as the user wrote it. */
  readonly prop: string;
  /**
   * What is wrong. Without `fix`, the message also carries the AWS documentation link and, after `; `, the fix
   * (the older rules are written that way).
   */
  readonly message: string;
  /** The AWS documentation page that states the rule; rendered in parentheses after `message`. */
  readonly doc?: string;
  /** How to fix it; rendered after `; `. */
  readonly fix?: string;
}

/** Renders one broken rule: `<path>: <prop>: <what is wrong> (<AWS doc URL>); <fix>`. */
export function renderRule(path: string, rule: Rule): string {
  const doc = rule.doc && !rule.message.includes(rule.doc) ? ` (${rule.doc})` : '';
  const fix = rule.fix ? `; ${rule.fix}` : '';
  return `${path}: ${rule.prop}: ${rule.message}${doc}${fix}`;
}

/** Throws one error listing every broken rule: `<path>: <prop>: <what is wrong> (<AWS doc URL>); <fix>`. */
export function throwIfBroken(path: string, rules: readonly Rule[]): void {
  const broken = rules.filter((r) => r.condition);
  if (broken.length > 0) {
    throw new Error(broken.map((r) => renderRule(path, r)).join('\n'));
  }
}

/** A number that is known at synth time (tokens are skipped: AWS checks them at deploy). */
export function known(n: number | undefined): n is number {
  return typeof n === 'number' && !Number.isNaN(n) && !Token.isUnresolved(n);
}

/**
 * A numeric prop must be a number (JavaScript and Python callers have no compiler to say so) and not NaN, which
 * every range check would silently let through.
 */
export function numberRule(prop: string, value: unknown, fix: string): Rule {
  const notNumber = value !== undefined && value !== null && typeof value !== 'number';
  return {
    condition: notNumber || (typeof value === 'number' && Number.isNaN(value)),
    prop,
    message: notNumber
      ? `must be a number, got ${typeof value} ${JSON.stringify(value)}`
      : 'is NaN (not a number), which no AWS range accepts',
    fix,
  };
}

/** A Duration prop must be an aws-cdk-lib `Duration` (JavaScript and Python callers can pass anything). */
export function durationRule(prop: string, value: unknown, example: string): Rule {
  const ok =
    value === undefined ||
    value === null ||
    (typeof value === 'object' && typeof (value as Duration).toSeconds === 'function');
  return {
    condition: !ok,
    prop,
    message: `must be a Duration, got ${typeof value} ${JSON.stringify(value)}`,
    fix: `use ${example}`,
  };
}

function knownString(s: string | undefined): s is string {
  return s !== undefined && !Token.isUnresolved(s);
}

/** Regions where Aurora MySQL Backtrack is available (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Availability). */
export const BACKTRACK_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
];

/** Whether Backtrack is offered in a Region (true when the Region is not known at synth time). https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Availability. */
export function backtrackAvailableIn(region: string): boolean {
  return Token.isUnresolved(region) || BACKTRACK_REGIONS.includes(region);
}

/** 72 hours, the longest Backtrack window (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html). */
export const MAX_BACKTRACK_SECONDS = 259_200;
/** At most 15 Aurora Replicas per cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-replicas-adding.html). */
export const MAX_READERS = 15;

/**
 * The engine must be Aurora MySQL or Aurora PostgreSQL with a pinned version.
 * Aurora Serverless v1 and Aurora MySQL 5.6 (`aurora`) are retired; RDS Multi-AZ DB clusters are not Aurora.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (Engine)
 */
export function engineRules(engineType: string, family: EngineFamily | undefined, fullVersion?: string): Rule[] {
  return [
    {
      condition: family === undefined,
      prop: 'engine',
      message: `engine '${engineType}' is not Aurora MySQL or Aurora PostgreSQL (Aurora MySQL 5.6 'aurora' and Aurora Serverless v1 are retired by AWS); use rds.DatabaseClusterEngine.auroraMysql() or rds.DatabaseClusterEngine.auroraPostgres()`,
    },
    {
      condition: family !== undefined && !fullVersion,
      prop: 'engine',
      message:
        'the engine has no full version, so its parameter-group family and version-gated features are unknown; pin one, e.g. rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 })',
    },
  ];
}

export interface CapacityInput {
  readonly family: EngineFamily;
  readonly version?: ParsedVersion;
  readonly min: number;
  readonly max: number;
  /** Whether the cluster has Serverless v2 instances (only then do the version rules apply). */
  readonly hasServerlessInstances: boolean;
  readonly autoPauseDuration?: Duration;
}

function versionRule(input: CapacityInput, floor: VersionFloor, condition: boolean, what: string): Rule {
  const v = input.version;
  return {
    condition: condition && v !== undefined && !meetsFloor(v, floor),
    prop: 'engine',
    message: `${input.family.displayName} ${v?.label} does not support ${what}; it needs ${describeFloor(floor, input.family.mysqlStyleVersions)}. Choose a newer engine version`,
  };
}

/**
 * Aurora Serverless v2 capacity rules.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ServerlessV2ScalingConfiguration.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html
 */
export function capacityRules(input: CapacityInput): Rule[] {
  const { min, max } = input;
  const pause = input.autoPauseDuration?.toSeconds();
  return [
    numberRule('serverlessV2MinCapacity', min, 'pass a number of ACUs, e.g. 0.5'),
    numberRule('serverlessV2MaxCapacity', max, 'pass a number of ACUs, e.g. 16'),
    {
      condition: known(min) && (min < 0 || min > 256),
      prop: 'serverlessV2MinCapacity',
      message: `must be between 0 and 256 ACUs, got ${min} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity); choose a value in that range`,
    },
    {
      condition: known(max) && (max < 1 || max > 256),
      prop: 'serverlessV2MaxCapacity',
      message: `must be between 1 and 256 ACUs, got ${max} (Aurora rejects a maximum of 0.5); choose a value in that range`,
    },
    {
      condition: known(min) && (min * 2) % 1 !== 0,
      prop: 'serverlessV2MinCapacity',
      message: `must be a multiple of 0.5 ACU, got ${min}; round it to a half step`,
    },
    {
      condition: known(max) && (max * 2) % 1 !== 0,
      prop: 'serverlessV2MaxCapacity',
      message: `must be a multiple of 0.5 ACU, got ${max}; round it to a half step`,
    },
    {
      condition: known(min) && known(max) && min > max,
      prop: 'serverlessV2MinCapacity',
      message: `${min} ACUs is greater than serverlessV2MaxCapacity ${max}; lower the minimum or raise the maximum`,
    },
    {
      condition: pause !== undefined && known(pause) && (pause < 300 || pause > 86_400),
      prop: 'serverlessV2AutoPauseDuration',
      message: `must be between 300 and 86400 seconds, got ${pause}; choose a duration in that range`,
    },
    {
      condition: pause !== undefined && known(min) && min > 0,
      prop: 'serverlessV2AutoPauseDuration',
      message: `has no effect unless serverlessV2MinCapacity is 0 (it is ${min}); set the minimum to 0 or drop the duration`,
    },
  ];
}

/**
 * Serverless v2 features by engine version, checked once the instances are known (only clusters with
 * Serverless v2 instances are affected).
 */
export function capacityVersionRules(input: CapacityInput): Rule[] {
  const { min, max, family } = input;
  return [
    versionRule(input, family.serverlessV2Floor, input.hasServerlessInstances, 'Aurora Serverless v2 instances'),
    versionRule(
      input,
      family.serverlessV2Max256Floor,
      input.hasServerlessInstances && known(max) && max > 128,
      `a Serverless v2 maximum above 128 ACUs (got ${max})`,
    ),
    versionRule(
      input,
      family.autoPauseFloor,
      input.hasServerlessInstances && known(min) && min === 0,
      'a Serverless v2 minimum of 0 ACUs (auto-pause)',
    ),
  ];
}

/**
 * Backtrack: Aurora MySQL only, 1 s to 72 h, in the Regions that offer it.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (BacktrackWindow)
 */
export function backtrackRules(family: EngineFamily, window: Duration | undefined, region: string): Rule[] {
  if (window === undefined) return [];
  const seconds = window.toSeconds();
  if (!known(seconds) || seconds === 0) return [];
  return [
    {
      condition: !family.supportsBacktrack,
      prop: 'backtrackWindow',
      message: `Backtrack is available only for Aurora MySQL, not ${family.displayName} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Availability); remove backtrackWindow and rely on point-in-time restore`,
    },
    {
      condition: family.supportsBacktrack && (seconds < 0 || seconds > MAX_BACKTRACK_SECONDS),
      prop: 'backtrackWindow',
      message: `must be at most 72 hours, got ${seconds} seconds; choose a window up to Duration.hours(72), or Duration.seconds(0) to turn Backtrack off`,
    },
    {
      condition: family.supportsBacktrack && !backtrackAvailableIn(region),
      prop: 'backtrackWindow',
      message: `Backtrack is not available in ${region}; remove backtrackWindow or deploy to one of ${BACKTRACK_REGIONS.join(', ')}`,
    },
  ];
}

/**
 * Automated backups are kept 1 to 35 days.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (BackupRetentionPeriod)
 */
export function backupRules(retention: Duration): Rule[] {
  const type = durationRule('backupRetention', retention, 'Duration.days(7)');
  if (type.condition) return [type];
  const days = retention.toDays({ integral: false });
  return [
    {
      condition: known(days) && (days < 1 || days > 35 || !Number.isInteger(days)),
      prop: 'backupRetention',
      message: `must be a whole number of days between 1 and 35, got ${days} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html); use Duration.days(n) with 1 <= n <= 35`,
    },
  ];
}

/**
 * Cluster identifiers: 1–63 letters, digits or hyphens, starting with a letter, no `--`, no trailing hyphen.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-dbclusteridentifier
 */
export function identifierRules(prop: string, identifier: string | undefined): Rule[] {
  if (!knownString(identifier)) return [];
  return [
    {
      condition: !/^[a-zA-Z](?:-?[a-zA-Z0-9]){0,62}$/.test(identifier),
      prop,
      message: `'${identifier}' must be 1 to 63 letters, digits or hyphens, start with a letter, and contain no '--' or trailing hyphen (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-dbclusteridentifier); choose a valid identifier`,
    },
  ];
}

/** Port 1150–65535. https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (Port) */
export function portRules(port: number): Rule[] {
  return [
    numberRule('port', port, 'pass a port number, e.g. 5433'),
    {
      condition: known(port) && (!Number.isInteger(port) || port < 1150 || port > 65535),
      prop: 'port',
      message: `must be an integer between 1150 and 65535, got ${port} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html); choose another port`,
    },
  ];
}

/**
 * A KMS key can encrypt only resources in its own Region.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html#Overview.Encryption.Limitations
 */
export function keyRegionRules(prop: string, keyRegion: string | undefined, stackRegion: string): Rule[] {
  return [
    {
      condition: knownString(keyRegion) && !Token.isUnresolved(stackRegion) && keyRegion !== stackRegion,
      prop,
      message: `the key is in ${keyRegion} but the cluster is in ${stackRegion}; KMS keys are Regional and Aurora needs a key in the cluster's Region (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html). Pass a key from ${stackRegion} or omit it to create one`,
    },
  ];
}

/**
 * The TLS parameter cannot be overridden: it is what makes the cluster refuse unencrypted connections.
 */
export function tlsParameterRules(family: EngineFamily, parameters: { [name: string]: string } | undefined): Rule[] {
  return Object.entries(family.tlsParameters).map(([name, value]) => ({
    condition: parameters?.[name] !== undefined && !Token.isUnresolved(parameters[name]) && parameters[name] !== value,
    prop: `parameters.${name}`,
    message: `'${parameters?.[name]}' would allow unencrypted connections; the library requires '${value}' (Control Tower CT.RDS.PR.27). Remove ${name} from parameters`,
  }));
}

/**
 * Exported logs are kept at least a year: Control Tower CT.CLOUDWATCH.PR.2 fails below 365 days, and cdk-nag's
 * CloudWatchLogGroupRetentionPeriod fails on "never expire" (no explicit retention).
 * https://docs.aws.amazon.com/controltower/latest/controlreference/cloudwatch-rules.html
 */
export function logRetentionRules(retention: logs.RetentionDays): Rule[] {
  return [
    {
      condition: retention < logs.RetentionDays.ONE_YEAR || retention === logs.RetentionDays.INFINITE,
      prop: 'logRetention',
      message: `${retention} days is below the 365 days the compliance packs require (or never expires, which cdk-nag rejects); use logs.RetentionDays.ONE_YEAR or longer`,
    },
  ];
}
