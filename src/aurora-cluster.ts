import { Annotations, CfnElement, Duration, RemovalPolicy, ResourceEnvironment, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ActivityStreamOptions } from './activity-stream';
import { AuroraBackupPlan, AuroraBackupPlanOptions } from './backup';
import { AuroraClusterAttributes, IAuroraCluster } from './cluster-ref';
import { AnalyticsOptions, AuroraCustomEndpoint, CustomEndpointOptions, CustomEndpointType } from './custom-endpoint';
import { AuroraDashboard, AuroraDashboardOptions } from './dashboard';
import { AuroraEventSubscriptions, EventSubscriptionsOptions } from './event-subscriptions';
import { AuroraIntegrationEndpoints, AuroraS3Location } from './integrations';
import { AuroraLogExport } from './log-exports';
import { createMonitoringRole } from './monitoring';
import { ActivityStream } from './private/activity-stream';
import { localWriteForwardingRules, domainRules, securityGroupsRules } from './private/cluster-options';
import {
  cfnInstancesOf,
  clusterEncryptionKey,
  unmodifiedKey,
  createClusterLogGroups,
  createClusterParameterGroup,
  createDatabaseSecurityGroup,
  dependentRemovalPolicy,
  hardenInstance,
  logGroupPrefixOf,
  stabilizeRotationFunctionName,
  stabilizeRuleDescriptions,
} from './private/cluster-parts';
import { DatabaseConnections } from './private/connections';
import { dataApiRules, grantDataApi } from './private/data-api';
import * as defaults from './private/defaults';
import { isToken, lowerIfLiteral } from './private/deploy-time';
import { resolveEngine, ResolvedEngine } from './private/engine';
import { warnOnEngineLifecycle } from './private/engine-lifecycle';
import { ImportedAuroraCluster } from './private/imported-cluster';
import { clusterInstances } from './private/instances';
import {
  associateRoles,
  configureNetwork,
  createIntegrationRoles,
  featuresOf,
  integrationRules,
  networkRules,
} from './private/integrations';
import {
  instanceParameterGroupRules,
  majorUpgradeRules,
  sharedInstanceParameterGroup,
  warnOnBacktrackOff,
  warnOnMajorUpgrade,
} from './private/lifecycle';
import { MasterSecret } from './private/master-secret';
import { derivePhysicalName, stableLabel } from './private/naming';
import { addProxyTargetDependencies } from './private/proxy-target';
import { ReaderAutoScaling } from './private/reader-autoscaling';
import { applyRestore, restoreDefaults, restoreRules, warnUncheckedRestore } from './private/restore-rules';
import { configureRotation } from './private/rotation';
import { recordSourceFacts } from './private/source-facts';
import { selectPrivateSubnets } from './private/subnets';
import {
  backtrackRules,
  backtrackAvailableIn,
  backupRules,
  capacityRules,
  capacityVersionRules,
  identifierRules,
  keyRegionRules,
  logRetentionRules,
  MAX_READERS,
  portRules,
  throwIfBroken,
  tlsParameterRules,
} from './private/validate';
import {
  featureGateRules,
  grantRules,
  instanceRules,
  performanceInsightsOverride,
  usernameRules,
} from './private/validate-cluster';
import { globalBacktrackRules } from './private/validate-global';
import {
  checkCapacitiesAtSynth,
  clusterCallerRules,
  clusterPropRules,
  createAuroraL2,
  guardRotationInterval,
  reportDeployTimeProps,
} from './private/validate-props';
import { analyticsRules } from './private/validate-readers';
import { clusterArnOf, zeroEtlParameters, zeroEtlSourceRules } from './private/zero-etl-rules';
import { AuroraProxy, AuroraProxyOptions } from './proxy';
import { ReaderAutoScalingOptions } from './reader-autoscaling';
import { AuroraRecommendedAlarms, RecommendedAlarmsOptions } from './recommended-alarms';
import { RestoreSource } from './restore';
import { AuroraZeroEtlIntegration, ZeroEtlIntegrationOptions } from './zero-etl';

/**
 * Properties of an {@link AuroraCluster}.
 */
export interface AuroraClusterProps {
  /**
   * The Aurora engine, with a pinned version.
   *
   * Aurora MySQL (`rds.DatabaseClusterEngine.auroraMysql()`) or Aurora PostgreSQL
   * (`rds.DatabaseClusterEngine.auroraPostgres()`). Aurora Serverless v1 and Aurora MySQL 5.6 are retired by
   * AWS and rejected. The version decides which features are allowed (Serverless v2 ranges, auto-pause).
   *
   * A newer minor version is applied in place. A newer major version needs `allowMajorVersionUpgrade` and cannot
   * be undone (no downgrade). Switching between Aurora MySQL and Aurora PostgreSQL replaces the cluster (a new, empty
   * one): CloudFormation refuses it while the cluster identifier stays the same. On a Global Database, see
   * `AuroraGlobalDatabase` for the upgrade order.
   */
  readonly engine: rds.IClusterEngine;

  /**
   * The VPC to place the cluster in.
   *
   * Only its private subnets are used: isolated subnets when it has any, private subnets with egress otherwise.
   */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets to place the cluster (and its secret-rotation function) in.
   *
   * Must be private (isolated or with egress) and span at least two Availability Zones. Public subnets are
   * rejected.
   *
   * @default - the VPC's isolated subnets if it has any, otherwise its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The writer instance.
   *
   * @default - a Serverless v2 writer, `rds.ClusterInstance.serverlessV2('Writer')`
   */
  readonly writer?: rds.IClusterInstance;

  /**
   * The reader instances, at most 15.
   *
   * Give an empty list for a writer-only cluster (not Multi-AZ).
   *
   * @default - one Serverless v2 reader in promotion tier 1 that scales with the writer, so the cluster is
   * Multi-AZ: `[rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })]`
   */
  readonly readers?: rds.IClusterInstance[];

  /**
   * The smallest capacity, in Aurora capacity units (ACUs), of each Serverless v2 instance.
   *
   * 0 to 256 in steps of 0.5. A value of 0 lets idle instances pause, which needs Aurora MySQL 3.08.0+ or
   * Aurora PostgreSQL 13.15+, 14.12+, 15.7+ or 16.3+.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
   * @default 0.5
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * The largest capacity, in ACUs, of each Serverless v2 instance.
   *
   * 1 to 256 in steps of 0.5; values above 128 need Aurora MySQL 3.06.0+ or Aurora PostgreSQL 13.13+,
   * 14.10+, 15.5+ or 16.1+.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
   * @default 16
   */
  readonly serverlessV2MaxCapacity?: number;

  /**
   * How long a Serverless v2 instance must be idle before Aurora pauses it.
   *
   * Only with `serverlessV2MinCapacity: 0`; 300 seconds to 24 hours.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html
   * @default - 5 minutes when the minimum capacity is 0
   */
  readonly serverlessV2AutoPauseDuration?: Duration;

  /**
   * The KMS key that encrypts the storage, snapshots, master secret, Performance Insights data and
   * exported log groups.
   *
   * Chosen when the cluster is created: changing it (also from the default to a key of yours) would replace the
   * cluster with a new, empty one, which CloudFormation refuses while the cluster identifier stays the same. To
   * change keys, restore a snapshot into a new cluster. Must be in the cluster's Region. A key you pass is not modified: its key policy must already let
   * CloudWatch Logs (`logs.<region>.amazonaws.com`) use it for the cluster's log groups.
   *
   * @default - a new customer-managed key with rotation on, retained when the stack is deleted
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The DB cluster identifier.
   *
   * 1 to 63 letters, digits or hyphens, starting with a letter. Changing it (also from the derived default to a
   * value, or back) replaces the cluster: a new, empty cluster, and the old one is snapshotted or deleted by its
   * removal policy. A fixed identifier also makes a stack deployed again after `cdk destroy` collide with a cluster
   * retained from the first one.
   *
   * @default - `<stack name>-<construct id>-<first 8 characters of the stack's UUID>`: the construct id is this
   * construct's (and its parents' up to the outermost construct of this library), so moving the construct under
   * another parent, keeping logical ids with `overrideLogicalId` or renaming them with `cdk refactor` keeps the
   * identifier; the stack's UUID makes a stack deployed again after `cdk destroy` get new names. Renaming the
   * construct id changes it.
   */
  readonly clusterIdentifier?: string;

  /**
   * The port the cluster listens on.
   *
   * Changed in place; clients and security group rules follow, connections are dropped while the instances restart.
   *
   * @default - 3307 for Aurora MySQL and 5433 for Aurora PostgreSQL: not the engine's well-known port
   * (AwsSolutions-RDS11)
   */
  readonly port?: number;

  /**
   * The master user name, kept with a generated password in a Secrets Manager secret.
   *
   * 1 to 16 letters, digits or underscores starting with a letter; not `admin`, `postgres`, a reserved word or an
   * account the engine reserves. Chosen when the cluster is created: changing it would replace the cluster and its
   * secret, which CloudFormation refuses while the cluster identifier stays the same.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
   *
   * @default 'clusteradmin'
   */
  readonly masterUsername?: string;

  /**
   * The name of a database to create.
   *
   * Chosen when the cluster is created: changing it would replace the cluster, which CloudFormation refuses while
   * the cluster identifier stays the same.
   *
   * @default - none (Aurora PostgreSQL always has `postgres`)
   */
  readonly defaultDatabaseName?: string;

  /**
   * Extra cluster parameters, merged with the library's TLS and audit parameters.
   *
   * Your values win over the audit parameters; the TLS parameter (`require_secure_transport` or
   * `rds.force_ssl`) cannot be turned off.
   *
   * @default - only the TLS and audit parameters
   */
  readonly parameters?: { [name: string]: string };

  /**
   * How far back the cluster can be rewound in place (Aurora MySQL only, at most 72 hours).
   *
   * Backtrack can only be enabled when the cluster is created, and turning it off (`Duration.seconds(0)`)
   * is permanent: it can never be turned on again on that cluster nor on its clones, and a later value above 0 fails
   * the deployment. `Duration.seconds(0)` is therefore warned about at synth. Changing a window above 0 to another is
   * done in place. Aurora PostgreSQL does not offer it.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html
   * @default - 24 hours for Aurora MySQL in the Regions that offer Backtrack (AwsSolutions-RDS14 and
   * Control Tower CT.RDS.PR.6 require it), off (with a warning) in a stack whose Region is unknown at synth; off for
   * Aurora PostgreSQL. rds.DatabaseCluster leaves it off.
   */
  readonly backtrackWindow?: Duration;

  /**
   * How long automated backups are kept: 1 to 35 days.
   *
   * @default Duration.days(7) - stricter than rds.DatabaseCluster, which keeps 1 day
   */
  readonly backupRetention?: Duration;

  /**
   * The daily backup window, `hh24:mi-hh24:mi` in UTC, at least 30 minutes, not overlapping the maintenance window.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
   *
   * @default - a 30-minute window chosen by Aurora
   */
  readonly preferredBackupWindow?: string;

  /**
   * The weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC, at least 30 minutes.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
   *
   * @default - a 30-minute window chosen by Aurora
   */
  readonly preferredMaintenanceWindow?: string;

  /**
   * Whether the cluster refuses to be deleted.
   *
   * @default true - stricter than rds.DatabaseCluster, which enables it only with RemovalPolicy.RETAIN
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to everything this construct keeps data in when it leaves the stack (or the stack is deleted):
   * the cluster, its instances, the encryption key, the log groups and the master secret.
   *
   * - `SNAPSHOT` (default): a final snapshot of the cluster is taken; the key (needed to read the snapshot), the
   *   master secret (its password is the snapshot's) and the log groups are retained; the instances are deleted.
   * - `RETAIN`: the cluster, its instances, key, secret and log groups all stay (and keep costing).
   * - `DESTROY`: the cluster is deleted without a snapshot, its key is scheduled for deletion (KMS waits 30 days),
   *   and the secret and the log groups are deleted: for development and test stacks only.
   *
   * Deletion protection (`deletionProtection`) still stops the cluster from being deleted until it is turned off.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
   * @default RemovalPolicy.SNAPSHOT - the key, the secret and the log groups are retained
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Whether the automated backups are kept, for their retention period, after the cluster is deleted
   * (`DeleteAutomatedBackups: false`), so that the deleted cluster can still be restored to a point in time.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backups.Retaining.html
   * @default true - CloudFormation's own default deletes them with the cluster
   */
  readonly retainAutomatedBackups?: boolean;

  /**
   * How long the exported database logs are kept.
   *
   * At least one year: Control Tower CT.CLOUDWATCH.PR.2 requires 365 days or more.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Log types to export besides the ones the library always exports (Aurora MySQL: audit, error, general, slowquery;
   * Aurora PostgreSQL: postgresql), each to a log group created beforehand like theirs (encrypted with the key,
   * `logRetention`).
   *
   * Control Tower CT.RDS.PR.25 accepts no other log type than those the library exports: it reports a cluster that
   * exports more (a warning says so at synth; see the README).
   *
   * @default - no additional log type
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
   */
  readonly additionalLogExports?: AuroraLogExport[];

  /**
   * The Enhanced Monitoring interval of every instance: 1, 5, 10, 15, 30 or 60 seconds.
   *
   * @default Duration.seconds(60) - rds.DatabaseCluster turns Enhanced Monitoring off
   */
  readonly monitoringInterval?: Duration;

  /**
   * How long Performance Insights keeps data (encrypted with the cluster's key).
   *
   * @default rds.PerformanceInsightRetention.DEFAULT (7 days)
   */
  readonly performanceInsightRetention?: rds.PerformanceInsightRetention;

  /**
   * The Database Insights mode.
   *
   * `ADVANCED` needs a Performance Insights retention of at least 15 months (465 days,
   * `rds.PerformanceInsightRetention.MONTHS_15` or longer).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Considerations.html
   *
   * @default - standard
   */
  readonly databaseInsightsMode?: rds.DatabaseInsightsMode;

  /**
   * How often the master password is rotated.
   *
   * @default Duration.days(30)
   */
  readonly secretRotationInterval?: Duration;

  /**
   * Whether to create a Secrets Manager interface endpoint in the cluster's subnets for the rotation
   * function.
   *
   * Isolated subnets have no other route to the Secrets Manager API. The endpoint has private DNS off and admits
   * only the rotation function, which calls it by its own DNS name: other workloads and endpoints in the VPC are
   * not affected. Set it to false when the subnets reach Secrets Manager another way (for example an existing
   * endpoint with private DNS that admits the rotation function's security group).
   *
   * @default - true when the cluster is in isolated subnets (or subnets it cannot classify), false in
   * private subnets with egress
   */
  readonly secretsManagerEndpoint?: boolean;

  /**
   * The storage type: Aurora Standard or Aurora I/O-Optimized.
   *
   * @default rds.DBClusterStorageType.AURORA (Aurora Standard)
   */
  readonly storageType?: rds.DBClusterStorageType;

  /**
   * Whether this cluster is, or will become, the primary of an Aurora Global Database (`AuroraGlobalDatabase`).
   *
   * Aurora Global Database does not support Backtrack, so an Aurora MySQL primary gets no Backtrack window: where
   * the library would otherwise turn Backtrack on, it states `BacktrackWindow: 0`, which also turns Backtrack off
   * on a cluster deployed earlier with it (permanently: it can never be turned on again). Set it before the first
   * deployment when you can. A `backtrackWindow` above zero is rejected. No effect on Aurora PostgreSQL.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations
   * @default false
   */
  readonly globalDatabasePrimary?: boolean;

  /**
   * Major version upgrade mode: set it for the deployment that changes the engine's major version (for example
   * Aurora PostgreSQL 15 to 16), and remove it afterwards.
   *
   * `AWS::RDS::DBCluster` has no property that withholds a major upgrade: CloudFormation's RDS resource handler
   * allows it whenever `EngineVersion` changes. So a major version change in `engine` is applied by the next
   * deployment whether or not this is set, and it cannot be undone (there is no downgrade; going back means restoring
   * a snapshot taken before). What this does: it warns that the step is one-way, and it passes the instances'
   * parameter group to the upgrade (`DBInstanceParameterGroupName`, which RDS accepts only together with a major
   * upgrade) when the instances share one. The cluster parameter group is replaced by one of the new family with the
   * same parameters in the same deployment (a parameter group cannot change family in place); instance parameter
   * groups created by aws-cdk-lib follow the engine too, and one you pass in must be of the new family (checked at
   * synth, with or without this). Not for a Global Database member: a Global Database is upgraded through its
   * global cluster.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html
   * @default false
   */
  readonly allowMajorVersionUpgrade?: boolean;

  /**
   * Aurora Auto Scaling of the readers: Application Auto Scaling adds and removes Aurora Replicas to keep the
   * readers' average CPU utilization or connections near a target.
   *
   * Needs a provisioned writer (AWS does not support it with a Serverless v2 writer: use Serverless v2 readers in
   * promotion tiers 2–15 there). A custom resource deletes the replicas autoscaling created before the cluster is
   * deleted, so that stack deletion is not blocked; it refuses while the cluster has deletion protection (the stack
   * deletion then stops before any instance is touched) and leaves a retained cluster alone.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html
   * @default - no reader autoscaling
   */
  readonly readerAutoScaling?: ReaderAutoScalingOptions;

  /**
   * Database Activity Streams: Aurora pushes every database activity to an Amazon Kinesis data stream, encrypted with
   * a customer-managed key of its own (`activityStreamKey`); `grantActivityStreamRead` lets a consumer read it.
   *
   * Started by a custom resource when the cluster is created (the cluster restarts) and stopped when the option or
   * the cluster goes. Needs provisioned db.r* or db.x2g instances: not Serverless v2.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.html
   * @default - no activity stream
   */
  readonly activityStream?: ActivityStreamOptions;

  /**
   * Dedicated analytics readers: in the lowest failover priority (promotion tier 15), behind an analytics endpoint
   * (`analyticsEndpoint`), and left out of an application reader endpoint (`appReaderEndpoint`) that every other
   * reader, including the replicas reader autoscaling adds, joins.
   *
   * Uses two of the cluster's five custom endpoints.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html
   * @default - no analytics readers
   */
  readonly analytics?: AnalyticsOptions;

  /**
   * The security groups of the cluster, instead of the library's own.
   *
   * The groups' rules are yours: the library only adds the ingress rules of the peers you allow (and of its RDS
   * Proxy and rotation function) on the cluster's port. `securityGroup` is the first of them.
   *
   * @default - a new security group with no ingress and no egress rule until a peer is allowed
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The KMS key that encrypts the Performance Insights data, when it must differ from `encryptionKey`.
   *
   * Must be in the cluster's Region.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.access-control.html
   * @default - `encryptionKey`
   */
  readonly performanceInsightEncryptionKey?: kms.IKey;

  /**
   * The subnets of the secret-rotation function.
   *
   * Must be private (isolated or with egress) and reach the cluster and the Secrets Manager API.
   *
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-network-rotation.html
   * @default - the cluster's subnets
   */
  readonly secretRotationSubnets?: ec2.SubnetSelection;

  /**
   * The security group of the secret-rotation function.
   *
   * The library admits it to the cluster's port and, when it creates a Secrets Manager endpoint, to the endpoint;
   * its egress is yours.
   *
   * @default - a new security group with egress only to the cluster's port and to Secrets Manager (HTTPS)
   */
  readonly secretRotationSecurityGroup?: ec2.ISecurityGroup;

  /**
   * The characters left out of the generated master password and of every rotated one.
   *
   * Changing it on a deployed cluster generates a new master password.
   *
   * @default ' %+~`#$&*()|[]{}:;<>?!\'/@"\\' - characters Aurora rejects in passwords, and shell- and URL-hostile ones
   */
  readonly secretExcludeCharacters?: string;

  /**
   * Whether the master secret is rotated as soon as the rotation schedule is created or changed.
   *
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_turn-on-for-db.html
   * @default true
   */
  readonly secretRotateImmediately?: boolean;

  /**
   * The network type of the cluster: IPv4 only, or dual-stack (IPv4 and IPv6).
   *
   * Dual-stack needs subnets with IPv6 CIDR blocks in every Availability Zone of the cluster.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html#USER_VPC.IP_addressing
   * @default rds.NetworkType.IPV4
   */
  readonly networkType?: rds.NetworkType;

  /**
   * The AWS Directory Service for Microsoft Active Directory the cluster joins, for Kerberos authentication
   * (the directory id, `d-…`).
   *
   * Needs `domainRole`.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/kerberos-authentication.html
   * @default - no directory: no Kerberos authentication
   */
  readonly domain?: string;

  /**
   * The role RDS uses to call AWS Directory Service for `domain`: trusted by `rds.amazonaws.com` and
   * `directoryservice.rds.amazonaws.com`, with the permissions of the AWS managed policy
   * `AmazonRDSDirectoryServiceAccess`.
   *
   * Required with `domain`: the library does not create one, because the AWS managed policy it would attach is a
   * finding of the compliance packs (AwsSolutions-IAM4).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/postgresql-kerberos-setting-up.html
   * @default - none (only with `domain`)
   */
  readonly domainRole?: iam.IRole;

  /**
   * Whether the readers forward write statements to the writer (local write forwarding).
   *
   * Needs Aurora MySQL 3.04+ or Aurora PostgreSQL 14.13+, 15.8+ or 16.4+. On Aurora PostgreSQL, RDS Proxy does not
   * support it.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-mysql-write-forwarding.html
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-postgresql-write-forwarding.html
   * @default false
   */
  readonly enableLocalWriteForwarding?: boolean;

  /**
   * Whether Enhanced Monitoring is set on the cluster (`MonitoringInterval` and `MonitoringRoleArn` of the DB
   * cluster) rather than on each instance.
   *
   * Instances that autoscaling or you add later then inherit it.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.Enabling.html
   * @default false - set on each instance, as rds.DatabaseCluster does
   */
  readonly enableClusterLevelEnhancedMonitoring?: boolean;

  /**
   * Whether the RDS Data API (the HTTPS endpoint that runs SQL with IAM and the master secret) is enabled.
   *
   * Needs Aurora PostgreSQL 13.11+, 14.8+, 15.3+, 16.1+, 17.4+ or 18.3+, or Aurora MySQL 3.07+, on Serverless v2 or
   * provisioned instances. Callers need `grantDataApiAccess(grantee)`.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.html
   * @default false
   */
  readonly enableDataApi?: boolean;

  /**
   * Create the cluster from existing data: a cluster snapshot, a point in time of another cluster's continuous
   * backups, or a copy-on-write clone of another cluster.
   *
   * The restored cluster gets every default a new one gets. Its master user name is the source's (the default
   * `masterUsername` becomes the source's when the library created the source); the library's secret holds that
   * name with a new generated password, which CloudFormation sets on the cluster right after the restore. A clone
   * or point-in-time restore keeps the source's port and engine version, and has Backtrack only if its source has.
   * Keep the same source on every later deployment: changing it replaces the cluster.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/BackupRestoreAurora.html
   * @default - a new, empty cluster
   */
  readonly restoreFrom?: RestoreSource;

  /**
   * Buckets (and prefixes) the cluster may load data from: Aurora MySQL `LOAD DATA FROM S3` / `LOAD XML FROM S3`,
   * Aurora PostgreSQL `aws_s3.table_import_from_s3`.
   *
   * A role that may list the prefix and read its objects (and decrypt with the bucket's customer-managed key) is
   * created and associated: named by `aws_default_s3_role` (Aurora MySQL 3, one role with `s3ExportLocations`) or
   * `aurora_load_from_s3_role` (Aurora MySQL 2), or with the `s3Import` feature (Aurora PostgreSQL). The cluster
   * needs a network path to S3: see `integrationEndpoints`.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.LoadFromS3.html
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PostgreSQL.S3Import.html
   * @default - no S3 import
   */
  readonly s3ImportLocations?: AuroraS3Location[];

  /**
   * Buckets (and prefixes) the cluster may write query results to: Aurora MySQL `SELECT INTO OUTFILE S3`, Aurora
   * PostgreSQL `aws_s3.query_export_to_s3`.
   *
   * A role that may write objects under the prefix (and use the bucket's customer-managed key) is created and
   * associated: `aws_default_s3_role` (Aurora MySQL 3), `aurora_select_into_s3_role` (Aurora MySQL 2), or the
   * `s3Export` feature (Aurora PostgreSQL).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.SaveIntoS3.html
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/postgresql-s3-export.html
   * @default - no S3 export
   */
  readonly s3ExportLocations?: AuroraS3Location[];

  /**
   * Lambda functions the cluster may invoke from SQL: Aurora MySQL `lambda_sync` / `lambda_async`, Aurora PostgreSQL
   * `aws_lambda.invoke`.
   *
   * A role that may invoke exactly these functions is created and associated (`aws_default_lambda_role` on Aurora
   * MySQL, the `Lambda` feature on Aurora PostgreSQL 11.9+, 12.4+ or 13+).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.Lambda.html
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/PostgreSQL-Lambda.html
   * @default - no Lambda invocation
   */
  readonly lambdaFunctions?: lambda.IFunction[];

  /**
   * Names of the SageMaker endpoints the cluster may invoke for inference (Aurora machine learning).
   *
   * A role that may call `sagemaker:InvokeEndpoint` on these endpoints is created and associated
   * (`aws_default_sagemaker_role` on Aurora MySQL, the `SageMaker` feature on Aurora PostgreSQL).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-ml.html
   * @default - no SageMaker inference
   */
  readonly sageMakerEndpointNames?: string[];

  /**
   * Whether the cluster may call Amazon Comprehend for sentiment analysis (Aurora machine learning).
   *
   * A role with `comprehend:DetectSentiment` and `comprehend:BatchDetectSentiment` (actions that take no resource) is
   * created and associated (`aws_default_comprehend_role` on Aurora MySQL, the `Comprehend` feature on Aurora
   * PostgreSQL).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-ml.html
   * @default false
   */
  readonly comprehendAccess?: boolean;

  /**
   * Amazon Bedrock models the cluster may invoke (Aurora machine learning; Aurora MySQL 3.06+).
   *
   * A role that may call `bedrock:InvokeModel` on these models is created and associated
   * (`aws_default_bedrock_role` on Aurora MySQL, the `Bedrock` feature on Aurora PostgreSQL).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-ml.html
   * @default - no Bedrock inference
   */
  readonly bedrockModels?: bedrock.IModel[];

  /**
   * Your VPC endpoints through which the cluster reaches the services of its integrations.
   *
   * A service without an endpoint is reached through the subnets' NAT; in isolated subnets every service an
   * integration calls needs one. The library creates no endpoint and no route.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.Authorizing.Network.html
   * @default - through the subnets' NAT
   */
  readonly integrationEndpoints?: AuroraIntegrationEndpoints;

  /**
   * An AWS Backup plan for the cluster: a vault encrypted with a customer-managed key, a daily backup with continuous
   * backup for point-in-time restore, and optionally a vault lock, a copy to another Region's vault and a restore
   * testing plan. Available afterwards as `backupPlan`.
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/about-backup-plans.html
   * @default - no AWS Backup plan (the automated backups of `backupRetention` remain)
   */
  readonly backupPlan?: AuroraBackupPlanOptions;
}

/**
 * A secure, compliant Amazon Aurora cluster.
 *
 * Encrypted with a customer-managed key, TLS required, IAM database authentication on, master password in
 * Secrets Manager with rotation, private subnets only, audit and engine logs exported to encrypted log groups,
 * Enhanced Monitoring and Performance Insights, deletion protection and snapshot-on-delete.
 *
 * Identity: the names the library derives (cluster identifier, log groups, endpoints, proxy) come from the stack
 * name, the logical ids and the stack's id, never from the construct path. A refactor that keeps logical ids
 * (`overrideLogicalId`) changes nothing. Moving or renaming the construct without keeping them gives every resource
 * a new logical id, which CloudFormation treats as new resources: the cluster would be replaced by a new, empty one
 * (the old one snapshotted) and the secret and key replaced, so keep logical ids when you refactor. See the README,
 * "Changing a deployed database".
 *
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const appRole: iam.IRole;
 * const orders = new AuroraCluster(this, 'Orders', {
 *   engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }),
 *   vpc,
 * });
 * orders.grantConnect(appRole, 'app_user');
 */
export class AuroraCluster extends Construct implements IAuroraCluster {
  /**
   * Imports an existing Aurora cluster, for the library's RDS Proxy, custom endpoints and Global Database, and for
   * every aws-cdk-lib API that takes an `rds.IDatabaseCluster`.
   *
   * Only `clusterIdentifier` is required; a feature that needs another attribute fails with an error naming it.
   *
   * @example
   * declare const vpc: ec2.IVpc;
   * declare const databaseSecurityGroup: ec2.ISecurityGroup;
   * const legacy = AuroraCluster.fromAuroraClusterAttributes(this, 'Legacy', {
   *   clusterIdentifier: 'legacy-orders',
   *   clusterResourceIdentifier: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
   *   engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
   *   port: 5432,
   *   vpc,
   *   securityGroups: [databaseSecurityGroup],
   * });
   * new AuroraProxy(this, 'LegacyProxy', { cluster: legacy });
   */
  public static fromAuroraClusterAttributes(
    scope: Construct,
    id: string,
    attrs: AuroraClusterAttributes,
  ): IAuroraCluster {
    return new ImportedAuroraCluster(scope, id, attrs);
  }

  /** The underlying aws-cdk-lib cluster (escape hatch). */
  public readonly cluster: rds.DatabaseCluster;
  /** The key that encrypts the storage, secret, Performance Insights data and log groups. */
  public readonly encryptionKey: kms.IKey;
  /** The master user secret (username, password, host, port). */
  public readonly secret: secretsmanager.ISecret;
  /** The rotation of the master secret (AWS's single-user rotation function, in the cluster's subnets). */
  public readonly secretRotation: secretsmanager.SecretRotation;
  /**
   * Network access to the cluster, with the cluster's literal port as default port.
   *
   * Use `connections.allowDefaultPortFrom(peer)` to let a peer in; nothing is allowed in by default.
   */
  public readonly connections: ec2.Connections;
  /** The cluster's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The writer endpoint. */
  public readonly clusterEndpoint: rds.Endpoint;
  /** The reader endpoint (load-balances over all readers). */
  public readonly clusterReadEndpoint: rds.Endpoint;
  /** The DB cluster identifier (a token when derived: it contains the stack's id). */
  public readonly clusterIdentifier: string;
  /** The cluster resource id (`cluster-…`), used in `rds-db:connect` ARNs. */
  public readonly clusterResourceIdentifier: string;
  /** The engine (always set; optional only because `rds.IDatabaseCluster` declares it so). */
  public readonly engine?: rds.IClusterEngine;
  /** The DB instance identifiers, writer first. */
  public readonly instanceIdentifiers: string[];
  /** The endpoints of the individual instances, writer first. */
  public readonly instanceEndpoints: rds.Endpoint[];
  /** The stack the cluster is in. */
  public readonly stack: Stack;
  /** The environment (account and Region) of the cluster. */
  public readonly env: ResourceEnvironment;
  /** The port the cluster listens on. */
  public readonly port: number;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The subnets the cluster is in. */
  public readonly vpcSubnets: ec2.SubnetSelection;
  /** The cluster parameter group (TLS and audit parameters). */
  public readonly parameterGroup: rds.IParameterGroup;
  /** The Enhanced Monitoring role. */
  public readonly monitoringRole: iam.IRole;
  /** The log groups the engine logs are exported to, one per log type. */
  public readonly logGroups: logs.ILogGroup[];
  /** The master user name (its password is in `secret`). */
  public readonly masterUsername: string;
  /** The scalable target of reader autoscaling, to add policies or schedules (with `readerAutoScaling`). */
  public readonly readerScalableTarget?: appscaling.ScalableTarget;
  /** The function that deletes autoscaled replicas before the cluster is deleted (with `readerAutoScaling`). */
  public readonly readerReplicaCleanupFunction?: lambda.IFunction;
  /**
   * The Kinesis data stream of the Database Activity Stream (with `activityStream`), available once the stream has
   * started. Its records are encrypted with `activityStreamKey`: use `grantActivityStreamRead`.
   */
  public readonly activityStream?: kinesis.IStream;
  /** The name of that stream, `aws-rds-das-<cluster resource id>` (with `activityStream`). */
  public readonly activityStreamName?: string;
  /** The customer-managed key that encrypts the activity stream's records (with `activityStream`). */
  public readonly activityStreamKey?: kms.IKey;
  /** The function that starts and stops the activity stream (with `activityStream`). */
  public readonly activityStreamFunction?: lambda.IFunction;
  /** The AWS Backup plan (with `backupPlan`). */
  public readonly backupPlan?: AuroraBackupPlan;
  /** The endpoint of the analytics readers (with `analytics`). */
  public readonly analyticsEndpoint?: AuroraCustomEndpoint;
  /** The application reader endpoint: every reader except the analytics readers (with `analytics`). */
  public readonly appReaderEndpoint?: AuroraCustomEndpoint;

  /** The role of S3 import (with `s3ImportLocations`; on Aurora MySQL 3 the same role as `s3ExportRole`). */
  public readonly s3ImportRole?: iam.IRole;
  /** The role of S3 export (with `s3ExportLocations`). */
  public readonly s3ExportRole?: iam.IRole;
  /** The role of Lambda invocation (with `lambdaFunctions`). */
  public readonly lambdaRole?: iam.IRole;
  /** The role of SageMaker inference (with `sageMakerEndpointNames`). */
  public readonly sageMakerRole?: iam.IRole;
  /** The role of Comprehend (with `comprehendAccess`). */
  public readonly comprehendRole?: iam.IRole;
  /** The role of Bedrock inference (with `bedrockModels`). */
  public readonly bedrockRole?: iam.IRole;
  /** Whether the RDS Data API is enabled (`enableDataApi`). */
  public readonly dataApiEnabled: boolean;
  /** The maximum capacity of the Serverless v2 instances, in ACUs (a token when it is a deploy-time value). */
  public readonly serverlessV2MaxCapacity: number;

  private _proxy?: AuroraProxy;
  /** The engine, resolved once in the constructor. */
  private readonly resolvedEngine: ResolvedEngine;
  private readonly props: AuroraClusterProps;
  private readonly clusterParameterGroup: rds.ParameterGroup;

  constructor(scope: Construct, id: string, props: AuroraClusterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.stack = stack;
    this.env = { account: stack.account, region: stack.region };

    throwIfBroken(this.node.path, clusterCallerRules(props));
    this.resolvedEngine = resolveEngine(this.node.path, props.engine);
    const { family, version } = this.resolvedEngine;
    warnOnEngineLifecycle(this, family, props.engine.engineVersion?.fullVersion);
    this.engine = props.engine;

    // A restored cluster takes its master user name (and, for a clone or point-in-time restore, its port) from a
    // source the library knows (src/restore.ts).
    const restored = props.restoreFrom ? restoreDefaults(props.restoreFrom) : undefined;
    const port = props.port ?? restored?.port ?? family.defaultPort;
    const username = props.masterUsername ?? restored?.masterUsername ?? defaults.DEFAULT_MASTER_USERNAME;
    const backupRetention = props.backupRetention ?? defaults.DEFAULT_BACKUP_RETENTION;
    const minCapacity = props.serverlessV2MinCapacity ?? defaults.DEFAULT_SERVERLESS_V2_MIN_CAPACITY;
    const maxCapacity = props.serverlessV2MaxCapacity ?? defaults.DEFAULT_SERVERLESS_V2_MAX_CAPACITY;
    const logRetention = props.logRetention ?? defaults.DEFAULT_LOG_RETENTION;
    const additionalLogExports = (props.additionalLogExports ?? []).map((t) => t.name);
    const clusterIdentifier =
      props.clusterIdentifier !== undefined
        ? lowerIfLiteral(props.clusterIdentifier)
        : derivePhysicalName(this, () => this.cluster.node.defaultChild as CfnElement);
    const removalPolicy = props.removalPolicy ?? defaults.DEFAULT_CLUSTER_REMOVAL_POLICY;
    const keptDataRemovalPolicy = dependentRemovalPolicy(removalPolicy);
    const label = stableLabel(() => this.cluster.node.defaultChild as CfnElement);
    const readers = props.readers ?? [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })];
    const writer = props.writer ?? rds.ClusterInstance.serverlessV2('Writer');
    const analyticsReaders = props.analytics?.readers ?? [];
    let backtrackWindow = props.backtrackWindow;
    if (backtrackWindow === undefined && family.supportsBacktrack && props.globalDatabasePrimary) {
      // Global Database does not support Backtrack (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations). Where the default below would have turned it on,
      // 0 turns it off, also on a cluster already deployed with that default (permanently: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.Configuring.html).
      if (backtrackAvailableIn(stack.region)) backtrackWindow = Duration.seconds(0);
    } else if (backtrackWindow === undefined && family.supportsBacktrack && (restored?.backtrackPossible ?? true)) {
      if (isToken(stack.region)) {
        // An environment-agnostic stack: whether its Region offers Backtrack is unknown, so it stays off unless asked.
        Annotations.of(this).addWarningV2(
          'cdk-aurora-baseline:backtrackRegionUnknown',
          "the stack's Region is not known at synth, so Backtrack stays off: not every Region offers it (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Availability). Set the stack's env, or backtrackWindow explicitly when the Region offers it; AwsSolutions-RDS14 and Control Tower CT.RDS.PR.6 report the cluster until then",
        );
      } else if (backtrackAvailableIn(stack.region)) {
        backtrackWindow = defaults.DEFAULT_MYSQL_BACKTRACK_WINDOW;
      } else {
        Annotations.of(this).addWarningV2(
          'cdk-aurora-baseline:backtrackUnavailable',
          `Backtrack is not offered in ${stack.region}, so it stays off; AwsSolutions-RDS14 and Control Tower CT.RDS.PR.6 will report the cluster`,
        );
      }
    }

    const capacity = {
      family: family,
      version,
      min: minCapacity,
      max: maxCapacity,
      hasServerlessInstances: false,
      autoPauseDuration: props.serverlessV2AutoPauseDuration,
    };
    throwIfBroken(this.node.path, [
      ...portRules(port),
      ...capacityRules(capacity),
      ...usernameRules(family, username),
      ...identifierRules('clusterIdentifier', props.clusterIdentifier),
      ...backupRules(backupRetention),
      ...backtrackRules(family, props.backtrackWindow, stack.region),
      ...(props.globalDatabasePrimary ? globalBacktrackRules('backtrackWindow', props.backtrackWindow) : []),
      ...majorUpgradeRules(props.allowMajorVersionUpgrade ?? false, props.globalDatabasePrimary ?? false),
      ...keyRegionRules('encryptionKey', props.encryptionKey?.env.region, stack.region),
      ...keyRegionRules(
        'performanceInsightEncryptionKey',
        props.performanceInsightEncryptionKey?.env.region,
        stack.region,
      ),
      ...securityGroupsRules(props.securityGroups),
      ...domainRules(props.domain, props.domainRole),
      ...localWriteForwardingRules(family, version, props.enableLocalWriteForwarding ?? false),
      ...tlsParameterRules(family, props.parameters),
      ...logRetentionRules(logRetention),
      ...dataApiRules(family, version, stack.region, props.enableDataApi ?? false),
      ...(props.restoreFrom
        ? restoreRules(props.restoreFrom, {
            scope: this,
            family: family,
            version: version,
            port,
            portGiven: props.port !== undefined,
            backtrackWindow: props.backtrackWindow,
            defaultDatabaseName: props.defaultDatabaseName,
            masterUsername: props.masterUsername,
          })
        : []),
      ...clusterPropRules(family, version, props, stack.region),
      ...additionalLogExports
        .filter((t) => !isToken(t) && !family.logTypes.includes(t) && !family.optionalLogTypes.includes(t))
        .map((t) => ({
          condition: true,
          prop: 'additionalLogExports',
          message: `'${t}' is not a log type ${family.displayName} exports (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html); use ${family.optionalLogTypes.join(' or ')}`,
        })),
      {
        // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-replicas-adding.html
        condition: readers.length > MAX_READERS,
        prop: 'readers',
        message: `a cluster has at most ${MAX_READERS} Aurora Replicas, got ${readers.length} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-replicas-adding.html); remove readers or use reader autoscaling`,
      },
    ]);

    reportDeployTimeProps(this, props, port);
    const subnets = selectPrivateSubnets(this.node.path, props.vpc, props.vpcSubnets, this);
    this.vpc = props.vpc;
    this.vpcSubnets = subnets.selection;
    this.port = port;
    this.clusterIdentifier = clusterIdentifier;
    this.serverlessV2MaxCapacity = maxCapacity;

    // Encryption at rest: one customer-managed key for everything the cluster stores.
    const logGroupPrefix = logGroupPrefixOf(clusterIdentifier);
    this.encryptionKey = clusterEncryptionKey(
      this,
      props.encryptionKey,
      `Aurora cluster ${label}`,
      logGroupPrefix,
      keptDataRemovalPolicy,
    );

    // Log groups exist, encrypted and with retention, before the cluster starts exporting into them.
    // Further log types (additionalLogExports): once each, after the library's own.
    const extraLogTypes = [...new Set(additionalLogExports)].filter((t) => !family.logTypes.includes(t));
    this.logGroups = createClusterLogGroups(
      this,
      family,
      logGroupPrefix,
      this.encryptionKey,
      logRetention,
      keptDataRemovalPolicy,
      extraLogTypes,
    );
    if (extraLogTypes.length > 0) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:logExportsOutsideControlTower',
        `additionalLogExports: Control Tower CT.RDS.PR.25 accepts only the log types ${family.logTypes.join(', ')} on ${family.displayName}, so it reports this cluster for exporting ${extraLogTypes.join(', ')} (https://docs.aws.amazon.com/controltower/latest/controlreference/rds-rules.html); a Control Tower guard finding can only be acknowledged app-wide: see the README`,
      );
    }
    if (extraLogTypes.some((t) => isToken(t))) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:logExportUnchecked',
        'additionalLogExports: a log type is a token, so the library could not check that the engine exports it',
      );
    }

    const parameterGroup = createClusterParameterGroup(
      this,
      props.engine,
      family,
      `Aurora cluster ${label}: TLS required, audit logging on`,
      props.parameters,
    );
    this.parameterGroup = parameterGroup;
    this.clusterParameterGroup = parameterGroup;
    this.props = props;

    // Integrations with other AWS services (src/private/integrations.ts): roles, engine wiring, network path.
    const integrationFeatures = featuresOf(props, family, version);
    throwIfBroken(this.node.path, [
      ...integrationRules(integrationFeatures, family, version),
      ...networkRules({
        features: integrationFeatures,
        endpoints: props.integrationEndpoints,
        hasEgress: subnets.hasEgress,
      }),
    ]);
    const integrationRoles = createIntegrationRoles({
      scope: this,
      props,
      features: integrationFeatures,
      family,
      clusterIdentifier,
      parameterGroup,
    });
    const roleOf = (roleId: string) => integrationRoles.roles.find((r) => r.feature.roleId === roleId)?.role;
    this.s3ImportRole = integrationRoles.s3ImportRole;
    this.s3ExportRole = integrationRoles.s3ExportRole;
    this.lambdaRole = roleOf('LambdaRole');
    this.sageMakerRole = roleOf('SageMakerRole');
    this.comprehendRole = roleOf('ComprehendRole');
    this.bedrockRole = roleOf('BedrockRole');

    // The user's groups, or the library's own (no ingress until a peer is allowed). Literal ports: the cluster's
    // Endpoint.Port token would make the compliance rules fail to evaluate.
    const network = props.securityGroups
      ? {
          securityGroup: props.securityGroups[0],
          connections: new DatabaseConnections(this, {
            securityGroups: props.securityGroups,
            defaultPort: ec2.Port.tcp(port),
          }),
        }
      : createDatabaseSecurityGroup(
          this,
          props.vpc,
          `Aurora cluster ${label}: no ingress until a peer is allowed`,
          port,
        );
    const securityGroup = network.securityGroup;
    this.securityGroup = securityGroup;
    this.connections = network.connections;
    const excludeCharacters = props.secretExcludeCharacters ?? defaults.PASSWORD_EXCLUDED_CHARACTERS;

    this.monitoringRole = createMonitoringRole(this, 'MonitoringRole');

    const piRetention = props.performanceInsightRetention ?? rds.PerformanceInsightRetention.DEFAULT;
    this.cluster = createAuroraL2(this, 'Cluster', {
      engine: props.engine,
      vpc: props.vpc,
      vpcSubnets: subnets.selection,
      securityGroups: this.connections.securityGroups,
      port,
      clusterIdentifier,
      writer,
      readers: [...readers, ...analyticsReaders],
      // Deploy-time capacities are set on the template below: aws-cdk-lib would compare the tokens.
      serverlessV2MinCapacity: isToken(minCapacity) ? 0.5 : minCapacity,
      serverlessV2MaxCapacity: isToken(maxCapacity) ? 256 : maxCapacity,
      serverlessV2AutoPauseDuration: props.serverlessV2AutoPauseDuration,
      credentials: rds.Credentials.fromGeneratedSecret(username, {
        // A key of another stack, or an imported one, is handed over unmodifiable (see unmodifiedKey).
        encryptionKey: unmodifiedKey(this, this.encryptionKey),
        excludeCharacters,
      }),
      defaultDatabaseName: props.defaultDatabaseName,
      parameterGroup: this.parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: this.encryptionKey,
      storageType: props.storageType,
      iamAuthentication: true,
      backup: { retention: backupRetention, preferredWindow: props.preferredBackupWindow },
      preferredMaintenanceWindow: props.preferredMaintenanceWindow,
      backtrackWindow,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy,
      cloudwatchLogsExports: [...family.logTypes, ...extraLogTypes.filter((t) => !isToken(t))],
      monitoringInterval: props.monitoringInterval ?? defaults.DEFAULT_MONITORING_INTERVAL,
      monitoringRole: this.monitoringRole,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.performanceInsightEncryptionKey ?? this.encryptionKey,
      performanceInsightRetention: performanceInsightsOverride(piRetention, props.databaseInsightsMode).l2,
      databaseInsightsMode: props.databaseInsightsMode,
      copyTagsToSnapshot: true,
      networkType: props.networkType,
      domain: props.domain,
      domainRole: props.domainRole,
      enableLocalWriteForwarding: props.enableLocalWriteForwarding,
      enableDataApi: props.enableDataApi,
      s3ImportRole: integrationRoles.s3ImportRole,
      s3ExportRole: integrationRoles.s3ExportRole,
    });
    associateRoles(this.cluster, family, integrationRoles);
    configureNetwork({
      features: integrationFeatures,
      connections: this.connections,
      securityGroup,
      endpoints: props.integrationEndpoints,
    });
    this.dataApiEnabled = props.enableDataApi ?? false;
    for (const logGroup of this.logGroups) {
      this.cluster.node.addDependency(logGroup);
    }
    if (extraLogTypes.some((t) => isToken(t))) {
      // aws-cdk-lib compares the types with the engine's: a token goes into the template as it is.
      (this.cluster.node.defaultChild as rds.CfnDBCluster).addPropertyOverride('EnableCloudwatchLogsExports', [
        ...family.logTypes,
        ...extraLogTypes,
      ]);
    }
    // Automated backups outlive the cluster (a final snapshot is taken too: removalPolicy).
    (this.cluster.node.defaultChild as rds.CfnDBCluster).deleteAutomatedBackups = !(
      props.retainAutomatedBackups ?? true
    );
    if (props.restoreFrom) {
      applyRestore(props.restoreFrom, this.cluster.node.defaultChild as rds.CfnDBCluster);
      warnUncheckedRestore(props.restoreFrom, {
        scope: this,
        family,
        version,
        port,
        portGiven: props.port !== undefined,
      });
    }

    // Rules that depend on the bound instances.
    const instances = cfnInstancesOf(this.cluster);
    const hasServerless = instances.some((i) => i.dbInstanceClass === 'db.serverless');
    throwIfBroken(this.node.path, [
      ...capacityVersionRules({ ...capacity, hasServerlessInstances: hasServerless }),
      ...instances.flatMap((i) => instanceRules(family, i, undefined, version)),
      ...featureGateRules({
        family: family,
        version: version,
        region: stack.region,
        hasServerlessInstances: hasServerless,
      }),
      ...instanceParameterGroupRules(instances, props.engine.parameterGroupFamily),
    ]);
    // Day-2 steps that cannot be undone.
    warnOnBacktrackOff(this, family, props.backtrackWindow, backtrackWindow, props.globalDatabasePrimary ?? false);
    warnOnMajorUpgrade(this, props.allowMajorVersionUpgrade ?? false);
    if (props.allowMajorVersionUpgrade) {
      const instanceGroup = sharedInstanceParameterGroup(instances);
      if (instanceGroup) {
        (this.cluster.node.defaultChild as rds.CfnDBCluster).dbInstanceParameterGroupName = instanceGroup;
      }
    }
    performanceInsightsOverride(piRetention, props.databaseInsightsMode).apply(this.cluster, instances);
    if (hasServerless && (isToken(minCapacity) || isToken(maxCapacity))) {
      const cfnCluster = this.cluster.node.defaultChild as rds.CfnDBCluster;
      cfnCluster.addPropertyOverride('ServerlessV2ScalingConfiguration.MinCapacity', minCapacity);
      cfnCluster.addPropertyOverride('ServerlessV2ScalingConfiguration.MaxCapacity', maxCapacity);
      checkCapacitiesAtSynth(this, family, minCapacity, maxCapacity);
    }
    for (const instance of instances) {
      hardenInstance(instance);
    }
    if (props.enableClusterLevelEnhancedMonitoring) {
      // On the cluster too (instances created later, e.g. by reader autoscaling, inherit it); every instance keeps
      // its own setting, which the compliance rules check (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html).
      const cfnCluster = this.cluster.node.defaultChild as rds.CfnDBCluster;
      cfnCluster.monitoringInterval = (props.monitoringInterval ?? defaults.DEFAULT_MONITORING_INTERVAL).toSeconds();
      cfnCluster.monitoringRoleArn = this.monitoringRole.roleArn;
    }

    // Handed out as a view whose grants stay in the grantee's policy (no key-policy reference: no cross-stack cycle).
    const clusterSecret = this.cluster.secret!;
    this.secret = new MasterSecret(this, 'MasterSecret', clusterSecret);
    const rotationSubnets = props.secretRotationSubnets
      ? selectPrivateSubnets(this.node.path, props.vpc, props.secretRotationSubnets, this, 'secretRotationSubnets')
      : subnets;
    // The master password of the snapshot (SNAPSHOT) or of the retained cluster (RETAIN) stays readable.
    for (const secret of this.cluster.node.findAll().filter((c) => c instanceof secretsmanager.Secret)) {
      (secret as secretsmanager.Secret).applyRemovalPolicy(keptDataRemovalPolicy);
    }
    const rotation = configureRotation(this, {
      secret: clusterSecret,
      family: family,
      vpc: props.vpc,
      subnets: rotationSubnets.selection,
      database: this.connections,
      // aws-cdk-lib rejects a token interval here: the schedule gets it below (guardRotationInterval).
      interval: isToken(props.secretRotationInterval)
        ? defaults.DEFAULT_SECRET_ROTATION
        : (props.secretRotationInterval ?? defaults.DEFAULT_SECRET_ROTATION),
      excludeCharacters,
      createEndpoint: props.secretsManagerEndpoint ?? !rotationSubnets.hasEgress,
      securityGroup: props.secretRotationSecurityGroup,
      rotateImmediately: props.secretRotateImmediately,
    });
    this.secretRotation = rotation.rotation;
    guardRotationInterval(this, clusterSecret, props.secretRotationInterval);

    stabilizeRuleDescriptions(this);
    stabilizeRotationFunctionName(this);

    this.clusterEndpoint = this.cluster.clusterEndpoint;
    this.clusterReadEndpoint = this.cluster.clusterReadEndpoint;
    this.clusterResourceIdentifier = this.cluster.clusterResourceIdentifier;
    this.instanceIdentifiers = this.cluster.instanceIdentifiers;
    this.instanceEndpoints = this.cluster.instanceEndpoints;
    this.masterUsername = username;
    // As for rds.DatabaseCluster: the CloudFormation cluster is this construct's default child, so aws-cdk-lib's
    // rds.DatabaseProxy (ProxyTarget.fromCluster) makes its target group wait for it; the instances, one level
    // further down, are added by addProxyTargetDependencies.
    this.node.defaultChild = this.cluster.node.defaultChild;
    addProxyTargetDependencies(this, this.clusterIdentifier, instances);

    // Analytics readers and their endpoints (src/custom-endpoint.ts), reader autoscaling (src/reader-autoscaling.ts).
    const instanceInfo = clusterInstances(this.cluster);
    const analyticsInstances = instanceInfo.slice(instanceInfo.length - analyticsReaders.length);
    if (props.analytics) {
      throwIfBroken(
        this.node.path,
        analyticsRules({
          analyticsReaders: analyticsReaders.length,
          readers: readers.length,
          hasWriter: instanceInfo.some((i) => i.isWriter),
        }),
      );
      for (const instance of analyticsInstances) {
        instance.resource.promotionTier = 15; // the lowest failover priority: never promoted to writer
      }
      const members = analyticsInstances.map((i) => i.resource.ref);
      this.analyticsEndpoint = new AuroraCustomEndpoint(this, 'AnalyticsEndpoint', {
        cluster: this,
        type: CustomEndpointType.READER,
        staticMembers: members,
        endpointIdentifier: props.analytics.endpointIdentifier,
      });
      // An exclusion list: replicas that autoscaling adds join it (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Membership).
      this.appReaderEndpoint = new AuroraCustomEndpoint(this, 'AppReaderEndpoint', {
        cluster: this,
        type: CustomEndpointType.READER,
        excludedMembers: members,
        endpointIdentifier: props.analytics.appReaderEndpointIdentifier,
      });
    }
    if (props.readerAutoScaling) {
      const scaling = new ReaderAutoScaling(this, 'ReaderAutoScaling', {
        options: props.readerAutoScaling,
        cluster: this.cluster,
        clusterIdentifier,
        instances: instanceInfo,
        analyticsInstances,
        vpc: props.vpc,
        subnets: subnets.selection,
        encryptionKey: this.encryptionKey,
        logGroupName: `${logGroupPrefix}autoscaled-replica-cleanup`,
        logRetention,
      });
      // Its log group is kept or destroyed with the cluster's other log groups.
      for (const logGroup of scaling.node.findAll().filter((c): c is logs.LogGroup => c instanceof logs.LogGroup)) {
        logGroup.applyRemovalPolicy(keptDataRemovalPolicy);
      }
      this.readerScalableTarget = scaling.scalableTarget;
      this.readerReplicaCleanupFunction = scaling.cleanupFunction;
    }

    if (props.activityStream) {
      const das = new ActivityStream(this, 'ActivityStream', {
        options: props.activityStream,
        cluster: this.cluster,
        clusterIdentifier,
        label,
        family,
        version,
        instances: instanceInfo,
        parameters: props.parameters,
        vpc: props.vpc,
        subnets: subnets.selection,
        hasEgress: subnets.hasEgress,
        clusterKey: this.encryptionKey,
        logGroupName: `${logGroupPrefix}activity-stream`,
        logRetention,
        keyRemovalPolicy: keptDataRemovalPolicy,
      });
      // Its log group is kept or destroyed with the cluster's other log groups.
      for (const logGroup of das.node.findAll().filter((c): c is logs.LogGroup => c instanceof logs.LogGroup)) {
        logGroup.applyRemovalPolicy(keptDataRemovalPolicy);
      }
      this.activityStream = das.stream;
      this.activityStreamName = das.streamName;
      this.activityStreamKey = das.encryptionKey;
      this.activityStreamFunction = das.function;
    }

    if (props.backupPlan) {
      this.backupPlan = new AuroraBackupPlan(this, 'BackupPlan', {
        ...props.backupPlan,
        cluster: this.cluster,
        clusterEncryptionKey: this.encryptionKey,
        restoreTestingNetwork: {
          subnetGroupName: (this.cluster.node.findChild('Subnets') as rds.ISubnetGroup).subnetGroupName,
          securityGroups: [securityGroup],
        },
      });
    }

    // What a restore, clone or replica of this cluster needs to know (src/restore.ts).
    recordSourceFacts(
      {
        path: this.node.path,
        family,
        version,
        region: stack.region,
        account: stack.account,
        clusterIdentifier,
        backupRetention,
        backtrack: backtrackWindow !== undefined && backtrackWindow.toSeconds() > 0,
        port,
        masterUsername: username,
        encryptionKey: this.encryptionKey,
        globalDatabasePrimary: props.globalDatabasePrimary ?? false,
        engine: props.engine,
        parameters: { ...props.parameters },
        parameterGroup: this.parameterGroup,
        cfnCluster: this.cluster.node.defaultChild as rds.CfnDBCluster,
      },
      this,
      this.cluster,
    );
  }

  /**
   * Lets `grantee` read the Database Activity Stream: the Kinesis read actions on the stream and `kms:Decrypt` on
   * its key (the records are encrypted with it).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Monitoring.html
   */
  public grantActivityStreamRead(grantee: iam.IGrantable): iam.Grant {
    if (!this.activityStream || !this.activityStreamKey) {
      throw new Error(
        `${this.node.path}.grantActivityStreamRead: activityStream: the cluster has no activity stream; set activityStream`,
      );
    }
    return this.activityStream.grantRead(grantee).combine(this.activityStreamKey.grantDecrypt(grantee));
  }

  /** The RDS Proxy added with `addAuroraProxy`, if any. */
  public get proxy(): AuroraProxy | undefined {
    return this._proxy;
  }

  /** The ARN of the cluster. */
  public get clusterArn(): string {
    return this.cluster.clusterArn;
  }

  /** A reference to the cluster, for aws-cdk-lib APIs that take an `IDBClusterRef`. */
  public get dbClusterRef(): rds.DBClusterReference {
    return this.cluster.dbClusterRef;
  }

  /**
   * Adds the library's RDS Proxy in front of the cluster: in the cluster's private subnets, TLS and IAM
   * authentication required, a read-only endpoint when the cluster has readers, and its own security group admitted
   * to the cluster's port. Available afterwards as `proxy`.
   *
   * A cluster has at most one proxy added this way; create further proxies with
   * `new AuroraProxy(scope, id, { cluster })`.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html
   */
  public addAuroraProxy(id: string, options: AuroraProxyOptions = {}): AuroraProxy {
    if (this._proxy) {
      throw new Error(
        `${this.node.path}: addAuroraProxy: the cluster already has the proxy ${this._proxy.node.path}; create further proxies with new AuroraProxy(scope, id, { cluster })`,
      );
    }
    this._proxy = new AuroraProxy(this, id, { ...options, cluster: this });
    return this._proxy;
  }

  /**
   * Adds an aws-cdk-lib `rds.DatabaseProxy` in front of the cluster (the `rds.IDatabaseCluster` contract): the proxy
   * is admitted on the cluster's port and its target group waits for the cluster and its instances.
   *
   * Its settings are aws-cdk-lib's and yours. Prefer `addAuroraProxy`, which requires IAM authentication and TLS,
   * keeps the proxy in private subnets and adds a read-only endpoint.
   */
  public addProxy(id: string, options: rds.DatabaseProxyOptions): rds.DatabaseProxy {
    return new rds.DatabaseProxy(this, id, { ...options, proxyTarget: rds.ProxyTarget.fromCluster(this) });
  }

  /** Attaches a secret to the cluster (`secretsmanager.SecretTargetAttachment`). */
  public asSecretAttachmentTarget(): secretsmanager.SecretAttachmentTargetProps {
    return this.cluster.asSecretAttachmentTarget();
  }

  /**
   * Applies a removal policy to the DB cluster and its instances.
   *
   * Prefer the `removalPolicy` prop: the replica cleanup of reader autoscaling reads it when the cluster is created.
   */
  public applyRemovalPolicy(policy: RemovalPolicy): void {
    this.cluster.applyRemovalPolicy(policy);
    for (const instance of cfnInstancesOf(this.cluster)) {
      instance.applyRemovalPolicy(policy);
    }
  }

  /**
   * Adds a custom endpoint: a DNS name that load-balances over a chosen set of the cluster's instances.
   *
   * A cluster has at most five custom endpoints (the analytics pattern uses two).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html
   */
  public addCustomEndpoint(id: string, options: CustomEndpointOptions = {}): AuroraCustomEndpoint {
    const scope = this.node.tryFindChild('CustomEndpoints') ?? new Construct(this, 'CustomEndpoints');
    return new AuroraCustomEndpoint(scope as Construct, id, { ...options, cluster: this });
  }

  /**
   * Grants `rds-db:connect` for a database user, for IAM database authentication against the cluster.
   *
   * The ARN names the cluster resource id (`cluster-…`), not its identifier. To connect through an RDS Proxy,
   * grant on the proxy instead.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    throwIfBroken(`${this.node.path}.grantConnect`, grantRules(grantee, dbUser));
    return this.cluster.grantConnect(grantee, dbUser);
  }

  /**
   * Adds a zero-ETL integration (`AWS::RDS::Integration`) that replicates this cluster into an Amazon Redshift
   * namespace, and sets the cluster parameters it needs: enhanced binlog with row-based, full-image logging on Aurora
   * MySQL (3.05.2+), enhanced logical replication on Aurora PostgreSQL (16.4+). The integration is encrypted with the
   * cluster's key unless another is given; the Redshift side must authorize this cluster (see the README).
   *
   * Changing these parameters on a deployed cluster takes effect after the writer reboots.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.html
   */
  public addZeroEtlIntegration(id: string, options: ZeroEtlIntegrationOptions): AuroraZeroEtlIntegration {
    const { family, version } = this.resolvedEngine;
    throwIfBroken(this.node.path, zeroEtlSourceRules({ family, version, parameters: this.props.parameters }));
    for (const [name, value] of Object.entries(zeroEtlParameters(family))) {
      this.clusterParameterGroup.addParameter(name, value);
    }
    if (family.supportsBacktrack && (this.cluster.node.defaultChild as rds.CfnDBCluster).backtrackWindow) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:zeroEtlBacktrack',
        'Backtrack writes no binlog entries for the changes it rewinds, so a backtrack desynchronizes the zero-ETL integration (the target must be resynchronized) (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.Performing0.html)',
      );
    }
    if ((this.props.serverlessV2MinCapacity ?? 0.5) === 0) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:zeroEtlAutoPause',
        'a cluster with a zero-ETL integration never auto-pauses: its writer stays at or above the minimum capacity of 0.5 ACU (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html)',
      );
    }
    const scope = this.node.tryFindChild('ZeroEtlIntegrations') ?? new Construct(this, 'ZeroEtlIntegrations');
    const integration = new AuroraZeroEtlIntegration(scope as Construct, id, {
      ...options,
      sourceArn: clusterArnOf(this, this.clusterIdentifier),
      defaultKey: this.encryptionKey,
    });
    integration.node.addDependency(this.cluster);
    return integration;
  }

  /**
   * Grants what a caller of the RDS Data API needs, and nothing more: the `rds-data` statement and transaction actions
   * on this cluster, `secretsmanager:GetSecretValue` on the master secret (the `secretArn` of each call) and
   * `kms:Decrypt` on the cluster's key through Secrets Manager only.
   *
   * Needs `enableDataApi: true`.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.access.html
   */
  public grantDataApiAccess(grantee: iam.IGrantable): iam.Grant {
    if (!this.dataApiEnabled) {
      throw new Error(
        `${this.node.path}: grantDataApiAccess: the RDS Data API is not enabled on this cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.html); set enableDataApi: true`,
      );
    }
    return grantDataApi({
      grantee,
      clusterArn: this.cluster.clusterArn,
      secret: this.secret,
      key: this.encryptionKey,
    });
  }

  /**
   * Adds the CloudWatch alarms AWS recommends for this cluster, notifying an SNS topic when they alarm and when they
   * recover (construct id `RecommendedAlarms`; call it once).
   *
   * One alarm per metric and DB instance of the template, and cluster-level alarms for the writer role, the volume
   * and, with reader autoscaling, the reader role. The README lists every alarm with its threshold and why.
   *
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  public addRecommendedAlarms(options: RecommendedAlarmsOptions = {}): AuroraRecommendedAlarms {
    return new AuroraRecommendedAlarms(this, 'RecommendedAlarms', { ...options, cluster: this });
  }

  /**
   * Subscribes an SNS topic to the RDS events of this cluster, of the DB instances of its template and of their DB
   * parameter groups (native `AWS::RDS::EventSubscription`s, construct id `EventSubscriptions`; call it once), with
   * the event categories Control Tower CT.RDS.PR.12, PR.17 and PR.18 require.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.html
   */
  public addEventSubscriptions(options: EventSubscriptionsOptions = {}): AuroraEventSubscriptions {
    return new AuroraEventSubscriptions(this, 'EventSubscriptions', { ...options, cluster: this });
  }

  /**
   * Adds a CloudWatch dashboard of this cluster built from its metric helpers (construct id `Dashboard`; call it once,
   * after `addRecommendedAlarms()` to show the alarms' state).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
   */
  public addDashboard(options: AuroraDashboardOptions = {}): AuroraDashboard {
    return new AuroraDashboard(this, 'Dashboard', { ...options, cluster: this });
  }

  /** A CloudWatch metric of this cluster (`AWS/RDS`, dimension `DBClusterIdentifier`). */
  public metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric(metricName, props);
  }

  /** The average time a disk read takes, in seconds (`ReadLatency`, cluster dimension). */
  public metricReadLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric('ReadLatency', { statistic: 'Average', ...props });
  }

  /** The average time a disk write takes, in seconds (`WriteLatency`, cluster dimension). */
  public metricWriteLatency(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric('WriteLatency', { statistic: 'Average', ...props });
  }

  /** The average CPU utilization of the cluster's instances, in percent. */
  public metricCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricCPUUtilization(props);
  }

  /** The number of database connections in use. */
  public metricDatabaseConnections(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricDatabaseConnections(props);
  }

  /** The available random access memory, in bytes. */
  public metricFreeableMemory(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricFreeableMemory(props);
  }

  /** The amount of lag when replicating updates from the writer to the readers, in milliseconds. */
  public metricAuroraReplicaLag(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metric('AuroraReplicaLag', { statistic: 'Maximum', ...props });
  }

  /** The average number of deadlocks per second. */
  public metricDeadlocks(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricDeadlocks(props);
  }

  /** The Serverless v2 capacity in ACUs. */
  public metricServerlessDatabaseCapacity(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricServerlessDatabaseCapacity(props);
  }

  /** The Serverless v2 capacity used, as a percentage of the maximum capacity. */
  public metricACUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricACUUtilization(props);
  }

  /** The time the instances have been running, in seconds. */
  public metricEngineUptime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricEngineUptime(props);
  }

  /** The local storage available to each instance, in bytes. */
  public metricFreeLocalStorage(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricFreeLocalStorage(props);
  }

  /** The incoming network throughput of each instance, in bytes per second. */
  public metricNetworkReceiveThroughput(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricNetworkReceiveThroughput(props);
  }

  /** The network throughput of each instance (clients and Aurora storage), in bytes per second. */
  public metricNetworkThroughput(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricNetworkThroughput(props);
  }

  /** The outgoing network throughput of each instance, in bytes per second. */
  public metricNetworkTransmitThroughput(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricNetworkTransmitThroughput(props);
  }

  /** The storage used by manual snapshots beyond the backup retention period, in bytes. */
  public metricSnapshotStorageUsed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricSnapshotStorageUsed(props);
  }

  /** The backup storage billed for the cluster, in bytes. */
  public metricTotalBackupStorageBilled(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricTotalBackupStorageBilled(props);
  }

  /** The storage used by the cluster volume, in bytes. */
  public metricVolumeBytesUsed(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricVolumeBytesUsed(props);
  }

  /** The billed read I/O operations of the cluster volume, per 5-minute interval. */
  public metricVolumeReadIOPs(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricVolumeReadIOPs(props);
  }

  /** The write I/O operations to the cluster volume, per 5-minute interval. */
  public metricVolumeWriteIOPs(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.cluster.metricVolumeWriteIOPs(props);
  }
}
