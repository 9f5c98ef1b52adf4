/**
 * The day-2 changes the lifecycle suite (lifecycle.test.ts) deploys over each other, and what each must do. The
 * README's "Changing a deployed database" table is checked against this list.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { Outcome } from './lifecycle-diff';
import { keepLogicalIds, MYSQL_3_08, POSTGRES_15_4, POSTGRES_16_4, R6G_LARGE, testStack, testVpc } from './util';
import {
  AuroraCluster,
  AuroraClusterProps,
  AuroraGlobalDatabase,
  AuroraProxyAuthentication,
  AuroraSecondaryClusterOptions,
  CustomEndpointType,
} from '../src';

export interface LifecycleCase {
  /** The construct the change is made on. */
  readonly construct: string;
  /** The change, as a user would describe it. */
  readonly change: string;
  readonly before: (app: App) => void;
  readonly after: (app: App) => void;
  /** What deploying `after` over `before` does. */
  readonly outcome: Outcome;
  /** The step cannot be undone (in place, but one-way). */
  readonly oneWay?: boolean;
  /** The warning (id) the `after` app carries at synth. */
  readonly warning?: string;
  /** The warning (id) the `before` app carried, which announced that this change would fail. */
  readonly warnedBefore?: string;
  /** The prop (`Interface.prop`) or class whose TSDoc says what the change does. */
  readonly documentedIn?: string;
  /** Only these stacks change (deployment order matters for Global Database upgrades). */
  readonly changedStacks?: string[];
  /** What happens, for the README. */
  readonly note: string;
}

const ENV = { account: '123456789012', region: 'us-east-1' };
const EU = { account: '123456789012', region: 'eu-west-1' };
const R6G_XLARGE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE);
const POSTGRES_16_6 = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 });

type Extra = (db: AuroraCluster, stack: Stack) => void;

/** An app with one cluster `Db` in stack `Orders`. */
function cluster(props: Partial<AuroraClusterProps> = {}, extra?: Extra, parent?: (stack: Stack) => Construct) {
  return (app: App) => {
    const stack = testStack(app, 'Orders', ENV);
    const vpc = testVpc(stack);
    const db = new AuroraCluster(parent ? parent(stack) : stack, 'Db', { engine: POSTGRES_16_4, vpc, ...props });
    extra?.(db, stack);
  };
}

const provisioned = (instanceType = R6G_LARGE) => rds.ClusterInstance.provisioned('Writer', { instanceType });
const reader = (id: string) => rds.ClusterInstance.serverlessV2(id, { scaleWithWriter: true });

/** A MySQL cluster with a provisioned writer (reader autoscaling needs one). */
function mysql(props: Partial<AuroraClusterProps> = {}, extra?: Extra) {
  return cluster({ engine: MYSQL_3_08, writer: provisioned(), ...props }, extra);
}

/** The cluster encrypted with a key of the app's. */
function withOwnKey(app: App): void {
  const stack = testStack(app, 'Orders', ENV);
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), encryptionKey: key });
}

/** Moves or renames `Db`, keeping every logical id the way `overrideLogicalId` refactors do. */
function refactored(parent: (stack: Stack) => Construct, id: string) {
  return (app: App) => {
    const original = testStack(new App(), 'Orders', ENV);
    const originalDb = new AuroraCluster(original, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(original) });
    const stack = testStack(app, 'Orders', ENV);
    const moved = new AuroraCluster(parent(stack), id, { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    keepLogicalIds(originalDb, moved);
  };
}

/** A Global Database: primary `Db` in stack `Primary`, secondaries in stack `Eu`. */
function globalDb(
  options: {
    primary?: Partial<AuroraClusterProps>;
    secondary?: Partial<AuroraSecondaryClusterOptions> | false;
    global?: boolean;
  } = {},
) {
  return (app: App) => {
    const stack = testStack(app, 'Primary', ENV);
    const primary = new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: testVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      serverlessV2MinCapacity: 8,
      ...options.primary,
    });
    if (options.global === false) return;
    const global = new AuroraGlobalDatabase(stack, 'Global', { primary });
    if (options.secondary === false) return;
    const eu = testStack(app, 'Eu', EU);
    global.addSecondary(eu, 'Db', { vpc: testVpc(eu), serverlessV2MinCapacity: 8, ...options.secondary });
  };
}

export const LIFECYCLE_CASES: LifecycleCase[] = [
  // --- instances and capacity
  {
    construct: 'AuroraCluster',
    change: 'add a reader',
    before: cluster(),
    after: cluster({ readers: [reader('Reader'), reader('Reader2')] }),
    outcome: Outcome.IN_PLACE,
    note: 'A new instance joins the cluster.',
  },
  {
    construct: 'AuroraCluster',
    change: 'remove a reader',
    before: cluster({ readers: [reader('Reader'), reader('Reader2')] }),
    after: cluster(),
    outcome: Outcome.IN_PLACE,
    note: 'The instance is deleted; its data is the cluster volume, which stays.',
  },
  {
    construct: 'AuroraCluster',
    change: "change the writer's instance class",
    before: mysql(),
    after: mysql({ writer: provisioned(R6G_XLARGE) }),
    outcome: Outcome.IN_PLACE,
    note: 'The instance is modified in place (it restarts; Aurora fails over to a reader if there is one).',
  },
  {
    construct: 'AuroraCluster',
    change: 'switch the writer from provisioned to Serverless v2',
    before: mysql(),
    after: mysql({ writer: rds.ClusterInstance.serverlessV2('Writer') }),
    outcome: Outcome.IN_PLACE,
    note: 'The instance class becomes db.serverless in place.',
  },
  {
    construct: 'AuroraCluster',
    change: 'raise the Serverless v2 maximum capacity',
    before: cluster(),
    after: cluster({ serverlessV2MaxCapacity: 64 }),
    outcome: Outcome.IN_PLACE,
    note: 'The scaling range is changed in place.',
  },
  {
    construct: 'AuroraCluster',
    change: 'minimum capacity 0 (auto-pause)',
    before: cluster(),
    after: cluster({ serverlessV2MinCapacity: 0 }),
    outcome: Outcome.IN_PLACE,
    note: 'Idle instances pause; in place.',
  },
  {
    construct: 'AuroraCluster',
    change: 'storage type I/O-Optimized',
    before: cluster(),
    after: cluster({ storageType: rds.DBClusterStorageType.AURORA_IOPT1 }),
    outcome: Outcome.IN_PLACE,
    note: 'In place (AWS allows a switch back after 30 days).',
  },
  // --- reader autoscaling and analytics
  {
    construct: 'AuroraCluster',
    change: 'turn reader autoscaling on',
    before: mysql(),
    after: mysql({ readerAutoScaling: { maxCapacity: 4, targetCpuUtilization: 70 } }),
    outcome: Outcome.IN_PLACE,
    note: 'The scalable target, its policy and the replica-cleanup function are added.',
  },
  {
    construct: 'AuroraCluster',
    change: 'turn reader autoscaling off',
    before: mysql({ readerAutoScaling: { maxCapacity: 4, targetCpuUtilization: 70 } }),
    after: mysql(),
    outcome: Outcome.KEPT_ON_REMOVAL,
    documentedIn: 'AuroraClusterProps.removalPolicy',
    note: "Scaling is deregistered; the replica-cleanup function's log group is retained with the cluster's logs.",
  },
  {
    construct: 'AuroraCluster',
    change: 'add analytics readers',
    before: mysql(),
    after: mysql({ analytics: { readers: [rds.ClusterInstance.provisioned('Bi', { instanceType: R6G_LARGE })] } }),
    outcome: Outcome.IN_PLACE,
    note: 'A tier-15 instance and the analytics and application reader endpoints are added.',
  },
  {
    construct: 'AuroraCluster',
    change: 'remove analytics readers',
    before: mysql({ analytics: { readers: [rds.ClusterInstance.provisioned('Bi', { instanceType: R6G_LARGE })] } }),
    after: mysql(),
    outcome: Outcome.IN_PLACE,
    note: 'The analytics instance and both endpoints are deleted; clients of those endpoints lose their DNS names.',
  },
  // --- backtrack
  {
    construct: 'AuroraCluster',
    change: 'shorten the Backtrack window',
    before: mysql(),
    after: mysql({ backtrackWindow: Duration.hours(12) }),
    outcome: Outcome.IN_PLACE,
    note: 'In place.',
  },
  {
    construct: 'AuroraCluster',
    change: 'turn Backtrack off (window 0)',
    before: mysql(),
    after: mysql({ backtrackWindow: Duration.seconds(0) }),
    outcome: Outcome.IN_PLACE,
    oneWay: true,
    warning: 'cdk-aurora-baseline:backtrackOff',
    documentedIn: 'AuroraClusterProps.backtrackWindow',
    note: 'In place and permanent: Backtrack can never be turned on again on this cluster. Warned at synth.',
  },
  {
    construct: 'AuroraCluster',
    change: 'turn Backtrack on again after 0',
    before: mysql({ backtrackWindow: Duration.seconds(0) }),
    after: mysql(),
    outcome: Outcome.IN_PLACE,
    warnedBefore: 'cdk-aurora-baseline:backtrackOff',
    documentedIn: 'AuroraClusterProps.backtrackWindow',
    note: 'RDS refuses the update and CloudFormation rolls it back; the warning given when it was turned off said so.',
  },
  {
    construct: 'AuroraCluster',
    change: 'globalDatabasePrimary on an Aurora MySQL cluster',
    before: mysql(),
    after: mysql({ globalDatabasePrimary: true }),
    outcome: Outcome.IN_PLACE,
    oneWay: true,
    warning: 'cdk-aurora-baseline:backtrackOffForGlobalDatabase',
    documentedIn: 'AuroraClusterProps.globalDatabasePrimary',
    note: 'Backtrack is turned off for good (Global Database does not support it). Warned at synth.',
  },
  // --- settings fixed at creation
  {
    construct: 'AuroraCluster',
    change: 'change the master user name',
    before: cluster(),
    after: cluster({ masterUsername: 'owner' }),
    outcome: Outcome.REFUSED,
    documentedIn: 'AuroraClusterProps.masterUsername',
    note: 'Would need a new cluster under the same identifier: CloudFormation fails and rolls back, nothing is lost.',
  },
  {
    construct: 'AuroraCluster',
    change: 'change the default database name',
    before: cluster(),
    after: cluster({ defaultDatabaseName: 'orders' }),
    outcome: Outcome.REFUSED,
    documentedIn: 'AuroraClusterProps.defaultDatabaseName',
    note: 'As above: refused, rolled back.',
  },
  {
    construct: 'AuroraCluster',
    change: 'bring your own encryption key',
    before: cluster(),
    after: withOwnKey,
    outcome: Outcome.REFUSED,
    documentedIn: 'AuroraClusterProps.encryptionKey',
    note: 'The storage key is chosen at creation: refused, rolled back. Restore a snapshot into a new cluster instead.',
  },
  {
    construct: 'AuroraCluster',
    change: 'switch from Aurora PostgreSQL to Aurora MySQL',
    before: cluster(),
    after: cluster({ engine: MYSQL_3_08 }),
    outcome: Outcome.REFUSED,
    documentedIn: 'AuroraClusterProps.engine',
    note: 'Refused, rolled back (a new engine means a new cluster).',
  },
  {
    construct: 'AuroraCluster',
    change: 'give the cluster an identifier of your own',
    before: cluster(),
    after: cluster({ clusterIdentifier: 'orders' }),
    outcome: Outcome.STATEFUL_REPLACEMENT,
    documentedIn: 'AuroraClusterProps.clusterIdentifier',
    note: 'A new, empty cluster is created under the new name; the old one is snapshotted and deleted. Avoid.',
  },
  {
    construct: 'AuroraCluster',
    change: 'change the port',
    before: cluster(),
    after: cluster({ port: 6543 }),
    outcome: Outcome.STATELESS_REPLACEMENT,
    note: 'The cluster changes in place (connections drop while instances restart); security group rules for the port are replaced.',
  },
  {
    construct: 'AuroraCluster',
    change: 'turn deletion protection off',
    before: cluster(),
    after: cluster({ deletionProtection: false }),
    outcome: Outcome.IN_PLACE,
    note: 'In place (needed before the cluster can be deleted).',
  },
  // --- engine versions
  {
    construct: 'AuroraCluster',
    change: 'minor engine upgrade (PostgreSQL 16.4 to 16.6)',
    before: cluster(),
    after: cluster({ engine: POSTGRES_16_6 }),
    outcome: Outcome.IN_PLACE,
    note: 'In place, with a restart.',
  },
  {
    construct: 'AuroraCluster',
    change: 'major engine upgrade (PostgreSQL 15 to 16) with allowMajorVersionUpgrade',
    before: cluster({ engine: POSTGRES_15_4 }),
    after: cluster({ engine: POSTGRES_16_4, allowMajorVersionUpgrade: true }),
    outcome: Outcome.STATELESS_REPLACEMENT,
    oneWay: true,
    warning: 'cdk-aurora-baseline:majorVersionUpgrade',
    documentedIn: 'AuroraClusterProps.allowMajorVersionUpgrade',
    note: 'The cluster is upgraded in place (no downgrade); its parameter group is replaced by one of the new family. Warned at synth.',
  },
  // --- removal policy
  {
    construct: 'AuroraCluster',
    change: 'removalPolicy DESTROY (from the default SNAPSHOT)',
    before: cluster(),
    after: cluster({ removalPolicy: RemovalPolicy.DESTROY }),
    outcome: Outcome.IN_PLACE,
    documentedIn: 'AuroraClusterProps.removalPolicy',
    note: 'Only the deletion policies change; a later stack deletion then deletes the data, the key and the logs.',
  },
  {
    construct: 'AuroraCluster',
    change: 'removalPolicy RETAIN',
    before: cluster(),
    after: cluster({ removalPolicy: RemovalPolicy.RETAIN }),
    outcome: Outcome.IN_PLACE,
    documentedIn: 'AuroraClusterProps.removalPolicy',
    note: 'Only the deletion policies change.',
  },
  // --- refactors
  {
    construct: 'AuroraCluster',
    change: 'move the construct under another parent, logical ids kept',
    before: cluster(),
    after: refactored((s) => new Construct(s, 'Team'), 'Db'),
    outcome: Outcome.NO_CHANGE,
    note: 'Names derive from logical ids, not construct paths: nothing changes.',
  },
  {
    construct: 'AuroraCluster',
    change: 'rename the construct, logical ids kept',
    before: cluster(),
    after: refactored((s) => s, 'Orders'),
    outcome: Outcome.NO_CHANGE,
    note: 'Nothing changes.',
  },
  {
    construct: 'AuroraCluster',
    change: 'move the construct without keeping logical ids',
    before: cluster(),
    after: cluster({}, undefined, (s) => new Construct(s, 'Team')),
    outcome: Outcome.STATEFUL_REPLACEMENT,
    documentedIn: 'AuroraCluster',
    note: 'New logical ids are new resources: a new, empty cluster; the old one is snapshotted. Keep logical ids.',
  },
  {
    construct: 'AuroraCluster',
    change: 'destroy and deploy again',
    before: () => undefined,
    after: cluster(),
    outcome: Outcome.IN_PLACE,
    note: "Everything is created anew; names carry the new stack's id, so retained log groups and clusters do not collide.",
  },
  // --- proxy
  {
    construct: 'AuroraProxy',
    change: 'add a proxy',
    before: cluster(),
    after: cluster({}, (db) => db.addAuroraProxy('Proxy')),
    outcome: Outcome.IN_PLACE,
    note: 'The proxy, its role, security group and endpoint are added.',
  },
  {
    construct: 'AuroraProxy',
    change: 'remove the proxy',
    before: cluster({}, (db) => db.addAuroraProxy('Proxy')),
    after: cluster(),
    outcome: Outcome.IN_PLACE,
    note: 'The proxy is deleted; clients of its endpoints lose them.',
  },
  {
    construct: 'AuroraProxy',
    change: 'add a proxy endpoint',
    before: cluster({}, (db) => db.addAuroraProxy('Proxy')),
    after: cluster({}, (db) => db.addAuroraProxy('Proxy').addEndpoint('Writes')),
    outcome: Outcome.IN_PLACE,
    note: 'A new endpoint is added.',
  },
  {
    construct: 'AuroraProxy',
    change: 'switch the proxy to the master secret',
    before: cluster({}, (db) => db.addAuroraProxy('Proxy')),
    after: cluster({}, (db) =>
      db.addAuroraProxy('Proxy', { authentication: AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET }),
    ),
    outcome: Outcome.IN_PLACE,
    note: 'In place.',
  },
  {
    construct: 'AuroraProxy',
    change: 'rename the proxy construct',
    before: cluster({}, (db) => db.addAuroraProxy('Proxy')),
    after: cluster({}, (db) => db.addAuroraProxy('Pool')),
    outcome: Outcome.STATELESS_REPLACEMENT,
    note: 'A new proxy with a new name and endpoints; the old one is deleted. Clients must use the new endpoints.',
  },
  // --- custom endpoints
  {
    construct: 'AuroraCustomEndpoint',
    change: 'add a custom endpoint',
    before: cluster(),
    after: cluster({}, (db) => db.addCustomEndpoint('Reporting', { type: CustomEndpointType.ANY })),
    outcome: Outcome.IN_PLACE,
    note: 'A new endpoint is added.',
  },
  {
    construct: 'AuroraCustomEndpoint',
    change: "change a custom endpoint's members",
    before: cluster({}, (db) => db.addCustomEndpoint('Reporting', { type: CustomEndpointType.ANY })),
    after: cluster({}, (db) =>
      db.addCustomEndpoint('Reporting', { type: CustomEndpointType.ANY, staticMembers: ['Reader'] }),
    ),
    outcome: Outcome.IN_PLACE,
    note: 'In place.',
  },
  {
    construct: 'AuroraCustomEndpoint',
    change: 'give a custom endpoint an identifier of your own',
    before: cluster({}, (db) => db.addCustomEndpoint('Reporting', { type: CustomEndpointType.ANY })),
    after: cluster({}, (db) =>
      db.addCustomEndpoint('Reporting', { type: CustomEndpointType.ANY, endpointIdentifier: 'reporting' }),
    ),
    outcome: Outcome.STATELESS_REPLACEMENT,
    note: 'The endpoint is replaced: its DNS name changes.',
  },
  // --- Global Database
  {
    construct: 'AuroraGlobalDatabase',
    change: 'join a Global Database',
    before: globalDb({ global: false }),
    after: globalDb({ secondary: false }),
    outcome: Outcome.IN_PLACE,
    note: 'The global cluster is created from the running cluster.',
  },
  {
    construct: 'AuroraGlobalDatabase',
    change: 'add a secondary Region',
    before: globalDb({ secondary: false }),
    after: globalDb(),
    outcome: Outcome.IN_PLACE,
    changedStacks: ['Eu'],
    note: "A new stack in the secondary's Region; the secondary replicates from the primary.",
  },
  {
    construct: 'AuroraGlobalDatabase',
    change: 'remove a secondary Region',
    before: globalDb(),
    after: globalDb({ secondary: false }),
    outcome: Outcome.KEPT_ON_REMOVAL,
    changedStacks: ['Eu'],
    documentedIn: 'AuroraSecondaryClusterOptions.removalPolicy',
    note: 'The secondary is detached, snapshotted and deleted; its key and logs are retained.',
  },
  {
    construct: 'AuroraGlobalDatabase',
    change: 'leave the Global Database (no secondaries left)',
    before: globalDb({ secondary: false }),
    after: globalDb({ global: false }),
    outcome: Outcome.IN_PLACE,
    note: "The global cluster is deleted (turn its deletion protection off first); the primary's data stays.",
  },
  {
    construct: 'AuroraSecondaryCluster',
    change: 'add a reader to a secondary',
    before: globalDb(),
    after: globalDb({
      secondary: { readers: [rds.ClusterInstance.serverlessV2('Reader'), rds.ClusterInstance.serverlessV2('Reader2')] },
    }),
    outcome: Outcome.IN_PLACE,
    changedStacks: ['Eu'],
    note: 'A new instance in the secondary Region.',
  },
  {
    construct: 'AuroraGlobalDatabase',
    change: 'minor upgrade, step 1: secondaries first (`engine` on each secondary)',
    before: globalDb(),
    after: globalDb({ secondary: { engine: POSTGRES_16_6 } }),
    outcome: Outcome.IN_PLACE,
    changedStacks: ['Eu'],
    documentedIn: 'AuroraSecondaryClusterOptions.engine',
    note: "Only the secondaries' stacks change: they are upgraded before the primary, as AWS requires.",
  },
  {
    construct: 'AuroraGlobalDatabase',
    change: 'minor upgrade, step 2: the primary (secondaries drop `engine`)',
    before: globalDb({ secondary: { engine: POSTGRES_16_6 } }),
    after: globalDb({ primary: { engine: POSTGRES_16_6 } }),
    outcome: Outcome.IN_PLACE,
    changedStacks: ['Primary'],
    documentedIn: 'AuroraSecondaryClusterOptions.engine',
    note: "Only the primary's stack changes.",
  },
];

/** The README table, generated from the cases (the README test prints it when they disagree). */
export function lifecycleTable(): string {
  const rows = LIFECYCLE_CASES.map((c) => {
    const outcome = `${c.outcome}${c.oneWay ? ', one-way' : ''}${c.warning ? ' (warned)' : ''}`;
    return `| ${c.construct} | ${c.change} | ${outcome} | ${c.note} |`;
  });
  return ['| construct | change | outcome | what happens |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
