import { Annotations, Duration, Size, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AuroraCluster } from './aurora-cluster';
import { ALARM_SPECS, AlarmScope, AlarmSpec, InstanceKind } from './private/alarm-specs';
import { operationsTopic } from './private/operations-topic';

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
}

/** Properties of {@link AuroraRecommendedAlarms}. */
export interface AuroraRecommendedAlarmsProps extends RecommendedAlarmsOptions {
  /** The cluster to watch. */
  readonly cluster: AuroraCluster;
}

/** What the library knows about one DB instance of the template. */
interface InstanceFacts {
  readonly id: string;
  readonly identifier: string;
  readonly serverlessV2: boolean;
  readonly instanceClass?: string;
}

/** 10 % of the 128 TiB Aurora cluster volume limit, in bytes. */
const DEFAULT_VOLUME_BYTES_LEFT = Math.round((128 * 1024 ** 4) / 10);
/** Memory of one Aurora capacity unit (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.how-it-works.html#aurora-serverless-v2.how-it-works.capacity). */
const GIB_PER_ACU = 2;

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
    const action = new cwActions.SnsAction(this.topic);
    const engineType = cluster.engine?.engineType;
    const maxCapacity = Token.isUnresolved(cluster.serverlessV2MaxCapacity)
      ? undefined
      : cluster.serverlessV2MaxCapacity;
    const instances = instanceFacts(cluster.cluster);
    const withReaderAutoScaling = cluster.readerScalableTarget !== undefined;

    const create = (spec: AlarmSpec, alarmId: string, dimensions: Record<string, string>, threshold: number) => {
      const alarm = new cloudwatch.Alarm(this, alarmId, {
        metric: new cloudwatch.Metric({
          namespace: 'AWS/RDS',
          metricName: spec.metricName,
          dimensionsMap: dimensions,
          statistic: spec.statistic,
          period: Duration.seconds(spec.periodSeconds),
        }),
        threshold,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm,
        comparisonOperator: spec.comparisonOperator,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
        actionsEnabled: true,
        alarmDescription: `${spec.metricName} of ${cluster.node.path}${alarmId.startsWith('Cluster') ? '' : ` (${alarmId})`}: ${
          spec.why
        } ${spec.source}`,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    };

    for (const spec of ALARM_SPECS) {
      if (spec.engineType && spec.engineType !== engineType) continue;
      if (spec.onlyWithReaderAutoScaling && !withReaderAutoScaling) continue;
      if (spec.scope === AlarmScope.INSTANCE) {
        for (const instance of instances) {
          if (spec.instances === InstanceKind.PROVISIONED && instance.serverlessV2) continue;
          if (spec.instances === InstanceKind.SERVERLESS_V2 && !instance.serverlessV2) continue;
          const threshold = instanceThreshold(spec, props, instance, maxCapacity);
          if (threshold === undefined) continue;
          create(spec, `${instance.id}${spec.id}`, { DBInstanceIdentifier: instance.identifier }, threshold);
        }
      } else {
        const threshold = clusterThreshold(spec, props);
        if (threshold === undefined) continue;
        const dimensions: Record<string, string> = { DBClusterIdentifier: cluster.clusterIdentifier };
        if (spec.scope === AlarmScope.WRITER_ROLE) dimensions.Role = 'WRITER';
        if (spec.scope === AlarmScope.READER_ROLE) dimensions.Role = 'READER';
        create(spec, `Cluster${spec.id}`, dimensions, threshold);
      }
    }

    if (
      instances.some((i) => i.serverlessV2) &&
      maxCapacity === undefined &&
      !props.serverlessV2FreeableMemoryThreshold
    ) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:freeableMemoryCapacityUnknown',
        'serverlessV2MaxCapacity is not known at synth, so the Serverless v2 instances get no FreeableMemory alarm; set serverlessV2FreeableMemoryThreshold',
      );
    }
  }
}

/** The DB instances of the cluster's template, with the construct id of each (`Writer`, `Reader`, ...). */
function instanceFacts(cluster: rds.DatabaseCluster): InstanceFacts[] {
  return cluster.node
    .findAll()
    .filter((c): c is rds.CfnDBInstance => c instanceof rds.CfnDBInstance)
    .map((resource) => {
      const instanceClass = resource.dbInstanceClass;
      return {
        id: resource.node.scope!.node.id,
        identifier: resource.ref,
        serverlessV2: instanceClass === 'db.serverless',
        instanceClass: instanceClass === undefined || Token.isUnresolved(instanceClass) ? undefined : instanceClass,
      };
    });
}

/**
 * vCPUs of an instance class (`db.r6g.2xlarge` → 8): `large` has 2, `xlarge` 4, `<n>xlarge` 4n; the burstable
 * `micro`, `small` and `medium` have 2. Undefined for anything else (`metal`, a token).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.Summary.html
 */
function vcpusOf(instanceClass: string | undefined): number | undefined {
  const size = instanceClass?.split('.')[2];
  if (size === undefined) return undefined;
  if (['micro', 'small', 'medium', 'large'].includes(size)) return 2;
  if (size === 'xlarge') return 4;
  const n = /^(\d+)xlarge$/.exec(size);
  return n ? 4 * Number(n[1]) : undefined;
}

function instanceThreshold(
  spec: AlarmSpec,
  props: RecommendedAlarmsOptions,
  instance: InstanceFacts,
  maxCapacity: number | undefined,
): number | undefined {
  switch (spec.option) {
    case 'cpuUtilizationThreshold':
      return props.cpuUtilizationThreshold ?? 90;
    case 'dbLoadThreshold':
      return props.dbLoadThreshold ?? vcpusOf(instance.instanceClass);
    case 'serverlessV2FreeableMemoryThreshold':
      return (
        props.serverlessV2FreeableMemoryThreshold?.toBytes() ??
        (maxCapacity === undefined ? undefined : Math.round(0.05 * maxCapacity * GIB_PER_ACU * 1024 ** 3))
      );
    case 'freeableMemoryThreshold':
      return props.freeableMemoryThreshold?.toBytes();
    case 'freeLocalStorageThreshold':
      return props.freeLocalStorageThreshold?.toBytes();
    case 'databaseConnectionsThreshold':
      return props.databaseConnectionsThreshold;
    case 'readLatencyThreshold':
      return (props.readLatencyThreshold ?? Duration.millis(20)).toMilliseconds() / 1000;
    case 'writeLatencyThreshold':
      return (props.writeLatencyThreshold ?? Duration.millis(20)).toMilliseconds() / 1000;
    case 'bufferCacheHitRatioThreshold':
      return props.bufferCacheHitRatioThreshold ?? 80;
    case 'acuUtilizationThreshold':
      return props.acuUtilizationThreshold ?? 90;
    case 'rollbackSegmentHistoryListLengthThreshold':
      return props.rollbackSegmentHistoryListLengthThreshold ?? 1_000_000;
    case 'maximumUsedTransactionIdsThreshold':
      return props.maximumUsedTransactionIdsThreshold ?? 1_000_000_000;
    default:
      throw new Error(`no threshold for ${spec.id}`);
  }
}

function clusterThreshold(spec: AlarmSpec, props: RecommendedAlarmsOptions): number | undefined {
  switch (spec.option) {
    case 'cpuUtilizationThreshold':
      return props.cpuUtilizationThreshold ?? 90;
    case '-':
      return 0;
    case 'auroraVolumeBytesLeftTotalThreshold':
      return props.auroraVolumeBytesLeftTotalThreshold?.toBytes() ?? DEFAULT_VOLUME_BYTES_LEFT;
    case 'auroraReplicaLagThreshold':
      // AuroraReplicaLagMaximum is in milliseconds.
      return props.auroraReplicaLagThreshold?.toMilliseconds();
    default:
      throw new Error(`no threshold for ${spec.id}`);
  }
}
