import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';

/** The account and Region every test stack is pinned to, so that templates and snapshots are stable. */
export const TEST_ENV = { account: '123456789012', region: 'us-east-1' };

/** A stack with a pinned environment and AZs. */
export function testStack(app: App = new App(), id = 'TestStack', env = TEST_ENV): Stack {
  const stack = new Stack(app, id, { env });
  stack.node.setContext(`availability-zones:account=${env.account}:region=${env.region}`, [
    `${env.region}a`,
    `${env.region}b`,
    `${env.region}c`,
  ]);
  return stack;
}

/** The subnet layouts tests need. */
export enum VpcLayout {
  /** Public, private-with-egress and isolated subnets, with flow logs. */
  FULL = 'FULL',
  /** Isolated subnets only, with flow logs. */
  ISOLATED = 'ISOLATED',
  /** Public and private-with-egress subnets. */
  PRIVATE_WITH_EGRESS = 'PRIVATE_WITH_EGRESS',
  /** Public subnets only. */
  PUBLIC_ONLY = 'PUBLIC_ONLY',
}

/** A compliant VPC (flow logs to an encrypted log group is the VPC's business, not ours: flow logs to S3-less CloudWatch are kept simple). */
export function testVpc(stack: Stack, layout: VpcLayout = VpcLayout.ISOLATED, id = 'Vpc'): ec2.Vpc {
  const subnets: Record<VpcLayout, ec2.SubnetConfiguration[]> = {
    FULL: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    ISOLATED: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    PRIVATE_WITH_EGRESS: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ],
    PUBLIC_ONLY: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
  };
  return new ec2.Vpc(stack, id, {
    maxAzs: 3,
    natGateways: layout === VpcLayout.PRIVATE_WITH_EGRESS || layout === VpcLayout.FULL ? 1 : 0,
    subnetConfiguration: subnets[layout],
    restrictDefaultSecurityGroup: false,
  });
}

/** Engines used across tests. */
export const MYSQL_3_08 = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 });
export const MYSQL_3_04 = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_04_0 });
export const POSTGRES_16_4 = rds.DatabaseClusterEngine.auroraPostgres({
  version: rds.AuroraPostgresEngineVersion.VER_16_4,
});
export const POSTGRES_15_4 = rds.DatabaseClusterEngine.auroraPostgres({
  version: rds.AuroraPostgresEngineVersion.VER_15_4,
});

/** A memory-optimized provisioned instance class. */
export const R6G_LARGE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);

/**
 * One app for compliance tests: a `Network` stack with a VPC (public, private-with-egress and isolated subnets in
 * two AZs), whose findings are the VPC owner's, and one stack per variant built on that VPC.
 */
export function variantsApp(
  app: App,
  variants: Record<string, (stack: Stack, vpc: ec2.IVpc) => void>,
): { app: App; vpc: ec2.Vpc } {
  const network = new Stack(app, 'Network', { env: TEST_ENV });
  const vpc = new ec2.Vpc(network, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  for (const [name, build] of Object.entries(variants)) {
    build(new Stack(app, name, { env: TEST_ENV }), vpc);
  }
  return { app, vpc };
}
