import { App, CfnElement, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';

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

/** The suffix of every name the library derives, as CloudFormation sees it: the first group of the stack's UUID. */
export const STACK_SUFFIX = {
  'Fn::Select': [0, { 'Fn::Split': ['-', { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] }] }],
};

/** A derived name `<readable>-<stack suffix><after>` as rendered in a template. */
export function derivedName(readable: string, after?: string): { 'Fn::Join': [string, unknown[]] } {
  return { 'Fn::Join': ['', [`${readable}-`, STACK_SUFFIX, ...(after ? [after] : [])]] };
}

/** The name the library derives for the resource with `logicalId` in stack `stackName`, as rendered in a template. */
export function derivedNameOf(stackName: string, logicalId: string, after?: string) {
  return derivedName(`${stackName}-${logicalId}`.toLowerCase(), after);
}

function cfnElementsByRelativePath(root: IConstruct): Map<string, CfnElement> {
  const elements = new Map<string, CfnElement>();
  for (const c of root.node.findAll()) {
    if (CfnElement.isCfnElement(c)) elements.set(c.node.path.slice(root.node.path.length), c);
  }
  return elements;
}

/** Where an element sits when its own id cannot be compared (ids that embed a peer's path): parent and type. */
function slotOf(root: IConstruct, element: CfnElement): string {
  const parent = element.node.scope!.node.path.slice(root.node.path.length);
  const type = (element as unknown as { cfnResourceType?: string }).cfnResourceType ?? element.constructor.name;
  return `${parent}|${type}`;
}

/**
 * What a refactor that keeps logical ids does: every CloudFormation element under `moved` gets the logical id of the
 * element at the same relative path under `original` (`overrideLogicalId`); elements whose construct id embeds a
 * path (security group rules name their peer) are paired by parent, type and order.
 */
export function keepLogicalIds(original: IConstruct, moved: IConstruct): void {
  const before = cfnElementsByRelativePath(original);
  const unmatchedBefore = new Map<string, CfnElement[]>();
  const unmatchedAfter: CfnElement[] = [];
  const after = cfnElementsByRelativePath(moved);
  for (const [path, element] of before) {
    if (!after.has(path)) {
      const slot = slotOf(original, element);
      unmatchedBefore.set(slot, [...(unmatchedBefore.get(slot) ?? []), element]);
    }
  }
  for (const [path, element] of after) {
    const old = before.get(path);
    if (old) element.overrideLogicalId(Stack.of(old).resolve(old.logicalId));
    else unmatchedAfter.push(element);
  }
  for (const element of unmatchedAfter) {
    const old = unmatchedBefore.get(slotOf(moved, element))?.shift();
    if (old) element.overrideLogicalId(Stack.of(old).resolve(old.logicalId));
  }
}
