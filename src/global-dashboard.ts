import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { AuroraGlobalDatabase } from './global-database';
import { publishesRpoLag } from './private/alarm-builder';
import { AuroraRecommendedAlarms } from './recommended-alarms';
import type { AuroraSecondaryCluster } from './secondary-cluster';

/**
 * Options of `AuroraGlobalDatabase.addDashboard()`.
 */
export interface AuroraGlobalDatabaseDashboardOptions {
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

/** Properties of {@link AuroraGlobalDatabaseDashboard}. */
export interface AuroraGlobalDatabaseDashboardProps extends AuroraGlobalDatabaseDashboardOptions {
  /** The Global Database to show. */
  readonly globalDatabase: AuroraGlobalDatabase;
}

/**
 * A CloudWatch dashboard of an Aurora Global Database, in the primary's stack: the primary's writer (CPU,
 * connections, commit latency) and the state of its recommended alarms when `addRecommendedAlarms()` was called on
 * it, and for every secondary, in its Region, its lag behind the primary and the replicated writes and bytes.
 *
 * Secondaries added after the dashboard get their graphs too. A secondary's identifier that the library derives
 * ends with its stack's id, which only its own stack knows: its graphs use a CloudWatch search expression in its
 * Region for the part known at synth (`<stack name>-<logical id>`). Give the secondary a `clusterIdentifier` to
 * graph its metrics directly.
 *
 * Created by `AuroraGlobalDatabase.addDashboard()`.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html
 */
export class AuroraGlobalDatabaseDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  private readonly period: Duration;

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseDashboardProps) {
    super(scope, id);
    const global = props.globalDatabase;
    const primary = global.primary;
    this.period = props.period ?? Duration.minutes(1);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
    const writer = (metricName: string, statistic: string, label: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap: { DBClusterIdentifier: primary.clusterIdentifier, Role: 'WRITER' },
        statistic,
        period: this.period,
        label,
      });
    const region = Stack.of(global).region;
    const alarms = primary.node.tryFindChild('RecommendedAlarms');
    if (alarms instanceof AuroraRecommendedAlarms) {
      this.dashboard.addWidgets(
        new cloudwatch.AlarmStatusWidget({
          title: `Primary (${region}): recommended alarms`,
          alarms: alarms.alarms,
          width: 24,
          height: 4,
        }),
      );
    }
    this.dashboard.addWidgets(
      graph(`Primary (${region}): writer CPU utilization (%)`, [writer('CPUUtilization', 'Average', 'CPU')]),
      graph(`Primary (${region}): writer connections`, [writer('DatabaseConnections', 'Average', 'Connections')]),
      graph(`Primary (${region}): writer commit latency (ms)`, [writer('CommitLatency', 'Average', 'Commit latency')]),
    );
    for (const secondary of global.secondaries) {
      this._addSecondary(secondary);
    }
  }

  /**
   * Adds the graphs of a secondary (the global database does it for every secondary, including later ones).
   *
   * @internal
   */
  public _addSecondary(secondary: AuroraSecondaryCluster): void {
    const region = Stack.of(secondary).region;
    const lagMetric = publishesRpoLag(secondary.engine) ? 'AuroraGlobalDBRPOLag' : 'AuroraGlobalDBReplicationLag';
    const metric = (metricName: string, statistic: string, label: string): cloudwatch.IMetric => {
      if (!Token.isUnresolved(secondary.clusterIdentifier)) {
        return new cloudwatch.Metric({
          namespace: 'AWS/RDS',
          metricName,
          dimensionsMap: { DBClusterIdentifier: secondary.clusterIdentifier },
          statistic,
          period: this.period,
          region,
          label,
        });
      }
      const prefix = secondary._derivedIdentifierPrefix;
      if (prefix === undefined) {
        Annotations.of(this).addWarningV2(
          'cdk-aurora-baseline:globalDashboardSecondaryUnknown',
          `the cluster identifier of ${secondary.node.path} is only known at deploy time, so the dashboard graphs every ${metricName} series of ${region}; give the secondary a literal clusterIdentifier`,
        );
      }
      const narrow = prefix === undefined ? '' : ` DBClusterIdentifier=${prefix}`;
      return new cloudwatch.SearchExpression({
        expression: `SEARCH('{AWS/RDS,DBClusterIdentifier} MetricName="${metricName}"${narrow}', '${statistic}', ${this.period.toSeconds()})`,
        searchRegion: region,
        label,
      });
    };
    this.dashboard.addWidgets(
      graph(`Secondary ${secondary.node.id} (${region}): lag behind the primary (ms)`, [
        metric(lagMetric, 'Maximum', lagMetric === 'AuroraGlobalDBRPOLag' ? 'RPO lag' : 'Replication lag'),
      ]),
      graph(`Secondary ${secondary.node.id} (${region}): replicated write I/O`, [
        metric('AuroraGlobalDBReplicatedWriteIO', 'Sum', 'Replicated write I/O'),
      ]),
      graph(`Secondary ${secondary.node.id} (${region}): redo log bytes transferred`, [
        metric('AuroraGlobalDBDataTransferBytes', 'Sum', 'Bytes transferred'),
      ]),
    );
  }
}

function graph(title: string, left: cloudwatch.IMetric[]): cloudwatch.GraphWidget {
  return new cloudwatch.GraphWidget({ title, left, width: 8, height: 6 });
}
