import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps } from '../src';
import { MYSQL_3_08, POSTGRES_16_4, testStack, testVpc } from './util';

const R6G_LARGE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);

/** The dashboard body, resolved to a string with the tokens as CloudFormation references. */
function body(props: Partial<AuroraClusterProps>, withAlarms: boolean) {
  const stack = testStack();
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), ...props });
  if (withAlarms) db.addRecommendedAlarms();
  const dashboard = db.addDashboard({ dashboardName: 'orders' });
  const template = Template.fromStack(stack);
  const resources = template.findResources('AWS::CloudWatch::Dashboard');
  expect(Object.keys(resources)).toHaveLength(1);
  const properties = Object.values(resources)[0].Properties;
  return { stack, db, dashboard, properties, text: JSON.stringify(Stack.of(db).resolve(properties.DashboardBody)) };
}

describe('AuroraCluster.addDashboard', () => {
  test('Serverless v2: capacity and ACU utilization, per-instance CPU and memory, latency, volume, replica lag', () => {
    // GIVEN the default Serverless v2 writer and reader WHEN adding a dashboard THEN
    const { text, properties } = body({}, false);
    expect(properties.DashboardName).toEqual('orders');
    for (const metric of [
      'CPUUtilization',
      'DatabaseConnections',
      'ServerlessDatabaseCapacity',
      'ACUUtilization',
      'FreeableMemory',
      'FreeLocalStorage',
      'VolumeBytesUsed',
      'ReadLatency',
      'WriteLatency',
      'VolumeReadIOPs',
      'VolumeWriteIOPs',
      'AuroraReplicaLag',
      'Deadlocks',
    ]) {
      expect(text).toContain(`\\"${metric}\\"`);
    }
    expect(text).not.toContain('DBLoad');
    expect(text).not.toContain('"alarm"');
  });

  test('provisioned: DB load per instance instead of capacity', () => {
    const { text } = body(
      {
        engine: MYSQL_3_08,
        writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
        readers: [],
      },
      false,
    );
    expect(text).toContain('\\"DBLoad\\"');
    expect(text).not.toContain('ServerlessDatabaseCapacity');
  });

  test('per-instance graphs name each instance of the template', () => {
    const { text, stack } = body({}, false);
    const instances = Object.keys(Template.fromStack(stack).findResources('AWS::RDS::DBInstance'));
    for (const id of instances) expect(text).toContain(`{"Ref":"${id}"}`);
  });

  test('with the recommended alarms added before, an alarm status widget lists every one of them', () => {
    const { text, db } = body({}, true);
    const alarms = (db.node.findChild('RecommendedAlarms') as any).alarms as { alarmArn: string }[];
    expect(alarms.length).toBeGreaterThan(0);
    expect(text).toContain('\\"type\\":\\"alarm\\"');
    expect(text.match(/Fn::GetAtt/g)?.length).toBeGreaterThanOrEqual(alarms.length);
  });
});
