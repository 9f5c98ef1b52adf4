import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { EngineFamily } from './engine-family';
import { ParsedVersion } from './engine-version';
import { Rule } from './validate';

/**
 * Day-2 rules: steps that cannot be undone (warned at synth) and upgrade paths (checked at synth where the app
 * alone tells). The library cannot see the deployed template, so it warns on the configuration that implies the
 * step; the lifecycle suite (test/lifecycle.test.ts) pins what each change does to a deployed stack.
 */

export const BACKTRACK_CONFIGURING_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.Configuring.html';
export const GLOBAL_LIMITATIONS_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html#aurora-global-database.limitations';
export const GLOBAL_UPGRADE_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-upgrade.html';
export const MAJOR_UPGRADE_URL = 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBCluster.html';
export const PARAMETER_GROUPS_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_WorkingWithParamGroups.html';

/**
 * Backtrack off on Aurora MySQL: on a cluster deployed with Backtrack on, `BacktrackWindow: 0` turns it off for
 * good (it cannot be enabled again on that cluster, nor on clones of it).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Backtrack.Configuring.html
 */
export function warnOnBacktrackOff(
  scope: Construct,
  family: EngineFamily,
  given: Duration | undefined,
  effective: Duration | undefined,
  globalDatabasePrimary: boolean,
): void {
  if (!family.supportsBacktrack || effective === undefined) return;
  const seconds = effective.toSeconds();
  if (Token.isUnresolved(seconds) || seconds !== 0) return;
  if (given !== undefined) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:backtrackOff',
      `backtrackWindow is 0: on a cluster deployed with Backtrack on, this turns Backtrack off permanently; it can never be turned on again on this cluster nor on its clones, and a later backtrackWindow above 0 fails the deployment (${BACKTRACK_CONFIGURING_URL}). Keep a window above 0, or acknowledge this warning`,
    );
  } else if (globalDatabasePrimary) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:backtrackOffForGlobalDatabase',
      `globalDatabasePrimary sets BacktrackWindow to 0, because Aurora Global Database does not support Backtrack (${GLOBAL_LIMITATIONS_URL}): on a cluster deployed with Backtrack on, this turns it off permanently, also if the cluster leaves the global database later (${BACKTRACK_CONFIGURING_URL}). Acknowledge this warning once you accept it`,
    );
  }
}

/**
 * `allowMajorVersionUpgrade`: one-way (no downgrade), and not for Global Database members, which are upgraded
 * through the global cluster.
 */
export function majorUpgradeRules(allow: boolean, globalDatabasePrimary: boolean): Rule[] {
  return [
    {
      condition: allow && globalDatabasePrimary,
      prop: 'allowMajorVersionUpgrade',
      message: `a Global Database member cannot be upgraded to a new major version on its own: the global cluster is upgraded, all members at once (${GLOBAL_UPGRADE_URL}); remove allowMajorVersionUpgrade, upgrade the global cluster (aws rds modify-global-cluster --engine-version <version> --allow-major-version-upgrade), then set the new engine version in the app (see the README, "Changing a deployed database")`,
    },
  ];
}

/** Clusters in major version upgrade mode (`allowMajorVersionUpgrade`), for the Global Database check. */
const MAJOR_UPGRADE_MODE = new WeakSet<Construct>();

/** Whether `cluster` was created with `allowMajorVersionUpgrade`. */
export function inMajorUpgradeMode(cluster: Construct): boolean {
  return MAJOR_UPGRADE_MODE.has(cluster);
}

export function warnOnMajorUpgrade(scope: Construct, allow: boolean): void {
  if (!allow) return;
  MAJOR_UPGRADE_MODE.add(scope);
  Annotations.of(scope).addWarningV2(
    'cdk-aurora-baseline:majorVersionUpgrade',
    `allowMajorVersionUpgrade is on: a new major engine version is applied by the next deployment and cannot be undone (there is no downgrade: going back means restoring a snapshot taken before, ${MAJOR_UPGRADE_URL}). The cluster parameter group is replaced by one of the new family with the same parameters. Remove allowMajorVersionUpgrade after the upgrade`,
  );
}

/**
 * An instance parameter group must be of the engine's parameter group family: after a major upgrade an instance
 * still pointing at a group of the old family fails the deployment. Groups created for the instance by aws-cdk-lib
 * (`rds.ClusterInstance.provisioned(id, { parameters })`) follow the engine; only a group passed in can lag behind.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_WorkingWithParamGroups.html
 */
export function instanceParameterGroupRules(
  instances: readonly rds.CfnDBInstance[],
  engineFamily: string | undefined,
): Rule[] {
  if (!engineFamily || Token.isUnresolved(engineFamily)) return [];
  return instances.flatMap((instance) => {
    const stack = Stack.of(instance);
    const ref = stack.resolve(instance.dbParameterGroupName) as { Ref?: string } | string | undefined;
    const logicalId = typeof ref === 'object' ? ref?.Ref : undefined;
    if (!logicalId) return [];
    const group = stack.node
      .findAll()
      .find(
        (c): c is rds.CfnDBParameterGroup =>
          c instanceof rds.CfnDBParameterGroup && stack.resolve(c.logicalId) === logicalId,
      );
    const family = group?.family;
    if (!family || Token.isUnresolved(family)) return [];
    return [
      {
        condition: family !== engineFamily,
        prop: 'writer/readers',
        message: `the instance ${instance.node.scope?.node.id} uses the DB parameter group ${group!.node.scope?.node.path ?? group!.node.path} of family ${family}, but the engine's family is ${engineFamily}: the deployment would fail (${PARAMETER_GROUPS_URL}); give it a parameter group of family ${engineFamily} (rds.ClusterInstance options { parameters } create one that follows the engine)`,
      },
    ];
  });
}

/** The DB parameter group every instance uses, when they all use the same one (for `DBInstanceParameterGroupName`). */
export function sharedInstanceParameterGroup(instances: readonly rds.CfnDBInstance[]): string | undefined {
  const groups = instances.map((i) => i.dbParameterGroupName);
  if (groups.length === 0 || groups.some((g) => g === undefined)) return undefined;
  const stack = Stack.of(instances[0]);
  const first = JSON.stringify(stack.resolve(groups[0]));
  return groups.every((g) => JSON.stringify(stack.resolve(g)) === first) ? groups[0] : undefined;
}

/**
 * A secondary may run a newer minor version than the primary while a minor upgrade is under way (secondaries are
 * upgraded first), never an older one and never another major version.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-upgrade.html
 */
export function secondaryVersionRules(
  primary: ParsedVersion | undefined,
  primaryEngineType: string,
  secondary: ParsedVersion | undefined,
  secondaryEngineType: string,
): Rule[] {
  const olderThanPrimary =
    !!primary &&
    !!secondary &&
    (secondary.minor < primary.minor || (secondary.minor === primary.minor && secondary.patch < primary.patch));
  return [
    {
      condition: primaryEngineType !== secondaryEngineType,
      prop: 'engine',
      message: `a secondary cluster runs the primary's engine (${primaryEngineType} ${primary?.label ?? ''}), not ${secondaryEngineType} ${secondary?.label ?? ''} (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-engineversion); remove engine`,
    },
    {
      condition:
        primaryEngineType === secondaryEngineType && !!primary && !!secondary && primary.line !== secondary.line,
      prop: 'engine',
      message: `a secondary runs the primary's major version (${primary?.label}), got ${secondary?.label}: a major upgrade is done on the global cluster, all members at once (${GLOBAL_UPGRADE_URL}); remove engine`,
    },
    {
      condition:
        primaryEngineType === secondaryEngineType &&
        !!primary &&
        !!secondary &&
        primary.line === secondary.line &&
        olderThanPrimary,
      prop: 'engine',
      message: `the secondary's version ${secondary?.label} is older than the primary's ${primary?.label}: in a minor upgrade of a Global Database the secondaries are upgraded first, then the primary (${GLOBAL_UPGRADE_URL}). Give every secondary the new version (engine) and deploy, then upgrade the primary`,
    },
  ];
}
