import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

/**
 * The alarms `AuroraCluster.addRecommendedAlarms()` creates, one row a metric: the single source of the alarms
 * and of the README's alarm table (test/recommended-alarms.test.ts checks that the README shows this table).
 *
 * Statistics, periods, datapoints, comparisons and thresholds follow CloudWatch's recommended alarms for Amazon RDS
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS),
 * except ACUUtilization, AuroraReplicaLag and the Global Database lag metrics, which that page does not list (their own
 * sources are given; the 30 s global lag default follows the example of the AWS Observability Best Practices guide,
 * https://aws-observability.github.io/observability-best-practices/guides/operational/business/key-performance-indicators/).
 */

/** The CloudWatch recommended alarms page. */
export const RECOMMENDED_ALARMS_URL =
  'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS';

/** Which instances, or which cluster-level series, an alarm watches. */
export enum AlarmScope {
  /** One alarm per DB instance the template defines (`DBInstanceIdentifier`). */
  INSTANCE = 'instance',
  /** One alarm for the cluster (`DBClusterIdentifier`). */
  CLUSTER = 'cluster',
  /** One alarm for the writer, whichever instance holds the role (`DBClusterIdentifier`, `Role=WRITER`). */
  WRITER_ROLE = 'writer',
  /** One alarm for the readers (`DBClusterIdentifier`, `Role=READER`): covers replicas that autoscaling adds. */
  READER_ROLE = 'reader',
  /** One alarm for a Global Database secondary cluster (`DBClusterIdentifier`), in its Region. */
  GLOBAL_SECONDARY = 'secondary',
}

/** Which metric measures a secondary's lag behind the primary: it depends on the engine version. */
export enum GlobalLagMetric {
  /** `AuroraGlobalDBRPOLag`: Aurora PostgreSQL, Aurora MySQL 3.04.0+ and 2.12.0+. */
  RPO_LAG = 'rpo',
  /** `AuroraGlobalDBReplicationLag`: older Aurora MySQL versions. */
  REPLICATION_LAG = 'replication',
}

/** Which instances an instance alarm applies to. */
export enum InstanceKind {
  ANY = 'any',
  PROVISIONED = 'provisioned',
  SERVERLESS_V2 = 'serverlessV2',
}

/** One recommended alarm. */
export interface AlarmSpec {
  /** Suffix of the alarm's construct id (construct ids are API: never rename). */
  readonly id: string;
  readonly metricName: string;
  readonly scope: AlarmScope;
  /** Instance alarms only: which instances. */
  readonly instances?: InstanceKind;
  /** Only on this engine (`aurora-mysql` / `aurora-postgresql`). */
  readonly engineType?: string;
  /** Only on clusters with reader autoscaling. */
  readonly onlyWithReaderAutoScaling?: boolean;
  /** Global lag alarms only: the engine versions that publish this metric. */
  readonly globalLagMetric?: GlobalLagMetric;
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly datapointsToAlarm: number;
  readonly evaluationPeriods: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  /** The option of `RecommendedAlarmsOptions` that overrides the threshold. */
  readonly option: string;
  /** The threshold as the README states it. */
  readonly thresholdText: string;
  /** Why the alarm exists (the alarm's description and the README's "why"). */
  readonly why: string;
  /** Where the recommendation comes from. */
  readonly source: string;
}

const SERVERLESS_V2_MONITORING_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html';
const GLOBAL_LAG_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html';
const REPLICA_LAG_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html';

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const GTE = cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
const LTE = cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD;

export const ALARM_SPECS: readonly AlarmSpec[] = [
  {
    id: 'CPUUtilization',
    metricName: 'CPUUtilization',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.ANY,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'cpuUtilizationThreshold',
    thresholdText: '> 90 %',
    why: 'Sustained high CPU slows every query and leads to time-outs.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'ReaderCPUUtilization',
    metricName: 'CPUUtilization',
    scope: AlarmScope.READER_ROLE,
    onlyWithReaderAutoScaling: true,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'cpuUtilizationThreshold',
    thresholdText: '> 90 % (readers, including autoscaled replicas)',
    why: 'The replicas reader autoscaling adds are not in the template: the READER role series covers them.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'DBLoad',
    metricName: 'DBLoad',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.PROVISIONED,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 15,
    evaluationPeriods: 15,
    comparisonOperator: GT,
    option: 'dbLoadThreshold',
    thresholdText: "> the instance class's vCPUs",
    why: 'More active sessions than vCPUs means sessions queue (Performance Insights, provisioned instances).',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'FreeableMemory',
    metricName: 'FreeableMemory',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.SERVERLESS_V2,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 15,
    evaluationPeriods: 15,
    comparisonOperator: LT,
    option: 'serverlessV2FreeableMemoryThreshold',
    thresholdText: '< 5 % of the memory at the maximum capacity (2 GiB an ACU)',
    why: 'Near zero, the Serverless v2 instance has scaled up as far as it can and may run out of memory.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'FreeableMemory',
    metricName: 'FreeableMemory',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.PROVISIONED,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 15,
    evaluationPeriods: 15,
    comparisonOperator: LT,
    option: 'freeableMemoryThreshold',
    thresholdText: 'set by you (AWS: 25 % of the instance class memory); no alarm otherwise',
    why: 'Running out of memory leads to swapping and rejected connections.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'FreeLocalStorage',
    metricName: 'FreeLocalStorage',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.PROVISIONED,
    statistic: 'Minimum',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: LT,
    option: 'freeLocalStorageThreshold',
    thresholdText: "set by you (AWS: 10–20 % of the instance class's local storage); no alarm otherwise",
    why: 'Temporary tables and logs that fill local storage make the instance fail queries.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'DatabaseConnections',
    metricName: 'DatabaseConnections',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.ANY,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'databaseConnectionsThreshold',
    thresholdText: 'set by you (AWS: 90–95 % of `max_connections`); no alarm otherwise',
    why: 'At `max_connections`, new connections are rejected.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'ReadLatency',
    metricName: 'ReadLatency',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.ANY,
    statistic: 'p90',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'readLatencyThreshold',
    thresholdText: '> 20 ms (p90)',
    why: 'Disk reads slower than 20 ms are likely a cause for investigation.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'WriteLatency',
    metricName: 'WriteLatency',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.ANY,
    statistic: 'p90',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'writeLatencyThreshold',
    thresholdText: '> 20 ms (p90)',
    why: 'Disk writes slower than 20 ms are likely a cause for investigation.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'BufferCacheHitRatio',
    metricName: 'BufferCacheHitRatio',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.ANY,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 10,
    evaluationPeriods: 10,
    comparisonOperator: LT,
    option: 'bufferCacheHitRatioThreshold',
    thresholdText: '< 80 %',
    why: 'Reads served from storage instead of memory: the working set no longer fits.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'ACUUtilization',
    metricName: 'ACUUtilization',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.SERVERLESS_V2,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 15,
    evaluationPeriods: 15,
    comparisonOperator: GT,
    option: 'acuUtilizationThreshold',
    thresholdText: '> 90 %',
    why: 'Near 100 %, the instance runs at its maximum capacity: raise `serverlessV2MaxCapacity`.',
    source: SERVERLESS_V2_MONITORING_URL,
  },
  {
    id: 'RollbackSegmentHistoryListLength',
    metricName: 'RollbackSegmentHistoryListLength',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.ANY,
    engineType: 'aurora-mysql',
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GTE,
    option: 'rollbackSegmentHistoryListLengthThreshold',
    thresholdText: '≥ 1,000,000 (Aurora MySQL)',
    why: 'Long-running transactions keep undo records that slow queries and grow storage.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'MaximumUsedTransactionIDs',
    metricName: 'MaximumUsedTransactionIDs',
    scope: AlarmScope.INSTANCE,
    instances: InstanceKind.ANY,
    engineType: 'aurora-postgresql',
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 1,
    evaluationPeriods: 1,
    comparisonOperator: GT,
    option: 'maximumUsedTransactionIdsThreshold',
    thresholdText: '> 1,000,000,000 (Aurora PostgreSQL)',
    why: 'Transaction ID wraparound forces the database read-only; vacuum before it comes.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'WriterEngineUptime',
    metricName: 'EngineUptime',
    scope: AlarmScope.WRITER_ROLE,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 2,
    evaluationPeriods: 2,
    comparisonOperator: LTE,
    option: '-',
    thresholdText: '≤ 0 (writer)',
    why: 'The writer restarted or is down: a failover, a crash or a reboot.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'AuroraVolumeBytesLeftTotal',
    metricName: 'AuroraVolumeBytesLeftTotal',
    scope: AlarmScope.CLUSTER,
    engineType: 'aurora-mysql',
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: LT,
    option: 'auroraVolumeBytesLeftTotalThreshold',
    thresholdText: '< 12.8 TiB (10 % of the 128 TiB volume limit; Aurora MySQL)',
    why: 'A full cluster volume stops all writes.',
    source: RECOMMENDED_ALARMS_URL,
  },
  {
    id: 'AuroraReplicaLagMaximum',
    metricName: 'AuroraReplicaLagMaximum',
    scope: AlarmScope.CLUSTER,
    statistic: 'Maximum',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'auroraReplicaLagThreshold',
    thresholdText: 'set by you; no alarm otherwise',
    why: 'Readers that fall behind serve stale data.',
    source: REPLICA_LAG_URL,
  },
  {
    id: 'GlobalRPOLag',
    metricName: 'AuroraGlobalDBRPOLag',
    scope: AlarmScope.GLOBAL_SECONDARY,
    globalLagMetric: GlobalLagMetric.RPO_LAG,
    statistic: 'Maximum',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'globalLagThreshold',
    thresholdText: '> 30 s (Aurora PostgreSQL, Aurora MySQL 3.04.0+ and 2.12.0+)',
    why: 'Committed transactions not yet stored in this Region: what a failover to it would lose.',
    source: GLOBAL_LAG_URL,
  },
  {
    id: 'GlobalReplicationLag',
    metricName: 'AuroraGlobalDBReplicationLag',
    scope: AlarmScope.GLOBAL_SECONDARY,
    globalLagMetric: GlobalLagMetric.REPLICATION_LAG,
    statistic: 'Maximum',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    option: 'globalLagThreshold',
    thresholdText: '> 30 s (Aurora MySQL before 3.04.0 and 2.12.0, which publish no RPO lag)',
    why: 'The secondary falls behind the primary: a failover to it would lose the lagging writes.',
    source: GLOBAL_LAG_URL,
  },
];

/** The README's alarm table (between `<!-- alarm-table:start -->` and `<!-- alarm-table:end -->`). */
export function renderAlarmTable(): string {
  const scope: Record<AlarmScope, string> = {
    [AlarmScope.INSTANCE]: 'each instance',
    [AlarmScope.CLUSTER]: 'cluster',
    [AlarmScope.WRITER_ROLE]: 'cluster, role WRITER',
    [AlarmScope.READER_ROLE]: 'cluster, role READER',
    [AlarmScope.GLOBAL_SECONDARY]: 'Global Database secondary',
  };
  const kind: Record<InstanceKind, string> = {
    [InstanceKind.ANY]: '',
    [InstanceKind.PROVISIONED]: ' (provisioned)',
    [InstanceKind.SERVERLESS_V2]: ' (Serverless v2)',
  };
  const op: Record<string, string> = { [GT]: '>', [GTE]: '≥', [LT]: '<', [LTE]: '≤' };
  return [
    '| metric | on | statistic, period, datapoints | threshold | option | why |',
    '| --- | --- | --- | --- | --- | --- |',
    ...ALARM_SPECS.map(
      (s) =>
        `| \`${s.metricName}\` | ${scope[s.scope]}${s.instances ? kind[s.instances] : ''} | ${s.statistic}, ${
          s.periodSeconds
        } s, ${s.datapointsToAlarm} of ${s.evaluationPeriods} (${op[s.comparisonOperator]}) | ${s.thresholdText} | ${
          s.option === '-' ? '–' : `\`${s.option}\``
        } | ${s.why} [source](${s.source}) |`,
    ),
  ].join('\n');
}
