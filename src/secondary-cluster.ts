import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { IAuroraCluster, IAuroraGlobalDatabase, IAuroraSecondaryCluster } from './cluster-ref';
import { AuroraCustomEndpoint, CustomEndpointOptions } from './custom-endpoint';
import { AuroraDashboard, AuroraDashboardOptions } from './dashboard';
import { AuroraEventSubscriptions, EventSubscriptionsOptions } from './event-subscriptions';
import { createMonitoringRole } from './monitoring';
import { ACK_GLOBAL_DATABASE_BACKTRACK, acknowledge } from './private/acknowledgements';
import {
  cfnInstancesOf,
  clusterEncryptionKey,
  createClusterLogGroups,
  dependentRemovalPolicy,
  createClusterParameterGroup,
  createDatabaseSecurityGroup,
  hardenInstance,
  logGroupPrefixOf,
} from './private/cluster-parts';
import * as defaults from './private/defaults';
import { lowerIfLiteral } from './private/deploy-time';
import { resolveEngine } from './private/engine';
import { EngineFamily } from './private/engine-family';
import { meetsFloor } from './private/engine-version';
import { globalDatabaseRegistration } from './private/global-registry';
import { secondaryVersionRules } from './private/lifecycle';
import { derivedNamePrefix, derivePhysicalName, stableLabel } from './private/naming';
import { SecondaryDbCluster } from './private/secondary-db-cluster';
import { selectPrivateSubnets } from './private/subnets';
import {
  backupRules,
  capacityRules,
  capacityVersionRules,
  identifierRules,
  keyRegionRules,
  logRetentionRules,
  portRules,
  throwIfBroken,
  tlsParameterRules,
} from './private/validate';
import { featureGateRules, instanceRules } from './private/validate-cluster';
import {
  globalInstanceClassRules,
  globalVersionRules,
  monitoringRules,
  secondaryInheritedPropRules,
  secondaryReaderCountRules,
  writeForwardingRules,
} from './private/validate-global';
import { secondaryCallerRules, secondaryPropRules } from './private/validate-props';
import { AuroraSecondaryRecommendedAlarms, SecondaryRecommendedAlarmsOptions } from './secondary-alarms';

/**
 * Options for a secondary cluster of an {@link AuroraGlobalDatabase}, for `addSecondary()`.
 *
 * A secondary has no master credentials, database name, Backtrack or reader autoscaling of its own: it inherits
 * the credentials and data from the primary, and AWS does not support Backtrack or Aurora Auto Scaling on
 * secondaries.
 */
export interface AuroraSecondaryClusterOptions {
  /**
   * The VPC in the secondary's Region.
   *
   * Only its private subnets are used: isolated subnets when it has any, private subnets with egress otherwise.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets to place the secondary in: private, in at least two Availability Zones.
   *
   * @default - the VPC's isolated subnets if it has any, otherwise its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The read-only instances of the secondary, at most 16.
   *
   * An empty list makes a headless secondary: storage is replicated at the lowest cost, but a switchover or
   * failover to it needs an instance added first. Instances must be memory-optimized (db.r*, db.x*) or
   * Serverless v2. Aurora Auto Scaling is not supported on secondaries: pre-create Serverless v2 readers instead.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attach.console.headless.html
   * @default - one Serverless v2 reader, `[rds.ClusterInstance.serverlessV2('Reader')]`
   */
  readonly readers?: rds.IClusterInstance[];

  /**
   * The secondary's engine: only for a minor version upgrade of the Global Database, where the secondaries are
   * upgraded before the primary.
   *
   * Same engine and major version as the primary's, and a version no older than the primary's (a secondary behind
   * the primary is rejected). The order AWS asks for: give every secondary the new minor version here and deploy
   * (only the secondaries' stacks change), then give the primary the new version and remove this (only the primary's
   * stack changes). Changing the primary's engine alone changes every member in one deployment, the primary's stack
   * first: the wrong order. A major version upgrade is done on the global cluster instead (see the README,
   * "Changing a deployed database").
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-upgrade.html
   * @default - the primary's engine
   */
  readonly engine?: rds.IClusterEngine;

  /**
   * The smallest capacity, in ACUs, of each Serverless v2 instance of the secondary.
   *
   * Serverless v2 instances of a secondary never pause, so 0 saves nothing.
   *
   * @default 0.5
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * The largest capacity, in ACUs, of each Serverless v2 instance of the secondary.
   *
   * @default 16
   */
  readonly serverlessV2MaxCapacity?: number;

  /**
   * Whether the secondary forwards writes to the primary (global write forwarding).
   *
   * Needs Aurora MySQL 2.08.1+ or 3.x, or Aurora PostgreSQL 14.9+, 15.4+ or 16+. Each session must opt in
   * (`aurora_replica_read_consistency` on Aurora MySQL, `apg_write_forward.consistency_mode` on Aurora
   * PostgreSQL). Has no effect on a headless secondary.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding.html
   * @default false
   */
  readonly enableWriteForwarding?: boolean;

  /**
   * The KMS key that encrypts the secondary's storage, Performance Insights data and log groups.
   *
   * Must be in the secondary's Region (KMS keys are Regional). A key you pass is not modified: its key policy must
   * already let CloudWatch Logs use it for the secondary's log groups.
   *
   * @default - a new customer-managed key with rotation in the secondary's Region, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The DB cluster identifier of the secondary, unique across the global database.
   *
   * Changing it replaces the secondary cluster (a new secondary is created and replicates from scratch).
   *
   * @default - `<stack name>-<logical id>-<first 8 characters of the stack's UUID>`, as for `AuroraCluster`: kept
   * when logical ids are kept, new when the stack is deployed again after `cdk destroy`
   */
  readonly clusterIdentifier?: string;

  /**
   * The port the secondary listens on.
   *
   * @default - the primary's port
   */
  readonly port?: number;

  /**
   * Cluster parameters of the secondary, merged over the primary's.
   *
   * The TLS parameter cannot be turned off. On Aurora MySQL 3, `lower_case_table_names` must match the primary's,
   * which the default ensures.
   *
   * @default - the primary's cluster parameters (TLS, audit and yours)
   */
  readonly parameters?: { [name: string]: string };

  /**
   * How long automated backups of the secondary are kept: 1 to 35 days.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * The daily backup window, `hh24:mi-hh24:mi` in UTC.
   *
   * @default - a 30-minute window chosen by Aurora
   */
  readonly preferredBackupWindow?: string;

  /**
   * The weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC.
   *
   * @default - a 30-minute window chosen by Aurora
   */
  readonly preferredMaintenanceWindow?: string;

  /**
   * Whether the secondary refuses to be deleted.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the secondary, its instances, key and log groups when they leave the stack.
   *
   * CloudFormation first detaches the secondary from the global cluster, then deletes it. With `DESTROY` the key is
   * scheduled for deletion and the log groups are deleted; with every other policy they are retained.
   *
   * @default RemovalPolicy.SNAPSHOT - the key and the log groups are retained
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long the exported database logs are kept; at least one year.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The Enhanced Monitoring interval of every instance: 1, 5, 10, 15, 30 or 60 seconds.
   *
   * @default Duration.seconds(60)
   */
  readonly monitoringInterval?: Duration;

  /**
   * How long Performance Insights keeps data (encrypted with the secondary's key).
   *
   * @default rds.PerformanceInsightRetention.DEFAULT (7 days)
   */
  readonly performanceInsightRetention?: rds.PerformanceInsightRetention;

  /**
   * The Database Insights mode; `ADVANCED` needs a Performance Insights retention of 15 months.
   *
   * @default - standard
   */
  readonly databaseInsightsMode?: rds.DatabaseInsightsMode;

  /**
   * The storage type of the secondary.
   *
   * @default - the primary's storage type
   */
  readonly storageType?: rds.DBClusterStorageType;
}

/**
 * Properties of an {@link AuroraSecondaryCluster}.
 */
export interface AuroraSecondaryClusterProps extends AuroraSecondaryClusterOptions {
  /** The global database the secondary joins (an `AuroraGlobalDatabase`). */
  readonly globalDatabase: IAuroraGlobalDatabase;
}

/**
 * A secondary cluster of an Aurora Global Database, in its own Region's stack.
 *
 * It has the primary's engine and version, and no master user, password or database name of its own. It is built
 * from the same parts as `AuroraCluster`, so each Region's stack is compliant on its own: a customer-managed key in
 * its Region, private subnets, a cluster parameter group that requires TLS and audits, encrypted log groups with
 * retention, Enhanced Monitoring and Performance Insights, IAM authentication, deletion protection, backups and a
 * security group with no ingress.
 *
 * Usually created with `AuroraGlobalDatabase.addSecondary()`.
 *
 * @example
 * declare const globalDatabase: AuroraGlobalDatabase;
 * declare const euStack: Stack;
 * declare const euVpc: ec2.IVpc;
 * new AuroraSecondaryCluster(euStack, 'Eu', { globalDatabase, vpc: euVpc, readers: [] });
 */
export class AuroraSecondaryCluster extends Construct implements IAuroraSecondaryCluster {
  /** The global database this cluster is a secondary of. */
  public readonly globalDatabase: IAuroraGlobalDatabase;
  /** The secondary DB cluster (escape hatch; a secondary is not an `rds.DatabaseCluster`, it has no credentials). */
  public readonly cluster: rds.IDatabaseCluster;
  /** The `AWS::RDS::DBCluster` resource. */
  public readonly cfnCluster: rds.CfnDBCluster;
  /** The key that encrypts the storage, Performance Insights data and log groups, in the secondary's Region. */
  public readonly encryptionKey: kms.IKey;
  /**
   * Network access to the secondary, with its literal port as default port.
   *
   * Nothing is allowed in by default.
   */
  public readonly connections: ec2.Connections;
  /** The secondary's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The cluster endpoint of the secondary (read-only while it is a secondary). */
  public readonly clusterEndpoint: rds.Endpoint;
  /** The reader endpoint of the secondary. */
  public readonly clusterReadEndpoint: rds.Endpoint;
  /** The DB cluster identifier (a literal, unique across the global database). */
  public readonly clusterIdentifier: string;
  /** The cluster resource id (`cluster-…`), used in `rds-db:connect` ARNs. */
  public readonly clusterResourceIdentifier: string;
  /** The DB instance identifiers of the secondary's instances, e.g. for custom endpoints. Empty when headless. */
  public readonly instanceIdentifiers: string[];
  /** The engine (the primary's). */
  public readonly engine: rds.IClusterEngine;
  /** The port the secondary listens on. */
  public readonly port: number;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The subnets the secondary is in. */
  public readonly vpcSubnets: ec2.SubnetSelection;
  /** The cluster parameter group (TLS and audit parameters). */
  public readonly parameterGroup: rds.IParameterGroup;
  /** The Enhanced Monitoring role. */
  public readonly monitoringRole: iam.IRole;
  /** The log groups the engine logs are exported to, one per log type. */
  public readonly logGroups: logs.ILogGroup[];
  /** Whether global write forwarding is on. */
  public readonly writeForwarding: boolean;
  /** The maximum Serverless v2 capacity of the secondary's instances, in ACUs. */
  public readonly serverlessV2MaxCapacity: number;
  /**
   * The known part of a cluster identifier the library derives (`<stack>-<logical id>`), which other Regions' stacks
   * can use; undefined when the identifier was given.
   *
   * @internal
   */
  public readonly _derivedIdentifierPrefix?: string;

  constructor(scope: Construct, id: string, props: AuroraSecondaryClusterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    throwIfBroken(this.node.path, secondaryCallerRules(props));
    const global = props.globalDatabase;
    const registration = globalDatabaseRegistration(global);
    if (!registration) {
      throw new Error(
        `${this.node.path}: globalDatabase: ${global.node.path} is not an AuroraGlobalDatabase; create the global database with new AuroraGlobalDatabase()`,
      );
    }
    const primary = global.primary;
    const primaryEngine = resolveEngine(this.node.path, primary.engine);
    const { engine, family, version } = resolveEngine(this.node.path, props.engine ?? primary.engine);
    throwIfBroken(this.node.path, [
      ...secondaryInheritedPropRules({ ...props, engine: undefined }, primaryEngine.engine),
      ...secondaryVersionRules(primaryEngine.version, primaryEngine.engine.engineType, version, engine.engineType),
    ]);
    const primaryCluster =
      primary.node.defaultChild instanceof rds.CfnDBCluster ? primary.node.defaultChild : undefined;

    const readers = props.readers ?? [rds.ClusterInstance.serverlessV2('Reader')];
    const port = props.port ?? primary.port;
    const minCapacity = props.serverlessV2MinCapacity ?? defaults.DEFAULT_SERVERLESS_V2_MIN_CAPACITY;
    const maxCapacity = props.serverlessV2MaxCapacity ?? defaults.DEFAULT_SERVERLESS_V2_MAX_CAPACITY;
    const backupRetention = props.backupRetention ?? defaults.DEFAULT_BACKUP_RETENTION;
    const logRetention = props.logRetention ?? defaults.DEFAULT_LOG_RETENTION;
    const monitoringInterval = props.monitoringInterval ?? defaults.DEFAULT_MONITORING_INTERVAL;
    const performanceInsightRetention = props.performanceInsightRetention ?? rds.PerformanceInsightRetention.DEFAULT;
    const clusterIdentifier =
      props.clusterIdentifier !== undefined
        ? lowerIfLiteral(props.clusterIdentifier)
        : derivePhysicalName(this, () => this.cfnCluster);
    const removalPolicy = props.removalPolicy ?? defaults.DEFAULT_CLUSTER_REMOVAL_POLICY;
    const keptDataRemovalPolicy = dependentRemovalPolicy(removalPolicy);
    const label = stableLabel(() => this.cfnCluster);
    const writeForwarding = props.enableWriteForwarding ?? false;
    const inheritedParameters = primaryParameters(this, primary);
    const parameters = { ...inheritedParameters, ...props.parameters };
    const vpcRegion = Stack.of(props.vpc).region;

    const capacity = {
      family,
      version,
      min: minCapacity,
      max: maxCapacity,
      hasServerlessInstances: false,
    };
    throwIfBroken(this.node.path, [
      ...registration.placementRules({ path: this.node.path, region: stack.region, clusterIdentifier }),
      {
        condition: !Token.isUnresolved(vpcRegion) && !Token.isUnresolved(stack.region) && vpcRegion !== stack.region,
        prop: 'vpc',
        message: `the VPC is in ${vpcRegion} but the secondary is in ${stack.region}; use a VPC of the secondary's Region`,
      },
      ...identifierRules('clusterIdentifier', props.clusterIdentifier),
      ...globalVersionRules(family, version, stack.region, 'globalDatabase'),
      ...secondaryReaderCountRules(readers.length),
      ...portRules(port),
      ...capacityRules(capacity),
      ...backupRules(backupRetention),
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html
      ...keyRegionRules('encryptionKey', props.encryptionKey?.env.region, stack.region).map((r) => ({
        ...r,
        message: r.message.replace(
          '(https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html)',
          '(https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html)',
        ),
      })),
      ...tlsParameterRules(family, props.parameters),
      ...logRetentionRules(logRetention),
      ...monitoringRules(monitoringInterval, props.databaseInsightsMode, performanceInsightRetention),
      ...writeForwardingRules(family, version, writeForwarding),
      ...secondaryPropRules(family, version, props, stack.region),
    ]);

    const subnets = selectPrivateSubnets(this.node.path, props.vpc, props.vpcSubnets, this);
    this.globalDatabase = global;
    this.engine = engine;
    this.port = port;
    this.vpc = props.vpc;
    this.vpcSubnets = subnets.selection;
    this.clusterIdentifier = clusterIdentifier;
    this.writeForwarding = writeForwarding;
    this.serverlessV2MaxCapacity = maxCapacity;
    this._derivedIdentifierPrefix =
      props.clusterIdentifier === undefined ? derivedNamePrefix(() => this.cfnCluster) : undefined;

    const logGroupPrefix = logGroupPrefixOf(clusterIdentifier);
    this.encryptionKey = clusterEncryptionKey(
      this,
      props.encryptionKey,
      `Aurora secondary cluster ${label}`,
      logGroupPrefix,
      keptDataRemovalPolicy,
    );
    this.logGroups = createClusterLogGroups(
      this,
      family,
      logGroupPrefix,
      this.encryptionKey,
      logRetention,
      keptDataRemovalPolicy,
    );
    this.parameterGroup = createClusterParameterGroup(
      this,
      engine,
      family,
      `Aurora secondary cluster ${label}: TLS required, audit logging on`,
      parameters,
    );
    const network = createDatabaseSecurityGroup(
      this,
      props.vpc,
      `Aurora secondary cluster ${label}: no ingress until a peer is allowed`,
      port,
    );
    this.securityGroup = network.securityGroup;
    this.connections = network.connections;
    this.monitoringRole = createMonitoringRole(this, 'MonitoringRole');

    const db = new SecondaryDbCluster(this, 'Cluster', {
      engine,
      vpc: props.vpc,
      vpcSubnets: subnets.selection,
      subnetGroupDescription: `Aurora secondary cluster ${label}: private subnets`,
      securityGroup: this.securityGroup,
      port,
      clusterIdentifier,
      globalClusterIdentifier: global.globalClusterIdentifier,
      parameterGroup: this.parameterGroup,
      encryptionKey: this.encryptionKey,
      readers,
      serverlessV2Capacity:
        !version || meetsFloor(version, family.serverlessV2Floor) ? { min: minCapacity, max: maxCapacity } : undefined,
      backupRetention,
      preferredBackupWindow: props.preferredBackupWindow,
      preferredMaintenanceWindow: props.preferredMaintenanceWindow,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy,
      logTypes: family.logTypes,
      monitoringInterval,
      monitoringRole: this.monitoringRole,
      performanceInsightRetention,
      databaseInsightsMode: props.databaseInsightsMode,
      storageType:
        props.storageType ??
        (primaryCluster === undefined || Token.isUnresolved(primaryCluster.storageType)
          ? undefined
          : primaryCluster.storageType),
      enableGlobalWriteForwarding: writeForwarding,
    });
    for (const logGroup of this.logGroups) {
      db.node.addDependency(logGroup);
    }
    this.cluster = db;
    this.cfnCluster = db.resource;
    this.clusterEndpoint = db.clusterEndpoint;
    this.clusterReadEndpoint = db.clusterReadEndpoint;
    this.clusterResourceIdentifier = db.clusterResourceIdentifier;
    this.instanceIdentifiers = db.instanceIdentifiers;

    const instances = cfnInstancesOf(db);
    const hasServerless = instances.some((i) => i.dbInstanceClass === 'db.serverless');
    throwIfBroken(this.node.path, [
      ...capacityVersionRules({
        ...capacity,
        hasServerlessInstances: db.resource.serverlessV2ScalingConfiguration !== undefined,
      }),
      ...instances.flatMap((i) => instanceRules(family, i, 'readers', version)),
      ...featureGateRules({ family, version, region: stack.region, hasServerlessInstances: hasServerless }),
      ...globalInstanceClassRules(instances, 'readers'),
    ]);
    for (const instance of instances) {
      hardenInstance(instance);
    }
    if (family.supportsBacktrack) {
      acknowledge(db.resource, ACK_GLOBAL_DATABASE_BACKTRACK);
    }
    warnOnSecondary(this, family, instances.length, hasServerless, minCapacity, writeForwarding);
    warnOnCaseSensitivity(this, inheritedParameters, props.parameters);

    registration.registerSecondary(this);
  }

  /**
   * Adds a custom endpoint over some of this secondary's readers: local reads in this Region for a chosen set of
   * instances (for example reporting).
   *
   * A cluster has at most five custom endpoints.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html
   */
  public addCustomEndpoint(id: string, options: CustomEndpointOptions = {}): AuroraCustomEndpoint {
    const scope = this.node.tryFindChild('CustomEndpoints') ?? new Construct(this, 'CustomEndpoints');
    return new AuroraCustomEndpoint(scope as Construct, id, { ...options, secondaryCluster: this });
  }

  /**
   * Grants `rds-db:connect` for a database user on this secondary (IAM database authentication).
   *
   * Database users are replicated from the primary; the grant names this secondary's cluster resource id.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return this.cluster.grantConnect(grantee, dbUser);
  }

  /**
   * Adds the recommended alarms of this secondary, in its stack and Region, notifying an SNS topic when they alarm
   * and when they recover (construct id `RecommendedAlarms`; call it once): the instance alarms of its readers, and
   * the alarm on its lag behind the primary (`AuroraGlobalDBRPOLag`, over 30 s by default).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html
   */
  public addRecommendedAlarms(options: SecondaryRecommendedAlarmsOptions = {}): AuroraSecondaryRecommendedAlarms {
    return new AuroraSecondaryRecommendedAlarms(this, 'RecommendedAlarms', { ...options, secondaryCluster: this });
  }

  /**
   * Subscribes an SNS topic in this secondary's Region to the RDS events of this secondary, of its instances and of
   * their DB parameter groups (construct id `EventSubscriptions`; call it once), with the event categories Control
   * Tower CT.RDS.PR.12, PR.17 and PR.18 require.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.html
   */
  public addEventSubscriptions(options: EventSubscriptionsOptions = {}): AuroraEventSubscriptions {
    return new AuroraEventSubscriptions(this, 'EventSubscriptions', { ...options, secondaryCluster: this });
  }

  /**
   * Adds a CloudWatch dashboard of this secondary in its stack (construct id `Dashboard`; call it once, after
   * `addRecommendedAlarms()` to show the alarms' state): its instances, its lag behind the primary and the replicated
   * writes. `AuroraGlobalDatabase.addDashboard()` shows every member on one dashboard.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html
   */
  public addDashboard(options: AuroraDashboardOptions = {}): AuroraDashboard {
    return new AuroraDashboard(this, 'Dashboard', { ...options, secondaryCluster: this });
  }

  /** A CloudWatch metric of this secondary (`AWS/RDS`, dimension `DBClusterIdentifier`). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName,
      dimensionsMap: { DBClusterIdentifier: this.cluster.clusterIdentifier },
      ...props,
    }).attachTo(this);
  }

  /**
   * How far this secondary lags behind the primary, in milliseconds (`AuroraGlobalDBReplicationLag`, maximum).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html
   */
  public metricGlobalReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AuroraGlobalDBReplicationLag', { statistic: 'Maximum', ...props });
  }

  /**
   * How far this secondary is behind the primary for user transactions, in milliseconds (`AuroraGlobalDBRPOLag`,
   * maximum): what a failover to it would lose. Aurora MySQL versions before 3.04.0 and 2.12.0 do not publish it; use
   * `metricGlobalReplicationLag` on them.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
   */
  public metricGlobalRpoLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('AuroraGlobalDBRPOLag', { statistic: 'Maximum', ...props });
  }

  /** The average CPU utilization of the secondary's instances, in percent. */
  public metricCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('CPUUtilization', { statistic: 'Average', ...props });
  }

  /** The Serverless v2 capacity in ACUs. */
  public metricServerlessDatabaseCapacity(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric('ServerlessDatabaseCapacity', { statistic: 'Average', ...props });
  }
}

/**
 * The primary's effective cluster parameters (the secondary starts from them: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html wants
 * `lower_case_table_names` equal on Aurora MySQL 3). Deploy-time values cannot cross Regions and are left out.
 */
function primaryParameters(scope: Construct, primary: IAuroraCluster): { [name: string]: string } {
  const cfn = primary.node
    .findAll()
    .find((c): c is rds.CfnDBClusterParameterGroup => c instanceof rds.CfnDBClusterParameterGroup);
  if (!cfn) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:primaryParametersUnknown',
      `the primary ${primary.node.path} is an imported cluster, so its cluster parameters are not copied to the secondary; set parameters (on Aurora MySQL 3, lower_case_table_names must match the primary's: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html)`,
    );
  }
  const resolved = cfn ? (Stack.of(cfn).resolve(cfn.parameters) as { [name: string]: unknown }) : {};
  const result: { [name: string]: string } = {};
  for (const [name, value] of Object.entries(resolved ?? {})) {
    if (typeof value === 'string' && !Token.isUnresolved(value)) {
      result[name] = value;
    } else {
      Annotations.of(scope).addWarningV2(
        'cdk-aurora-baseline:primaryParameterNotCopied',
        `the primary's cluster parameter ${name} is a deploy-time value and is not copied to the secondary; set it in parameters`,
      );
    }
  }
  return result;
}

function warnOnSecondary(
  scope: Construct,
  family: EngineFamily,
  instances: number,
  hasServerless: boolean,
  minCapacity: number,
  writeForwarding: boolean,
): void {
  const annotations = Annotations.of(scope);
  if (instances === 0) {
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
    annotations.addWarningV2(
      'cdk-aurora-baseline:headlessSecondary',
      'the secondary has no instances (headless): a switchover or failover to it needs an instance added first (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attach.console.headless.html); add readers for a warm standby',
    );
  }
  if (writeForwarding && instances === 0) {
    annotations.addWarningV2(
      'cdk-aurora-baseline:writeForwardingHeadless',
      'enableWriteForwarding has no effect on a headless secondary: there is no instance to forward from (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-ams.html)',
    );
  }
  if (hasServerless && minCapacity === 0) {
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html
    annotations.addWarningV2(
      'cdk-aurora-baseline:secondaryNeverPauses',
      `Serverless v2 instances of a ${family.displayName} Global Database secondary never pause, so a minimum of 0 ACUs saves nothing (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html); set serverlessV2MinCapacity to 0.5 or more`,
    );
  }
}

/**
 * On Aurora MySQL 3, a secondary's `lower_case_table_names` must match the primary's (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html
 */
function warnOnCaseSensitivity(
  scope: Construct,
  primary: { [name: string]: string },
  secondary: { [name: string]: string } | undefined,
): void {
  const name = 'lower_case_table_names';
  const value = secondary?.[name];
  if (value !== undefined && !Token.isUnresolved(value) && value !== primary[name]) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:lowerCaseTableNames',
      `parameters.${name} is '${value}' but the primary's is '${primary[name] ?? 'the engine default'}'; on Aurora MySQL 3 they must match (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html). Remove it from parameters`,
    );
  }
}
