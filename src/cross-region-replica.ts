import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { createMonitoringRole } from './monitoring';
import { ACK_CROSS_REGION_REPLICA_BACKTRACK, acknowledge } from './private/acknowledgements';
import {
  cfnInstancesOf,
  clusterEncryptionKey,
  createClusterLogGroups,
  createClusterParameterGroup,
  createDatabaseSecurityGroup,
  hardenInstance,
  logGroupPrefixOf,
} from './private/cluster-parts';
import * as defaults from './private/defaults';
import { lowerIfLiteral } from './private/deploy-time';
import { engineFamilyOf } from './private/engine-family';
import { parseAuroraVersion } from './private/engine-version';
import { derivePhysicalName } from './private/naming';
import { SecondaryDbCluster } from './private/secondary-db-cluster';
import { sourceFactsOf } from './private/source-facts';
import { selectPrivateSubnets } from './private/subnets';
import {
  backupRules,
  identifierRules,
  keyRegionRules,
  logRetentionRules,
  portRules,
  Rule,
  throwIfBroken,
  tlsParameterRules,
} from './private/validate';
import { instanceRules } from './private/validate-cluster';

/** https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Replication.CrossRegion.html */
const REPLICA_DOC =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Replication.CrossRegion.html';
/** Binary log formats Aurora MySQL replicates with. */
const BINLOG_FORMATS = ['ROW', 'STATEMENT', 'MIXED'];
/** The binary log format the library sets on a source that has none. */
const DEFAULT_BINLOG_FORMAT = 'ROW';
/** Cross-Region read replicas AWS allows per source cluster. */
const MAX_REPLICAS_PER_SOURCE = 5;
/** How many cross-Region replicas of each source cluster the app declares so far. */
const REPLICA_COUNTS = new WeakMap<object, number>();

/**
 * Properties of an {@link AuroraCrossRegionReplica}.
 */
export interface AuroraCrossRegionReplicaProps {
  /**
   * The source: an Aurora MySQL `AuroraCluster`'s `cluster`, in another Region of the same app.
   *
   * Its `binlog_format` cluster parameter is set to `ROW` when it has none (it takes effect once the source's writer
   * reboots). It must have no Backtrack and must not be in a Global Database.
   */
  readonly sourceCluster: rds.IDatabaseCluster;

  /**
   * The VPC of the replica, in the replica's Region.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the replica: private, in at least two Availability Zones.
   *
   * @default - the VPC's isolated subnets if it has any, otherwise its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The replica's instances: read-only until the replica is promoted. At least one: replication runs on an instance.
   *
   * @default - one Serverless v2 instance
   */
  readonly instances?: rds.IClusterInstance[];

  /**
   * The engine of the replica: the source's major version, and the same or a later minor version.
   *
   * @default - the source's engine
   */
  readonly engine?: rds.IClusterEngine;

  /**
   * The key that encrypts the replica, in the replica's Region.
   *
   * @default - a new customer-managed key with rotation on in the replica's Region, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The DB cluster identifier of the replica.
   *
   * @default - `<stack name>-<logical id>-<first 8 characters of the stack's UUID>`, as for `AuroraCluster`
   */
  readonly clusterIdentifier?: string;

  /**
   * The port the replica listens on.
   *
   * @default - the source's port
   */
  readonly port?: number;

  /**
   * Extra cluster parameters, merged with the library's TLS and audit parameters.
   *
   * @default - only the TLS and audit parameters
   */
  readonly parameters?: { [name: string]: string };

  /**
   * How long automated backups of the replica are kept: 1 to 35 days.
   *
   * @default Duration.days(7)
   */
  readonly backupRetention?: Duration;

  /**
   * Whether the replica refuses to be deleted.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the replica when it leaves the stack.
   *
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * How long the exported database logs are kept (at least one year).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The Enhanced Monitoring interval of every instance.
   *
   * @default Duration.seconds(60)
   */
  readonly monitoringInterval?: Duration;
}

/**
 * A cross-Region read replica of an Aurora MySQL cluster: a cluster in another Region that replays the source's
 * binary log (`ReplicationSourceIdentifier`), readable there, and promotable to a standalone cluster for disaster
 * recovery.
 *
 * It gets the library's defaults (its own key in its Region, TLS and audit parameters, IAM authentication, log
 * exports, monitoring, deletion protection) and no credentials: the master user and password come from the source
 * through replication.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Replication.CrossRegion.html
 * @example
 * declare const usStack: Stack; // env: { account, region: 'us-east-1' }
 * declare const euStack: Stack; // env: { account, region: 'eu-west-1' }
 * declare const usVpc: ec2.IVpc;
 * declare const euVpc: ec2.IVpc;
 * const engine = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 });
 * const inventory = new AuroraCluster(usStack, 'Inventory', {
 *   engine,
 *   vpc: usVpc,
 *   clusterIdentifier: 'inventory',
 *   backtrackWindow: Duration.seconds(0),
 * });
 * new AuroraCrossRegionReplica(euStack, 'InventoryReplica', { sourceCluster: inventory.cluster, vpc: euVpc });
 */
export class AuroraCrossRegionReplica extends Construct {
  /** The replica DB cluster. */
  public readonly cluster: rds.IDatabaseCluster;
  /** The `AWS::RDS::DBCluster` resource. */
  public readonly cfnCluster: rds.CfnDBCluster;
  /** The key that encrypts the replica, in its Region. */
  public readonly encryptionKey: kms.IKey;
  /** Network access to the replica, with its literal port as default port; nothing is allowed in by default. */
  public readonly connections: ec2.Connections;
  /** The replica's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The DB cluster identifier (a literal). */
  public readonly clusterIdentifier: string;
  /** The cluster endpoint (read-only until promotion). */
  public readonly clusterEndpoint: rds.Endpoint;
  /** The reader endpoint. */
  public readonly clusterReadEndpoint: rds.Endpoint;
  /** The cluster parameter group. */
  public readonly parameterGroup: rds.IParameterGroup;
  /** The log groups the engine logs are exported to. */
  public readonly logGroups: logs.ILogGroup[];
  /** The port. */
  public readonly port: number;
  /** The ARN of the source cluster (`ReplicationSourceIdentifier`). */
  public readonly sourceClusterArn: string;

  constructor(scope: Construct, id: string, props: AuroraCrossRegionReplicaProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const facts = sourceFactsOf(props.sourceCluster);
    if (!facts) {
      throw new Error(
        `${this.node.path}: sourceCluster: the source must be an AuroraCluster of this app (its cluster), so that its Region, engine, binary log and Backtrack settings are known (${REPLICA_DOC}); create the source with AuroraCluster`,
      );
    }
    const engine = props.engine ?? facts.engine;
    const family = engineFamilyOf(engine.engineType);
    const version = parseAuroraVersion(engine.engineVersion?.fullVersion);
    const port = props.port ?? facts.port;
    const backupRetention = props.backupRetention ?? defaults.DEFAULT_BACKUP_RETENTION;
    const logRetention = props.logRetention ?? defaults.DEFAULT_LOG_RETENTION;
    const instances = props.instances ?? [rds.ClusterInstance.serverlessV2('Replica')];
    const clusterIdentifier =
      props.clusterIdentifier !== undefined
        ? lowerIfLiteral(props.clusterIdentifier)
        : derivePhysicalName(this, () => this.cfnCluster);
    const binlog = facts.parameters.binlog_format;
    const replicasOfSource = (REPLICA_COUNTS.get(facts) ?? 0) + 1;

    throwIfBroken(this.node.path, [
      ...replicaRules(facts, stack, engine, version, binlog, instances.length),
      {
        // A derived identifier contains the source stack's id, which a stack of another Region cannot read.
        condition: Token.isUnresolved(facts.clusterIdentifier),
        prop: 'sourceCluster',
        message: `the source ${facts.path} has a derived cluster identifier (it contains its stack's id, which a stack in another Region cannot import: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html); give the source cluster a clusterIdentifier of your own before its first deployment`,
      },
      {
        condition: replicasOfSource > MAX_REPLICAS_PER_SOURCE,
        prop: 'sourceCluster',
        message: `${facts.path} already has ${MAX_REPLICAS_PER_SOURCE} cross-Region read replicas in this app, the most AWS allows per source cluster (${REPLICA_DOC}); promote or remove one, or use an Aurora Global Database`,
      },
      ...identifierRules('clusterIdentifier', props.clusterIdentifier),
      ...portRules(port),
      ...backupRules(backupRetention),
      ...keyRegionRules('encryptionKey', props.encryptionKey?.env.region, stack.region),
      ...(family ? tlsParameterRules(family, props.parameters) : []),
      ...logRetentionRules(logRetention),
    ]);

    REPLICA_COUNTS.set(facts, replicasOfSource);

    // The source writes a binary log: ROW unless the source says otherwise.
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Replication.CrossRegion.html
    if (binlog === undefined) {
      facts.parameterGroup.addParameter('binlog_format', DEFAULT_BINLOG_FORMAT);
      facts.parameters.binlog_format = DEFAULT_BINLOG_FORMAT;
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:binlogNeedsReboot',
        `sourceCluster: the library set binlog_format=${DEFAULT_BINLOG_FORMAT} on ${facts.path}; on a source that is already deployed it takes effect only after its writer reboots, and the replica can only be created after that (${REPLICA_DOC})`,
      );
    }
    // Deploy the source (and its binlog parameter) first.
    const sourceStack = Stack.of(props.sourceCluster);
    if (sourceStack !== stack) {
      stack.addStackDependency(sourceStack, 'the cross-Region replica replicates from this stack');
    }

    const subnets = selectPrivateSubnets(this.node.path, props.vpc, props.vpcSubnets);
    this.port = port;
    this.clusterIdentifier = clusterIdentifier;
    this.sourceClusterArn = `arn:${stack.partition}:rds:${facts.region}:${facts.account}:cluster:${facts.clusterIdentifier}`;

    const logGroupPrefix = logGroupPrefixOf(clusterIdentifier);
    this.encryptionKey = clusterEncryptionKey(
      this,
      props.encryptionKey,
      `Aurora cross-Region replica ${this.node.path}`,
      logGroupPrefix,
    );
    this.logGroups = createClusterLogGroups(this, family!, logGroupPrefix, this.encryptionKey, logRetention);
    this.parameterGroup = createClusterParameterGroup(
      this,
      engine,
      family!,
      `Aurora cross-Region replica ${this.node.path}: TLS required, audit logging on`,
      props.parameters,
    );
    const network = createDatabaseSecurityGroup(
      this,
      props.vpc,
      `Aurora cross-Region replica ${this.node.path}: no ingress until a peer is allowed`,
      port,
    );
    this.securityGroup = network.securityGroup;
    this.connections = network.connections;
    const monitoringRole: iam.IRole = createMonitoringRole(this, 'MonitoringRole');

    const db = new SecondaryDbCluster(this, 'Cluster', {
      engine,
      vpc: props.vpc,
      vpcSubnets: subnets.selection,
      subnetGroupDescription: `Aurora cross-Region replica ${this.node.path}: private subnets`,
      securityGroup: this.securityGroup,
      port,
      clusterIdentifier,
      globalClusterIdentifier: '',
      parameterGroup: this.parameterGroup,
      encryptionKey: this.encryptionKey,
      readers: instances,
      serverlessV2Capacity: {
        min: defaults.DEFAULT_SERVERLESS_V2_MIN_CAPACITY,
        max: defaults.DEFAULT_SERVERLESS_V2_MAX_CAPACITY,
      },
      backupRetention,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? defaults.DEFAULT_CLUSTER_REMOVAL_POLICY,
      logTypes: family!.logTypes,
      monitoringInterval: props.monitoringInterval ?? defaults.DEFAULT_MONITORING_INTERVAL,
      monitoringRole,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      enableGlobalWriteForwarding: false,
    });
    // A binlog replica, not a Global Database member: the source cluster's ARN and Region (CloudFormation presigns
    // the cross-Region request for an encrypted source), no credentials (they replicate from the source).
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-replicationsourceidentifier
    db.resource.globalClusterIdentifier = undefined;
    db.resource.replicationSourceIdentifier = this.sourceClusterArn;
    db.resource.sourceRegion = facts.region;
    // Automated backups outlive the replica (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backups.Retaining.html).
    db.resource.deleteAutomatedBackups = false;
    for (const logGroup of this.logGroups) {
      db.node.addDependency(logGroup);
    }
    const cfnInstances = cfnInstancesOf(db);
    throwIfBroken(
      this.node.path,
      cfnInstances.flatMap((i) => instanceRules(family!, i, 'instances')),
    );
    for (const instance of cfnInstances) {
      hardenInstance(instance);
    }
    // A cross-Region replica has no Backtrack, and neither can its source.
    acknowledge(db.resource, ACK_CROSS_REGION_REPLICA_BACKTRACK);
    acknowledge(facts.cfnCluster, ACK_CROSS_REGION_REPLICA_BACKTRACK);

    this.cluster = db;
    this.cfnCluster = db.resource;
    this.clusterEndpoint = db.clusterEndpoint;
    this.clusterReadEndpoint = db.clusterReadEndpoint;
  }

  /**
   * Grants `rds-db:connect` on the replica for a database user (users replicate from the source).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    return this.cluster.grantConnect(grantee, dbUser);
  }

  /**
   * How far the replica lags behind its source, in seconds (`AuroraBinlogReplicaLag`, maximum).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Monitoring.Metrics.html
   */
  public metricBinlogReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/RDS',
      metricName: 'AuroraBinlogReplicaLag',
      dimensionsMap: { DBClusterIdentifier: this.clusterIdentifier },
      statistic: 'Maximum',
      ...props,
    }).attachTo(this);
  }
}

function replicaRules(
  facts: NonNullable<ReturnType<typeof sourceFactsOf>>,
  stack: Stack,
  engine: rds.IClusterEngine,
  version: ReturnType<typeof parseAuroraVersion>,
  binlog: string | undefined,
  instances: number,
): Rule[] {
  const sv = facts.version;
  const known = (s: string) => !Token.isUnresolved(s);
  return [
    {
      condition: !facts.family.supportsBacktrack,
      prop: 'sourceCluster',
      message: `${facts.path} runs ${facts.family.displayName}: cross-Region read replicas with binary log replication are an Aurora MySQL feature (${REPLICA_DOC}); for Aurora PostgreSQL use an Aurora Global Database (AuroraGlobalDatabase)`,
    },
    {
      condition: engine.engineType !== facts.family.engineType,
      prop: 'engine',
      message: `the replica must run the source's engine (${facts.family.displayName}) (${REPLICA_DOC}); use the source's engine`,
    },
    {
      condition:
        !!sv &&
        !!version &&
        (version.line !== sv.line ||
          version.minor < sv.minor ||
          (version.minor === sv.minor && version.patch < sv.patch)),
      prop: 'engine',
      message: `the source runs ${sv?.label} and the replica ${version?.label}: a replica runs the source's major version at the same or a later minor version (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Replication.MySQL.html); use ${sv?.label} or a later ${sv?.line}.x`,
    },
    {
      condition: known(facts.region) && known(stack.region) && facts.region === stack.region,
      prop: 'sourceCluster',
      message: `the source is in ${facts.region}, the replica's own Region: this construct makes cross-Region replicas (${REPLICA_DOC}); put the replica in a stack of another Region, or add readers to the source`,
    },
    {
      condition: facts.backtrack,
      prop: 'sourceCluster',
      message: `${facts.path} has Backtrack on: AWS does not create cross-Region read replicas from a backtrack-enabled cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Limitations); create the source with backtrackWindow: Duration.seconds(0) (Backtrack cannot be turned off and on again)`,
    },
    {
      condition: facts.globalDatabasePrimary,
      prop: 'sourceCluster',
      message: `${facts.path} is the primary of an Aurora Global Database: use a Global Database secondary (addSecondary) for a copy in another Region, not a binary log replica (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations)`,
    },
    {
      condition: binlog !== undefined && !Token.isUnresolved(binlog) && !BINLOG_FORMATS.includes(binlog.toUpperCase()),
      prop: 'sourceCluster',
      message: `${facts.path} has binlog_format=${binlog}: a replica needs the binary log on, ROW, STATEMENT or MIXED (${REPLICA_DOC}); set parameters: { binlog_format: 'ROW' } on the source`,
    },
    {
      condition: instances < 1,
      prop: 'instances',
      message: `a cross-Region replica needs at least one instance, which applies the binary log (${REPLICA_DOC}); give one or more instances`,
    },
  ];
}
