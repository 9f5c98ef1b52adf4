import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { VersionFloor, VersionRanges } from './engine-version';
import { MYSQL_RESERVED_WORDS, POSTGRESQL_RESERVED_WORDS } from './reserved-words';

/**
 * Everything that differs between Aurora MySQL and Aurora PostgreSQL, in one table, so that no other file
 * branches on the engine.
 */
export interface EngineFamily {
  /** `aurora-mysql` or `aurora-postgresql`. */
  readonly engineType: string;
  /** Human name for messages. */
  readonly displayName: string;
  /** Whether versions print as Aurora MySQL versions (`3.08.0`) in messages. */
  readonly mysqlStyleVersions: boolean;
  /** The port the library uses when the user sets none (not the engine's well-known port, see AwsSolutions-RDS11). */
  readonly defaultPort: number;
  /** The engine's well-known port. */
  readonly wellKnownPort: number;
  /**
   * Cluster parameters that make the cluster refuse unencrypted connections.
   * MySQL: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Security.html#AuroraMySQL.Security.SSL.RequireSSL
   * PostgreSQL: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html#AuroraPostgreSQL.Security.SSL.Requiring
   */
  readonly tlsParameters: { readonly [name: string]: string };
  /**
   * Cluster parameters that turn on the engine's audit logging.
   * MySQL Advanced Auditing: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Auditing.html
   * PostgreSQL pgAudit: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.pgaudit.basic-setup.html
   */
  readonly auditParameters: { readonly [name: string]: string };
  /**
   * Log types exported to CloudWatch Logs. Exactly the set the compliance packs require: cdk-nag
   * RDSLoggingEnabled and Control Tower CT.RDS.PR.25 (which fails on any type outside this set).
   * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (EnableCloudwatchLogsExports)
   */
  readonly logTypes: readonly string[];
  /**
   * Further log types the engine exports on request (`additionalLogExports`), which Control Tower CT.RDS.PR.25 does
   * not accept. https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (EnableCloudwatchLogsExports)
   */
  readonly optionalLogTypes: readonly string[];
  /** Versions that support Aurora Serverless v2 at all (0.5–128 ACU). https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity. */
  readonly serverlessV2Floor: VersionFloor;
  /** Versions that allow a maximum capacity above 128 ACU (up to 256). https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity. */
  readonly serverlessV2Max256Floor: VersionFloor;
  /** Versions that allow a minimum capacity of 0 ACU (auto-pause). https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity. */
  readonly autoPauseFloor: VersionFloor;
  /** Whether the engine supports Backtrack (Aurora MySQL only). https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.html#AuroraMySQL.Managing.Backtrack.Availability. */
  readonly supportsBacktrack: boolean;
  /**
   * User names the engine reserves for its own accounts and roles, which cannot be the master user.
   * MySQL: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Security.html#AuroraMySQL.Security.ReservedUsers
   * PostgreSQL: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.html
   */
  readonly reservedUsernames: readonly string[];
  /**
   * Prefixes the engine reserves for role names (PostgreSQL: `pg_`, https://www.postgresql.org/docs/current/sql-createrole.html).
   */
  readonly reservedUsernamePrefixes: readonly string[];
  /**
   * The engine's reserved SQL words, which the RDS API rejects as a master user name or database name
   * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html).
   */
  readonly reservedWords: readonly string[];
  /**
   * The longest master user name Aurora accepts: 16 for both engines, as the CreateDBCluster reference ("1 to 16
   * letters or numbers") and the Aurora PostgreSQL user guide ("between 1 and 16 alphanumeric characters") state.
   * The 63 of RDS for PostgreSQL DB instances does not apply to Aurora clusters.
   * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Appendix.PostgreSQL.CommonDBATasks.Roles.html
   */
  readonly maxUsernameLength: number;
  /**
   * The longest initial database name: 64 for Aurora MySQL, 63 for Aurora PostgreSQL (DBName, Aurora sections).
   * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html
   */
  readonly maxDatabaseNameLength: number;
  /**
   * Versions that offer Aurora I/O-Optimized storage (`aurora-iopt1`).
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.storage-type.html
   */
  readonly ioOptimizedFloor: VersionFloor;
  /**
   * Regions where Aurora Serverless v2 needs a newer version than `serverlessV2Floor` (the lowest version the
   * Region's row lists; AWS checks gaps inside a row itself).
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.ServerlessV2.html
   */
  readonly serverlessV2RegionalFloors: { readonly [region: string]: VersionFloor };
  /** AWS's single-user rotation application for the master secret. */
  readonly rotationApplication: secretsmanager.SecretRotationApplication;
  /**
   * RDS Proxy `EngineFamily` for this engine (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbproxy.html#cfn-rds-dbproxy-enginefamily).
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbproxy.html#cfn-rds-dbproxy-enginefamily
   */
  readonly proxyEngineFamily: string;
  /**
   * The port an RDS Proxy listens on, whatever the cluster's port (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations).
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations
   */
  readonly proxyPort: number;
  /**
   * Engine versions RDS Proxy supports (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html).
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html
   */
  readonly proxyVersions: VersionRanges;
  /**
   * The session pinning filters RDS Proxy accepts for this engine: only `EXCLUDE_VARIABLE_SETS`, and only for
   * MySQL (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html).
   * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html
   */
  readonly proxySessionPinningFilters: readonly string[];
  /** Versions that can be in an Aurora Global Database (us-east-1 and most Regions). https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html. */
  readonly globalDatabaseFloor: VersionFloor;
  /** Single versions below the floor that Aurora Global Database also supports (`11.9`). https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html. */
  readonly globalDatabaseExtraVersions: readonly string[];
  /** Regions where Global Database needs newer versions than `globalDatabaseFloor`. https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html. */
  readonly globalDatabaseRegionalFloors: { readonly [region: string]: VersionFloor };
  /** Versions that support global write forwarding on secondary clusters. https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-ams.html. */
  readonly globalWriteForwardingFloor: VersionFloor;
}

/**
 * RDS Proxy versions (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html): Aurora MySQL 2.07 and 2.11+, 3.01+ (and 8.4, a newer line); Aurora
 * PostgreSQL 11.9 and 11.13+, 12.8+, 13.4+, 14.3+, 15.2+, 16.1+, 17.4+, 18.3+.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html
 */
const MYSQL_PROXY_VERSIONS: VersionRanges = {
  2: [
    [7, 7],
    [11, Infinity],
  ],
  3: [[1, Infinity]],
};
const POSTGRESQL_PROXY_VERSIONS: VersionRanges = {
  11: [
    [9, 9],
    [13, Infinity],
  ],
  12: [[8, Infinity]],
  13: [[4, Infinity]],
  14: [[3, Infinity]],
  15: [[2, Infinity]],
  16: [[1, Infinity]],
  17: [[4, Infinity]],
  18: [[3, Infinity]],
};

/**
 * Serverless v2 capacity ranges by engine version.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity
 * Auto-pause: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html
 */
const AURORA_MYSQL: EngineFamily = {
  engineType: 'aurora-mysql',
  displayName: 'Aurora MySQL',
  mysqlStyleVersions: true,
  defaultPort: 3307,
  wellKnownPort: 3306,
  tlsParameters: { require_secure_transport: 'ON' },
  auditParameters: {
    server_audit_logging: '1',
    server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
    slow_query_log: '1',
  },
  logTypes: ['audit', 'error', 'general', 'slowquery'],
  optionalLogTypes: ['instance', 'iam-db-auth-error'],
  serverlessV2Floor: { 3: [2, 0] },
  serverlessV2Max256Floor: { 3: [6, 0] },
  autoPauseFloor: { 3: [8, 0] },
  supportsBacktrack: true,
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Security.html#AuroraMySQL.Security.ReservedUsers
  reservedUsernames: ['rdsadmin', 'rdsproxyadmin', 'rdsrepladmin', 'rds_superuser_role'],
  reservedUsernamePrefixes: [],
  reservedWords: MYSQL_RESERVED_WORDS,
  maxUsernameLength: 16,
  maxDatabaseNameLength: 64,
  ioOptimizedFloor: { 3: [3, 1] },
  serverlessV2RegionalFloors: {
    'ap-south-2': { 3: [2, 3] }, // Asia Pacific (Hyderabad)
    'ap-southeast-4': { 3: [2, 3] }, // Asia Pacific (Melbourne)
    'ap-southeast-5': { 3: [4, 3] }, // Asia Pacific (Malaysia)
    'ap-southeast-6': { 3: [4, 3] }, // Asia Pacific (New Zealand)
    'ap-southeast-7': { 3: [4, 3] }, // Asia Pacific (Thailand)
    'ap-east-2': { 3: [4, 3] }, // Asia Pacific (Taipei)
  },
  rotationApplication: secretsmanager.SecretRotationApplication.MYSQL_ROTATION_SINGLE_USER,
  proxyEngineFamily: 'MYSQL',
  proxyPort: 3306,
  proxyVersions: MYSQL_PROXY_VERSIONS,
  proxySessionPinningFilters: ['EXCLUDE_VARIABLE_SETS'],
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html
  // (Aurora MySQL 8.4 versions are all supported; this library does not parse them and skips the check.)
  globalDatabaseFloor: { 2: [7, 0], 3: [1, 0] },
  globalDatabaseExtraVersions: [],
  globalDatabaseRegionalFloors: {
    'ap-south-2': { 2: [11, 2], 3: [2, 0] }, // Asia Pacific (Hyderabad)
    'ap-southeast-4': { 3: [3, 0] }, // Asia Pacific (Melbourne)
    'ap-southeast-5': { 3: [4, 0] }, // Asia Pacific (Malaysia)
  },
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-ams.html
  globalWriteForwardingFloor: { 2: [8, 1] },
};

const AURORA_POSTGRESQL: EngineFamily = {
  engineType: 'aurora-postgresql',
  displayName: 'Aurora PostgreSQL',
  mysqlStyleVersions: false,
  defaultPort: 5433,
  wellKnownPort: 5432,
  tlsParameters: { 'rds.force_ssl': '1' },
  auditParameters: {
    shared_preload_libraries: 'pg_stat_statements,pgaudit',
    'pgaudit.log': 'ddl,role',
    'pgaudit.role': 'rds_pgaudit',
    log_connections: '1',
    log_disconnections: '1',
  },
  logTypes: ['postgresql'],
  optionalLogTypes: ['instance', 'iam-db-auth-error'],
  serverlessV2Floor: { 13: [6, 0], 14: [3, 0], 15: [2, 0], 16: [1, 0] },
  serverlessV2Max256Floor: { 13: [13, 0], 14: [10, 0], 15: [5, 0], 16: [1, 0] },
  autoPauseFloor: { 13: [15, 0], 14: [12, 0], 15: [7, 0], 16: [3, 0] },
  supportsBacktrack: false,
  reservedUsernames: [
    'rdsadmin',
    'rdsproxyadmin',
    'rdsrepladmin',
    'rdstopmgr',
    'rds_superuser',
    'rds_replication',
    'rds_iam',
    'rds_password',
    'rds_ad',
    'public',
  ],
  reservedUsernamePrefixes: ['pg_'],
  reservedWords: POSTGRESQL_RESERVED_WORDS,
  maxUsernameLength: 16,
  maxDatabaseNameLength: 63,
  ioOptimizedFloor: { 13: [10, 0], 14: [7, 0], 15: [2, 0], 16: [1, 0], 17: [4, 0] },
  serverlessV2RegionalFloors: {},
  rotationApplication: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
  proxyEngineFamily: 'POSTGRESQL',
  proxyPort: 5432,
  proxyVersions: POSTGRESQL_PROXY_VERSIONS,
  proxySessionPinningFilters: [],
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.GlobalDatabase.html
  globalDatabaseFloor: {
    11: [13, 0],
    12: [8, 0],
    13: [4, 0],
    14: [3, 0],
    15: [2, 0],
    16: [1, 0],
    17: [4, 0],
    18: [3, 0],
  },
  globalDatabaseExtraVersions: ['11.9'],
  globalDatabaseRegionalFloors: {},
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-write-forwarding-apg.html
  globalWriteForwardingFloor: { 14: [9, 0], 15: [4, 0], 16: [0, 0] },
};

const FAMILIES: { readonly [engineType: string]: EngineFamily } = {
  [AURORA_MYSQL.engineType]: AURORA_MYSQL,
  [AURORA_POSTGRESQL.engineType]: AURORA_POSTGRESQL,
};

/** The family of an engine type, or undefined when it is not a supported Aurora engine. */
export function engineFamilyOf(engineType: string): EngineFamily | undefined {
  return FAMILIES[engineType];
}
