import { Duration, Size } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AuroraCluster } from './aurora-cluster';
import { ClusterMember, createRecommendedAlarms } from './private/alarm-builder';
import { operationsTopic } from './private/operations-topic';
import { watchClusterProxies } from './private/proxy-alarm-registry';
import type { ProxyAlarmThresholds } from './proxy-alarms';

/**
 * Options of `AuroraCluster.addRecommendedAlarms()`: where the alarms notify and their thresholds.
 *
 * Statistics, periods and datapoints follow CloudWatch's recommended alarms for Amazon RDS; the README lists every
 * alarm with its threshold and why.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
 */
export interface RecommendedAlarmsOptions {
  /**
   * The SNS topic every alarm notifies when it enters the ALARM state and when it returns to OK.
   *
   * An encrypted topic of yours must let `cloudwatch.amazonaws.com` use its key (`kms:GenerateDataKey*`,
   * `kms:Decrypt`).
   *
   * @default - a topic of the cluster (`OperationsTopic`), encrypted with a customer-managed key of its own, that
   * refuses publishing without TLS; the RDS event subscriptions notify the same topic
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly topic?: sns.ITopic;

  /**
   * CPU utilization (percent) above which an instance alarms, 5 minutes in a row.
   *
   * @default 90
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly cpuUtilizationThreshold?: number;

  /**
   * Average active sessions (DBLoad) above which a provisioned instance alarms, 15 minutes in a row.
   *
   * @default - the number of vCPUs of the instance class (db.r6g.large: 2, db.r6g.xlarge: 4, ...); no alarm on a
   * class whose vCPUs the library cannot tell (a token, `metal`)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly dbLoadThreshold?: number;

  /**
   * Freeable memory below which a provisioned instance alarms, 15 minutes in a row.
   *
   * AWS recommends about 25 % of the instance class's memory.
   *
   * @default - no FreeableMemory alarm on provisioned instances
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly freeableMemoryThreshold?: Size;

  /**
   * Freeable memory below which a Serverless v2 instance alarms, 15 minutes in a row.
   *
   * @default - 5 % of the memory at `serverlessV2MaxCapacity` (about 2 GiB an ACU); no alarm when the capacity
   * is a token
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly serverlessV2FreeableMemoryThreshold?: Size;

  /**
   * Free local storage below which a provisioned instance alarms, 5 minutes in a row.
   *
   * AWS recommends 10–20 % of the instance class's local storage.
   *
   * @default - no FreeLocalStorage alarm
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly freeLocalStorageThreshold?: Size;

  /**
   * Connections above which an instance alarms, 5 minutes in a row.
   *
   * AWS recommends 90–95 % of the instance's `max_connections`.
   *
   * @default - no DatabaseConnections alarm
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly databaseConnectionsThreshold?: number;

  /**
   * p90 read latency above which an instance alarms, 5 minutes in a row.
   *
   * @default Duration.millis(20)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly readLatencyThreshold?: Duration;

  /**
   * p90 write latency above which an instance alarms, 5 minutes in a row.
   *
   * @default Duration.millis(20)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly writeLatencyThreshold?: Duration;

  /**
   * Buffer cache hit ratio (percent) below which an instance alarms, 10 minutes in a row.
   *
   * @default 80
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly bufferCacheHitRatioThreshold?: number;

  /**
   * ACU utilization (percent) above which a Serverless v2 instance alarms, 15 minutes in a row: the instance runs
   * near `serverlessV2MaxCapacity`.
   *
   * @default 90
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.setting-capacity.html
   */
  readonly acuUtilizationThreshold?: number;

  /**
   * Undo history length at or above which an Aurora MySQL instance alarms, 5 minutes in a row.
   *
   * @default 1000000
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly rollbackSegmentHistoryListLengthThreshold?: number;

  /**
   * Used transaction IDs above which an Aurora PostgreSQL instance alarms (wraparound protection).
   *
   * @default 1000000000
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly maximumUsedTransactionIdsThreshold?: number;

  /**
   * Space left in the cluster volume below which an Aurora MySQL cluster alarms, 5 minutes in a row.
   *
   * @default - 10 % of the 128 TiB volume limit (12.8 TiB)
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
   */
  readonly auroraVolumeBytesLeftTotalThreshold?: Size;

  /**
   * Replica lag of the most lagging reader (`AuroraReplicaLagMaximum`) above which the cluster alarms, 5 minutes in
   * a row.
   *
   * @default - no replica lag alarm
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
   */
  readonly auroraReplicaLagThreshold?: Duration;

  /**
   * Thresholds of the recommended alarms of the cluster's RDS Proxies (`AuroraProxy`), which this method adds to
   * every proxy of the cluster, created before or after it, that has no alarms of its own; they notify the same
   * topic. A Global Database secondary has no `AuroraProxy`, so its `addRecommendedAlarms()` ignores them.
   *
   * @default - the defaults of `ProxyAlarmThresholds`
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html
   */
  readonly proxyAlarmThresholds?: ProxyAlarmThresholds;
}

/** Properties of {@link AuroraRecommendedAlarms}. */
export interface AuroraRecommendedAlarmsProps extends RecommendedAlarmsOptions {
  /** The cluster to watch. */
  readonly cluster: AuroraCluster;
}

/**
 * The alarms CloudWatch recommends for an Aurora cluster, with actions to an SNS topic: one alarm per metric and
 * DB instance of the template, and cluster-level alarms (by `DBClusterIdentifier`, and `Role` for the writer and the
 * readers) where instances are not known at synth, such as the replicas reader autoscaling adds.
 *
 * Created by `AuroraCluster.addRecommendedAlarms()`.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html#RDS
 */
export class AuroraRecommendedAlarms extends Construct {
  /** Every alarm created. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The topic the alarms notify. */
  public readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: AuroraRecommendedAlarmsProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.topic = operationsTopic(cluster, props.topic);
    this.alarms.push(
      ...createRecommendedAlarms(
        this,
        {
          path: cluster.node.path,
          clusterIdentifier: cluster.clusterIdentifier,
          engine: cluster.engine,
          serverlessV2MaxCapacity: cluster.serverlessV2MaxCapacity,
          dbCluster: cluster.cluster,
          withReaderAutoScaling: cluster.readerScalableTarget !== undefined,
          member: ClusterMember.REGIONAL_OR_PRIMARY,
        },
        props,
        new cwActions.SnsAction(this.topic),
      ),
    );

    // The cluster's RDS Proxies, present and future, get their recommended alarms (src/proxy-alarms.ts).
    watchClusterProxies(this, cluster, this.topic, props.proxyAlarmThresholds);
  }
}
