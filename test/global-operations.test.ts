import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AuroraCluster,
  AuroraDashboard,
  AuroraEventSubscriptions,
  AuroraGlobalDatabase,
  AuroraSecondaryClusterOptions,
} from '../src';
import { MYSQL_3_04, POSTGRES_16_4, R6G_LARGE, testStack, testVpc } from './util';

const ACCOUNT = '123456789012';

/** A primary in us-east-1 and its Global Database; `secondary()` adds one in another Region's stack. */
function globalDb(engine: rds.IClusterEngine = POSTGRES_16_4, readers?: rds.IClusterInstance[]) {
  const app = new App();
  const primaryStack = testStack(app, 'Primary', { account: ACCOUNT, region: 'us-east-1' });
  const primary = new AuroraCluster(primaryStack, 'Db', {
    engine,
    vpc: testVpc(primaryStack),
    globalDatabasePrimary: true,
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
    readers,
  });
  const global = new AuroraGlobalDatabase(primaryStack, 'Global', { primary });
  const secondary = (stackId: string, region: string, options: Partial<AuroraSecondaryClusterOptions> = {}) => {
    const stack = testStack(app, stackId, { account: ACCOUNT, region });
    const db = global.addSecondary(stack, 'Db', { vpc: testVpc(stack), readers, ...options });
    return { stack, db };
  };
  return { app, primaryStack, primary, global, secondary };
}

function alarmsOf(template: Template, metricName: string): any[] {
  return Object.values(
    template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
  ).map((r: any) => r.Properties);
}

describe('AuroraSecondaryCluster.addRecommendedAlarms', () => {
  test('an RPO lag alarm on the secondary, in its stack: maximum, 60 s, 5 of 5 above 30 s, actions to its topic', () => {
    // GIVEN an Aurora PostgreSQL secondary in eu-west-1 WHEN its alarms are added
    const { secondary } = globalDb();
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    db.addRecommendedAlarms();
    const template = Template.fromStack(stack);
    // THEN the lag alarm watches AuroraGlobalDBRPOLag of the secondary's identifier
    const [lag] = alarmsOf(template, 'AuroraGlobalDBRPOLag');
    expect(lag).toMatchObject({
      Namespace: 'AWS/RDS',
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 5,
      Threshold: 30_000,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: stack.resolve(db.clusterIdentifier) }],
    });
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };
    expect(lag.AlarmActions).toEqual([topicRef]);
    expect(lag.OKActions).toEqual([topicRef]);
    expect(lag.AlarmDescription).toContain('aurora-global-database-disaster-recovery.html');
    // and no replication lag alarm: the engine publishes the RPO lag
    expect(alarmsOf(template, 'AuroraGlobalDBReplicationLag')).toHaveLength(0);
  });

  test("the secondary's topic is encrypted with a key of its own and refuses publishing without TLS", () => {
    const { secondary } = globalDb();
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    db.addRecommendedAlarms();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('the instance alarms of the readers: CPU, latency, buffer cache; Serverless v2 memory and ACU utilization', () => {
    // GIVEN the default secondary (one Serverless v2 reader)
    const { secondary } = globalDb();
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    db.addRecommendedAlarms();
    const template = Template.fromStack(stack);
    const readerRef = {
      Ref: Object.keys(template.findResources('AWS::RDS::DBInstance')).find((id) => id.includes('Reader')),
    };
    for (const metric of [
      'CPUUtilization',
      'ReadLatency',
      'WriteLatency',
      'BufferCacheHitRatio',
      'FreeableMemory',
      'ACUUtilization',
    ]) {
      const found = alarmsOf(template, metric);
      expect(found).toHaveLength(1);
      expect(found[0].Dimensions).toEqual([{ Name: 'DBInstanceIdentifier', Value: readerRef }]);
    }
  });

  test('no writer, reader-role or volume alarms on a secondary: the primary has them', () => {
    const { secondary } = globalDb(MYSQL_3_04);
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    db.addRecommendedAlarms({ auroraReplicaLagThreshold: Duration.seconds(1) });
    const template = Template.fromStack(stack);
    for (const metric of ['EngineUptime', 'AuroraVolumeBytesLeftTotal', 'AuroraReplicaLagMaximum']) {
      expect(alarmsOf(template, metric)).toHaveLength(0);
    }
  });

  test("the primary's alarms have no global lag alarm: only secondaries publish it", () => {
    const { primaryStack, primary } = globalDb();
    primary.addRecommendedAlarms();
    const template = Template.fromStack(primaryStack);
    expect(alarmsOf(template, 'AuroraGlobalDBRPOLag')).toHaveLength(0);
    expect(alarmsOf(template, 'AuroraGlobalDBReplicationLag')).toHaveLength(0);
    expect(alarmsOf(template, 'EngineUptime')).toHaveLength(1);
  });

  const MYSQL_2_11 = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_11_2 });
  const MYSQL_2_12 = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_12_0 });
  const MYSQL_3_03 = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_03_1 });
  test.each([
    // engine, metric watched, engine object
    ['Aurora MySQL 3.04.0', 'AuroraGlobalDBRPOLag', MYSQL_3_04],
    ['Aurora MySQL 3.03.1', 'AuroraGlobalDBReplicationLag', MYSQL_3_03],
    ['Aurora MySQL 2.11.2', 'AuroraGlobalDBReplicationLag', MYSQL_2_11],
    ['Aurora MySQL 2.12.0', 'AuroraGlobalDBRPOLag', MYSQL_2_12],
    ['Aurora PostgreSQL 16.4', 'AuroraGlobalDBRPOLag', POSTGRES_16_4],
  ])('%s: the lag alarm watches %s', (_name, metric, engine) => {
    // GIVEN a secondary of an engine version (provisioned readers: Aurora MySQL 2 has no Serverless v2)
    const { secondary } = globalDb(engine, [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })]);
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    // WHEN alarms are added THEN the lag metric is the one the version publishes
    db.addRecommendedAlarms();
    const template = Template.fromStack(stack);
    const other = metric === 'AuroraGlobalDBRPOLag' ? 'AuroraGlobalDBReplicationLag' : 'AuroraGlobalDBRPOLag';
    expect(alarmsOf(template, metric)).toHaveLength(1);
    expect(alarmsOf(template, other)).toHaveLength(0);
  });

  test('the lag threshold and the topic can be given', () => {
    const { secondary } = globalDb();
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    const topic = new sns.Topic(stack, 'Pager');
    const alarms = db.addRecommendedAlarms({ globalLagThreshold: Duration.seconds(5), topic });
    const template = Template.fromStack(stack);
    const [lag] = alarmsOf(template, 'AuroraGlobalDBRPOLag');
    expect(lag.Threshold).toEqual(5_000);
    expect(lag.AlarmActions).toEqual([{ Ref: stack.getLogicalId(topic.node.defaultChild as sns.CfnTopic) }]);
    expect(alarms.topic).toBe(topic);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('a lag threshold of 0 is rejected at synth, naming the path, the property and the AWS page', () => {
    const { secondary } = globalDb();
    const { db } = secondary('Secondary', 'eu-west-1');
    expect(() => db.addRecommendedAlarms({ globalLagThreshold: Duration.seconds(0) })).toThrow(
      /Secondary\/Db\/RecommendedAlarms: globalLagThreshold: must be longer than 0 ms.*aurora-global-database-disaster-recovery\.html/,
    );
  });

  test('a headless secondary gets the lag alarm and no instance alarm', () => {
    const { secondary } = globalDb();
    const { stack, db } = secondary('Secondary', 'eu-west-1', { readers: [] });
    const alarms = db.addRecommendedAlarms();
    expect(alarms.alarms).toHaveLength(1);
    expect(alarmsOf(Template.fromStack(stack), 'AuroraGlobalDBRPOLag')).toHaveLength(1);
  });
});

describe('AuroraSecondaryCluster.addEventSubscriptions', () => {
  test("the secondary's cluster and instances, in its Region, to its topic", () => {
    const { secondary } = globalDb();
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    db.addRecommendedAlarms();
    const subscriptions = db.addEventSubscriptions();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::RDS::EventSubscription', {
      SourceType: 'db-cluster',
      SourceIds: [stack.resolve(db.clusterIdentifier)],
      EventCategories: Match.arrayWith(['failure', 'maintenance']),
    });
    template.hasResourceProperties('AWS::RDS::EventSubscription', {
      SourceType: 'db-instance',
      EventCategories: Match.arrayWith(['configuration change', 'failure', 'maintenance']),
    });
    expect(subscriptions.subscriptions).toHaveLength(2);
  });
});

describe('AuroraGlobalDatabase.addDashboard', () => {
  function body(template: Template): any {
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as any[];
    const raw = dashboard.Properties.DashboardBody;
    const text =
      typeof raw === 'string' ? raw : raw['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : 'REF')).join('');
    return JSON.parse(text);
  }

  test("one dashboard in the primary's stack: the writer, and each secondary's lag in its Region", () => {
    // GIVEN a Global Database with a secondary whose identifier is given, and one whose identifier is derived
    const { primaryStack, primary, global, secondary } = globalDb();
    primary.addRecommendedAlarms();
    secondary('Europe', 'eu-west-1', { clusterIdentifier: 'orders-europe' });
    global.addDashboard({ dashboardName: 'orders-global' });
    // WHEN a secondary is added after the dashboard
    const { stack: apStack, db: asia } = secondary('Asia', 'ap-southeast-2');
    const template = Template.fromStack(primaryStack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders-global' });
    const widgets = body(template).widgets;
    const titles = widgets.map((w: any) => w.properties.title);
    // THEN the primary's alarms and writer are shown
    expect(titles).toEqual(
      expect.arrayContaining([
        'Primary (us-east-1): recommended alarms',
        'Primary (us-east-1): writer CPU utilization (%)',
        'Secondary Db (eu-west-1): lag behind the primary (ms)',
        'Secondary Db (ap-southeast-2): lag behind the primary (ms)',
      ]),
    );
    // and the given identifier is graphed directly in its Region
    const europeLag = widgets.find(
      (w: any) => w.properties.title === 'Secondary Db (eu-west-1): lag behind the primary (ms)',
    );
    expect(europeLag.properties.metrics).toEqual([
      [
        'AWS/RDS',
        'AuroraGlobalDBRPOLag',
        'DBClusterIdentifier',
        'orders-europe',
        { label: 'RPO lag', region: 'eu-west-1', stat: 'Maximum', period: 60 },
      ],
    ]);
    // and the derived one by a search in its Region for the part known at synth
    const asiaLag = widgets.find(
      (w: any) => w.properties.title === 'Secondary Db (ap-southeast-2): lag behind the primary (ms)',
    );
    const [[search]] = asiaLag.properties.metrics;
    const derived = apStack.resolve(asia.clusterIdentifier)['Fn::Join'][1][0] as string; // '<stack>-<logical id>-'
    expect(search.expression).toEqual(
      `SEARCH('{AWS/RDS,DBClusterIdentifier} MetricName="AuroraGlobalDBRPOLag" DBClusterIdentifier=${derived.slice(0, -1)}', 'Maximum', 60)`,
    );
    expect(derived).toMatch(/^asia-dbcluster[0-9a-f]{8}-$/);
    expect(search.region).toEqual('ap-southeast-2');
    // and the primary's stack does not reference the secondaries' stacks
    expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    expect(apStack.dependencies.map((d) => d.stackName)).toContain('Primary');
  });
});

describe('AuroraSecondaryCluster.addDashboard', () => {
  test("a dashboard in the secondary's stack: its alarms, its instances, its lag and the replicated writes", () => {
    // GIVEN an Aurora MySQL 3.03 secondary (no RPO lag metric) with its alarms
    const engine = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_03_1 });
    const { secondary } = globalDb(engine, [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })]);
    const { stack, db } = secondary('Secondary', 'eu-west-1');
    db.addRecommendedAlarms();
    // WHEN its dashboard is added
    db.addDashboard({ dashboardName: 'orders-eu' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'orders-eu' });
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as any[];
    const text = JSON.stringify(dashboard.Properties.DashboardBody);
    // THEN it shows the alarms, the replication lag this version publishes, and the replicated writes
    expect(text).toContain('Recommended alarms');
    expect(text).toContain('AuroraGlobalDBReplicationLag');
    expect(text).not.toContain('AuroraGlobalDBRPOLag');
    expect(text).toContain('AuroraGlobalDBReplicatedWriteIO');
    expect(text).toContain('AuroraGlobalDBDataTransferBytes');
    expect(text).toContain('CPUUtilization');
  });

  test('the dashboard construct needs exactly one of cluster and secondaryCluster', () => {
    const stack = testStack();
    expect(() => new AuroraDashboard(stack, 'Dashboard', {})).toThrow(
      /Dashboard: cluster: give exactly one of cluster and secondaryCluster/,
    );
    expect(() => new AuroraEventSubscriptions(stack, 'Events', {})).toThrow(
      /Events: cluster: give exactly one of cluster and secondaryCluster/,
    );
  });
});
