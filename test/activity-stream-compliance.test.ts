import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ActivityStreamMode, AuroraCluster } from '../src';
import { builtInFindings, ComplianceFinding, complianceFindingsByStack, testApp, useBuiltInRules } from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, R6G_LARGE, TEST_ENV } from './util';

// The test below pins aws-cdk-lib's built-in rules (test/setup.ts turns them off elsewhere).
useBuiltInRules();

const provisioned = (id: string) => rds.ClusterInstance.provisioned(id, { instanceType: R6G_LARGE });

/** A VPC imported with literal ids, as `ec2.Vpc.fromLookup` gives it. */
function importedVpc(stack: Stack, subnets: 'isolated' | 'private'): ec2.IVpc {
  const ids = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
  const routeTables = ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'];
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    ...(subnets === 'isolated'
      ? { isolatedSubnetIds: ids, isolatedSubnetRouteTableIds: routeTables }
      : { privateSubnetIds: ids, privateSubnetRouteTableIds: routeTables }),
  });
}

/**
 * Database Activity Streams, MySQL and PostgreSQL, with and without the function's own endpoints, with a consumer
 * granted read access, each variant in its own stack of one app, under AwsSolutions, HIPAA Security, NIST 800-53
 * rev 4 and rev 5, PCI DSS 3.2.1 and the Control Tower guard rules.
 */
const VARIANTS: Record<string, (stack: Stack) => void> = {
  PostgresSyncActivityStream: (stack) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack, 'isolated'),
      writer: provisioned('Writer'),
      readers: [provisioned('Reader')],
      activityStream: { mode: ActivityStreamMode.SYNC },
    });
    const consumer = new iam.Role(stack, 'AuditConsumer', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
    });
    db.grantActivityStreamRead(consumer);
  },
  MysqlActivityStream: (stack) =>
    new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: importedVpc(stack, 'isolated'),
      writer: provisioned('Writer'),
      readers: [provisioned('Reader')],
      activityStream: {},
    }),
  PostgresActivityStreamPrivateEgress: (stack) =>
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack, 'private'),
      writer: provisioned('Writer'),
      readers: [],
      activityStream: { createVpcEndpoints: false, applyImmediately: false },
    }),
  PostgresActivityStreamAndAutoscaling: (stack) =>
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack, 'isolated'),
      writer: provisioned('Writer'),
      readers: [provisioned('Reader')],
      readerAutoScaling: { maxCapacity: 4, targetCpuUtilization: 70 },
      activityStream: {},
    }),
};

describe('Database Activity Streams compliance', () => {
  let app: App;
  let byStack: Record<string, ComplianceFinding[]>;

  beforeAll(() => {
    app = testApp();
    for (const [name, build] of Object.entries(VARIANTS)) {
      build(new Stack(app, name, { env: TEST_ENV }));
    }
    byStack = complianceFindingsByStack(app);
  });

  test.each(Object.keys(VARIANTS))('%s has no unacknowledged finding in any pack or guard rule', (name) => {
    expect(byStack[name].filter((f) => !f.resource.startsWith(`${name}/AuditConsumer/`))).toEqual([]);
  });

  test("the only findings of the consumer are the app's own: the inline policy the grant goes into", () => {
    // grantActivityStreamRead adds to the grantee's policy, as every aws-cdk-lib grant does; an app that wants no
    // inline policy gives its role a managed policy instead.
    const consumer = byStack.PostgresSyncActivityStream.filter((f) => f.resource.includes('/AuditConsumer/'));
    expect(consumer.map((f) => f.ruleId).sort()).toEqual([
      'HIPAA.Security-IAMNoInlinePolicy',
      'NIST.800.53.R4-IAMNoInlinePolicy',
      'NIST.800.53.R5-IAMNoInlinePolicy',
      'PCI.DSS.321-IAMNoInlinePolicy',
    ]);
  });

  test("aws-cdk-lib's built-in rules report nothing on the library's resources", () => {
    expect(builtInFindings(app)).toEqual([]);
  });
});
