import { createHash } from 'crypto';
import { Annotations, CfnElement, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sam from 'aws-cdk-lib/aws-sam';
import { Construct, IConstruct } from 'constructs';
import { ACK_INSTANCE_BACKUP_PLAN, acknowledge } from './acknowledgements';
import { acknowledgeAuroraStorageEncrypted } from './built-in-rules';
import { DatabaseConnections } from './connections';
import * as defaults from './defaults';
import { EngineFamily } from './engine-family';
import { allowLogGroupEncryption, createClusterKey } from '../encryption';

/**
 * The building blocks every Aurora cluster of this library is made of, the primary `AuroraCluster` and the
 * Global Database secondaries alike, so that each Region's stack carries the same secure defaults. Construct
 * ids are part of the API (they decide logical IDs): the callers pass none, these functions own them.
 */

/**
 * What happens, when the stack goes, to what a cluster keeps besides its storage (its key, log groups and master
 * secret), given the cluster's `removalPolicy`: DESTROY destroys them too (the key is scheduled for deletion);
 * every other policy keeps them, because a snapshot or a retained cluster needs its key to be read and its secret
 * to be logged in to, and the audit logs outlive the cluster.
 */
export function dependentRemovalPolicy(clusterPolicy: RemovalPolicy | undefined): RemovalPolicy {
  switch (clusterPolicy) {
    case RemovalPolicy.DESTROY:
      return RemovalPolicy.DESTROY;
    case RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE:
      return RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    default:
      return defaults.DEFAULT_RETAINED_REMOVAL_POLICY;
  }
}

/** Where the engine logs of a cluster are exported: `/aws/rds/cluster/<id>/`. */
export function logGroupPrefixOf(clusterIdentifier: string): string {
  return `/aws/rds/cluster/${clusterIdentifier}/`;
}

/** Whether a key is a `kms.Key` defined in the stack of `scope`, whose key policy the library may extend. */
export function ownedBySameStack(scope: Construct, key: kms.IKey): key is kms.Key {
  return key instanceof kms.Key && Stack.of(key) === Stack.of(scope);
}

/**
 * The key that encrypts everything a cluster stores: the user's key, or a new customer-managed key with rotation
 * (construct id `EncryptionKey`). A key of the cluster's own stack (created here or by the user) lets CloudWatch
 * Logs use it for the cluster's log groups; a key of another stack, or an imported one, is not modified, which a
 * warning says.
 */
export function clusterEncryptionKey(
  scope: Construct,
  userKey: kms.IKey | undefined,
  description: string,
  logGroupPrefix: string,
  removalPolicy: RemovalPolicy = defaults.DEFAULT_RETAINED_REMOVAL_POLICY,
): kms.IKey {
  const key = userKey ?? createClusterKey(scope, 'EncryptionKey', description, removalPolicy);
  if (ownedBySameStack(scope, key)) {
    allowLogGroupEncryption(key, logGroupPrefix);
  } else {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:importedKeyPolicy',
      `encryptionKey is not a key of this stack, so the library leaves its key policy alone: it must allow logs.<region>.amazonaws.com to use it for log groups named ${logGroupPrefix}*, and let the account's IAM policies grant its use (as the default key policy does)`,
    );
  }
  return key;
}

/**
 * The key as aws-cdk-lib constructs that grant on their key (the master secret adds a statement for Secrets
 * Manager) should see it: itself when it is a key of the stack of `scope`, otherwise a reference to it by ARN
 * (construct id `UnmodifiedEncryptionKey`), whose key policy aws-cdk-lib cannot change. Grants then go to the
 * principals' policies only.
 */
export function unmodifiedKey(scope: Construct, key: kms.IKey): kms.IKey {
  if (ownedBySameStack(scope, key) || !(key instanceof kms.Key)) return key;
  return kms.Key.fromKeyArn(scope, 'UnmodifiedEncryptionKey', key.keyArn);
}

/**
 * One log group per exported log type (construct ids `LogGroup-<type>`), encrypted, with retention and, unless
 * `removalPolicy` is DESTROY, retained when the stack goes: they exist before the cluster starts exporting into
 * them, so no Lambda-backed log retention resource is needed. Their names contain the cluster identifier, which
 * contains the stack's id when derived, so a stack deployed again after `cdk destroy` does not collide with the
 * log groups retained from the first one.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.CloudWatch.html
 */
export function createClusterLogGroups(
  scope: Construct,
  family: EngineFamily,
  logGroupPrefix: string,
  key: kms.IKey,
  retention: logs.RetentionDays,
  removalPolicy: RemovalPolicy = defaults.DEFAULT_RETAINED_REMOVAL_POLICY,
  additionalTypes: readonly string[] = [],
): logs.LogGroup[] {
  return [...family.logTypes, ...additionalTypes].map(
    (type) =>
      new logs.LogGroup(scope, `LogGroup-${type}`, {
        logGroupName: `${logGroupPrefix}${type}`,
        encryptionKey: key,
        retention,
        removalPolicy,
      }),
  );
}

/**
 * The cluster parameter group (construct id `ParameterGroup`): the engine's audit parameters, then the user's,
 * then the TLS parameters, which always win (Control Tower CT.RDS.PR.27).
 */
export function createClusterParameterGroup(
  scope: Construct,
  engine: rds.IClusterEngine,
  family: EngineFamily,
  description: string,
  parameters: { [name: string]: string } | undefined,
): rds.ParameterGroup {
  return new rds.ParameterGroup(scope, 'ParameterGroup', {
    engine,
    description,
    parameters: { ...family.auditParameters, ...parameters, ...family.tlsParameters },
  });
}

/** The database security group (construct id `SecurityGroup`) and its connections. */
export interface DatabaseNetwork {
  readonly securityGroup: ec2.ISecurityGroup;
  readonly connections: ec2.Connections;
}

/**
 * A security group with no ingress and no egress rule until a peer is allowed, and connections whose default
 * port is the LITERAL port: an `Endpoint.Port` token would make the compliance rules fail to evaluate.
 */
export function createDatabaseSecurityGroup(
  scope: Construct,
  vpc: ec2.IVpc,
  description: string,
  port: number,
): DatabaseNetwork {
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description,
    allowAllOutbound: false,
  });
  return {
    securityGroup,
    connections: new DatabaseConnections(scope, { securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(port) }),
  };
}

/** The CloudFormation instances under a construct (a cluster), in creation order. */
export function cfnInstancesOf(scope: IConstruct): rds.CfnDBInstance[] {
  return scope.node.findAll().filter((c): c is rds.CfnDBInstance => c instanceof rds.CfnDBInstance);
}

/**
 * Every instance: never publicly accessible (stated explicitly, as HIPAA/NIST/PCI RDSInstancePublicAccess
 * and CT.RDS.PR.23 require), automatic minor version upgrades on, and the instance-level backup-plan rule
 * acknowledged (AWS Backup protects the cluster, not its instances).
 */
export function hardenInstance(instance: rds.CfnDBInstance): void {
  instance.publiclyAccessible = false;
  instance.autoMinorVersionUpgrade ??= true;
  acknowledge(instance, ACK_INSTANCE_BACKUP_PLAN);
  acknowledgeAuroraStorageEncrypted(instance, () => [instance]);
}

/**
 * Security group rules that aws-cdk-lib describes by the peer's construct path (`from <path>:<port>`, e.g. the
 * rotation function's access to the database) are described by the peer's logical id instead, when the peer is one
 * of the construct's own security groups: a refactor that keeps logical ids then changes nothing in the template.
 */
export function stabilizeRuleDescriptions(scope: Construct): void {
  const own = new Set(scope.node.findAll().filter((c): c is ec2.CfnSecurityGroup => c instanceof ec2.CfnSecurityGroup));
  const stack = Stack.of(scope);
  const peerOf = (ref: unknown): CfnElement | undefined => {
    const resolved = stack.resolve(ref) as { 'Fn::GetAtt'?: [string, string] } | undefined;
    const logicalId = resolved?.['Fn::GetAtt']?.[0];
    return [...own].find((sg) => stack.resolve(sg.logicalId) === logicalId);
  };
  for (const rule of scope.node.findAll()) {
    let peerRef: unknown;
    let direction: string;
    if (rule instanceof ec2.CfnSecurityGroupIngress) {
      peerRef = rule.sourceSecurityGroupId;
      direction = 'from';
    } else if (rule instanceof ec2.CfnSecurityGroupEgress) {
      peerRef = rule.destinationSecurityGroupId;
      direction = 'to';
    } else {
      continue;
    }
    const match = /^(?:from|to) [A-Za-z0-9]+:([0-9-]+)$/.exec(rule.description ?? '');
    const peer = match ? peerOf(peerRef) : undefined;
    if (!match || !peer) continue;
    const port = match[1];
    rule.description = Lazy.string({ produce: () => `${direction} ${stack.resolve(peer.logicalId)}:${port}` });
  }
}

/**
 * The rotation function that aws-cdk-lib's `SecretRotation` deploys is named after its construct path; it is named
 * `<stack name><logical id of the rotation application>` instead (at most 64 characters, Lambda's limit), so that a
 * refactor that keeps logical ids does not replace the function.
 * https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName
 */
export function stabilizeRotationFunctionName(scope: Construct): void {
  const stack = Stack.of(scope);
  for (const app of scope.node.findAll().filter((c): c is sam.CfnApplication => c instanceof sam.CfnApplication)) {
    app.addPropertyOverride(
      'Parameters.functionName',
      Lazy.string({
        produce: () => {
          const name = `${Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName}${stack.resolve(app.logicalId)}`;
          return name.length <= 64
            ? name
            : `${name.slice(0, 55)}${createHash('sha256').update(name).digest('hex').slice(0, 9)}`;
        },
      }),
    );
  }
}
