import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { ALARM_SPECS, AlarmScope, AlarmSpec, GlobalLagMetric, InstanceKind } from './alarm-specs';
import { cfnInstancesOf } from './cluster-parts';
import { meetsFloor, parseAuroraVersion, VersionFloor } from './engine-version';
import type { RecommendedAlarmsOptions } from '../recommended-alarms';
import type { SecondaryRecommendedAlarmsOptions } from '../secondary-alarms';

/** Which member of a deployment a cluster is: its alarms differ. */
export enum ClusterMember {
  /** A regional cluster, or the primary of a Global Database: writer and volume alarms, no global lag. */
  REGIONAL_OR_PRIMARY = 'regional',
  /** A Global Database secondary: no writer, global lag alarms. */
  GLOBAL_SECONDARY = 'secondary',
}

/** What the alarms of one cluster need to know about it. */
export interface AlarmTarget {
  /** The cluster's construct path, for the alarm descriptions. */
  readonly path: string;
  readonly clusterIdentifier: string;
  readonly engine?: rds.IClusterEngine;
  readonly serverlessV2MaxCapacity: number;
  /** The construct whose `CfnDBInstance` children are the cluster's instances. */
  readonly dbCluster: IConstruct;
  readonly withReaderAutoScaling: boolean;
  readonly member: ClusterMember;
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
/** The default global lag threshold (see `SecondaryRecommendedAlarmsOptions.globalLagThreshold`). */
export const DEFAULT_GLOBAL_LAG = Duration.seconds(30);

/**
 * Aurora MySQL versions that publish `AuroraGlobalDBRPOLag`; older ones publish only `AuroraGlobalDBReplicationLag`.
 * Every Aurora PostgreSQL version publishes it.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
 */
const RPO_LAG_MYSQL_FLOOR: VersionFloor = { 2: [12, 0], 3: [4, 0] };

/** Whether the engine publishes `AuroraGlobalDBRPOLag` (an unknown version is taken as a current one). */
export function publishesRpoLag(engine: rds.IClusterEngine | undefined): boolean {
  if (engine?.engineType !== 'aurora-mysql') return true;
  const version = parseAuroraVersion(engine.engineVersion?.fullVersion);
  return version === undefined || meetsFloor(version, RPO_LAG_MYSQL_FLOOR);
}

/**
 * The alarms of `ALARM_SPECS` that apply to a cluster, with the alarm action on ALARM and OK, created under `scope`.
 */
export function createRecommendedAlarms(
  scope: Construct,
  target: AlarmTarget,
  props: SecondaryRecommendedAlarmsOptions,
  action: cloudwatch.IAlarmAction,
): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  const engineType = target.engine?.engineType;
  const maxCapacity = Token.isUnresolved(target.serverlessV2MaxCapacity) ? undefined : target.serverlessV2MaxCapacity;
  const instances = instanceFacts(target.dbCluster);
  const secondary = target.member === ClusterMember.GLOBAL_SECONDARY;
  const globalLagMetric = publishesRpoLag(target.engine) ? GlobalLagMetric.RPO_LAG : GlobalLagMetric.REPLICATION_LAG;

  const create = (spec: AlarmSpec, alarmId: string, dimensions: Record<string, string>, threshold: number) => {
    const alarm = notifyingAlarm(scope, alarmId, action, {
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
      alarmDescription: `${spec.metricName} of ${target.path}${alarmId.startsWith('Cluster') ? '' : ` (${alarmId})`}: ${
        spec.why
      } ${spec.source}`,
    });
    alarms.push(alarm);
  };

  for (const spec of ALARM_SPECS) {
    if (spec.engineType && spec.engineType !== engineType) continue;
    if (spec.onlyWithReaderAutoScaling && !target.withReaderAutoScaling) continue;
    if (spec.globalLagMetric && spec.globalLagMetric !== globalLagMetric) continue;
    // Global lag is published by secondaries only. A secondary has no writer and no readers of its own writer, and
    // its volume is a replica of the primary's: the writer, reader-role and volume alarms belong to the primary.
    if (spec.scope === AlarmScope.GLOBAL_SECONDARY && !secondary) continue;
    if (secondary && spec.scope !== AlarmScope.INSTANCE && spec.scope !== AlarmScope.GLOBAL_SECONDARY) continue;
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
      const dimensions: Record<string, string> = { DBClusterIdentifier: target.clusterIdentifier };
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
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:freeableMemoryCapacityUnknown',
      'serverlessV2MaxCapacity is not known at synth, so the Serverless v2 instances get no FreeableMemory alarm; set serverlessV2FreeableMemoryThreshold',
    );
  }
  return alarms;
}

/**
 * An alarm with actions enabled that notifies `action` when it enters ALARM and when it returns to OK, as cdk-nag's
 * CloudWatchAlarmAction rules and Control Tower CT.CLOUDWATCH.PR.1 and PR.4 require of every alarm of the library.
 */
export function notifyingAlarm(
  scope: Construct,
  id: string,
  action: cloudwatch.IAlarmAction,
  props: cloudwatch.AlarmProps,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, { ...props, actionsEnabled: true });
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/** The DB instances of the cluster's template, with the construct id of each (`Writer`, `Reader`, ...). */
function instanceFacts(cluster: IConstruct): InstanceFacts[] {
  return cfnInstancesOf(cluster).map((resource) => {
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

function clusterThreshold(spec: AlarmSpec, props: SecondaryRecommendedAlarmsOptions): number | undefined {
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
    case 'globalLagThreshold':
      // AuroraGlobalDBRPOLag and AuroraGlobalDBReplicationLag are in milliseconds.
      return (props.globalLagThreshold ?? DEFAULT_GLOBAL_LAG).toMilliseconds();
    default:
      throw new Error(`no threshold for ${spec.id}`);
  }
}
