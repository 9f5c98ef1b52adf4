import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AuroraCluster } from './aurora-cluster';
import { publishesRpoLag } from './private/alarm-builder';
import { cfnInstancesOf } from './private/cluster-parts';
import { operationsTarget } from './private/operations-target';
import { AuroraRecommendedAlarms } from './recommended-alarms';
import { AuroraSecondaryRecommendedAlarms } from './secondary-alarms';
import type { AuroraSecondaryCluster } from './secondary-cluster';

/**
 * Options of `AuroraCluster.addDashboard()`.
 */
export interface AuroraDashboardOptions {
  /**
   * The dashboard's name.
   *
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;

  /**
   * The period of the graphs.
   *
   * @default Duration.minutes(1)
   */
  readonly period?: Duration;
}

/** Properties of {@link AuroraDashboard}: give `cluster` or `secondaryCluster`. */
export interface AuroraDashboardProps extends AuroraDashboardOptions {
  /**
   * The cluster to show.
   *
   * @default - none: give `secondaryCluster`
   */
  readonly cluster?: AuroraCluster;

  /**
   * The Global Database secondary to show (the dashboard is in its stack and shows its Region).
   *
   * @default - none: give `cluster`
   */
  readonly secondaryCluster?: AuroraSecondaryCluster;
}

/**
 * A CloudWatch dashboard of one Aurora cluster, built from the cluster's metric helpers: load (CPU per instance,
 * connections, Serverless v2 capacity), memory and storage, latency and throughput, replication, and the state of the
 * recommended alarms when `addRecommendedAlarms()` was called before; for a Global Database secondary, also its lag
 * behind the primary and the replicated writes.
 *
 * Created by `AuroraCluster.addDashboard()` and `AuroraSecondaryCluster.addDashboard()`.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
 */
export class AuroraDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: AuroraDashboardProps) {
    super(scope, id);
    const cluster = operationsTarget(
      this.node.path,
      props,
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html',
      'addDashboard',
    );
    const secondary = props.secondaryCluster;
    const period = props.period ?? Duration.minutes(1);
    // A cluster-level metric (`DBClusterIdentifier`), with CloudWatch's default statistic unless one is given.
    const metric = (metricName: string, options: cloudwatch.MetricOptions) => cluster.metric(metricName, options);
    const instances = cfnInstancesOf(cluster.cluster);
    const serverless = instances.some((i) => i.dbInstanceClass === 'db.serverless');
    const perInstance = (metricName: string, statistic: string) =>
      instances.map(
        (i) =>
          new cloudwatch.Metric({
            namespace: 'AWS/RDS',
            metricName,
            dimensionsMap: { DBInstanceIdentifier: i.ref },
            statistic,
            period,
            label: i.node.scope!.node.id,
          }),
      );
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    const alarms = cluster.node.tryFindChild('RecommendedAlarms');
    if (alarms instanceof AuroraRecommendedAlarms || alarms instanceof AuroraSecondaryRecommendedAlarms) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: 'Recommended alarms', alarms: alarms.alarms, width: 24, height: 4 }),
      );
    }
    this.dashboard.addWidgets(
      graph('CPU utilization (%) per instance', perInstance('CPUUtilization', 'Average')),
      graph('Connections', [metric('DatabaseConnections', { period, statistic: 'Sum' })]),
      serverless
        ? graph(
            'Serverless v2 capacity (ACU) and utilization (%)',
            [metric('ServerlessDatabaseCapacity', { period })],
            [metric('ACUUtilization', { period })],
          )
        : graph('DB load (active sessions) per instance', perInstance('DBLoad', 'Average')),
    );
    this.dashboard.addWidgets(
      graph('Freeable memory (bytes) per instance', perInstance('FreeableMemory', 'Minimum')),
      graph('Free local storage (bytes) per instance', perInstance('FreeLocalStorage', 'Minimum')),
      graph('Cluster volume (bytes)', [metric('VolumeBytesUsed', { period: Duration.minutes(5) })]),
    );
    this.dashboard.addWidgets(
      graph('Read and write latency (s, p90)', [
        metric('ReadLatency', { period, statistic: 'p90' }),
        metric('WriteLatency', { period, statistic: 'p90' }),
      ]),
      graph('Volume IOPS', [
        metric('VolumeReadIOPs', { period: Duration.minutes(5) }),
        metric('VolumeWriteIOPs', { period: Duration.minutes(5) }),
      ]),
      graph(
        'Replica lag (ms, max) and deadlocks',
        [metric('AuroraReplicaLag', { period, statistic: 'Maximum' })],
        [metric('Deadlocks', { period, statistic: 'Sum' })],
      ),
    );
    if (secondary) {
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
      const lag = publishesRpoLag(secondary.engine) ? 'AuroraGlobalDBRPOLag' : 'AuroraGlobalDBReplicationLag';
      this.dashboard.addWidgets(
        graph('Lag behind the Global Database primary (ms, max)', [metric(lag, { period, statistic: 'Maximum' })]),
        graph(
          'Replicated write I/O and redo log bytes from the primary',
          [metric('AuroraGlobalDBReplicatedWriteIO', { period, statistic: 'Sum' })],
          [metric('AuroraGlobalDBDataTransferBytes', { period, statistic: 'Sum' })],
        ),
      );
    }
  }
}
