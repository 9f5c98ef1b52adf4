import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * aws-cdk-lib's built-in template rules (the `CloudFormation Validate` plugin every App runs; errors fail `cdk synth`
 * in apps that set `@aws-cdk/core:validateAgainstDefaultRules`, as `cdk init` does) report two false positives on
 * the library's resources in the aws-cdk-lib releases before 2.276 (rules engine @aws/cloudformation-validate
 * before 1.14):
 *
 * - F3006 "Unknown resource type 'AWS::RDS::DBClusterEndpoint'": their resource specification predates the type,
 *   which CloudFormation has offered since 2020
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbclusterendpoint.html).
 * - W9008 "RDS instance should have StorageEncrypted set to true" on Aurora DB instances: for Aurora the property is
 *   "not applicable, the encryption for DB instances is managed by the DB cluster"
 *   (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-storageencrypted),
 *   and setting it on an existing instance would replace it. 2.276's engine skips Aurora engines.
 *
 * The library acknowledges them on its own resources, and only on those releases. Those releases match an
 * acknowledgement of a built-in rule by rule id in the whole app, not by resource (2.276 matches it by construct
 * path): so W9008 is acknowledged only when every `AWS::RDS::DBInstance` of the app is an Aurora instance (where it
 * is always a false positive), and F3006 only names the endpoint type the library creates.
 */

/** The first aws-cdk-lib release whose built-in rules know `AWS::RDS::DBClusterEndpoint` and skip Aurora in W9008. */
export const BUILT_IN_RULES_FIXED_IN = [2, 276] as const;

/** The plugin name as acknowledgement ids spell it (`CloudFormation Validate` with the space hyphenated). */
const PLUGIN = 'CloudFormation-Validate';

export const UNKNOWN_TYPE_RULE = `${PLUGIN}::F3006`;
export const STORAGE_ENCRYPTED_RULE = `${PLUGIN}::W9008`;

const UNKNOWN_TYPE_REASON =
  "aws-cdk-lib's built-in rules before 2.276 do not know AWS::RDS::DBClusterEndpoint, a CloudFormation resource type since 2020 (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbclusterendpoint.html).";
const STORAGE_ENCRYPTED_REASON =
  'StorageEncrypted does not apply to Aurora DB instances: the DB cluster encrypts the shared storage (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html#cfn-rds-dbinstance-storageencrypted).';

/** The version of the aws-cdk-lib this process loaded, as [major, minor], or undefined if it cannot be read. */
export function loadedAwsCdkLibVersion(): [number, number] | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const version: string = require('aws-cdk-lib/package.json').version;
    const match = /^(\d+)\.(\d+)\./.exec(version);
    return match ? [Number(match[1]), Number(match[2])] : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the loaded aws-cdk-lib's built-in rules have the two false positives. */
export function builtInRulesHaveFalsePositives(): boolean {
  return versionHasFalsePositives(loadedAwsCdkLibVersion());
}

/** Whether aws-cdk-lib `version` ([major, minor]) has them; an unknown version is assumed not to. */
export function versionHasFalsePositives(version: readonly [number, number] | undefined): boolean {
  if (!version) return false;
  const [major, minor] = version;
  return (
    major < BUILT_IN_RULES_FIXED_IN[0] || (major === BUILT_IN_RULES_FIXED_IN[0] && minor < BUILT_IN_RULES_FIXED_IN[1])
  );
}

/** The resource types the library creates that the built-in rules before 2.276 do not know, with their reference. */
const TYPES_UNKNOWN_BEFORE_2_276: Record<string, string> = {
  'AWS::RDS::DBClusterEndpoint':
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbclusterendpoint.html',
  'AWS::RDS::ClusterSnapshot':
    'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-clustersnapshot.html',
};

/**
 * Acknowledges F3006 on one of the library's resources of a CloudFormation type those rules do not know
 * (`AWS::RDS::DBClusterEndpoint`, `AWS::RDS::ClusterSnapshot`), where the rule is wrong.
 */
export function acknowledgeUnknownResourceType(resource: CfnResource): void {
  const reference = TYPES_UNKNOWN_BEFORE_2_276[resource.cfnResourceType];
  if (reference === undefined || !builtInRulesHaveFalsePositives()) return;
  const reason =
    resource.cfnResourceType === 'AWS::RDS::DBClusterEndpoint'
      ? UNKNOWN_TYPE_REASON
      : `aws-cdk-lib's built-in rules before 2.276 do not know ${resource.cfnResourceType}, a CloudFormation resource type (${reference}).`;
  Validations.of(resource).acknowledge({ id: UNKNOWN_TYPE_RULE, reason });
}

const pending = new WeakSet<IConstruct>();

/**
 * Acknowledges W9008 on the library's Aurora DB instances of `scope`, where the rule is wrong. Decided at synthesis
 * (a validation of `scope`, which runs before the template rules): only when no `AWS::RDS::DBInstance` of the app
 * is of another engine, because these releases would also silence the rule there.
 */
export function acknowledgeAuroraStorageEncrypted(scope: IConstruct, instances: () => CfnResource[]): void {
  if (!builtInRulesHaveFalsePositives() || pending.has(scope)) return;
  pending.add(scope);
  scope.node.addValidation({
    validate: () => {
      if (everyDbInstanceIsAurora(scope.node.root)) {
        for (const instance of instances()) {
          const acknowledged = instance.node.metadata.some(
            (m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data?.[STORAGE_ENCRYPTED_RULE],
          );
          if (!acknowledged) {
            Validations.of(instance).acknowledge({ id: STORAGE_ENCRYPTED_RULE, reason: STORAGE_ENCRYPTED_REASON });
          }
        }
      }
      return [];
    },
  });
}

function everyDbInstanceIsAurora(root: IConstruct): boolean {
  return root.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::RDS::DBInstance')
    .every((r) => {
      const engine = Stack.of(r).resolve((r as unknown as { engine?: unknown }).engine);
      return typeof engine === 'string' && engine.toLowerCase().startsWith('aurora');
    });
}

export const PASSWORD_WITHOUT_USERNAME_RULE = `${PLUGIN}::F3021`;
export const IGNORED_ON_RESTORE_RULE = `${PLUGIN}::W3689`;

/**
 * Why a restored cluster keeps `MasterUserPassword` without `MasterUsername`: CloudFormation's AWS::RDS::DBCluster
 * handler restores the cluster (RestoreDBClusterFromSnapshot or RestoreDBClusterToPointInTime, which take no
 * password), then calls ModifyDBCluster with the template's `MasterUserPassword`, so that the cluster and the
 * library's secret share the new password from the first deployment on. The resource schema's dependency of the
 * password on the user name is written for new clusters (a restored cluster takes its user name from the source).
 */
const RESTORED_PASSWORD_REASON =
  "A restored cluster takes its master user name from its source; CloudFormation's AWS::RDS::DBCluster handler sets MasterUserPassword with ModifyDBCluster right after the restore (modifyDbClusterAfterCreateRequest in https://github.com/aws-cloudformation/aws-cloudformation-resource-providers-rds/blob/master/aws-rds-dbcluster/src/main/java/software/amazon/rds/dbcluster/Translator.java), which makes the cluster's password the library's secret's.";
const RESTORED_STORAGE_ENCRYPTED_REASON =
  "A clone or point-in-time restore keeps its source's encryption; StorageEncrypted states what the restored cluster has (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html).";

const restoredClusters = new WeakSet<CfnResource>();

/**
 * Acknowledges, on one restored cluster of the library, the findings about its `MasterUserPassword` (see
 * {@link RESTORED_PASSWORD_REASON}): cfn-lint E3021 in the resource's metadata; aws-cdk-lib's built-in F3021 (and, on a
 * clone or point-in-time restore, W3689, "ignored when SourceDBClusterIdentifier is present"). Releases before 2.276
 * match a built-in acknowledgement by rule id in the whole app: there it is recorded only when every restored
 * AWS::RDS::DBCluster of the app (SnapshotIdentifier or SourceDBClusterIdentifier) is one of the library's.
 */
export function acknowledgeRestoredMasterPassword(cluster: CfnResource, fromSourceCluster: boolean): void {
  restoredClusters.add(cluster);
  cluster.addMetadata('cfn-lint', {
    config: { ignore_checks: ['E3021'], reasons: { E3021: RESTORED_PASSWORD_REASON } },
  });
  const acknowledgeBuiltIn = () => {
    Validations.of(cluster).acknowledge({ id: PASSWORD_WITHOUT_USERNAME_RULE, reason: RESTORED_PASSWORD_REASON });
    if (fromSourceCluster) {
      Validations.of(cluster).acknowledge({
        id: IGNORED_ON_RESTORE_RULE,
        reason: `${RESTORED_PASSWORD_REASON} ${RESTORED_STORAGE_ENCRYPTED_REASON}`,
      });
    }
  };
  if (!builtInRulesHaveFalsePositives()) {
    acknowledgeBuiltIn();
    return;
  }
  cluster.node.addValidation({
    validate: () => {
      if (everyRestoredClusterIsTheLibrarys(cluster.node.root)) acknowledgeBuiltIn();
      return [];
    },
  });
}

function everyRestoredClusterIsTheLibrarys(root: IConstruct): boolean {
  return root.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c) && c.cfnResourceType === 'AWS::RDS::DBCluster')
    .filter((r) => {
      const props = r as unknown as { snapshotIdentifier?: unknown; sourceDbClusterIdentifier?: unknown };
      return props.snapshotIdentifier !== undefined || props.sourceDbClusterIdentifier !== undefined;
    })
    .every((r) => restoredClusters.has(r));
}
