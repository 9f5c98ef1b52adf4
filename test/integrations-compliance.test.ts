import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AuroraCluster } from '../src';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, TEST_ENV } from './util';

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
 * An application role that takes the grant into a customer-managed policy, as the README shows (an inline default
 * policy fails HIPAA/NIST/PCI IAMNoInlinePolicy, a finding of the app's role, not of the library).
 */
function grantToApp(stack: Stack, grant: (role: iam.IRole) => iam.Grant): void {
  const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new iam.ManagedPolicy(stack, 'AppPolicy', {
    roles: [role],
    statements: grant(role.withoutPolicyUpdates()).principalStatements,
  });
}

/**
 * Every integration on Aurora MySQL and Aurora PostgreSQL, each variant in its own stack of one app, under
 * AwsSolutions, HIPAA Security, NIST 800-53 rev 4 and rev 5, PCI DSS 3.2.1 and the Control Tower guard rules.
 */
const VARIANTS: Record<string, (stack: Stack) => void> = {
  MysqlDataApi: (stack) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: importedVpc(stack, 'isolated'),
      enableDataApi: true,
    });
    grantToApp(stack, (role) => db.grantDataApiAccess(role));
  },
  PostgresDataApi: (stack) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack, 'isolated'),
      enableDataApi: true,
    });
    grantToApp(stack, (role) => db.grantDataApiAccess(role));
  },
};

describe('integrations compliance', () => {
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
