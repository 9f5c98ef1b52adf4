import { Annotations, ArnFormat, CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { IAuroraCluster, IAuroraGlobalDatabase } from './cluster-ref';
import { AuroraGlobalDatabaseDashboard, AuroraGlobalDatabaseDashboardOptions } from './global-dashboard';
import { ACK_GLOBAL_DATABASE_BACKTRACK, acknowledge } from './private/acknowledgements';
import { cfnInstancesOf } from './private/cluster-parts';
import { lowerIfLiteral } from './private/deploy-time';
import { resolveEngine } from './private/engine';
import { registerGlobalDatabase } from './private/global-registry';
import { inMajorUpgradeMode, majorUpgradeRules } from './private/lifecycle';
import { deriveLiteralName } from './private/naming';
import { identifierRules, Rule, throwIfBroken } from './private/validate';
import {
  globalBacktrackRules,
  globalInstanceClassRules,
  globalVersionRules,
  managedPasswordRules,
  Member,
  RECOMMENDED_PRIMARY_MIN_CAPACITY,
  replicaBudgetRules,
  secondaryClusterRules,
  secondaryPlacementRules,
} from './private/validate-global';
import { globalCallerRules } from './private/validate-props';
import { AuroraSecondaryCluster, AuroraSecondaryClusterOptions } from './secondary-cluster';

/**
 * Properties of an {@link AuroraGlobalDatabase}.
 */
export interface AuroraGlobalDatabaseProps {
  /**
   * The cluster that becomes the primary (writer) of the global database.
   *
   * Must be in the same stack as the global database, in a stack with an explicit Region. An Aurora MySQL
   * primary must have no Backtrack: create it with `globalDatabasePrimary: true`.
   *
   * An existing cluster (`AuroraCluster.fromAuroraClusterAttributes`) needs `engine` and `port`; the library cannot
   * check its Backtrack, instance classes or master password, and says so in a warning.
   */
  readonly primary: IAuroraCluster;

  /**
   * The global cluster identifier.
   *
   * 1 to 63 letters, digits or hyphens, starting with a letter. Secondary stacks use it literally, so they never
   * reference the primary's stack. Changing it replaces the global cluster.
   *
   * Changing it replaces the global cluster, which CloudFormation cannot do while clusters are members of it.
   *
   * @default - `<stack name>-<logical id>-<8 hex digits of the Region, stack name and logical id>`: a literal that
   * refactors keeping logical ids leave unchanged (the global cluster is deleted with its stack, so a stack deployed
   * again reuses it without a collision)
   */
  readonly globalClusterIdentifier?: string;

  /**
   * Whether the global cluster refuses to be deleted.
   *
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** The secondary clusters of each global database, in the order they were added. */
const SECONDARIES = new WeakMap<AuroraGlobalDatabase, AuroraSecondaryCluster[]>();

/**
 * An Aurora Global Database: an `AuroraCluster` as the primary, plus secondary clusters in other Regions.
 *
 * Creates `AWS::RDS::GlobalCluster` from the primary (no Lambda-backed custom resource). Add secondaries with
 * `addSecondary(stack, id, options)`, each in a stack of its own Region: the secondary stack gets a dependency on
 * the primary's stack, and refers to the global cluster by its literal identifier, so no cross-Region reference
 * is needed.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html
 *
 * @example
 * declare const primaryStack: Stack;
 * declare const euStack: Stack;
 * declare const primaryVpc: ec2.IVpc;
 * declare const euVpc: ec2.IVpc;
 * const orders = new AuroraCluster(primaryStack, 'Orders', {
 *   engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }),
 *   vpc: primaryVpc,
 *   globalDatabasePrimary: true,
 * });
 * const globalDatabase = new AuroraGlobalDatabase(primaryStack, 'Global', { primary: orders });
 * globalDatabase.addSecondary(euStack, 'Eu', { vpc: euVpc });
 */
export class AuroraGlobalDatabase extends Construct implements IAuroraGlobalDatabase {
  /** The primary cluster. */
  public readonly primary: IAuroraCluster;
  /** The global cluster identifier (a token that resolves to a literal in every stack, when derived). */
  public readonly globalClusterIdentifier: string;
  /** The ARN of the global cluster, e.g. for IAM policies on switchover and failover. */
  public readonly globalClusterArn: string;
  /** The `AWS::RDS::GlobalCluster` resource (escape hatch). */
  public readonly cfnGlobalCluster: rds.CfnGlobalCluster;

  private readonly primaryMember: Member;
  private _dashboard?: AuroraGlobalDatabaseDashboard;

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);
    throwIfBroken(this.node.path, globalCallerRules(props));
    const primary = props.primary;
    const stack = Stack.of(this);
    const primaryStack = Stack.of(primary);
    const { family, version } = resolveEngine(this.node.path, primary.engine);
    // The primary's CloudFormation cluster and instances; none when the primary is an imported cluster.
    const primaryCluster =
      primary.node.defaultChild instanceof rds.CfnDBCluster ? primary.node.defaultChild : undefined;
    const primaryInstances = cfnInstancesOf(primary);

    throwIfBroken(this.node.path, [
      {
        condition: stack !== primaryStack,
        prop: 'scope',
        message: `the global database must be in the primary's stack ${primaryStack.node.path}, not ${stack.node.path} (the global cluster is created from the primary cluster, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html); create it in the primary's stack`,
      },
      {
        condition: Token.isUnresolved(primaryStack.region),
        prop: 'primary',
        message:
          "the primary's stack has no Region at synth time, so the library cannot keep secondaries out of it (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html); give the stack an explicit env: { region }",
      },
      ...identifierRules('globalClusterIdentifier', props.globalClusterIdentifier),
      ...globalBacktrackRules(
        'primary',
        primaryCluster?.backtrackWindow,
        'create the AuroraCluster with globalDatabasePrimary: true, which leaves Backtrack off (on a deployed cluster this turns Backtrack off for good)',
      ),
      ...globalVersionRules(family, version, primaryStack.region),
      ...majorUpgradeRules(inMajorUpgradeMode(primary), true).map((r) => ({ ...r, prop: 'primary' })),
      ...globalInstanceClassRules(primaryInstances, 'primary'),
      ...(primaryCluster ? managedPasswordRules(primaryCluster, 'primary') : []),
    ]);
    if (!primaryCluster) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:importedGlobalPrimary',
        `the primary ${primary.node.path} is an imported cluster: the library cannot check that it has no Backtrack, memory-optimized or Serverless v2 instances and no RDS-managed master password, which a Global Database needs (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations); check them before deploying`,
      );
    }

    this.primary = primary;
    this.globalClusterIdentifier =
      props.globalClusterIdentifier !== undefined
        ? lowerIfLiteral(props.globalClusterIdentifier)
        : deriveLiteralName(() => this.cfnGlobalCluster);
    this.primaryMember = {
      path: primary.node.path,
      region: primaryStack.region,
      clusterIdentifier: primary.clusterIdentifier,
    };
    SECONDARIES.set(this, []);
    registerGlobalDatabase(this, {
      placementRules: (secondary) => this.placementRules(secondary),
      registerSecondary: (secondary) => this.registerSecondary(secondary as AuroraSecondaryCluster),
    });

    // From the primary: Engine, EngineVersion, StorageEncrypted and DatabaseName are inherited and must not be set
    // (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateGlobalCluster.html). https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-globalcluster.html
    this.cfnGlobalCluster = new rds.CfnGlobalCluster(this, 'Resource', {
      globalClusterIdentifier: this.globalClusterIdentifier,
      sourceDbClusterIdentifier: primary.clusterArn,
      deletionProtection: props.deletionProtection ?? true,
    });
    // Join once the primary and everything it is made of (instances, secret attachment) are available (the construct
    // that holds them, rds.DatabaseCluster). The cluster resource itself is ordered by the Ref in
    // SourceDBClusterIdentifier: a DependsOn on it would be redundant (cfn-lint W3005).
    const primaryDbCluster = primaryCluster?.node.scope;
    if (primaryDbCluster) {
      for (const part of primaryDbCluster.node.findAll()) {
        if (CfnResource.isCfnResource(part) && part !== primaryCluster) {
          this.cfnGlobalCluster.addResourceDependency(part);
        }
      }
    }

    this.globalClusterArn = stack.formatArn({
      service: 'rds',
      region: '',
      resource: 'global-cluster',
      resourceName: this.globalClusterIdentifier,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // No global writer endpoint attribute: CloudFormation's AWS::RDS::GlobalCluster does not return
    // `GlobalEndpoint.Address` (its resource schema has only the `GlobalEndpoint` object, which Fn::GetAtt cannot
    // hand to a string property); see the README, "The global writer endpoint".

    if (primaryCluster && family.supportsBacktrack) {
      acknowledge(primaryCluster, ACK_GLOBAL_DATABASE_BACKTRACK);
    }
    if (primaryCluster) {
      warnOnPrimaryCapacity(this, primaryCluster, primaryInstances);
    }

    // Checked again at synth: the primary's readers (including any added after this construct) and the
    // secondaries share one budget, and escape hatches may have changed a member after construction.
    this.node.addValidation({
      validate: () => {
        // Reader autoscaling may grow the primary's replica count up to its maximum (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-replicas-adding.html, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html).
        const scaling = primary.node
          .findAll()
          .find((c): c is appscaling.CfnScalableTarget => c instanceof appscaling.CfnScalableTarget);
        const instances = primaryCluster ? cfnInstancesOf(primary).length : primary.instanceIdentifiers.length;
        const readers = Math.max(instances - 1, scaling?.maxCapacity ?? 0);
        return [
          ...brokenRules(this.node.path, [
            ...replicaBudgetRules(readers, this.secondaries.length),
            ...globalBacktrackRules('primary', primaryCluster?.backtrackWindow),
            ...(primaryCluster ? managedPasswordRules(primaryCluster, 'primary') : []),
          ]),
          ...this.secondaries.flatMap((s) => brokenRules(s.node.path, secondaryClusterRules(s.cfnCluster))),
        ];
      },
    });
  }

  /** The secondary clusters, in the order they were added. */
  public get secondaries(): AuroraSecondaryCluster[] {
    return [...(SECONDARIES.get(this) ?? [])];
  }

  /**
   * Adds a secondary cluster in the Region of `scope`'s stack.
   *
   * `scope` is usually the stack of the secondary Region; it must have an explicit Region, other than the
   * primary's and other than every other secondary's. That stack is made to depend on the primary's stack.
   */
  public addSecondary(scope: Construct, id: string, options: AuroraSecondaryClusterOptions): AuroraSecondaryCluster {
    return new AuroraSecondaryCluster(scope, id, { ...options, globalDatabase: this });
  }

  /**
   * Adds a CloudWatch dashboard of the Global Database in the primary's stack (construct id `Dashboard`; call it
   * once): the primary's writer and, for every secondary (including those added later), its lag behind the primary
   * and the replicated writes, read in the secondary's Region.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html
   */
  public addDashboard(options: AuroraGlobalDatabaseDashboardOptions = {}): AuroraGlobalDatabaseDashboard {
    if (this._dashboard) {
      throw new Error(
        `${this.node.path}: addDashboard: the global database already has the dashboard ${this._dashboard.node.path}; call addDashboard() once`,
      );
    }
    this._dashboard = new AuroraGlobalDatabaseDashboard(this, 'Dashboard', { ...options, globalDatabase: this });
    return this._dashboard;
  }

  private placementRules(secondary: Member): Rule[] {
    const existing = this.secondaries.map((s) => ({
      path: s.node.path,
      region: Stack.of(s).region,
      clusterIdentifier: s.clusterIdentifier,
    }));
    return secondaryPlacementRules(this.primaryMember, existing, secondary);
  }

  private registerSecondary(secondary: AuroraSecondaryCluster): void {
    SECONDARIES.get(this)!.push(secondary);
    this._dashboard?._addSecondary(secondary);
    // The secondary can only be created once the primary has joined the global cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html).
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html
    Stack.of(secondary).addStackDependency(
      Stack.of(this),
      `the secondary cluster ${secondary.node.path} joins the global cluster ${this.globalClusterIdentifier}`,
    );
  }
}

/**
 * Aurora recommends at least 8 ACUs for a Serverless v2 primary, whose writer and tier 0-1 readers never pause
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html
 */
function warnOnPrimaryCapacity(
  scope: Construct,
  primaryCluster: rds.CfnDBCluster,
  primaryInstances: readonly rds.CfnDBInstance[],
): void {
  if (!primaryInstances.some((i) => i.dbInstanceClass === 'db.serverless')) return;
  const scaling = Stack.of(primaryCluster).resolve(primaryCluster.serverlessV2ScalingConfiguration) as
    { MinCapacity?: number; minCapacity?: number } | undefined;
  const min = scaling?.MinCapacity ?? scaling?.minCapacity;
  if (typeof min === 'number' && min < RECOMMENDED_PRIMARY_MIN_CAPACITY) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:globalPrimaryCapacity',
      `the primary's Serverless v2 minimum capacity is ${min} ACUs; AWS recommends at least ${RECOMMENDED_PRIMARY_MIN_CAPACITY} for a Global Database primary, whose writer never pauses (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.configuration.requirements.html). Raise serverlessV2MinCapacity on the primary`,
    );
  }
}

/** Validation messages for `node.addValidation`, in the library's message form. */
function brokenRules(path: string, rules: readonly Rule[]): string[] {
  return rules.filter((r) => r.condition).map((r) => `${path}: ${r.prop}: ${r.message}`);
}
