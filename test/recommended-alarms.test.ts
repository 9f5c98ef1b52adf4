import * as fs from 'fs';
import * as path from 'path';
import { CfnParameter, Duration, Size, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AuroraCluster, AuroraClusterProps, RecommendedAlarmsOptions } from '../src';
import { MYSQL_3_08, POSTGRES_16_4, testStack, testVpc } from './util';
import { renderAlarmTable } from '../src/private/alarm-specs';

const R6G_LARGE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
const R6G_2XLARGE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE2);

function build(props: Partial<AuroraClusterProps>, options?: RecommendedAlarmsOptions) {
  const stack = testStack();
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), ...props });
  const alarms = db.addRecommendedAlarms(options);
  return { stack, db, alarms, template: Template.fromStack(stack) };
}

const PROVISIONED_MYSQL: Partial<AuroraClusterProps> = {
  engine: MYSQL_3_08,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
  readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_2XLARGE })],
};

/** The alarm on `metricName` whose dimensions include `dimension` (a CloudFormation value or reference). */
function alarmProps(template: Template, metricName: string, dimensions: object[]) {
  const found = template.findResources('AWS::CloudWatch::Alarm', {
    Properties: { MetricName: metricName, Dimensions: Match.arrayEquals(dimensions) },
  });
  expect(Object.keys(found)).toHaveLength(1);
  return Object.values(found)[0].Properties;
}

const writerRef = (template: Template) => ({
  Name: 'DBInstanceIdentifier',
  Value: { Ref: Object.keys(template.findResources('AWS::RDS::DBInstance')).find((id) => id.includes('Writer')) },
});
const readerRef = (template: Template) => ({
  Name: 'DBInstanceIdentifier',
  Value: {
    Ref: Object.keys(template.findResources('AWS::RDS::DBInstance')).find((id) => id.includes('Reader')),
  },
});
const clusterDimension = (db: AuroraCluster) => ({
  Name: 'DBClusterIdentifier',
  Value: Stack.of(db).resolve(db.clusterIdentifier),
});

describe('AuroraCluster.addRecommendedAlarms', () => {
  describe('provisioned Aurora MySQL', () => {
    const { template, db } = build(PROVISIONED_MYSQL);
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };

    test.each([
      // metric, statistic, threshold, period, datapoints / evaluation periods, comparison
      ['CPUUtilization', 'Average', 90, 60, 5, 'GreaterThanThreshold'],
      ['DBLoad', 'Average', 2, 60, 15, 'GreaterThanThreshold'],
      ['ReadLatency', 'p90', 0.02, 60, 5, 'GreaterThanThreshold'],
      ['WriteLatency', 'p90', 0.02, 60, 5, 'GreaterThanThreshold'],
      ['BufferCacheHitRatio', 'Average', 80, 60, 10, 'LessThanThreshold'],
      ['RollbackSegmentHistoryListLength', 'Average', 1_000_000, 60, 5, 'GreaterThanOrEqualToThreshold'],
    ])(
      '%s on the writer: %s, threshold %s, %s s, %s datapoints, %s, actions to the topic',
      (metric, stat, threshold, period, points, comparison) => {
        // GIVEN a provisioned writer (db.r6g.large) WHEN alarms are added THEN
        const p = alarmProps(template, metric as string, [writerRef(template)]);
        expect(p.Namespace).toEqual('AWS/RDS');
        if ((stat as string).startsWith('p')) expect(p.ExtendedStatistic).toEqual(stat);
        else expect(p.Statistic).toEqual(stat);
        expect(p.Threshold).toEqual(threshold);
        expect(p.Period).toEqual(period);
        expect(p.DatapointsToAlarm).toEqual(points);
        expect(p.EvaluationPeriods).toEqual(points);
        expect(p.ComparisonOperator).toEqual(comparison);
        expect(p.ActionsEnabled).toBe(true);
        expect(p.AlarmActions).toEqual([topicRef]);
        expect(p.OKActions).toEqual([topicRef]);
        expect(p.TreatMissingData).toEqual('missing');
      },
    );

    test('DBLoad follows the vCPUs of each instance class (db.r6g.2xlarge: 8)', () => {
      expect(alarmProps(template, 'DBLoad', [readerRef(template)]).Threshold).toEqual(8);
    });

    test('the writer role alarms when EngineUptime drops to 0 (restart or failover), 2 minutes in a row', () => {
      const p = alarmProps(template, 'EngineUptime', [clusterDimension(db), { Name: 'Role', Value: 'WRITER' }]);
      expect(p).toMatchObject({
        Statistic: 'Average',
        Threshold: 0,
        Period: 60,
        DatapointsToAlarm: 2,
        EvaluationPeriods: 2,
        ComparisonOperator: 'LessThanOrEqualToThreshold',
        AlarmActions: [topicRef],
      });
    });

    test('the cluster alarms below 10 % of the 128 TiB volume limit (Aurora MySQL)', () => {
      const p = alarmProps(template, 'AuroraVolumeBytesLeftTotal', [clusterDimension(db)]);
      expect(p).toMatchObject({
        Statistic: 'Average',
        Threshold: Math.round((128 * 1024 ** 4) / 10),
        DatapointsToAlarm: 5,
        ComparisonOperator: 'LessThanThreshold',
      });
    });

    test.each([
      'FreeableMemory',
      'FreeLocalStorage',
      'DatabaseConnections',
      'AuroraReplicaLagMaximum',
      'ACUUtilization',
      'MaximumUsedTransactionIDs',
    ])('no %s alarm without a threshold of the user, on a provisioned MySQL cluster', (metric) => {
      expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric } })).toEqual({});
    });

    test('no reader-role alarm without reader autoscaling', () => {
      expect(
        template.findResources('AWS::CloudWatch::Alarm', {
          Properties: { Dimensions: Match.arrayWith([{ Name: 'Role', Value: 'READER' }]) },
        }),
      ).toEqual({});
    });
  });

  describe('Serverless v2 Aurora PostgreSQL (the defaults)', () => {
    const { template } = build({ serverlessV2MaxCapacity: 8 });
    const instances = Object.keys(template.findResources('AWS::RDS::DBInstance'));

    test('FreeableMemory below 5 % of the memory at the maximum capacity (8 ACU × 2 GiB), on each instance', () => {
      const found = template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'FreeableMemory' } });
      expect(Object.keys(found)).toHaveLength(instances.length);
      for (const alarm of Object.values(found)) {
        expect(alarm.Properties).toMatchObject({
          Threshold: Math.round(0.05 * 8 * 2 * 1024 ** 3),
          Statistic: 'Average',
          DatapointsToAlarm: 15,
          EvaluationPeriods: 15,
          ComparisonOperator: 'LessThanThreshold',
        });
      }
    });

    test('ACUUtilization above 90 % on each instance', () => {
      const found = template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'ACUUtilization' } });
      expect(Object.keys(found)).toHaveLength(instances.length);
      for (const alarm of Object.values(found)) {
        expect(alarm.Properties).toMatchObject({ Threshold: 90, ComparisonOperator: 'GreaterThanThreshold' });
      }
    });

    test('MaximumUsedTransactionIDs above 1e9 (Aurora PostgreSQL), 1 datapoint', () => {
      const found = template.findResources('AWS::CloudWatch::Alarm', {
        Properties: { MetricName: 'MaximumUsedTransactionIDs' },
      });
      expect(Object.values(found).map((a) => [a.Properties.Threshold, a.Properties.DatapointsToAlarm])).toEqual(
        instances.map(() => [1_000_000_000, 1]),
      );
    });

    test.each(['DBLoad', 'FreeLocalStorage', 'AuroraVolumeBytesLeftTotal', 'RollbackSegmentHistoryListLength'])(
      'no %s alarm (provisioned-only or Aurora MySQL-only)',
      (metric) => {
        expect(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric } })).toEqual({});
      },
    );
  });

  describe('thresholds', () => {
    test('every threshold can be overridden', () => {
      // GIVEN / WHEN
      const { template } = build(
        { ...PROVISIONED_MYSQL, readerAutoScaling: { maxCapacity: 4, targetCpuUtilization: 60 } },
        {
          cpuUtilizationThreshold: 75,
          dbLoadThreshold: 3,
          freeableMemoryThreshold: Size.gibibytes(4),
          freeLocalStorageThreshold: Size.gibibytes(2),
          databaseConnectionsThreshold: 900,
          readLatencyThreshold: Duration.millis(50),
          writeLatencyThreshold: Duration.millis(40),
          bufferCacheHitRatioThreshold: 70,
          rollbackSegmentHistoryListLengthThreshold: 500_000,
          auroraVolumeBytesLeftTotalThreshold: Size.tebibytes(10),
          auroraReplicaLagThreshold: Duration.seconds(2),
        },
      );
      // THEN
      const threshold = (metric: string) =>
        Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metric } })).map(
          (a) => a.Properties.Threshold,
        );
      expect(threshold('CPUUtilization')).toEqual([75, 75, 75]); // writer, reader, READER role
      expect(threshold('DBLoad')).toEqual([3, 3]);
      expect(threshold('FreeableMemory')).toEqual([4 * 1024 ** 3, 4 * 1024 ** 3]);
      expect(threshold('FreeLocalStorage')).toEqual([2 * 1024 ** 3, 2 * 1024 ** 3]);
      expect(threshold('DatabaseConnections')).toEqual([900, 900]);
      expect(threshold('ReadLatency')).toEqual([0.05, 0.05]);
      expect(threshold('WriteLatency')).toEqual([0.04, 0.04]);
      expect(threshold('BufferCacheHitRatio')).toEqual([70, 70]);
      expect(threshold('RollbackSegmentHistoryListLength')).toEqual([500_000, 500_000]);
      expect(threshold('AuroraVolumeBytesLeftTotal')).toEqual([10 * 1024 ** 4]);
      expect(threshold('AuroraReplicaLagMaximum')).toEqual([2000]);
    });

    test('with reader autoscaling, the READER role is watched for the replicas the template does not know', () => {
      const { template, db } = build({
        ...PROVISIONED_MYSQL,
        readerAutoScaling: { maxCapacity: 4, targetCpuUtilization: 60 },
      });
      const p = alarmProps(template, 'CPUUtilization', [clusterDimension(db), { Name: 'Role', Value: 'READER' }]);
      expect(p).toMatchObject({ Threshold: 90, Statistic: 'Average', DatapointsToAlarm: 5 });
    });

    test('a Serverless v2 maximum capacity that is a token gives no FreeableMemory alarm, and a warning', () => {
      const stack = testStack();
      const db = new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc: testVpc(stack),
        serverlessV2MaxCapacity: new CfnParameter(stack, 'Max', { type: 'Number' }).valueAsNumber,
      });
      db.addRecommendedAlarms();
      const template = Template.fromStack(stack);
      expect(
        template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'FreeableMemory' } }),
      ).toEqual({});
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db/RecommendedAlarms',
        Match.stringLikeRegexp('serverlessV2FreeableMemoryThreshold'),
      );
    });
  });

  describe('the topic', () => {
    test('the library topic is encrypted with its own rotating key that CloudWatch and RDS events may use', () => {
      const { template } = build({});
      template.resourceCountIs('AWS::SNS::Topic', 1);
      const keyId = Object.keys(template.findResources('AWS::KMS::Key')).find((id) =>
        id.includes('OperationsTopicKey'),
      )!;
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: 'DenyGrantsNotForAwsResources', Effect: 'Deny' }),
            Match.objectLike({
              Sid: 'AllowCloudWatchAlarmsAndRdsEventsToPublish',
              Effect: 'Allow',
              Principal: { Service: ['cloudwatch.amazonaws.com', 'events.rds.amazonaws.com'] },
              Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            }),
          ]),
        },
      });
    });

    test('the topic policy refuses publishing without TLS and lets only this account publish', () => {
      const { template } = build({});
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Sid: 'AllowThisAccountsAlarms',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '123456789012' } }),
            }),
          ]),
        },
      });
    });

    test("the user's topic is notified and no topic is created", () => {
      const stack = testStack();
      const topic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:us-east-1:123456789012:pager');
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const alarms = db.addRecommendedAlarms({ topic });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SNS::Topic', 0);
      expect(alarms.topic).toBe(topic);
      expect(alarms.alarms.length).toBeGreaterThan(0);
      for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
        expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:pager']);
      }
    });

    test('the alarms construct exposes every alarm it created', () => {
      const { template, alarms } = build(PROVISIONED_MYSQL);
      expect(alarms.alarms).toHaveLength(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length);
    });
  });

  test('the README alarm table is the one the code creates (regenerate it with `npx projen compliance:report`)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
    const start = readme.indexOf('<!-- alarm-table:start');
    const end = readme.indexOf('<!-- alarm-table:end -->');
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end).split('\n').slice(1).join('\n').trim()).toEqual(renderAlarmTable());
  });
});
