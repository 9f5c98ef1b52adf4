import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AuroraCluster,
  AuroraClusterProps,
  AuroraProxy,
  AuroraProxyEndpointRole,
  AuroraProxyOptions,
  AuroraProxyRecommendedAlarms,
  ProxyRecommendedAlarmsOptions,
} from '../src';
import { POSTGRES_16_4, testStack, testVpc } from './util';
import { renderProxyAlarmTable } from '../src/private/proxy-alarm-specs';

const METRICS_URL = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html';
const DASHBOARD_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-monitoring-dashboard.html';

interface BuildInput {
  readonly cluster?: Partial<AuroraClusterProps>;
  readonly proxy?: AuroraProxyOptions;
  readonly alarms?: ProxyRecommendedAlarmsOptions;
}

/** A cluster (a writer and a reader by default) with a proxy and the proxy's recommended alarms. */
function build(input: BuildInput = {}) {
  const stack = testStack(new App());
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), ...input.cluster });
  const proxy = db.addAuroraProxy('Proxy', input.proxy);
  const alarms = proxy.addRecommendedAlarms(input.alarms);
  return { stack, db, proxy, alarms, template: Template.fromStack(stack) };
}

/** The alarm whose logical id starts with `prefix` (construct path without slashes). */
function alarm(template: Template, prefix: string) {
  const found = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).filter(([id]) =>
    id.startsWith(prefix),
  );
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0][1].Properties;
}

/** The logical ids of the alarms under a proxy's `RecommendedAlarms`. */
function proxyAlarmIds(template: Template, proxyPrefix = 'DbProxyRecommendedAlarms'): string[] {
  return Object.keys(template.findResources('AWS::CloudWatch::Alarm'))
    .filter((id) => id.startsWith(proxyPrefix))
    .map((id) => id.slice(proxyPrefix.length).replace(/[0-9A-F]{8}$/, ''))
    .sort();
}

const ref = (template: Template, type: string, prefix: string) => ({
  Ref: Object.keys(template.findResources(type)).find((id) => id.startsWith(prefix)),
});

describe('AuroraProxy.addRecommendedAlarms', () => {
  describe('defaults (a cluster with a reader: the proxy has a read-only endpoint)', () => {
    const { template, stack, proxy, alarms } = build();
    const proxyName = stack.resolve(proxy.dbProxyName);
    const topicRef = ref(template, 'AWS::SNS::Topic', 'DbOperationsTopic');
    const role = (r: string) => [
      { Name: 'ProxyName', Value: proxyName },
      { Name: 'TargetGroup', Value: 'default' },
      { Name: 'TargetRole', Value: r },
    ];

    test('five alarms: availability and pool utilization of both roles, and the borrow latency', () => {
      expect(proxyAlarmIds(template)).toEqual([
        'ConnectionBorrowLatency',
        'ReadOnlyAvailability',
        'ReadOnlyConnectionUtilization',
        'ReadWriteAvailability',
        'ReadWriteConnectionUtilization',
      ]);
      expect(alarms.alarms).toHaveLength(5);
      expect(alarms.node.path).toEqual('TestStack/Db/Proxy/RecommendedAlarms');
    });

    test.each(['READ_WRITE', 'READ_ONLY'])(
      'AvailabilityPercentage of the %s role: Average, 60 s, below 100 five minutes in a row, missing data is missing',
      (r) => {
        const p = alarm(
          template,
          `DbProxyRecommendedAlarms${r === 'READ_WRITE' ? 'ReadWrite' : 'ReadOnly'}Availability`,
        );
        expect(p).toEqual(
          expect.objectContaining({
            Namespace: 'AWS/RDS',
            MetricName: 'AvailabilityPercentage',
            Dimensions: role(r),
            Statistic: 'Average',
            Period: 60,
            Threshold: 100,
            ComparisonOperator: 'LessThanThreshold',
            DatapointsToAlarm: 5,
            EvaluationPeriods: 5,
            TreatMissingData: 'missing',
            ActionsEnabled: true,
            AlarmActions: [topicRef],
            OKActions: [topicRef],
          }),
        );
        expect(p.AlarmDescription).toContain('RDS Proxy TestStack/Db/Proxy');
        expect(p.AlarmDescription).toContain(`target role ${r}`);
        expect(p.AlarmDescription).toContain(DASHBOARD_URL);
      },
    );

    test.each(['READ_WRITE', 'READ_ONLY'])(
      'pool utilization of the %s role: 100 * DatabaseConnections / MaxDatabaseConnectionsAllowed (Sum) above 70',
      (r) => {
        const p = alarm(
          template,
          `DbProxyRecommendedAlarms${r === 'READ_WRITE' ? 'ReadWrite' : 'ReadOnly'}ConnectionUtilization`,
        );
        const stat = (metricName: string, id: string) => ({
          Id: id,
          MetricStat: {
            Metric: { Namespace: 'AWS/RDS', MetricName: metricName, Dimensions: role(r) },
            Period: 60,
            Stat: 'Sum',
          },
          ReturnData: false,
        });
        expect(p.Metrics).toEqual([
          expect.objectContaining({ Expression: '100 * numerator / denominator', ReturnData: true }),
          stat('DatabaseConnections', 'numerator'),
          stat('MaxDatabaseConnectionsAllowed', 'denominator'),
        ]);
        expect(p).toEqual(
          expect.objectContaining({
            Threshold: 70,
            ComparisonOperator: 'GreaterThanThreshold',
            DatapointsToAlarm: 5,
            EvaluationPeriods: 5,
            TreatMissingData: 'missing',
            AlarmActions: [topicRef],
            OKActions: [topicRef],
          }),
        );
        expect(p.AlarmDescription).toContain('less headroom than AWS recommends');
      },
    );

    test('DatabaseConnectionsBorrowLatency of the proxy, in ms (micros / 1000), Average above 100 ms; no data is not breaching', () => {
      const p = alarm(template, 'DbProxyRecommendedAlarmsConnectionBorrowLatency');
      expect(p.Metrics).toEqual([
        expect.objectContaining({ Expression: 'micros / 1000', ReturnData: true }),
        {
          Id: 'micros',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: 'DatabaseConnectionsBorrowLatency',
              Dimensions: [{ Name: 'ProxyName', Value: proxyName }],
            },
            Period: 60,
            Stat: 'Average',
          },
          ReturnData: false,
        },
      ]);
      expect(p).toEqual(
        expect.objectContaining({
          Threshold: 100,
          ComparisonOperator: 'GreaterThanThreshold',
          DatapointsToAlarm: 5,
          TreatMissingData: 'notBreaching',
          AlarmActions: [topicRef],
          OKActions: [topicRef],
        }),
      );
    });

    test("the alarms notify the cluster's operations topic: no second topic", () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      expect(alarms.topic.node.path).toEqual('TestStack/Db/OperationsTopic');
    });
  });

  describe('thresholds', () => {
    test('every threshold can be overridden; pinning and failed authentication alarm only with a threshold', () => {
      // GIVEN / WHEN
      const { template, stack, proxy } = build({
        alarms: {
          availabilityThreshold: 95,
          connectionUtilizationThreshold: 85,
          connectionBorrowLatencyThreshold: Duration.millis(250),
          sessionPinnedConnectionsThreshold: 20,
          clientConnectionsSetupFailedAuthThreshold: 3,
        },
      });
      // THEN
      const t = (id: string) => alarm(template, `DbProxyRecommendedAlarms${id}`).Threshold;
      expect(t('ReadWriteAvailability')).toEqual(95);
      expect(t('ReadOnlyAvailability')).toEqual(95);
      expect(t('ReadWriteConnectionUtilization')).toEqual(85);
      expect(t('ReadOnlyConnectionUtilization')).toEqual(85);
      expect(t('ConnectionBorrowLatency')).toEqual(250);
      const proxyDimension = [{ Name: 'ProxyName', Value: stack.resolve(proxy.dbProxyName) }];
      const pinned = alarm(template, 'DbProxyRecommendedAlarmsSessionPinnedConnections');
      expect(pinned).toEqual(
        expect.objectContaining({
          Threshold: 20,
          ComparisonOperator: 'GreaterThanThreshold',
          DatapointsToAlarm: 15,
          EvaluationPeriods: 15,
          TreatMissingData: 'notBreaching',
        }),
      );
      expect(pinned.Metrics.map((m: any) => m.MetricStat?.Metric.MetricName ?? m.Expression)).toEqual([
        '100 * numerator / denominator',
        'DatabaseConnectionsCurrentlySessionPinned',
        'DatabaseConnections',
      ]);
      expect(pinned.Metrics[1].MetricStat).toEqual(
        expect.objectContaining({ Stat: 'Sum', Metric: expect.objectContaining({ Dimensions: proxyDimension }) }),
      );
      expect(alarm(template, 'DbProxyRecommendedAlarmsClientConnectionsSetupFailedAuth')).toEqual(
        expect.objectContaining({
          MetricName: 'ClientConnectionsSetupFailedAuth',
          Dimensions: proxyDimension,
          Statistic: 'Sum',
          Period: 60,
          Threshold: 3,
          ComparisonOperator: 'GreaterThanThreshold',
          DatapointsToAlarm: 5,
          TreatMissingData: 'notBreaching',
        }),
      );
    });

    test('thresholds that are tokens are passed through untouched, with a warning that they were not checked', () => {
      // GIVEN
      const stack = testStack(new App());
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const availability = new CfnParameter(stack, 'Availability', { type: 'Number' }).valueAsNumber;
      const latency = new CfnParameter(stack, 'LatencyMillis', { type: 'Number' }).valueAsNumber;
      // WHEN
      db.addAuroraProxy('Proxy').addRecommendedAlarms({
        availabilityThreshold: availability,
        connectionBorrowLatencyThreshold: Duration.millis(latency),
      });
      // THEN
      const template = Template.fromStack(stack);
      expect(alarm(template, 'DbProxyRecommendedAlarmsReadWriteAvailability').Threshold).toEqual({
        Ref: 'Availability',
      });
      expect(alarm(template, 'DbProxyRecommendedAlarmsConnectionBorrowLatency').Threshold).toEqual({
        Ref: 'LatencyMillis',
      });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db/Proxy/RecommendedAlarms',
        Match.stringLikeRegexp(
          'availabilityThreshold, connectionBorrowLatencyThreshold are tokens, passed through without the range check',
        ),
      );
    });
  });

  describe('validation', () => {
    test.each<[string, ProxyRecommendedAlarmsOptions, RegExp]>([
      [
        'availability 0',
        { availabilityThreshold: 0 },
        /^TestStack\/Db\/Proxy\/RecommendedAlarms: availabilityThreshold: must be above 0 and at most 100 .*, got 0 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/rds-proxy-monitoring-dashboard\.html\); pass a percentage in that range, such as 100$/,
      ],
      [
        'availability above 100',
        { availabilityThreshold: 101 },
        /availabilityThreshold: must be above 0 and at most 100/,
      ],
      [
        'utilization 100',
        { connectionUtilizationThreshold: 100 },
        /: connectionUtilizationThreshold: must be above 0 and below 100 \(a percentage; the alarm fires above it, so 100 never fires\), got 100 \(https:/,
      ],
      [
        'utilization negative',
        { connectionUtilizationThreshold: -5 },
        /connectionUtilizationThreshold: must be above 0/,
      ],
      [
        'pinned 150',
        { sessionPinnedConnectionsThreshold: 150 },
        /sessionPinnedConnectionsThreshold: must be at least 0/,
      ],
      ['pinned NaN', { sessionPinnedConnectionsThreshold: NaN }, /sessionPinnedConnectionsThreshold: is NaN/],
      [
        'borrow latency zero',
        { connectionBorrowLatencyThreshold: Duration.millis(0) },
        /: connectionBorrowLatencyThreshold: must be above zero .*, got 0 ms \(https:.*rds-proxy-monitoring-dashboard\.html\); pass a duration such as Duration\.millis\(100\)$/,
      ],
      [
        'borrow latency not a Duration',
        { connectionBorrowLatencyThreshold: 100 as unknown as Duration },
        /: connectionBorrowLatencyThreshold: must be a Duration, got number 100; use Duration\.millis\(100\)/,
      ],
      [
        'failed authentications negative',
        { clientConnectionsSetupFailedAuthThreshold: -1 },
        /: clientConnectionsSetupFailedAuthThreshold: must be a whole number of failed connections a minute, 0 or more, got -1 \(https:.*rds-proxy\.monitoring\.html\); pass a count/,
      ],
      [
        'failed authentications fractional',
        { clientConnectionsSetupFailedAuthThreshold: 1.5 },
        /clientConnectionsSetupFailedAuthThreshold: must be a whole number/,
      ],
    ])('%s is rejected at synth', (_, options, error) => {
      expect(() => build({ alarms: options })).toThrow(error);
    });

    test('a negative duration cannot even be built (aws-cdk-lib refuses it)', () => {
      expect(() => Duration.millis(-1)).toThrow(/Duration amounts cannot be negative/);
    });

    test("the cluster's proxyAlarmThresholds are checked when the cluster's alarms are added, proxy or not", () => {
      const stack = testStack(new App());
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      expect(() => db.addRecommendedAlarms({ proxyAlarmThresholds: { connectionUtilizationThreshold: 120 } })).toThrow(
        /^TestStack\/Db\/RecommendedAlarms: proxyAlarmThresholds\.connectionUtilizationThreshold: must be above 0 and below 100/,
      );
    });
  });

  describe('the read-only role', () => {
    test('a proxy without a read-only endpoint gets no READ_ONLY alarm', () => {
      const { template } = build({ proxy: { enableReadOnlyEndpoint: false } });
      expect(proxyAlarmIds(template)).toEqual([
        'ConnectionBorrowLatency',
        'ReadWriteAvailability',
        'ReadWriteConnectionUtilization',
      ]);
    });

    test('a writer-only cluster: no read-only endpoint, no READ_ONLY alarm', () => {
      const { template } = build({ cluster: { readers: [] } });
      expect(proxyAlarmIds(template)).not.toContain('ReadOnlyAvailability');
    });

    test('a read-only endpoint added after the alarms gets the READ_ONLY alarms, once', () => {
      // GIVEN
      const stack = testStack(new App());
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const proxy = db.addAuroraProxy('Proxy', { enableReadOnlyEndpoint: false });
      const alarms = proxy.addRecommendedAlarms();
      // WHEN
      proxy.addEndpoint('Writes', { targetRole: AuroraProxyEndpointRole.READ_WRITE });
      proxy.addEndpoint('Reports', { targetRole: AuroraProxyEndpointRole.READ_ONLY });
      proxy.addEndpoint('Analytics', { targetRole: AuroraProxyEndpointRole.READ_ONLY });
      // THEN
      const template = Template.fromStack(stack);
      expect(proxyAlarmIds(template)).toEqual([
        'ConnectionBorrowLatency',
        'ReadOnlyAvailability',
        'ReadOnlyConnectionUtilization',
        'ReadWriteAvailability',
        'ReadWriteConnectionUtilization',
      ]);
      expect(alarms.alarms).toHaveLength(5);
    });
  });

  describe('the topic', () => {
    test("the user's topic is notified and no topic is created", () => {
      const stack = testStack(new App());
      const pager = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const alarms = db.addAuroraProxy('Proxy').addRecommendedAlarms({ topic: pager });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 0);
      expect(alarms.topic).toBe(pager);
      for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(a.Properties.AlarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:pager']);
        expect(a.Properties.OKActions).toEqual(['arn:aws:sns:us-east-1:123456789012:pager']);
      }
    });

    test('a proxy of an imported cluster gets an encrypted, TLS-only topic of its own', () => {
      // GIVEN
      const stack = testStack(new App());
      const vpc = testVpc(stack);
      const legacy = AuroraCluster.fromAuroraClusterAttributes(stack, 'Legacy', {
        clusterIdentifier: 'legacy-orders',
        clusterResourceIdentifier: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
        engine: POSTGRES_16_4,
        port: 5432,
        vpc,
        securityGroups: [new ec2.SecurityGroup(stack, 'LegacySg', { vpc, allowAllOutbound: false })],
        instanceIdentifiers: ['legacy-orders-writer', 'legacy-orders-reader'],
      });
      // WHEN
      const alarms = new AuroraProxy(stack, 'Proxy', { cluster: legacy }).addRecommendedAlarms();
      // THEN
      const template = Template.fromStack(stack);
      expect(alarms.topic.node.path).toEqual('TestStack/Proxy/OperationsTopic');
      const keyId = Object.keys(template.findResources('AWS::KMS::Key')).find((id) =>
        id.startsWith('ProxyOperationsTopicKey'),
      )!;
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
        Description: 'Notifications of RDS Proxy TestStack/Proxy: alarms and RDS events',
        EnableKeyRotation: true,
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      // two instance identifiers: a read-only endpoint, so both roles are watched
      expect(proxyAlarmIds(template, 'ProxyRecommendedAlarms')).toContain('ReadOnlyAvailability');
      for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(a.Properties.AlarmActions).toEqual([ref(template, 'AWS::SNS::Topic', 'ProxyOperationsTopic')]);
      }
    });
  });

  describe('with the cluster', () => {
    test("cluster.addRecommendedAlarms() covers a proxy created before it, with the cluster's topic and proxyAlarmThresholds", () => {
      // GIVEN
      const stack = testStack(new App());
      const pager = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const proxy = db.addAuroraProxy('Proxy');
      // WHEN
      db.addRecommendedAlarms({ topic: pager, proxyAlarmThresholds: { connectionUtilizationThreshold: 80 } });
      // THEN
      const template = Template.fromStack(stack);
      expect(proxyAlarmIds(template)).toHaveLength(5);
      expect(alarm(template, 'DbProxyRecommendedAlarmsReadWriteConnectionUtilization')).toEqual(
        expect.objectContaining({ Threshold: 80, AlarmActions: ['arn:aws:sns:us-east-1:123456789012:pager'] }),
      );
      expect(proxy.node.tryFindChild('RecommendedAlarms')).toBeInstanceOf(AuroraProxyRecommendedAlarms);
    });

    test('a proxy created after cluster.addRecommendedAlarms() gets its alarms too, and so does a second proxy', () => {
      // GIVEN
      const stack = testStack(new App());
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const clusterAlarms = db.addRecommendedAlarms();
      // WHEN
      db.addAuroraProxy('Proxy');
      new AuroraProxy(stack, 'Reporting', { cluster: db, enableReadOnlyEndpoint: false });
      // THEN
      const template = Template.fromStack(stack);
      expect(proxyAlarmIds(template)).toHaveLength(5);
      expect(proxyAlarmIds(template, 'ReportingRecommendedAlarms')).toEqual([
        'ConnectionBorrowLatency',
        'ReadWriteAvailability',
        'ReadWriteConnectionUtilization',
      ]);
      const topicRef = ref(template, 'AWS::SNS::Topic', 'DbOperationsTopic');
      template.resourceCountIs('AWS::SNS::Topic', 1);
      expect(clusterAlarms.topic.node.path).toEqual('TestStack/Db/OperationsTopic');
      expect(alarm(template, 'ReportingRecommendedAlarmsReadWriteAvailability').AlarmActions).toEqual([topicRef]);
    });

    test("the proxy's own alarms, added first, win: the cluster adds none to that proxy", () => {
      // GIVEN
      const stack = testStack(new App());
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const own = db.addAuroraProxy('Proxy').addRecommendedAlarms({ connectionUtilizationThreshold: 60 });
      // WHEN
      db.addRecommendedAlarms({ proxyAlarmThresholds: { connectionUtilizationThreshold: 90 } });
      // THEN
      const template = Template.fromStack(stack);
      expect(proxyAlarmIds(template)).toHaveLength(5);
      expect(alarm(template, 'DbProxyRecommendedAlarmsReadWriteConnectionUtilization').Threshold).toEqual(60);
      expect(own.alarms).toHaveLength(5);
    });

    test("proxy.addRecommendedAlarms() without options after the cluster's returns the alarms the cluster gave it", () => {
      const stack = testStack(new App());
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      db.addRecommendedAlarms();
      const proxy = db.addAuroraProxy('Proxy');
      const first = proxy.node.tryFindChild('RecommendedAlarms');
      expect(proxy.addRecommendedAlarms()).toBe(first);
      expect(proxyAlarmIds(Template.fromStack(stack))).toHaveLength(5);
    });

    test("proxy.addRecommendedAlarms() with options after the cluster's is an error that says how to fix it", () => {
      const stack = testStack(new App());
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      db.addRecommendedAlarms();
      const proxy = db.addAuroraProxy('Proxy');
      expect(() => proxy.addRecommendedAlarms({ connectionUtilizationThreshold: 80 })).toThrow(
        /^TestStack\/Db\/Proxy: addRecommendedAlarms: the proxy already has the recommended alarms that TestStack\/Db\/RecommendedAlarms gave it, so these options would be ignored \(https:.*rds-proxy\.monitoring\.html\); call proxy\.addRecommendedAlarms\(\) before the cluster's addRecommendedAlarms\(\), or pass the proxy's thresholds to the cluster's addRecommendedAlarms\(\) as proxyAlarmThresholds$/,
      );
    });

    test('proxy.addRecommendedAlarms() twice is an error', () => {
      const { proxy } = build();
      expect(() => proxy.addRecommendedAlarms()).toThrow(
        /^TestStack\/Db\/Proxy: addRecommendedAlarms: the proxy already has its recommended alarms \(https:.*\); call addRecommendedAlarms\(\) once per proxy$/,
      );
    });

    test('an imported cluster has no addRecommendedAlarms(): its proxies get alarms only from their own call', () => {
      const stack = testStack(new App());
      const vpc = testVpc(stack);
      const legacy = AuroraCluster.fromAuroraClusterAttributes(stack, 'Legacy', {
        clusterIdentifier: 'legacy-orders',
        engine: POSTGRES_16_4,
        port: 5432,
        vpc,
        securityGroups: [new ec2.SecurityGroup(stack, 'LegacySg', { vpc, allowAllOutbound: false })],
      });
      new AuroraProxy(stack, 'Proxy', { cluster: legacy });
      Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    });
  });

  test('the README proxy alarm table is the one the code creates (regenerate it with `npx projen compliance:report`)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
    const start = readme.indexOf('<!-- proxy-alarm-table:start');
    const end = readme.indexOf('<!-- proxy-alarm-table:end -->');
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end).split('\n').slice(1).join('\n').trim()).toEqual(renderProxyAlarmTable());
  });

  test('the metric facts are cited in every description', () => {
    const { template } = build({ alarms: { clientConnectionsSetupFailedAuthThreshold: 0 } });
    const failed = alarm(template, 'DbProxyRecommendedAlarmsClientConnectionsSetupFailedAuth');
    expect(failed.Threshold).toEqual(0);
    expect(failed.AlarmDescription).toContain(METRICS_URL);
    for (const a of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      if (!a.Properties.AlarmDescription.includes('RDS Proxy')) continue;
      expect(a.Properties.AlarmDescription).toMatch(
        /https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/rds-proxy/,
      );
    }
  });
});
