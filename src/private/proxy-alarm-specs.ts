import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { durationRule, known, numberRule, Rule } from './validate';

/**
 * The alarms `AuroraProxy.addRecommendedAlarms()` creates, one row an alarm: the single source of the alarms and of
 * the README's proxy alarm table (test/proxy-alarms.test.ts checks that the README shows this table).
 *
 * Metrics, dimensions, units and statistics are those of "Monitoring RDS Proxy metrics with Amazon CloudWatch"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html): RDS publishes them for
 * each node of the proxy and CloudWatch statistics aggregate them; `AvailabilityPercentage` has the dimensions
 * `ProxyName`, `TargetGroup`, `TargetRole` (Average); `DatabaseConnections`, `MaxDatabaseConnectionsAllowed` and
 * `DatabaseConnectionsCurrentlySessionPinned` have `ProxyName`, or `ProxyName`, `TargetGroup`, `TargetRole` (Sum);
 * `DatabaseConnectionsBorrowLatency` (microseconds, Average) and `ClientConnectionsSetupFailedAuth` (Sum) have
 * `ProxyName`. The "RDS Proxy monitoring dashboard" page
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-monitoring-dashboard.html) explains how
 * availability is computed, derives connection utilization (DatabaseConnections / MaxDatabaseConnectionsAllowed) and
 * the pinned share (DatabaseConnectionsCurrentlySessionPinned / DatabaseConnections), recommends at least 30 %
 * headroom in the pool and says that latency data points exist only when the value is above zero.
 *
 * AWS publishes no alarm thresholds for proxies; the defaults below are the library's, each with its reason.
 */

/** The metrics page. */
export const PROXY_METRICS_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html';
/** The dashboard page: availability, utilization and pinning explained. */
export const PROXY_DASHBOARD_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-monitoring-dashboard.html';

/** Which series of the proxy an alarm watches. */
export enum ProxyAlarmScope {
  /** The whole proxy (`ProxyName`). */
  PROXY = 'proxy',
  /** The writer role of the default target group (`ProxyName`, `TargetGroup`, `TargetRole=READ_WRITE`). */
  READ_WRITE = 'READ_WRITE',
  /**
   * The reader role (`TargetRole=READ_ONLY`): only on a proxy with a read-only endpoint, the only way traffic reaches
   * the readers through the proxy.
   */
  READ_ONLY = 'READ_ONLY',
}

/** The threshold options (`ProxyAlarmThresholds`). */
export type ProxyAlarmOption =
  | 'availabilityThreshold'
  | 'connectionUtilizationThreshold'
  | 'connectionBorrowLatencyThreshold'
  | 'sessionPinnedConnectionsThreshold'
  | 'clientConnectionsSetupFailedAuthThreshold';

/** One recommended proxy alarm. */
export interface ProxyAlarmSpec {
  /** The alarm's construct id under the proxy's `RecommendedAlarms` (construct ids are API: never rename). */
  readonly id: string;
  /** The metric as the README names it. */
  readonly metricText: string;
  readonly scope: ProxyAlarmScope;
  /** A single metric (`metricName`), or `100 * numerator / denominator` (both with `statistic`). */
  readonly metricName?: string;
  readonly ratio?: { readonly numerator: string; readonly denominator: string };
  /**
   * A single metric divided by 1000 (microseconds to milliseconds), so that a `Duration.millis()` threshold, token
   * or not, is passed through untouched.
   */
  readonly microsToMillis?: boolean;
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly datapointsToAlarm: number;
  readonly evaluationPeriods: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  readonly option: ProxyAlarmOption;
  /** The threshold as the README states it. */
  readonly thresholdText: string;
  /** Why the alarm exists and why its default (the alarm's description and the README's "why"). */
  readonly why: string;
  readonly source: string;
}

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
const MISSING = cloudwatch.TreatMissingData.MISSING;
const NOT_BREACHING = cloudwatch.TreatMissingData.NOT_BREACHING;

/** Defaults (the library's: AWS publishes none for proxies). */
export const DEFAULT_PROXY_AVAILABILITY_THRESHOLD = 100;
/** AWS recommends at least 30 % headroom between the pool's maximum and peak connections (dashboard page). */
export const DEFAULT_PROXY_CONNECTION_UTILIZATION_THRESHOLD = 70;
export const DEFAULT_PROXY_BORROW_LATENCY_THRESHOLD = Duration.millis(100);

const availability = (role: ProxyAlarmScope.READ_WRITE | ProxyAlarmScope.READ_ONLY): ProxyAlarmSpec => ({
  id: role === ProxyAlarmScope.READ_WRITE ? 'ReadWriteAvailability' : 'ReadOnlyAvailability',
  metricText: '`AvailabilityPercentage`',
  scope: role,
  metricName: 'AvailabilityPercentage',
  statistic: 'Average',
  periodSeconds: 60,
  datapointsToAlarm: 5,
  evaluationPeriods: 5,
  comparisonOperator: LT,
  // No data is not health: the alarm waits in INSUFFICIENT_DATA rather than report OK (some proxy metrics appear
  // only after the first connection).
  treatMissingData: MISSING,
  option: 'availabilityThreshold',
  thresholdText: '< 100 %',
  why:
    role === ProxyAlarmScope.READ_WRITE
      ? "Health checks of the writer failed from some or all proxy nodes for 5 minutes in a row (a short failover does not page): the default endpoint's clients fail."
      : "No reader answered the health checks of some or all proxy nodes for 5 minutes in a row: the read-only endpoint's clients fail.",
  source: PROXY_DASHBOARD_URL,
});

const utilization = (role: ProxyAlarmScope.READ_WRITE | ProxyAlarmScope.READ_ONLY): ProxyAlarmSpec => ({
  id: role === ProxyAlarmScope.READ_WRITE ? 'ReadWriteConnectionUtilization' : 'ReadOnlyConnectionUtilization',
  metricText: '100 × `DatabaseConnections` / `MaxDatabaseConnectionsAllowed`',
  scope: role,
  ratio: { numerator: 'DatabaseConnections', denominator: 'MaxDatabaseConnectionsAllowed' },
  statistic: 'Sum',
  periodSeconds: 60,
  datapointsToAlarm: 5,
  evaluationPeriods: 5,
  comparisonOperator: GT,
  treatMissingData: MISSING,
  option: 'connectionUtilizationThreshold',
  thresholdText: '> 70 % (AWS: keep at least 30 % headroom)',
  why:
    role === ProxyAlarmScope.READ_WRITE
      ? "The writer's connection pool has less headroom than AWS recommends: clients soon wait for connections; raise `max_connections` or `maxConnectionsPercent`."
      : "The readers' connection pool has less headroom than AWS recommends: clients soon wait for connections; add readers or raise `max_connections`.",
  source: PROXY_DASHBOARD_URL,
});

export const PROXY_ALARM_SPECS: readonly ProxyAlarmSpec[] = [
  availability(ProxyAlarmScope.READ_WRITE),
  availability(ProxyAlarmScope.READ_ONLY),
  utilization(ProxyAlarmScope.READ_WRITE),
  utilization(ProxyAlarmScope.READ_ONLY),
  {
    id: 'ConnectionBorrowLatency',
    metricText: '`DatabaseConnectionsBorrowLatency` (in ms)',
    scope: ProxyAlarmScope.PROXY,
    metricName: 'DatabaseConnectionsBorrowLatency',
    microsToMillis: true,
    statistic: 'Average',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    // Data points exist only when the latency is above zero: no traffic is no congestion.
    treatMissingData: NOT_BREACHING,
    option: 'connectionBorrowLatencyThreshold',
    thresholdText: '> 100 ms (average)',
    why: 'Clients waited on average more than 100 ms for a database connection for 5 minutes: the pool is congested (pinning, too small a pool, slow transactions).',
    source: PROXY_DASHBOARD_URL,
  },
  {
    id: 'SessionPinnedConnections',
    metricText: '100 × `DatabaseConnectionsCurrentlySessionPinned` / `DatabaseConnections`',
    scope: ProxyAlarmScope.PROXY,
    ratio: { numerator: 'DatabaseConnectionsCurrentlySessionPinned', denominator: 'DatabaseConnections' },
    statistic: 'Sum',
    periodSeconds: 60,
    datapointsToAlarm: 15,
    evaluationPeriods: 15,
    comparisonOperator: GT,
    // Without database connections nothing is pinned.
    treatMissingData: NOT_BREACHING,
    option: 'sessionPinnedConnectionsThreshold',
    thresholdText: "set by you (percent of the proxy's database connections); no alarm otherwise",
    why: 'Pinned connections are not shared between clients, so the proxy cannot multiplex them; how much pinning a workload tolerates is its own.',
    source: PROXY_DASHBOARD_URL,
  },
  {
    id: 'ClientConnectionsSetupFailedAuth',
    metricText: '`ClientConnectionsSetupFailedAuth`',
    scope: ProxyAlarmScope.PROXY,
    metricName: 'ClientConnectionsSetupFailedAuth',
    statistic: 'Sum',
    periodSeconds: 60,
    datapointsToAlarm: 5,
    evaluationPeriods: 5,
    comparisonOperator: GT,
    // Counts are published when connections fail: no data is no failure.
    treatMissingData: NOT_BREACHING,
    option: 'clientConnectionsSetupFailedAuthThreshold',
    thresholdText: 'set by you (failures a minute); no alarm otherwise',
    why: 'Client connections that fail authentication or TLS: a missing `rds-db:connect` grant, an expired token or a client without TLS; how many are normal depends on the clients.',
    source: PROXY_METRICS_URL,
  },
];

/** The thresholds of the proxy alarms (`ProxyAlarmThresholds`, without importing the public file). */
export interface ProxyThresholdValues {
  readonly availabilityThreshold?: number;
  readonly connectionUtilizationThreshold?: number;
  readonly connectionBorrowLatencyThreshold?: Duration;
  readonly sessionPinnedConnectionsThreshold?: number;
  readonly clientConnectionsSetupFailedAuthThreshold?: number;
}

/** The threshold of one alarm in the unit of its metric (milliseconds for the borrow latency), or undefined for none. */
export function proxyThreshold(spec: ProxyAlarmSpec, t: ProxyThresholdValues): number | undefined {
  switch (spec.option) {
    case 'availabilityThreshold':
      return t.availabilityThreshold ?? DEFAULT_PROXY_AVAILABILITY_THRESHOLD;
    case 'connectionUtilizationThreshold':
      return t.connectionUtilizationThreshold ?? DEFAULT_PROXY_CONNECTION_UTILIZATION_THRESHOLD;
    case 'connectionBorrowLatencyThreshold':
      // toMilliseconds() passes a Duration.millis(token) through; other units of a token are refused by aws-cdk-lib.
      return (t.connectionBorrowLatencyThreshold ?? DEFAULT_PROXY_BORROW_LATENCY_THRESHOLD).toMilliseconds({
        integral: false,
      });
    case 'sessionPinnedConnectionsThreshold':
      return t.sessionPinnedConnectionsThreshold;
    case 'clientConnectionsSetupFailedAuthThreshold':
      return t.clientConnectionsSetupFailedAuthThreshold;
  }
}

/** The options whose value is a token, so that their range could not be checked. */
export function unresolvedProxyThresholds(t: ProxyThresholdValues, prefix = ''): string[] {
  const numbers: Array<[ProxyAlarmOption, number | undefined]> = [
    ['availabilityThreshold', t.availabilityThreshold],
    ['connectionUtilizationThreshold', t.connectionUtilizationThreshold],
    ['sessionPinnedConnectionsThreshold', t.sessionPinnedConnectionsThreshold],
    ['clientConnectionsSetupFailedAuthThreshold', t.clientConnectionsSetupFailedAuthThreshold],
  ];
  const names = numbers.filter(([, v]) => typeof v === 'number' && Token.isUnresolved(v)).map(([k]) => k);
  if (t.connectionBorrowLatencyThreshold?.isUnresolved()) names.push('connectionBorrowLatencyThreshold');
  return names.map((k) => `${prefix}${k}`);
}

/** Warns that thresholds given as tokens were passed through without the range check. */
export function warnUncheckedThresholds(scope: IConstruct, names: string[]): void {
  if (names.length === 0) return;
  Annotations.of(scope).addWarningV2(
    'cdk-aurora-baseline:proxyAlarmThresholdUnchecked',
    `${names.join(', ')} ${names.length === 1 ? 'is a token' : 'are tokens'}, passed through without the range check: make sure ${
      names.length === 1 ? 'it is' : 'they are'
    } in the documented range (${PROXY_METRICS_URL})`,
  );
}

/**
 * The ranges of the thresholds, checked at synth (tokens are skipped; the caller warns about them). `prefix` names
 * where the options were given (`proxyAlarmThresholds.` under the cluster's options).
 */
export function proxyThresholdRules(t: ProxyThresholdValues, prefix = ''): Rule[] {
  const percent = (
    name: ProxyAlarmOption,
    value: number | undefined,
    min: number,
    minInclusive: boolean,
    max: number,
    maxInclusive: boolean,
    why: string,
  ): Rule[] => [
    numberRule(`${prefix}${name}`, value, `pass a percentage such as ${name === 'availabilityThreshold' ? 100 : 70}`),
    {
      condition:
        known(value) && ((minInclusive ? value < min : value <= min) || (maxInclusive ? value > max : value >= max)),
      prop: `${prefix}${name}`,
      message: `must be ${minInclusive ? 'at least' : 'above'} ${min} and ${maxInclusive ? 'at most' : 'below'} ${max} (a percentage; ${why}), got ${value}`,
      doc: PROXY_DASHBOARD_URL,
      fix: `pass a percentage in that range${name === 'availabilityThreshold' ? ', such as 100' : ''}`,
    },
  ];
  const borrow = t.connectionBorrowLatencyThreshold;
  const borrowMillis =
    borrow !== undefined && typeof (borrow as Duration).toSeconds === 'function' && !borrow.isUnresolved()
      ? borrow.toMilliseconds({ integral: false })
      : undefined;
  const failed = t.clientConnectionsSetupFailedAuthThreshold;
  return [
    ...percent(
      'availabilityThreshold',
      t.availabilityThreshold,
      0,
      false,
      100,
      true,
      'the alarm fires below it, so 0 never fires',
    ),
    ...percent(
      'connectionUtilizationThreshold',
      t.connectionUtilizationThreshold,
      0,
      false,
      100,
      false,
      'the alarm fires above it, so 100 never fires',
    ),
    ...percent(
      'sessionPinnedConnectionsThreshold',
      t.sessionPinnedConnectionsThreshold,
      0,
      true,
      100,
      false,
      'the alarm fires above it, so 100 never fires',
    ),
    durationRule(`${prefix}connectionBorrowLatencyThreshold`, borrow, 'Duration.millis(100)'),
    {
      condition: borrowMillis !== undefined && borrowMillis <= 0,
      prop: `${prefix}connectionBorrowLatencyThreshold`,
      message: `must be above zero (latency data points exist only above zero, so the alarm would fire on any traffic), got ${borrowMillis} ms`,
      doc: PROXY_DASHBOARD_URL,
      fix: 'pass a duration such as Duration.millis(100)',
    },
    numberRule(`${prefix}clientConnectionsSetupFailedAuthThreshold`, failed, 'pass a count of failures a minute'),
    {
      condition: known(failed) && (failed < 0 || !Number.isInteger(failed)),
      prop: `${prefix}clientConnectionsSetupFailedAuthThreshold`,
      message: `must be a whole number of failed connections a minute, 0 or more, got ${failed}`,
      doc: PROXY_METRICS_URL,
      fix: 'pass a count such as 0 (alarm on any failure) or 10',
    },
  ];
}

/** The README's proxy alarm table (between `<!-- proxy-alarm-table:start` and `<!-- proxy-alarm-table:end -->`). */
export function renderProxyAlarmTable(): string {
  const scope: Record<ProxyAlarmScope, string> = {
    [ProxyAlarmScope.PROXY]: 'proxy',
    [ProxyAlarmScope.READ_WRITE]: 'target role READ_WRITE',
    [ProxyAlarmScope.READ_ONLY]: 'target role READ_ONLY (with a read-only endpoint)',
  };
  const op: Record<string, string> = { [GT]: '>', [LT]: '<' };
  const missing: Record<string, string> = { [MISSING]: 'missing', [NOT_BREACHING]: 'not breaching' };
  return [
    '| metric | on | statistic, period, datapoints | missing data | threshold | option | why |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...PROXY_ALARM_SPECS.map(
      (s) =>
        `| ${s.metricText} | ${scope[s.scope]} | ${s.statistic}, ${s.periodSeconds} s, ${s.datapointsToAlarm} of ${
          s.evaluationPeriods
        } (${op[s.comparisonOperator]}) | ${missing[s.treatMissingData]} | ${s.thresholdText} | \`${s.option}\` | ${
          s.why
        } [source](${s.source}) |`,
    ),
  ].join('\n');
}
