/**
 * The reference architecture: what a platform team ships with cdk-aurora-baseline. It is synthesized by
 * `npx projen synth:reference`, checked under every compliance pack by test/reference-app.test.ts, deployed by
 * integ-runner from test/integ.reference.ts, and it is the source of COMPLIANCE.md, the architecture picture and
 * the benchmark (test/bench/hand-written.ts is its aws-cdk-lib equivalent: keep the two in step).
 *
 * Topology (the parts marked MERGE are added when their features land; this is the one file to edit):
 *
 * - per Region, a network stack: a VPC with isolated subnets only and encrypted flow logs (test/reference-network.ts);
 * - primary Region (us-east-1):
 *   - `Orders`: Aurora PostgreSQL, a provisioned writer and Serverless v2 readers, an application role granted
 *     `rds-db:connect` and an application security group allowed in;
 *     MERGE reader autoscaling, the analytics endpoint, the RDS Proxy with IAM auth, the Global Database;
 *   - `Inventory`: a smaller Aurora MySQL cluster with Backtrack;
 * - MERGE secondary Regions: a secondary with readers (eu-west-1) and a headless secondary (us-west-2).
 */
import { App, Aspects, Duration, IAspect, RemovalPolicies, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { AuroraCluster } from '../src';
import {
  INVENTORY_ENGINE,
  ORDERS_ENGINE,
  REFERENCE_PREFIX,
  REFERENCE_REGIONS,
  WRITER_INSTANCE_TYPE,
} from './reference-config';
import { networkStack } from './reference-network';

export { networkStack } from './reference-network';
export {
  INVENTORY_ENGINE,
  ORDERS_ENGINE,
  REFERENCE_PREFIX,
  REFERENCE_REGIONS,
  WRITER_INSTANCE_TYPE,
} from './reference-config';

/** Options of {@link buildReferenceApp}. */
export interface ReferenceAppOptions {
  /**
   * Make every stack deletable: deletion protection off and every resource destroyed with its stack. For
   * integ tests that deploy and then destroy the app; the shipped (and compliance-checked) app keeps its data.
   *
   * @default false
   */
  readonly disposable?: boolean;
}

/** The stacks and main constructs of the reference architecture. */
export interface ReferenceApp {
  /** Every stack, in deployment order. */
  readonly stacks: Stack[];
  /** The network stack of the primary Region. */
  readonly network: Stack;
  /** The Aurora PostgreSQL stack. */
  readonly ordersStack: Stack;
  /** The Aurora MySQL stack. */
  readonly inventoryStack: Stack;
  readonly orders: AuroraCluster;
  readonly inventory: AuroraCluster;
  /** The application's role, granted `rds-db:connect` as `app_user`. */
  readonly appRole: iam.Role;
  /** The application's security group, allowed into the Orders cluster. */
  readonly appSecurityGroup: ec2.SecurityGroup;
}

/** Builds the reference architecture into `app`. */
export function buildReferenceApp(app: App, options: ReferenceAppOptions = {}): ReferenceApp {
  const primary = REFERENCE_REGIONS.primary;
  const stackProps = (what: string): StackProps => ({
    env: { region: primary },
    description: `cdk-aurora-baseline reference architecture: ${what} (${primary})`,
  });

  const { stack: network, vpc } = networkStack(app, primary);

  // Orders: Aurora PostgreSQL with a provisioned writer and Serverless v2 readers.
  const ordersStack = new Stack(app, `${REFERENCE_PREFIX}-Orders-${primary}`, stackProps('Aurora PostgreSQL'));
  const orders = new AuroraCluster(ordersStack, 'Orders', {
    engine: ORDERS_ENGINE,
    vpc,
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [
      rds.ClusterInstance.serverlessV2('Reader1', { scaleWithWriter: true }),
      rds.ClusterInstance.serverlessV2('Reader2'),
    ],
    serverlessV2MinCapacity: 0.5,
    serverlessV2MaxCapacity: 16,
    // MERGE (autoscaling): readerAutoScaling: { minCapacity: 1, maxCapacity: 4, targetCpuUtilization: 60 },
    // MERGE (analytics):   analytics: { readers: [rds.ClusterInstance.provisioned('Analytics', { instanceType: WRITER_INSTANCE_TYPE })] },
  });

  // The application: a role granted rds-db:connect as app_user, and a security group allowed in. The grant goes
  // into a customer-managed policy: an inline policy (the role's DefaultPolicy) fails HIPAA/NIST/PCI
  // IAMNoInlinePolicy.
  const appRole = new iam.Role(ordersStack, 'AppRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: 'The Orders application',
  });
  const appSecurityGroup = new ec2.SecurityGroup(ordersStack, 'AppSecurityGroup', {
    vpc,
    description: 'The Orders application',
    allowAllOutbound: false,
  });
  orders.connections.allowDefaultPortFrom(appSecurityGroup, 'The Orders application');
  const appGrants = [orders.grantConnect(appRole.withoutPolicyUpdates(), 'app_user')];
  // MERGE (proxy): const proxy = orders.addProxy('Proxy');
  //                proxy.connections.allowDefaultPortFrom(appSecurityGroup, 'The Orders application');
  //                appGrants.push(proxy.grantConnect(appRole.withoutPolicyUpdates(), 'app_user'));
  new iam.ManagedPolicy(ordersStack, 'AppDatabaseAccess', {
    description: 'IAM database authentication to the Orders database as app_user',
    roles: [appRole],
    statements: appGrants.flatMap((grant) => grant.principalStatements),
  });

  // Inventory: a smaller Aurora MySQL cluster with Backtrack.
  const inventoryStack = new Stack(app, `${REFERENCE_PREFIX}-Inventory-${primary}`, stackProps('Aurora MySQL'));
  const inventory = new AuroraCluster(inventoryStack, 'Inventory', {
    engine: INVENTORY_ENGINE,
    vpc,
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
    backtrackWindow: Duration.hours(24),
  });

  const stacks = [network, ordersStack, inventoryStack];

  // MERGE (global): the Global Database from Orders, a secondary with readers and a headless secondary.
  //   const global = new AuroraGlobalDatabase(ordersStack, 'Global', { primary: orders });
  //   for (const region of [REFERENCE_REGIONS.secondary, REFERENCE_REGIONS.headlessSecondary]) {
  //     const { stack: net, vpc: regionVpc } = networkStack(app, region);
  //     const secondaryStack = new Stack(app, `${REFERENCE_PREFIX}-Secondary-${region}`, { env: { region } });
  //     global.addSecondary(secondaryStack, 'Orders', { vpc: regionVpc, /* headless: readers: [] */ });
  //     stacks.push(net, secondaryStack);
  //   }

  if (options.disposable) {
    makeDisposable(...stacks);
  }
  return { stacks, network, ordersStack, inventoryStack, orders, inventory, appRole, appSecurityGroup };
}

/**
 * Makes stacks deletable for integ tests that deploy and destroy them: deletion protection off on every cluster and
 * every resource (keys and log groups included) destroyed with its stack.
 */
export function makeDisposable(...stacks: Stack[]): void {
  for (const stack of stacks) {
    RemovalPolicies.of(stack).destroy();
    Aspects.of(stack).add(new NoDeletionProtection());
  }
}

/** Turns deletion protection off on every cluster (disposable integ deployments only). */
class NoDeletionProtection implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof rds.CfnDBCluster) {
      node.deletionProtection = false;
    }
  }
}
