import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as events from 'aws-cdk-lib/aws-events';
import { AuroraBackupPlanOptions, AuroraCluster } from '../src';
import { POSTGRES_16_4, testStack, testVpc } from './util';

function synth(backupPlan: AuroraBackupPlanOptions = {}) {
  const stack = testStack();
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), backupPlan });
  return { stack, db, template: Template.fromStack(stack) };
}

describe('AuroraCluster backupPlan', () => {
  describe('defaults', () => {
    const { db, template } = synth();

    test('a vault encrypted with its own customer-managed key, retained', () => {
      template.hasResource('AWS::Backup::BackupVault', {
        Properties: {
          EncryptionKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbBackupPlanVaultKey'), 'Arn'] },
          LockConfiguration: Match.absent(),
        },
        DeletionPolicy: 'Retain',
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        Description: 'AWS Backup vault of TestStack/Db/Cluster',
        EnableKeyRotation: true,
      });
    });

    test('a daily rule at 05:00 UTC with continuous backup kept 35 days', () => {
      template.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: {
          BackupPlanRule: [
            Match.objectLike({
              RuleName: 'Daily',
              ScheduleExpression: 'cron(0 5 * * ? *)',
              EnableContinuousBackup: true,
              Lifecycle: { DeleteAfterDays: 35 },
              CopyActions: Match.absent(),
            }),
          ],
        },
      });
    });

    test('selects the cluster by ARN, with a role for backups and restores', () => {
      template.hasResourceProperties('AWS::Backup::BackupSelection', {
        BackupSelection: Match.objectLike({
          Resources: [
            Match.objectLike({
              'Fn::Join': [
                '',
                Match.arrayWith([
                  ':rds:us-east-1:123456789012:cluster:',
                  { Ref: Match.stringLikeRegexp('^DbCluster') },
                ]),
              ],
            }),
          ],
          IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbBackupPlanRole'), 'Arn'] },
        }),
      });
      expect(db.backupPlan?.restoreTestingPlan).toBeUndefined();
      template.resourceCountIs('AWS::Backup::RestoreTestingPlan', 0);
    });
  });

  test('a vault lock in compliance mode', () => {
    const { template } = synth({
      vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(365), changeableFor: Duration.days(3) },
    });
    template.hasResourceProperties('AWS::Backup::BackupVault', {
      LockConfiguration: { MinRetentionDays: 7, MaxRetentionDays: 365, ChangeableForDays: 3 },
    });
  });

  test('copies every recovery point to a vault of another Region', () => {
    // GIVEN
    const stack = testStack();
    const drVault = backup.BackupVault.fromBackupVaultArn(
      stack,
      'DrVault',
      'arn:aws:backup:us-west-2:123456789012:backup-vault:dr',
    );

    // WHEN
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: testVpc(stack),
      backupPlan: { copyToVault: drVault, copyRetention: Duration.days(90) },
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            CopyActions: [
              {
                DestinationBackupVaultArn: 'arn:aws:backup:us-west-2:123456789012:backup-vault:dr',
                Lifecycle: { DeleteAfterDays: 90 },
              },
            ],
          }),
        ],
      },
    });
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Db/BackupPlan', Match.anyValue());
  });

  test('warns when the copy stays in the same Region and account', () => {
    const stack = testStack();
    const vault = backup.BackupVault.fromBackupVaultArn(
      stack,
      'V',
      'arn:aws:backup:us-east-1:123456789012:backup-vault:local',
    );
    new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), backupPlan: { copyToVault: vault } });
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Db/BackupPlan',
      Match.stringLikeRegexp('does not protect against the loss of the Region'),
    );
  });

  test("a restore testing plan that restores into the cluster's subnets and security group", () => {
    // GIVEN / WHEN
    const { template } = synth({
      restoreTesting: {
        schedule: events.Schedule.cron({ day: '1', hour: '3', minute: '0' }),
        validationWindow: Duration.hours(4),
      },
    });

    // THEN
    template.hasResourceProperties('AWS::Backup::RestoreTestingPlan', {
      RestoreTestingPlanName: 'teststack_dbbackupplanrestoretes_2c51b529_e78e43ed',
      ScheduleExpression: 'cron(0 3 1 * ? *)',
      StartWindowHours: 8,
      RecoveryPointSelection: {
        Algorithm: 'LATEST_WITHIN_WINDOW',
        IncludeVaults: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DbBackupPlanVault'), 'BackupVaultArn'] }],
        RecoveryPointTypes: ['CONTINUOUS', 'SNAPSHOT'],
        SelectionWindowDays: 7,
      },
    });
    template.hasResourceProperties('AWS::Backup::RestoreTestingSelection', {
      ProtectedResourceType: 'Aurora',
      ValidationWindowHours: 4,
      RestoreMetadataOverrides: {
        dbsubnetgroupname: { Ref: Match.stringLikeRegexp('^DbClusterSubnets') },
        vpcsecuritygroupids: Match.anyValue(),
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Action: [
              'kms:CreateGrant',
              'kms:Decrypt',
              'kms:DescribeKey',
              'kms:GenerateDataKey',
              'kms:GenerateDataKeyWithoutPlaintext',
              'kms:ReEncryptFrom',
              'kms:ReEncryptTo',
            ],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
          }),
        ],
      },
    });
  });

  describe('validation', () => {
    test.each<[string, AuroraBackupPlanOptions, RegExp]>([
      [
        'continuous backups kept over 35 days',
        { retention: Duration.days(90) },
        /backupPlan.retention: continuous backups are kept at most 35 days, got 90/,
      ],
      [
        'a retention under the vault lock minimum',
        { retention: Duration.days(5), vaultLock: { minRetention: Duration.days(7) } },
        /the vault lock refuses recovery points kept less than 7 days, and the plan keeps them 5 days/,
      ],
      [
        'a retention over the vault lock maximum',
        { vaultLock: { minRetention: Duration.days(1), maxRetention: Duration.days(30) } },
        /the vault lock refuses recovery points kept more than 30 days, and the plan keeps them 35 days/,
      ],
      [
        'a lock maximum below its minimum',
        { vaultLock: { minRetention: Duration.days(10), maxRetention: Duration.days(5) } },
        /vaultLock.maxRetention: the maximum retention \(5 days\) is below the minimum \(10 days\)/,
      ],
      [
        'a lock changeable less than 3 days',
        { vaultLock: { minRetention: Duration.days(1), changeableFor: Duration.days(1) } },
        /vaultLock.changeableFor: a vault lock stays changeable at least 3 days/,
      ],
      [
        'a copy retention without a copy',
        { copyRetention: Duration.days(30) },
        /copyRetention: there is no copy to keep/,
      ],
      [
        'a selection window over 365 days',
        { restoreTesting: { selectionWindow: Duration.days(400) } },
        /restoreTesting.selectionWindow: the selection window is 1 to 365 whole days, got 400/,
      ],
      [
        'a validation window over 168 hours',
        { restoreTesting: { validationWindow: Duration.hours(200) } },
        /restoreTesting.validationWindow: the validation window is 0 to 168 whole hours, got 200/,
      ],
    ])('rejects %s', (_name, options, expected) => {
      expect(() => synth(options)).toThrow(expected);
    });

    test('accepts long snapshot retention without continuous backup', () => {
      const { template } = synth({ continuousBackup: false, retention: Duration.days(365) });
      template.hasResourceProperties('AWS::Backup::BackupPlan', {
        BackupPlan: {
          BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 365 }, EnableContinuousBackup: false })],
        },
      });
    });
  });
});
