import { Duration, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { EngineFamily } from './engine-family';
import { describeFloor, meetsFloor, ParsedVersion } from './engine-version';
import { known, Rule } from './validate';
import { monitoringRules as clusterMonitoringRules, performanceInsightsRules } from './validate-cluster';

/**
 * The Aurora Global Database rules checked at synth, one function per rule group, each citing its AWS source.
 */

/**
 * At most 10 secondary clusters, each in its own Region (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html; 5 before May 2025).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html
 */
export const MAX_SECONDARY_CLUSTERS = 10;
/** A secondary cluster has no writer and up to 16 read-only instances (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html). */
export const MAX_SECONDARY_READERS = 16;
/** Primary readers plus secondary clusters must not exceed 15 (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html). */
export const MAX_REPLICA_BUDGET = 15;
/** Recommended minimum Serverless v2 capacity of a Global Database primary (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html). */
export const RECOMMENDED_PRIMARY_MIN_CAPACITY = 8;

function knownString(s: string | undefined): s is string {
  return s !== undefined && !Token.isUnresolved(s);
}

/**
 * Aurora Global Database does not support Backtrack (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations
 */
export function globalBacktrackRules(prop: string, window: Duration | number | undefined, fix?: string): Rule[] {
  const seconds = typeof window === 'number' ? window : window?.toSeconds();
  return [
    {
      condition: known(seconds) && seconds > 0,
      prop,
      message: `Backtrack is on (${seconds} seconds), but Aurora Global Database does not support Backtrack (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations); ${
        fix ??
        'remove backtrackWindow (or set Duration.seconds(0): on a deployed cluster this turns Backtrack off for good)'
      }`,
    },
  ];
}

/**
 * The engine version must support Aurora Global Database, in every Region the global database spans. Versions the library cannot parse (tokens, Aurora MySQL 8.4) are left to AWS.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html
 */
export function globalVersionRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  region: string,
  prop = 'primary',
): Rule[] {
  if (!version) return [];
  const supported =
    meetsFloor(version, family.globalDatabaseFloor) || family.globalDatabaseExtraVersions.includes(version.label);
  const regional = knownString(region) ? family.globalDatabaseRegionalFloors[region] : undefined;
  const extras = family.globalDatabaseExtraVersions.map((v) => `${v}, `).join('');
  return [
    {
      condition: !supported,
      prop,
      message: `${family.displayName} ${version.label} cannot be part of an Aurora Global Database; it needs ${extras}${describeFloor(family.globalDatabaseFloor, family.mysqlStyleVersions)} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html). Choose a newer engine version`,
    },
    {
      condition: supported && regional !== undefined && !meetsFloor(version, regional),
      prop,
      message: `${family.displayName} ${version.label} cannot be part of an Aurora Global Database in ${region}, which needs ${describeFloor(regional ?? {}, family.mysqlStyleVersions)} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html). Choose a newer engine version`,
    },
  ];
}

/**
 * Global Database needs memory-optimized instance classes (db.r*, db.x*) or Serverless v2 (db.serverless); burstable
 * classes are rejected with "The requested instance class is not supported by global databases" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html
 */
export function globalInstanceClassRules(instances: readonly rds.CfnDBInstance[], prop: string): Rule[] {
  return instances.map((instance) => {
    const cls = instance.dbInstanceClass;
    const id = instance.node.scope?.node.id ?? instance.node.id;
    return {
      condition: knownString(cls) && !/^db\.(r|x)[a-z0-9-]*\./.test(cls) && cls !== 'db.serverless',
      prop: `${prop} (${id})`,
      message: `${cls} is not supported by Aurora Global Database, which needs memory-optimized classes (db.r*, db.x*) or Serverless v2 (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html); use e.g. db.r6g.large or rds.ClusterInstance.serverlessV2()`,
    };
  });
}

/**
 * An RDS-managed master password (`ManageMasterUserPassword`) is not supported in a global database. AuroraCluster never uses one (it rotates a generated secret); an escape hatch could.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations
 */
export function managedPasswordRules(cluster: rds.CfnDBCluster, prop: string): Rule[] {
  return [
    {
      condition: cluster.manageMasterUserPassword === true,
      prop,
      message: `the cluster uses an RDS-managed master password (ManageMasterUserPassword), which Aurora Global Database does not support (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations); remove it and keep the generated, rotated secret`,
    },
  ];
}

/** One member of the global database, for the Region and identifier rules. */
export interface Member {
  readonly path: string;
  readonly region: string;
  readonly clusterIdentifier: string;
}

/**
 * Each secondary in its own Region, none in the primary's, at most 10 (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html); cluster identifiers
 * unique across all members. Regions must be known at synth for the library to check this.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html
 */
export function secondaryPlacementRules(primary: Member, existing: readonly Member[], secondary: Member): Rule[] {
  const sameRegion = existing.find((m) => m.region === secondary.region);
  const sameId = [primary, ...existing].find((m) => m.clusterIdentifier === secondary.clusterIdentifier);
  return [
    {
      condition: !knownString(secondary.region),
      prop: 'stack',
      message:
        'the secondary stack has no Region at synth time, so the library cannot keep each secondary in its own Region (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html); give the stack an explicit env: { region }',
    },
    {
      condition: secondary.region === primary.region,
      prop: 'stack',
      message: `the secondary is in ${secondary.region}, the primary's Region; secondaries must be in other Regions (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html). Use a stack in another Region`,
    },
    {
      condition: sameRegion !== undefined,
      prop: 'stack',
      message: `${sameRegion?.path} is already the secondary in ${secondary.region}; each secondary must be in its own Region (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html). Use a stack in another Region`,
    },
    {
      condition: existing.length >= MAX_SECONDARY_CLUSTERS,
      prop: 'globalDatabase',
      message: `the global database already has ${existing.length} secondary clusters, the most Aurora allows (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html); remove a secondary`,
    },
    {
      condition: sameId !== undefined,
      prop: 'clusterIdentifier',
      message: `'${secondary.clusterIdentifier}' is already the identifier of ${sameId?.path}; cluster identifiers must be unique across the global database (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html). Choose another clusterIdentifier`,
    },
  ];
}

/**
 * The primary's readers plus the secondary clusters must not exceed 15 (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html); a secondary has at
 * most 16 read-only instances.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html
 */
export function replicaBudgetRules(primaryReaders: number, secondaries: number): Rule[] {
  return [
    {
      condition: primaryReaders + secondaries > MAX_REPLICA_BUDGET,
      prop: 'primary',
      message: `the primary has ${primaryReaders} readers and the global database ${secondaries} secondary clusters; together at most ${MAX_REPLICA_BUDGET} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html). Remove primary readers or secondaries`,
    },
  ];
}

export function secondaryReaderCountRules(readers: number): Rule[] {
  return [
    {
      condition: readers > MAX_SECONDARY_READERS,
      prop: 'readers',
      message: `a secondary cluster has at most ${MAX_SECONDARY_READERS} read-only instances, got ${readers} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html); remove readers`,
    },
  ];
}

/**
 * Global write forwarding needs Aurora MySQL 2.08.1+ (including 3.x), or Aurora PostgreSQL 16+, 15.4+ or 14.9+
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-ams.html).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-ams.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-apg.html
 */
export function writeForwardingRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  enabled: boolean,
): Rule[] {
  return [
    {
      condition: enabled && version !== undefined && !meetsFloor(version, family.globalWriteForwardingFloor),
      prop: 'enableWriteForwarding',
      message: `${family.displayName} ${version?.label} does not support global write forwarding; it needs ${describeFloor(family.globalWriteForwardingFloor, family.mysqlStyleVersions)} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-ams.html). Upgrade the global database or turn write forwarding off`,
    },
  ];
}

/**
 * Settings a secondary cluster cannot have. It inherits the master user, its password and the database from the
 * primary ("Cannot specify user name / password / database name for cross region replication cluster"), cannot backtrack or use Aurora Auto Scaling, and runs the primary's engine.
 * These props do not exist on the secondary; this catches them when they arrive anyway, e.g. spread from a
 * primary's props.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername
 */
export function secondaryInheritedPropRules(props: object, primaryEngine: rds.IClusterEngine): Rule[] {
  const given = props as { [key: string]: unknown };
  const has = (key: string) => given[key] !== undefined;
  const inherited: Array<[string, string]> = [
    [
      'masterUsername',
      'the master user is inherited from the primary (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername)',
    ],
    [
      'credentials',
      'the master user and password are inherited from the primary (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername)',
    ],
    [
      'masterUserPassword',
      'the master password is inherited from the primary (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername)',
    ],
    [
      'manageMasterUserPassword',
      'RDS-managed master passwords are not supported in a global database (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations)',
    ],
    [
      'defaultDatabaseName',
      'the databases are replicated from the primary (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername)',
    ],
    [
      'databaseName',
      'the databases are replicated from the primary (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername)',
    ],
    [
      'backtrackWindow',
      'Aurora Global Database does not support Backtrack (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations)',
    ],
    [
      'readerAutoScaling',
      'Aurora Auto Scaling is not supported on secondary clusters (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations); pre-create Serverless v2 readers instead',
    ],
    [
      'writer',
      'a secondary cluster has no writer, only read-only instances (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html); use readers',
    ],
  ];
  const engine = given.engine as rds.IClusterEngine | undefined;
  return [
    ...inherited.map(([key, why]) => ({
      condition: has(key),
      prop: key,
      message: `a secondary cluster cannot set ${key}: ${why}. Remove ${key}`,
    })),
    {
      condition:
        engine !== undefined &&
        (engine.engineType !== primaryEngine.engineType ||
          engine.engineVersion?.fullVersion !== primaryEngine.engineVersion?.fullVersion),
      prop: 'engine',
      message: `a secondary cluster runs the primary's engine (${primaryEngine.engineType} ${primaryEngine.engineVersion?.fullVersion}), not ${engine?.engineType} ${engine?.engineVersion?.fullVersion} (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-engineversion); remove engine`,
    },
  ];
}

/**
 * The rendered secondary cluster, re-checked at synth because escape hatches can change it after construction:
 * no master user, password or database name (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername), no RDS-managed password, no Backtrack
 *.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername
 */
export function secondaryClusterRules(cluster: rds.CfnDBCluster): Rule[] {
  const set: Array<[string, unknown, string]> = [
    [
      'MasterUsername',
      cluster.masterUsername,
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername',
    ],
    [
      'MasterUserPassword',
      cluster.masterUserPassword,
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername',
    ],
    [
      'DatabaseName',
      cluster.databaseName,
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername',
    ],
    [
      'ManageMasterUserPassword',
      cluster.manageMasterUserPassword,
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations',
    ],
  ];
  return [
    ...set.map(([name, value, id]) => ({
      condition: value !== undefined && value !== false,
      prop: `cfnCluster.${name}`,
      message: `a secondary cluster cannot have ${name}; it inherits the primary's master user and databases (${id}). Remove the override`,
    })),
    ...globalBacktrackRules('cfnCluster.BacktrackWindow', cluster.backtrackWindow, 'remove the override'),
  ];
}

/**
 * Enhanced Monitoring intervals (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html) and Database Insights, checked here for the secondary,
 * which does not go through rds.DatabaseCluster's own checks.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
 */
export function monitoringRules(
  interval: Duration,
  insights: rds.DatabaseInsightsMode | undefined,
  retention: rds.PerformanceInsightRetention,
): Rule[] {
  // The same rules as a primary's: Enhanced Monitoring intervals, Performance Insights retentions, and Advanced
  // mode with at least 465 days (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Considerations.html).
  return [...clusterMonitoringRules(interval), ...performanceInsightsRules(retention, insights)];
}
