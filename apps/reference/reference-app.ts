/**
 * The reference architecture: what a platform team ships with cdk-aurora-baseline. It is synthesized by
 * `npx projen synth:reference`, checked under every compliance pack by test/reference-app.test.ts, deployed by
 * integ-runner from apps/integ/integ.reference.ts, and it is the source of COMPLIANCE.md, the architecture picture and
 * the benchmark (tools/bench/hand-written.ts is its aws-cdk-lib equivalent: keep the two in step).
 *
 * Topology:
 *
 * - primary Region (us-east-1):
 *   - `Orders` stack: the Region's network (a VPC with isolated subnets only and encrypted flow logs,
 *     apps/reference/reference-network.ts) and Aurora PostgreSQL, the Global Database's primary: a provisioned writer,
 *     Serverless v2 readers, reader autoscaling, an analytics reader behind an analytics endpoint, an RDS Proxy with
 *     end-to-end IAM authentication, an application role granted `rds-db:connect` on the cluster and on the proxy,
 *     an application security group allowed into both, and the Global Database;
 *   - `Inventory` stack: a smaller Aurora MySQL cluster with Backtrack, in the same VPC;
 * - secondary Regions, each with a network stack and a secondary stack: a secondary with Serverless v2 readers, write
 *   forwarding and a custom endpoint (eu-west-1), and a headless secondary (us-west-2).
 *
 * Why the primary Region's network is in the Orders stack and not a stack of its own: reader autoscaling deploys a
 * Lambda function (the autoscaled-replica cleanup) in the cluster's subnets, and the Control Tower guard rule
 * CT.LAMBDA.PR.3 (`lambda_inside_vpc_check`) accepts a function's subnet ids only as literals or as references to
 * subnets of the same template: subnets imported from another stack (`Fn::ImportValue`) fail it. In the secondary
 * Regions nothing runs in a Lambda function, and the network keeps a stack of its own.
 */
import { Annotations, App, Aspects, Duration, IAspect, RemovalPolicies, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import {
  INVENTORY_ENGINE,
  ORDERS_ENGINE,
  REFERENCE_PREFIX,
  REFERENCE_REGIONS,
  WRITER_INSTANCE_TYPE,
} from './reference-config';
import { networkStack, ReferenceNetwork } from './reference-network';
import { AuroraCluster, AuroraGlobalDatabase, AuroraProxy, AuroraSecondaryCluster } from '../../src';

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

/** A secondary Region of the reference architecture. */
export interface ReferenceSecondaryRegion {
  /** The Region's network stack. */
  readonly networkStack: Stack;
  readonly network: ReferenceNetwork;
  /** The stack of the secondary cluster. */
  readonly stack: Stack;
  readonly cluster: AuroraSecondaryCluster;
}

/** The stacks and main constructs of the reference architecture. */
export interface ReferenceApp {
  /** Every stack, in deployment order. */
  readonly stacks: Stack[];
  /** The network of the primary Region (in the Orders stack: see the module's comment). */
  readonly network: ReferenceNetwork;
  /** The Aurora PostgreSQL stack, with the primary Region's network and the Global Database. */
  readonly ordersStack: Stack;
  /** The Aurora MySQL stack. */
  readonly inventoryStack: Stack;
  readonly orders: AuroraCluster;
  readonly inventory: AuroraCluster;
  /** The RDS Proxy in front of Orders. */
  readonly proxy: AuroraProxy;
  /** The Global Database, with Orders as its primary. */
  readonly global: AuroraGlobalDatabase;
  /** The secondary with readers. */
  readonly secondary: ReferenceSecondaryRegion;
  /** The headless secondary. */
  readonly headlessSecondary: ReferenceSecondaryRegion;
  /** The application's role, granted `rds-db:connect` as `app_user` on the cluster and through the proxy. */
  readonly appRole: iam.Role;
  /** The application's security group, allowed into the Orders cluster and its proxy. */
  readonly appSecurityGroup: ec2.SecurityGroup;
}

/** Builds the reference architecture into `app`. */
export function buildReferenceApp(app: App, options: ReferenceAppOptions = {}): ReferenceApp {
  const primary = REFERENCE_REGIONS.primary;
  const stackProps = (what: string, region: string = primary): StackProps => ({
    env: { region },
    description: `cdk-aurora-baseline reference architecture: ${what} (${region})`,
  });

  // Orders: the primary Region's network, and Aurora PostgreSQL with a provisioned writer, Serverless v2 readers,
  // reader autoscaling and an analytics reader.
  const ordersStack = new Stack(
    app,
    `${REFERENCE_PREFIX}-Orders-${primary}`,
    stackProps('network and Aurora PostgreSQL, Global Database primary'),
  );
  const network = new ReferenceNetwork(ordersStack, 'Network');
  const vpc = network.vpc;
  const orders = new AuroraCluster(ordersStack, 'Orders', {
    engine: ORDERS_ENGINE,
    vpc,
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [
      rds.ClusterInstance.serverlessV2('Reader1', { scaleWithWriter: true }),
      rds.ClusterInstance.serverlessV2('Reader2'),
    ],
    // AWS recommends at least 8 ACUs for Serverless v2 instances of a Global Database primary (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html).
    serverlessV2MinCapacity: 8,
    serverlessV2MaxCapacity: 16,
    // 3 declared readers (2 + the analytics reader), so autoscaling adds up to 2 replicas of the writer's class.
    readerAutoScaling: { minCapacity: 1, maxCapacity: 5, targetCpuUtilization: 60 },
    analytics: { readers: [rds.ClusterInstance.provisioned('Analytics', { instanceType: WRITER_INSTANCE_TYPE })] },
    globalDatabasePrimary: true,
  });
  // Two warnings of the library describe exactly what this topology chooses (see the README section).
  Annotations.of(orders).acknowledgeWarning(
    'cdk-aurora-baseline:readerAutoScalingInstanceClass',
    'A mixed-configuration cluster on purpose: Serverless v2 readers absorb load changes at once, while Aurora Auto Scaling adds provisioned replicas of the writer class for sustained load.',
  );
  Annotations.of(orders).acknowledgeWarning(
    'cdk-aurora-baseline:readerAutoScalingAnalyticsMetric',
    'The CPU target is set with the analytics reader in the average: its load may add application replicas.',
  );

  // The alarms AWS recommends and the RDS events, notifying the cluster's encrypted topic (subscribe the on-call
  // pager to it), and a dashboard with the alarms' state.
  orders.addRecommendedAlarms();
  orders.addEventSubscriptions();
  orders.addDashboard();

  // The application: a role granted rds-db:connect as app_user on the cluster and through the proxy, and a security
  // group allowed into both. The grants go into a customer-managed policy: an inline policy (the role's
  // DefaultPolicy) fails HIPAA/NIST/PCI IAMNoInlinePolicy.
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
  const proxy = orders.addAuroraProxy('Proxy');
  proxy.connections.allowDefaultPortFrom(appSecurityGroup, 'The Orders application');
  new iam.ManagedPolicy(ordersStack, 'AppDatabaseAccess', {
    description: 'IAM database authentication to the Orders database as app_user, directly and through the proxy',
    roles: [appRole],
    statements: [
      orders.grantConnect(appRole.withoutPolicyUpdates(), 'app_user'),
      proxy.grantConnect(appRole.withoutPolicyUpdates(), 'app_user'),
    ].flatMap((grant) => grant.principalStatements),
  });

  // Inventory: a smaller Aurora MySQL cluster with Backtrack, in the same VPC.
  const inventoryStack = new Stack(app, `${REFERENCE_PREFIX}-Inventory-${primary}`, stackProps('Aurora MySQL'));
  const inventory = new AuroraCluster(inventoryStack, 'Inventory', {
    engine: INVENTORY_ENGINE,
    vpc,
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
    backtrackWindow: Duration.hours(24),
  });
  inventory.addRecommendedAlarms();
  inventory.addEventSubscriptions();

  // The Global Database from Orders: a secondary with readers, and a headless secondary (storage only), each in a
  // Region of its own with its own network. Replica budget (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html): up to 5 primary readers + 2
  // secondaries of at most 15.
  const global = new AuroraGlobalDatabase(ordersStack, 'Global', { primary: orders });
  const secondaryRegion = (
    region: string,
    what: string,
    secondaryOptions: { readers?: rds.IClusterInstance[]; enableWriteForwarding?: boolean },
  ) => {
    const { stack: netStack, vpc: regionVpc, network: regionNetwork } = networkStack(app, region);
    const stack = new Stack(app, `${REFERENCE_PREFIX}-Secondary-${region}`, stackProps(what, region));
    const cluster = global.addSecondary(stack, 'Orders', { vpc: regionVpc, ...secondaryOptions });
    // The secondary's alarms (its readers, and its lag behind the primary) and RDS events, in its Region.
    cluster.addRecommendedAlarms();
    cluster.addEventSubscriptions();
    return { networkStack: netStack, network: regionNetwork, stack, cluster };
  };
  const secondary = secondaryRegion(REFERENCE_REGIONS.secondary, 'Aurora PostgreSQL, Global Database secondary', {
    readers: [rds.ClusterInstance.serverlessV2('Reader1'), rds.ClusterInstance.serverlessV2('Reader2')],
    enableWriteForwarding: true,
  });
  // Local reporting reads in the secondary Region, on one reader.
  secondary.cluster.addCustomEndpoint('Reporting', { staticMembers: ['Reader2'] });
  const headlessSecondary = secondaryRegion(
    REFERENCE_REGIONS.headlessSecondary,
    'Aurora PostgreSQL, headless Global Database secondary',
    { readers: [] },
  );
  // One dashboard of the whole Global Database, in the primary's stack.
  global.addDashboard();
  Annotations.of(headlessSecondary.cluster).acknowledgeWarning(
    'cdk-aurora-baseline:headlessSecondary',
    'Headless on purpose: storage-only replication at the lowest cost; a switchover to this Region adds an instance first.',
  );

  const stacks = [
    ordersStack,
    inventoryStack,
    secondary.networkStack,
    secondary.stack,
    headlessSecondary.networkStack,
    headlessSecondary.stack,
  ];
  if (options.disposable) {
    makeDisposable(...stacks);
  }
  return {
    stacks,
    network,
    ordersStack,
    inventoryStack,
    orders,
    inventory,
    proxy,
    global,
    secondary,
    headlessSecondary,
    appRole,
    appSecurityGroup,
  };
}

/**
 * Makes stacks deletable for integ tests that deploy and destroy them: deletion protection off on every cluster and
 * global cluster, and every resource (keys and log groups included) destroyed with its stack.
 */
export function makeDisposable(...stacks: Stack[]): void {
  for (const stack of stacks) {
    RemovalPolicies.of(stack).destroy();
    Aspects.of(stack).add(new NoDeletionProtection());
  }
}

/** Turns deletion protection off on every cluster and global cluster (disposable integ deployments only). */
class NoDeletionProtection implements IAspect {
  public visit(node: IConstruct): void {
    if (node instanceof rds.CfnDBCluster || node instanceof rds.CfnGlobalCluster) {
      node.deletionProtection = false;
    }
  }
}
