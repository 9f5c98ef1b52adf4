import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { notifyingAlarm } from './private/alarm-builder';
import { operationsTopic } from './private/operations-topic';
import {
  PROXY_ALARM_SPECS,
  ProxyAlarmScope,
  ProxyAlarmSpec,
  proxyThreshold,
  proxyThresholdRules,
  unresolvedProxyThresholds,
  warnUncheckedThresholds,
} from './private/proxy-alarm-specs';
import { throwIfBroken } from './private/validate';
import type { AuroraProxy, AuroraProxyEndpoint } from './proxy';

/**
 * Thresholds of the recommended alarms of an RDS Proxy.
 *
 * AWS publishes no recommended alarm thresholds for RDS Proxy: each default is the library's, with its reason. The
 * README lists every alarm with its statistic, period, threshold and why.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html
 */
export interface ProxyAlarmThresholds {
  /**
   * Availability (percent, `AvailabilityPercentage`, Average) below which a target role of the proxy alarms, 5
   * minutes in a row: above 0, at most 100.
   *
   * The metric is the share of the proxy nodes' health checks of the role's targets that succeeded; requiring 5
   * minutes in a row keeps a short failover from paging.
   *
   * @default 100 - any failed health check, 5 minutes in a row
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-monitoring-dashboard.html
   */
  readonly availabilityThreshold?: number;

  /**
   * Connection pool utilization (percent: 100 × `DatabaseConnections` / `MaxDatabaseConnectionsAllowed` of a target
   * role) above which the proxy alarms, 5 minutes in a row: above 0, below 100.
   *
   * @default 70 - AWS recommends keeping at least 30 % headroom between the connections the proxy allows and the
   * peak
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-monitoring-dashboard.html
   */
  readonly connectionUtilizationThreshold?: number;

  /**
   * Average time to borrow a database connection (`DatabaseConnectionsBorrowLatency`) above which the proxy alarms,
   * 5 minutes in a row; above zero.
   *
   * A token must be given in milliseconds (`Duration.millis(token)`).
   *
   * @default Duration.millis(100) - the library's: an average that high means clients queue for the pool
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-monitoring-dashboard.html
   */
  readonly connectionBorrowLatencyThreshold?: Duration;

  /**
   * Share of the proxy's database connections that are pinned to a client session (percent: 100 ×
   * `DatabaseConnectionsCurrentlySessionPinned` / `DatabaseConnections`) above which the proxy alarms, 15 minutes
   * in a row: 0 or more, below 100.
   *
   * @default - no pinning alarm: how much pinning a workload tolerates is its own
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-pinning.html
   */
  readonly sessionPinnedConnectionsThreshold?: number;

  /**
   * Client connections a minute that fail authentication or TLS (`ClientConnectionsSetupFailedAuth`, Sum) above
   * which the proxy alarms, 5 minutes in a row: a whole number, 0 or more.
   *
   * @default - no alarm: how many failures are normal depends on the clients
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html
   */
  readonly clientConnectionsSetupFailedAuthThreshold?: number;
}

/**
 * Options of `AuroraProxy.addRecommendedAlarms()`: where the alarms notify and their thresholds.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html
 */
export interface ProxyRecommendedAlarmsOptions extends ProxyAlarmThresholds {
  /**
   * The SNS topic every alarm notifies when it enters the ALARM state and when it returns to OK.
   *
   * An encrypted topic of yours must let `cloudwatch.amazonaws.com` use its key (`kms:GenerateDataKey*`,
   * `kms:Decrypt`).
   *
   * @default - the operations topic of the proxy's `AuroraCluster` (`OperationsTopic`, shared with the cluster's
   * alarms and RDS event subscriptions); for a cluster imported with `AuroraCluster.fromAuroraClusterAttributes`, a
   * topic of the proxy (`OperationsTopic` under the proxy) made the same way: encrypted with a customer-managed key of
   * its own, refusing publishing without TLS
   * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
   */
  readonly topic?: sns.ITopic;
}

/** Properties of {@link AuroraProxyRecommendedAlarms}. */
export interface AuroraProxyRecommendedAlarmsProps extends ProxyRecommendedAlarmsOptions {
  /** The proxy to watch. */
  readonly proxy: AuroraProxy;
}

/**
 * Recommended CloudWatch alarms of an RDS Proxy, with actions to an SNS topic: the availability and the connection
 * pool utilization of the writer role (and of the reader role when the proxy has a read-only endpoint), the
 * connection borrow latency, and, with thresholds of yours, pinned connections and failed client authentications.
 *
 * Created by `AuroraProxy.addRecommendedAlarms()`, or by `AuroraCluster.addRecommendedAlarms()` for every
 * `AuroraProxy` of the cluster (construct id `RecommendedAlarms` under the proxy either way).
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html
 */
export class AuroraProxyRecommendedAlarms extends Construct {
  /** Every alarm created (the reader-role alarms join when a read-only endpoint is added later). */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The topic the alarms notify. */
  public readonly topic: sns.ITopic;

  private readonly proxy: AuroraProxy;
  private readonly thresholds: ProxyAlarmThresholds;
  private readonly action: cwActions.SnsAction;
  private readOnlyWatched = false;

  constructor(scope: Construct, id: string, props: AuroraProxyRecommendedAlarmsProps) {
    super(scope, id);
    throwIfBroken(this.node.path, proxyThresholdRules(props));
    warnUncheckedThresholds(this, unresolvedProxyThresholds(props));
    const proxy = props.proxy;
    this.proxy = proxy;
    this.thresholds = props;
    const cluster = proxy.cluster;
    // The operations topic of the cluster when the cluster is of this library; an imported cluster is not ours to
    // add resources to, so its proxy gets a topic of its own.
    this.topic =
      props.topic ??
      (cluster.node.defaultChild instanceof rds.CfnDBCluster
        ? operationsTopic(cluster, undefined)
        : operationsTopic(proxy, undefined, `RDS Proxy ${proxy.node.path}`));
    this.action = new cwActions.SnsAction(this.topic);

    for (const spec of PROXY_ALARM_SPECS) {
      if (spec.scope !== ProxyAlarmScope.READ_ONLY) this.create(spec);
    }
    if (proxy.endpoints.some((e) => isReadOnly(e.targetRole))) this.watchReadOnlyRole();
  }

  /**
   * Adds the reader-role alarms when the proxy gets its first read-only endpoint.
   *
   * @internal
   */
  public _onEndpoint(endpoint: AuroraProxyEndpoint): void {
    if (isReadOnly(endpoint.targetRole)) this.watchReadOnlyRole();
  }

  private watchReadOnlyRole(): void {
    if (this.readOnlyWatched) return;
    this.readOnlyWatched = true;
    for (const spec of PROXY_ALARM_SPECS) {
      if (spec.scope === ProxyAlarmScope.READ_ONLY) this.create(spec);
    }
  }

  private create(spec: ProxyAlarmSpec): void {
    const threshold = proxyThreshold(spec, this.thresholds);
    if (threshold === undefined) return;
    const dimensions: Record<string, string> = { ProxyName: this.proxy.dbProxyName };
    if (spec.scope !== ProxyAlarmScope.PROXY) {
      dimensions.TargetGroup = this.proxy.targetGroup.targetGroupName ?? 'default';
      dimensions.TargetRole = spec.scope;
    }
    const period = Duration.seconds(spec.periodSeconds);
    const metricOf = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap: dimensions,
        statistic: spec.statistic,
        period,
      });
    let metric: cloudwatch.IMetric;
    if (spec.ratio) {
      metric = new cloudwatch.MathExpression({
        expression: '100 * numerator / denominator',
        usingMetrics: { numerator: metricOf(spec.ratio.numerator), denominator: metricOf(spec.ratio.denominator) },
        label: `100 * ${spec.ratio.numerator} / ${spec.ratio.denominator}`,
        period,
      });
    } else if (spec.microsToMillis) {
      metric = new cloudwatch.MathExpression({
        expression: 'micros / 1000',
        usingMetrics: { micros: metricOf(spec.metricName!) },
        label: `${spec.metricName} (ms)`,
        period,
      });
    } else {
      metric = metricOf(spec.metricName!);
    }
    const alarm = notifyingAlarm(this, spec.id, this.action, {
      metric,
      threshold,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      comparisonOperator: spec.comparisonOperator,
      treatMissingData: spec.treatMissingData,
      alarmDescription: `${spec.metricText.replace(/`/g, '')} of RDS Proxy ${this.proxy.node.path}${
        spec.scope === ProxyAlarmScope.PROXY ? '' : ` (target role ${spec.scope})`
      }: ${spec.why.replace(/`/g, '')} ${spec.source}`,
    });
    this.alarms.push(alarm);
  }
}

/** Whether an endpoint's target role is the reader role (`AuroraProxyEndpointRole.READ_ONLY`). */
function isReadOnly(role: string): boolean {
  return role === ProxyAlarmScope.READ_ONLY;
}
