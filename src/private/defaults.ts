import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

/** Master user name when none is given: not `admin` or `postgres` (Control Tower CT.RDS.PR.21). */
export const DEFAULT_MASTER_USERNAME = 'clusteradmin';
/** Serverless v2 capacity range in ACUs. */
export const DEFAULT_SERVERLESS_V2_MIN_CAPACITY = 0.5;
export const DEFAULT_SERVERLESS_V2_MAX_CAPACITY = 16;
/** Automated backups kept for a week (the L2 keeps one day). */
export const DEFAULT_BACKUP_RETENTION = Duration.days(7);
/** Enhanced monitoring granularity: 60 s satisfies HIPAA/NIST RDSEnhancedMonitoringEnabled and CT.RDS.PR.2. */
export const DEFAULT_MONITORING_INTERVAL = Duration.seconds(60);
/** Exported log groups keep a year: CT.CLOUDWATCH.PR.2 wants at least 365 days, cdk-nag an explicit value. */
export const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/**
 * Aurora MySQL clusters can be rewound a day in place: AwsSolutions-RDS14 and Control Tower CT.RDS.PR.6 require
 * Backtrack on Aurora MySQL.
 */
export const DEFAULT_MYSQL_BACKTRACK_WINDOW = Duration.hours(24);
/** Master password rotation period. */
export const DEFAULT_SECRET_ROTATION = Duration.days(30);
/** The cluster is snapshotted, not deleted, when it leaves the stack. */
export const DEFAULT_CLUSTER_REMOVAL_POLICY = RemovalPolicy.SNAPSHOT;
/** Keys and audit log groups outlive the stack: snapshots and logs stay readable. */
export const DEFAULT_RETAINED_REMOVAL_POLICY = RemovalPolicy.RETAIN;
/** Characters left out of generated master passwords (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html#RDS_Limits.Constraints, plus shell- and URL-hostile ones). */
export const PASSWORD_EXCLUDED_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';
/**
 * RDS Proxy pool: at most 90% of the cluster's max_connections, leaving 10% for direct connections (the master
 * user, the secret-rotation function, other proxies). AWS's own default is 100%.
 */
export const DEFAULT_PROXY_MAX_CONNECTIONS_PERCENT = 90;
/** How long a client waits for a pooled connection when the pool is exhausted (AWS's default). */
export const DEFAULT_PROXY_CONNECTION_BORROW_TIMEOUT = Duration.seconds(120);
/** How long an idle client connection to the proxy stays open (AWS's default). */
export const DEFAULT_PROXY_IDLE_CLIENT_TIMEOUT = Duration.minutes(30);
/** Reader autoscaling keeps at least one replica: with none, nothing is measured (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html). */
export const DEFAULT_READER_AUTOSCALING_MIN_CAPACITY = 1;
/** Target-tracking cooldowns: the Application Auto Scaling default, stated explicitly. */
export const DEFAULT_SCALING_COOLDOWN = Duration.minutes(5);
/** The replica-cleanup function may wait up to Lambda's limit for replicas still being created. */
export const REPLICA_CLEANUP_TIMEOUT = Duration.minutes(15);
/** CloudFormation gives up on the cleanup custom resource after this (instead of the one-hour default). */
export const REPLICA_CLEANUP_SERVICE_TIMEOUT = Duration.minutes(30);
/** The activity stream function may wait up to Lambda's limit for the stream to start or stop. */
export const ACTIVITY_STREAM_TIMEOUT = Duration.minutes(15);
/** CloudFormation gives up on the activity stream custom resource after this (instead of the one-hour default). */
export const ACTIVITY_STREAM_SERVICE_TIMEOUT = Duration.minutes(30);
