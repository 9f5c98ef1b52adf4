import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraProxy } from '../src';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, TEST_ENV } from './util';

/** A VPC imported with literal ids, as `ec2.Vpc.fromLookup` gives it. */
function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    isolatedSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    isolatedSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
  });
}

const R6G_LARGE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);

/**
 * The operations features (recommended alarms, RDS Proxy alarms, RDS event subscriptions, their topic, the dashboard) on provisioned and Serverless v2 clusters, each
 * variant in its own stack of one app, under AwsSolutions, HIPAA Security, NIST 800-53 rev 4 and rev 5, PCI DSS
 * 3.2.1 and the Control Tower guard rules.
 */
const VARIANTS: Record<string, (stack: Stack) => void> = {
  ProvisionedMysqlAlarms: (stack) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: importedVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })],
      readerAutoScaling: { maxCapacity: 4, targetCpuUtilization: 60 },
    });
    db.addRecommendedAlarms({ databaseConnectionsThreshold: 900 });
    db.addEventSubscriptions();
    db.addDashboard();
  },
  ServerlessPostgresAlarms: (stack) => {
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: importedVpc(stack) });
    db.addRecommendedAlarms();
    db.addEventSubscriptions();
    db.addDashboard();
  },
  ProxyAlarms: (stack) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: importedVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })],
    });
    db.addAuroraProxy('Proxy');
    db.addRecommendedAlarms({
      proxyAlarmThresholds: { sessionPinnedConnectionsThreshold: 20, clientConnectionsSetupFailedAuthThreshold: 5 },
    });
  },
  ImportedClusterProxyAlarms: (stack) => {
    const vpc = importedVpc(stack);
    const legacy = AuroraCluster.fromAuroraClusterAttributes(stack, 'Legacy', {
      clusterIdentifier: 'legacy-orders',
      clusterResourceIdentifier: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      engine: POSTGRES_16_4,
      port: 5432,
      vpc,
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'LegacySg', 'sg-0a1b2c3d4e5f60718')],
      instanceIdentifiers: ['legacy-orders-writer', 'legacy-orders-reader'],
    });
    new AuroraProxy(stack, 'Proxy', { cluster: legacy }).addRecommendedAlarms({
      sessionPinnedConnectionsThreshold: 20,
      clientConnectionsSetupFailedAuthThreshold: 5,
    });
  },
  InstanceParameterGroupSubscriptions: (stack) => {
    const parameterGroup = new rds.ParameterGroup(stack, 'InstanceParams', {
      engine: MYSQL_3_08,
      parameters: { long_query_time: '2' },
    });
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: importedVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE, parameterGroup }),
      readers: [],
    });
    db.addEventSubscriptions();
  },
};

describe('operations compliance', () => {
  let byStack: Record<string, ComplianceFinding[]>;

  beforeAll(() => {
    const app = testApp();
    for (const [name, build] of Object.entries(VARIANTS)) {
      build(new Stack(app, name, { env: TEST_ENV }));
    }
    byStack = complianceFindingsByStack(app);
  });

  test.each(Object.keys(VARIANTS))('%s has no unacknowledged finding in any pack or guard rule', (name) => {
    expect(byStack[name] ?? []).toEqual([]);
  });
});
