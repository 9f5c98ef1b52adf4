import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { AuroraCluster } from './aurora-cluster';
import { AuroraRecommendedAlarms } from './recommended-alarms';

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

/** Properties of {@link AuroraDashboard}. */
export interface AuroraDashboardProps extends AuroraDashboardOptions {
  /** The cluster to show. */
  readonly cluster: AuroraCluster;
}

/**
 * A CloudWatch dashboard of one Aurora cluster, built from the cluster's metric helpers: load (CPU per instance,
 * connections, Serverless v2 capacity), memory and storage, latency and throughput, replication, and the state of the
 * recommended alarms when `addRecommendedAlarms()` was called before.
 *
 * Created by `AuroraCluster.addDashboard()`.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html
 */
export class AuroraDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: AuroraDashboardProps) {
    super(scope, id);
    const cluster = props.cluster;
    const period = props.period ?? Duration.minutes(1);
    const instances = cluster.cluster.node
      .findAll()
      .filter((c): c is rds.CfnDBInstance => c instanceof rds.CfnDBInstance);
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
    if (alarms instanceof AuroraRecommendedAlarms) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({ title: 'Recommended alarms', alarms: alarms.alarms, width: 24, height: 4 }),
      );
    }
    this.dashboard.addWidgets(
      graph('CPU utilization (%) per instance', perInstance('CPUUtilization', 'Average')),
      graph('Connections', [cluster.metricDatabaseConnections({ period, statistic: 'Sum' })]),
      serverless
        ? graph(
            'Serverless v2 capacity (ACU) and utilization (%)',
            [cluster.metricServerlessDatabaseCapacity({ period })],
            [cluster.metricACUUtilization({ period })],
          )
        : graph('DB load (active sessions) per instance', perInstance('DBLoad', 'Average')),
    );
    this.dashboard.addWidgets(
      graph('Freeable memory (bytes) per instance', perInstance('FreeableMemory', 'Minimum')),
      graph('Free local storage (bytes) per instance', perInstance('FreeLocalStorage', 'Minimum')),
      graph('Cluster volume (bytes)', [cluster.metricVolumeBytesUsed({ period: Duration.minutes(5) })]),
    );
    this.dashboard.addWidgets(
      graph('Read and write latency (s, p90)', [
        cluster.metricReadLatency({ period, statistic: 'p90' }),
        cluster.metricWriteLatency({ period, statistic: 'p90' }),
      ]),
      graph('Volume IOPS', [
        cluster.metricVolumeReadIOPs({ period: Duration.minutes(5) }),
        cluster.metricVolumeWriteIOPs({ period: Duration.minutes(5) }),
      ]),
      graph(
        'Replica lag (ms, max) and deadlocks',
        [cluster.metricAuroraReplicaLag({ period })],
        [cluster.metricDeadlocks({ period, statistic: 'Sum' })],
      ),
    );
  }
}
