import { Annotations, ArnFormat, Duration, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { createClusterKey } from './encryption';
import { ACK_BACKUP_SERVICE_ROLE, acknowledge } from './private/acknowledgements';
import { deriveLiteralName } from './private/naming';
import { Rule, throwIfBroken } from './private/validate';

/** https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html */
const PITR_DOC = 'https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html';
/** https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html */
const VAULT_LOCK_DOC = 'https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html';
/** https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html */
const RESTORE_TESTING_DOC = 'https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html';
/** Continuous backups are kept at most 35 days. */
const MAX_CONTINUOUS_RETENTION_DAYS = 35;

/**
 * A vault lock: AWS Backup refuses to delete recovery points early or keep them longer than allowed, and refuses
 * backups whose retention is outside the range.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 */
export interface AuroraBackupVaultLock {
  /**
   * The shortest retention a recovery point in the vault may have (at least 1 day).
   */
  readonly minRetention: Duration;

  /**
   * The longest retention a recovery point in the vault may have.
   *
   * @default - no maximum
   */
  readonly maxRetention?: Duration;

  /**
   * How long the lock can still be changed or removed before it becomes immutable (compliance mode), at least
   * 3 days.
   *
   * @default - governance mode: principals with the right IAM permissions can change or remove the lock
   */
  readonly changeableFor?: Duration;
}

/**
 * An AWS Backup restore testing plan for the cluster: AWS Backup restores a recent recovery point on a schedule,
 * optionally waits for a validation, then deletes the restored cluster.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
 */
export interface AuroraRestoreTestingOptions {
  /**
   * When the restore tests run.
   *
   * @default - every Sunday at 06:00 UTC
   */
  readonly schedule?: events.Schedule;

  /**
   * How far back recovery points are picked from: 1 to 365 days.
   *
   * @default Duration.days(7)
   */
  readonly selectionWindow?: Duration;

  /**
   * How long the restored cluster is kept for your own validation before AWS Backup deletes it: 0 to 168 hours.
   *
   * @default - no validation window: deleted as soon as the restore completes
   */
  readonly validationWindow?: Duration;

  /**
   * How long after the scheduled time the restore test may start: 1 to 168 hours.
   *
   * @default Duration.hours(8)
   */
  readonly startWindow?: Duration;
}

/**
 * Options of an AWS Backup plan for an Aurora cluster.
 */
export interface AuroraBackupPlanOptions {
  /**
   * When AWS Backup takes a backup.
   *
   * @default - daily at 05:00 UTC
   */
  readonly schedule?: events.Schedule;

  /**
   * How long recovery points are kept in the vault.
   *
   * With continuous backup, at most 35 days.
   *
   * @default Duration.days(35)
   */
  readonly retention?: Duration;

  /**
   * Whether AWS Backup keeps continuous backups, for point-in-time restore from the vault (retention at most
   * 35 days).
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery.html
   * @default true
   */
  readonly continuousBackup?: boolean;

  /**
   * The key that encrypts the backup vault.
   *
   * Aurora recovery points themselves stay encrypted with the cluster's key.
   *
   * @default - a new customer-managed key with rotation on, retained when the stack is deleted
   */
  readonly vaultEncryptionKey?: kms.IKey;

  /**
   * A vault lock (write-once-read-many retention).
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
   * @default - no vault lock
   */
  readonly vaultLock?: AuroraBackupVaultLock;

  /**
   * A vault in another Region (and possibly another account) that every recovery point is copied to, for disaster
   * recovery: `backup.BackupVault.fromBackupVaultArn(this, 'DrVault', arn)`.
   *
   * Its access policy must let this account copy into it; a copy to another account needs AWS Organizations with
   * cross-account backup on, and the cluster's key must be a customer-managed key the destination account may use.
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
   * @default - no copy
   */
  readonly copyToVault?: backup.IBackupVault;

  /**
   * How long the copies are kept in `copyToVault`.
   *
   * @default - the same as `retention`
   */
  readonly copyRetention?: Duration;

  /**
   * A restore testing plan that proves on a schedule that the backups restore.
   *
   * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
   * @default - no restore testing
   */
  readonly restoreTesting?: AuroraRestoreTestingOptions;
}

/**
 * Properties of an {@link AuroraBackupPlan}.
 */
export interface AuroraBackupPlanProps extends AuroraBackupPlanOptions {
  /** The cluster to back up: an `AuroraCluster`'s `cluster`, or any Aurora cluster. */
  readonly cluster: rds.IDatabaseCluster;

  /** The cluster's key, which the restore tests need to restore its recovery points. */
  readonly clusterEncryptionKey: kms.IKey;

  /**
   * The subnet group and security group restore tests restore into.
   *
   * @default - AWS Backup infers them (the default VPC, which may not exist)
   */
  readonly restoreTestingNetwork?: AuroraRestoreTestingNetwork;
}

/** Where restore tests place the restored cluster. */
export interface AuroraRestoreTestingNetwork {
  /** The name of a DB subnet group in private subnets. */
  readonly subnetGroupName: string;
  /** The security groups of the restored cluster. */
  readonly securityGroups: ec2.ISecurityGroup[];
}

/**
 * An AWS Backup plan for an Aurora cluster: a vault encrypted with a customer-managed key, a daily rule with
 * continuous backup for point-in-time restore, an optional vault lock, an optional copy to another Region's (or
 * account's) vault, and an optional restore testing plan.
 *
 * @see https://docs.aws.amazon.com/aws-backup/latest/devguide/about-backup-plans.html
 * @example
 * declare const vpc: ec2.IVpc;
 * new AuroraCluster(this, 'Orders', {
 *   engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }),
 *   vpc,
 *   backupPlan: { vaultLock: { minRetention: Duration.days(7) }, restoreTesting: {} },
 * });
 */
export class AuroraBackupPlan extends Construct {
  /** The vault that holds the recovery points. */
  public readonly vault: backup.BackupVault;
  /** The key that encrypts the vault. */
  public readonly vaultEncryptionKey: kms.IKey;
  /** The backup plan. */
  public readonly plan: backup.BackupPlan;
  /** The role AWS Backup uses to back up (and, in restore tests, restore) the cluster. */
  public readonly role: iam.IRole;
  /** The restore testing plan (with `restoreTesting`). */
  public readonly restoreTestingPlan?: backup.CfnRestoreTestingPlan;
  /** The restore testing selection of the cluster (with `restoreTesting`). */
  public readonly restoreTestingSelection?: backup.CfnRestoreTestingSelection;

  constructor(scope: Construct, id: string, props: AuroraBackupPlanProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const retention = props.retention ?? Duration.days(MAX_CONTINUOUS_RETENTION_DAYS);
    const continuous = props.continuousBackup ?? true;
    const copyRetention = props.copyRetention ?? retention;
    throwIfBroken(this.node.path, backupPlanRules(props, retention, continuous, copyRetention));
    if (props.copyToVault && sameEnvironment(stack, props.copyToVault)) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:backupCopySameRegion',
        "copyToVault: the vault is in the cluster's own Region and account, so the copy does not protect against the loss of the Region or the account; copy to a vault of another Region (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html)",
      );
    }

    this.vaultEncryptionKey =
      props.vaultEncryptionKey ?? createClusterKey(this, 'VaultKey', `AWS Backup vault of ${props.cluster.node.path}`);
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: this.vaultEncryptionKey,
      removalPolicy: RemovalPolicy.RETAIN,
      lockConfiguration: props.vaultLock
        ? {
            minRetention: props.vaultLock.minRetention,
            maxRetention: props.vaultLock.maxRetention,
            changeableFor: props.vaultLock.changeableFor,
          }
        : undefined,
    });

    this.plan = new backup.BackupPlan(this, 'Plan', { backupVault: this.vault });
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: props.schedule ?? events.Schedule.cron({ hour: '5', minute: '0' }),
        deleteAfter: retention,
        enableContinuousBackup: continuous,
        copyActions: props.copyToVault
          ? [{ destinationBackupVault: props.copyToVault, deleteAfter: copyRetention }]
          : undefined,
      }),
    );

    // One role for backups and restore tests, with AWS Backup's own managed policies (the permissions AWS Backup
    // documents for RDS and Aurora: https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html).
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
      description: `AWS Backup: back up and test-restore ${props.cluster.node.path}`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup'),
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores'),
      ],
    });
    acknowledge(role, ACK_BACKUP_SERVICE_ROLE(stack));
    this.role = role;

    this.plan.addSelection('Selection', {
      resources: [backup.BackupResource.fromRdsDatabaseCluster(props.cluster)],
      role,
    });

    if (props.restoreTesting) {
      const testing = props.restoreTesting;
      // Letters, digits and underscores, at most 50 (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingPlanForCreate.html);
      // derived from the stack name and logical id like every name the library derives, so refactors that keep
      // logical ids keep it.
      const name = Lazy.string({
        produce: () =>
          (Stack.of(this).resolve(deriveLiteralName(() => this.restoreTestingPlan!, 50)) as string).replace(/-/g, '_'),
      });
      // The restore needs the cluster's key: a customer-managed policy (no inline policy), scoped to that key.
      new iam.ManagedPolicy(this, 'RestoreKeyPolicy', {
        description: `AWS Backup restore tests: use the key of ${props.cluster.node.path}`,
        roles: [role],
        statements: [
          new iam.PolicyStatement({
            actions: [
              'kms:CreateGrant',
              'kms:Decrypt',
              'kms:DescribeKey',
              'kms:GenerateDataKey',
              'kms:GenerateDataKeyWithoutPlaintext',
              'kms:ReEncryptFrom',
              'kms:ReEncryptTo',
            ],
            resources: [props.clusterEncryptionKey.keyArn],
          }),
        ],
      });
      this.restoreTestingPlan = new backup.CfnRestoreTestingPlan(this, 'RestoreTestingPlan', {
        restoreTestingPlanName: name,
        scheduleExpression: (testing.schedule ?? events.Schedule.cron({ weekDay: 'SUN', hour: '6', minute: '0' }))
          .expressionString,
        startWindowHours: (testing.startWindow ?? Duration.hours(8)).toHours(),
        recoveryPointSelection: {
          algorithm: 'LATEST_WITHIN_WINDOW',
          includeVaults: [this.vault.backupVaultArn],
          recoveryPointTypes: continuous ? ['CONTINUOUS', 'SNAPSHOT'] : ['SNAPSHOT'],
          selectionWindowDays: (testing.selectionWindow ?? Duration.days(7)).toDays(),
        },
      });
      const clusterArn = stack.formatArn({
        service: 'rds',
        resource: 'cluster',
        resourceName: props.cluster.clusterIdentifier,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      const network = props.restoreTestingNetwork;
      this.restoreTestingSelection = new backup.CfnRestoreTestingSelection(this, 'RestoreTestingSelection', {
        restoreTestingPlanName: this.restoreTestingPlan.restoreTestingPlanName,
        restoreTestingSelectionName: name,
        iamRoleArn: role.roleArn,
        protectedResourceType: 'Aurora',
        protectedResourceArns: [clusterArn],
        validationWindowHours: testing.validationWindow?.toHours(),
        // Restore into the cluster's own private subnets and (ingress-free) security group, not the default VPC.
        // https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing-inferred-metadata.html
        restoreMetadataOverrides: network
          ? {
              dbsubnetgroupname: network.subnetGroupName,
              vpcsecuritygroupids: stack.toJsonString(network.securityGroups.map((sg) => sg.securityGroupId)),
            }
          : undefined,
      });
      this.restoreTestingSelection.node.addDependency(this.restoreTestingPlan);
    }
  }
}

function sameEnvironment(stack: Stack, vault: backup.IBackupVault): boolean {
  const { region, account } = vault.env;
  return (
    !Token.isUnresolved(region) &&
    !Token.isUnresolved(stack.region) &&
    region === stack.region &&
    !Token.isUnresolved(account) &&
    !Token.isUnresolved(stack.account) &&
    account === stack.account
  );
}

function days(d: Duration | undefined): number | undefined {
  if (d === undefined) return undefined;
  const n = d.toDays({ integral: false });
  return Token.isUnresolved(n) ? undefined : n;
}

/** The AWS Backup rules synth can check. */
function backupPlanRules(
  props: AuroraBackupPlanOptions,
  retention: Duration,
  continuous: boolean,
  copyRetention: Duration,
): Rule[] {
  const r = days(retention);
  const copy = days(copyRetention);
  const lock = props.vaultLock;
  const min = days(lock?.minRetention);
  const max = days(lock?.maxRetention);
  const changeable = days(lock?.changeableFor);
  const testing = props.restoreTesting;
  const selection = days(testing?.selectionWindow);
  const validationHours = testing?.validationWindow?.toHours({ integral: false });
  const startHours = testing?.startWindow?.toHours({ integral: false });
  return [
    {
      condition: r !== undefined && r < 1,
      prop: 'backupPlan.retention',
      message: `recovery points are kept at least 1 day, got ${r} days (https://docs.aws.amazon.com/aws-backup/latest/devguide/creating-a-backup-plan.html); give Duration.days(1) or more`,
    },
    {
      condition: continuous && r !== undefined && r > MAX_CONTINUOUS_RETENTION_DAYS,
      prop: 'backupPlan.retention',
      message: `continuous backups are kept at most ${MAX_CONTINUOUS_RETENTION_DAYS} days, got ${r} (${PITR_DOC}); keep ${MAX_CONTINUOUS_RETENTION_DAYS} days or less, or set continuousBackup: false for longer-lived snapshots`,
    },
    {
      condition: min !== undefined && min < 1,
      prop: 'backupPlan.vaultLock.minRetention',
      message: `the minimum retention of a vault lock is at least 1 day, got ${min} (${VAULT_LOCK_DOC}); give Duration.days(1) or more`,
    },
    {
      condition: min !== undefined && max !== undefined && max < min,
      prop: 'backupPlan.vaultLock.maxRetention',
      message: `the maximum retention (${max} days) is below the minimum (${min} days) (${VAULT_LOCK_DOC}); give a maximum at or above the minimum`,
    },
    {
      condition: min !== undefined && r !== undefined && r < min,
      prop: 'backupPlan.retention',
      message: `the vault lock refuses recovery points kept less than ${min} days, and the plan keeps them ${r} days (${VAULT_LOCK_DOC}); keep them at least ${min} days or lower vaultLock.minRetention`,
    },
    {
      condition: max !== undefined && r !== undefined && r > max,
      prop: 'backupPlan.retention',
      message: `the vault lock refuses recovery points kept more than ${max} days, and the plan keeps them ${r} days (${VAULT_LOCK_DOC}); keep them at most ${max} days or raise vaultLock.maxRetention`,
    },
    {
      condition: changeable !== undefined && changeable < 3,
      prop: 'backupPlan.vaultLock.changeableFor',
      message: `a vault lock stays changeable at least 3 days, got ${changeable} (${VAULT_LOCK_DOC}); give Duration.days(3) or more, or leave it unset for governance mode`,
    },
    {
      condition: props.copyToVault === undefined && props.copyRetention !== undefined,
      prop: 'backupPlan.copyRetention',
      message: 'there is no copy to keep: copyRetention needs copyToVault; set copyToVault or remove copyRetention',
    },
    {
      condition: copy !== undefined && copy < 1,
      prop: 'backupPlan.copyRetention',
      message: `copies are kept at least 1 day, got ${copy} (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html); give Duration.days(1) or more`,
    },
    {
      condition: selection !== undefined && (selection < 1 || selection > 365 || !Number.isInteger(selection)),
      prop: 'backupPlan.restoreTesting.selectionWindow',
      message: `the selection window is 1 to 365 whole days, got ${selection} (${RESTORE_TESTING_DOC}); give a value in range`,
    },
    {
      condition:
        validationHours !== undefined &&
        !Token.isUnresolved(validationHours) &&
        (validationHours < 0 || validationHours > 168 || !Number.isInteger(validationHours)),
      prop: 'backupPlan.restoreTesting.validationWindow',
      message: `the validation window is 0 to 168 whole hours, got ${validationHours} (${RESTORE_TESTING_DOC}); give a value in range`,
    },
    {
      condition:
        startHours !== undefined &&
        !Token.isUnresolved(startHours) &&
        (startHours < 1 || startHours > 168 || !Number.isInteger(startHours)),
      prop: 'backupPlan.restoreTesting.startWindow',
      message: `the start window is 1 to 168 whole hours, got ${startHours} (${RESTORE_TESTING_DOC}); give a value in range`,
    },
  ];
}
