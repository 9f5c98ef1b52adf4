import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps, AuroraClusterSnapshot, RestoreSource } from '../src';
import { derivedName, MYSQL_3_04, MYSQL_3_08, POSTGRES_15_4, POSTGRES_16_4, testStack, testVpc } from './util';

/** A library cluster as the source, and a restored cluster built from `restore(source)` in the same stack. */
function restored(
  restore: (source: AuroraCluster, stack: Stack) => RestoreSource,
  props: Partial<AuroraClusterProps> = {},
  sourceProps: Partial<AuroraClusterProps> = {},
) {
  const stack = testStack();
  const vpc = testVpc(stack);
  const source = new AuroraCluster(stack, 'Source', { engine: POSTGRES_16_4, vpc, ...sourceProps });
  const db = new AuroraCluster(stack, 'Restored', {
    engine: sourceProps.engine ?? POSTGRES_16_4,
    vpc,
    restoreFrom: restore(source, stack),
    ...props,
  });
  return { stack, source, db, template: Template.fromStack(stack) };
}

/** The restored cluster's CloudFormation properties. */
function restoredClusterProps(template: Template): Record<string, any> {
  const clusters = template.findResources('AWS::RDS::DBCluster');
  const [, resource] = Object.entries(clusters).find(([id]) => id.startsWith('Restored'))!;
  return resource.Properties;
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

describe('RestoreSource', () => {
  describe('fromSnapshot', () => {
    test('restores the snapshot with the library defaults and no master user name', () => {
      // GIVEN / WHEN
      const stack = testStack();
      const vpc = testVpc(stack);
      new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc,
        restoreFrom: RestoreSource.fromSnapshot('orders-snap'),
      });
      const template = Template.fromStack(stack);

      // THEN
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        SnapshotIdentifier: 'orders-snap',
        MasterUsername: Match.absent(),
        DatabaseName: Match.absent(),
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        DeleteAutomatedBackups: false,
        EnableCloudwatchLogsExports: ['postgresql'],
        PerformanceInsightsEnabled: true,
        SourceDBClusterIdentifier: Match.absent(),
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', { MonitoringInterval: 60, PubliclyAccessible: false });
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
    });

    test('sets the password of the rotated secret on the restored cluster', () => {
      // GIVEN / WHEN
      const stack = testStack();
      const vpc = testVpc(stack);
      new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc,
        masterUsername: 'orders_admin',
        restoreFrom: RestoreSource.fromSnapshot('orders-snap'),
      });
      const template = Template.fromStack(stack);

      // THEN the secret is generated for the snapshot's user, and its password is set on the cluster
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"orders_admin"}' }),
      });
      const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
      expect(JSON.stringify(cluster.Properties.MasterUserPassword)).toMatch(
        /resolve:secretsmanager:.*:SecretString:password/,
      );
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 1);
      template.resourceCountIs('AWS::SecretsManager::SecretTargetAttachment', 1);
    });

    test('restores an AuroraClusterSnapshot of the app after it is taken, with the source user name', () => {
      // GIVEN / WHEN
      const { template } = restored((source, stack) =>
        RestoreSource.fromClusterSnapshot(new AuroraClusterSnapshot(stack, 'Snapshot', { cluster: source.cluster })),
      );

      // THEN
      template.hasResource('AWS::RDS::ClusterSnapshot', {
        Properties: {
          DBClusterIdentifier: { Ref: Match.stringLikeRegexp('^SourceCluster') },
          DBClusterSnapshotIdentifier: derivedName('teststack-snapshot86fbe57a'),
        },
        DeletionPolicy: 'Retain',
      });
      const props = restoredClusterProps(template);
      expect(props.SnapshotIdentifier).toEqual(derivedName('teststack-snapshot86fbe57a'));
      const clusters = template.findResources('AWS::RDS::DBCluster');
      const [, restoredCluster] = Object.entries(clusters).find(([id]) => id.startsWith('Restored'))!;
      expect(restoredCluster.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^Snapshot/)]));
      // The snapshot waits for the source's instances; the source cluster it references only once (cfn-lint W3005).
      const [snapshot] = Object.values(template.findResources('AWS::RDS::ClusterSnapshot'));
      expect(snapshot.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^SourceClusterWriter/)]));
      expect(snapshot.DependsOn).toEqual(
        expect.not.arrayContaining([expect.stringMatching(/^SourceCluster[0-9A-F]{8}$/)]),
      );
      // The new password is applied by CloudFormation right after the restore: cfn-lint's E3021 (a password needs a
      // user name) is acknowledged on this resource, with the reason.
      expect(restoredCluster.Properties.MasterUserPassword).toBeDefined();
      expect(restoredCluster.Properties.MasterUsername).toBeUndefined();
      expect(restoredCluster.Metadata['cfn-lint']).toEqual({
        config: { ignore_checks: ['E3021'], reasons: { E3021: expect.stringContaining('ModifyDBCluster') } },
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"clusteradmin"}' }),
      });
    });

    test('accepts a snapshot shared from another account with its key named', () => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);
      const key = kms.Key.fromKeyArn(
        stack,
        'SnapshotKey',
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      );

      // WHEN
      new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc,
        masterUsername: 'orders_admin',
        restoreFrom: RestoreSource.fromSnapshot('arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders', {
          snapshotEncryptionKey: key,
        }),
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
        SnapshotIdentifier: 'arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders',
      });
    });

    test('warns that a source the library did not create could not be checked', () => {
      // GIVEN / WHEN
      const stack = testStack();
      new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc: testVpc(stack),
        restoreFrom: RestoreSource.fromSnapshot('s'),
      });

      // THEN
      Annotations.fromStack(stack).hasWarning('/TestStack/Db', Match.stringLikeRegexp('could not be checked'));
    });
  });

  describe('pointInTime', () => {
    test('restores the latest restorable time of a library cluster as a full copy', () => {
      // GIVEN / WHEN
      const { template } = restored((source) => RestoreSource.pointInTime({ sourceCluster: source.cluster }));

      // THEN
      const props = restoredClusterProps(template);
      expect(props).toMatchObject({
        SourceDBClusterIdentifier: { Ref: expect.stringMatching(/^SourceCluster/) },
        RestoreType: 'full-copy',
        UseLatestRestorableTime: true,
        Port: 5433,
        StorageEncrypted: true,
      });
      expect(props.RestoreToTime).toBeUndefined();
      expect(props.MasterUsername).toBeUndefined();
    });

    test('restores to a given time inside the retention window', () => {
      // GIVEN
      const time = daysAgo(2);

      // WHEN
      const { template } = restored((source) =>
        RestoreSource.pointInTime({ sourceCluster: source.cluster, restoreToTime: time }),
      );

      // THEN
      const props = restoredClusterProps(template);
      expect(props.RestoreToTime).toEqual(time);
      expect(props.UseLatestRestorableTime).toBeUndefined();
    });

    test('restores a cluster given by identifier', () => {
      // GIVEN
      const stack = testStack();

      // WHEN
      new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc: testVpc(stack),
        restoreFrom: RestoreSource.pointInTime({ sourceClusterIdentifier: 'orders-prod' }),
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
        SourceDBClusterIdentifier: 'orders-prod',
        RestoreType: 'full-copy',
        UseLatestRestorableTime: true,
      });
    });

    test('takes the port of the source', () => {
      // GIVEN / WHEN
      const { template } = restored(
        (source) => RestoreSource.pointInTime({ sourceCluster: source.cluster }),
        {},
        { port: 6000 },
      );

      // THEN
      expect(restoredClusterProps(template).Port).toEqual(6000);
    });
  });

  describe('clone', () => {
    test('clones a library cluster copy-on-write at its latest restorable time', () => {
      // GIVEN / WHEN
      const { template } = restored((source) => RestoreSource.clone({ sourceCluster: source.cluster }));

      // THEN
      expect(restoredClusterProps(template)).toMatchObject({
        SourceDBClusterIdentifier: { Ref: expect.stringMatching(/^SourceCluster/) },
        RestoreType: 'copy-on-write',
        UseLatestRestorableTime: true,
      });
    });

    test('keeps Backtrack of an Aurora MySQL source that has it', () => {
      // GIVEN / WHEN
      const { template } = restored(
        (source) => RestoreSource.clone({ sourceCluster: source.cluster }),
        {},
        { engine: MYSQL_3_08 },
      );

      // THEN
      expect(restoredClusterProps(template).BacktrackWindow).toEqual(86400);
    });

    test('turns no Backtrack on when the Aurora MySQL source has none', () => {
      // GIVEN / WHEN
      const { template } = restored(
        (source) => RestoreSource.clone({ sourceCluster: source.cluster }),
        {},
        { engine: MYSQL_3_08, backtrackWindow: Duration.seconds(0) },
      );

      // THEN
      expect(restoredClusterProps(template).BacktrackWindow).toBeUndefined();
    });
  });

  describe('validation', () => {
    const other = { account: '123456789012', region: 'eu-west-1' };

    test.each<
      [
        string,
        (source: AuroraCluster, stack: Stack) => RestoreSource,
        Partial<AuroraClusterProps>,
        Partial<AuroraClusterProps>,
        RegExp,
      ]
    >([
      [
        'an engine other than the source',
        (source, stack) =>
          RestoreSource.fromClusterSnapshot(new AuroraClusterSnapshot(stack, 'S', { cluster: source.cluster })),
        { engine: MYSQL_3_08 },
        {},
        /engine: the source TestStack\/Source runs Aurora PostgreSQL and the restored cluster Aurora MySQL/,
      ],
      [
        'an older engine version than the snapshot',
        (source, stack) =>
          RestoreSource.fromClusterSnapshot(new AuroraClusterSnapshot(stack, 'S', { cluster: source.cluster })),
        { engine: POSTGRES_15_4 },
        {},
        /engine: the source TestStack\/Source runs 16.4 and the restored cluster asks for 15.4: Aurora cannot restore to an older engine version/,
      ],
      [
        'a clone with another major version',
        (source) => RestoreSource.clone({ sourceCluster: source.cluster }),
        { engine: POSTGRES_16_4 },
        { engine: POSTGRES_15_4 },
        /engine: the source TestStack\/Source runs major version 15 and the restored cluster asks for 16/,
      ],
      [
        'a point-in-time restore on another port than the source',
        (source) => RestoreSource.pointInTime({ sourceCluster: source.cluster }),
        { port: 6000 },
        {},
        /port: the source TestStack\/Source listens on 5433/,
      ],
      [
        'a master user name other than the source',
        (source) => RestoreSource.pointInTime({ sourceCluster: source.cluster }),
        { masterUsername: 'someone' },
        {},
        /masterUsername: the source TestStack\/Source has the master user clusteradmin/,
      ],
      [
        'Backtrack on a clone of a source without it',
        (source) => RestoreSource.clone({ sourceCluster: source.cluster }),
        { engine: MYSQL_3_08, backtrackWindow: Duration.hours(1) },
        { engine: MYSQL_3_08, backtrackWindow: Duration.seconds(0) },
        /backtrackWindow: the source TestStack\/Source was created without Backtrack/,
      ],
      [
        'a default database name',
        () => RestoreSource.fromSnapshot('s'),
        { defaultDatabaseName: 'orders' },
        {},
        /defaultDatabaseName: a restored cluster takes its databases from the source/,
      ],
      [
        'both a source cluster and an identifier',
        (source) => RestoreSource.clone({ sourceCluster: source.cluster, sourceClusterIdentifier: 'x' }),
        {},
        {},
        /restoreFrom \(RestoreSource.clone\): give exactly one of sourceCluster and sourceClusterIdentifier, got both/,
      ],
      [
        'neither a source cluster nor an identifier',
        () => RestoreSource.pointInTime({}),
        {},
        {},
        /give exactly one of sourceCluster and sourceClusterIdentifier, got neither/,
      ],
      [
        'a restore time in the future',
        (source) => RestoreSource.pointInTime({ sourceCluster: source.cluster, restoreToTime: daysAgo(-1) }),
        {},
        {},
        /restoreToTime: .* is in the future/,
      ],
      [
        'a restore time outside the source retention window',
        (source) => RestoreSource.pointInTime({ sourceCluster: source.cluster, restoreToTime: daysAgo(10) }),
        {},
        {},
        /restoreToTime: .* is more than 7 days ago, outside the backup retention period of TestStack\/Source/,
      ],
      [
        'a restore time that is not UTC ISO 8601',
        (source) => RestoreSource.pointInTime({ sourceCluster: source.cluster, restoreToTime: '2026-11-28 09:30' }),
        {},
        {},
        /restoreToTime: '2026-11-28 09:30' is not a UTC time in the form 2026-11-28T09:30:00Z/,
      ],
      [
        'a snapshot in another Region',
        () => RestoreSource.fromSnapshot('arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:orders'),
        {},
        {},
        /the snapshot is in eu-west-1 and the cluster in us-east-1: a cluster snapshot can only be restored in its own Region/,
      ],
      [
        'a snapshot shared from another account without its key',
        () => RestoreSource.fromSnapshot('arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders'),
        {},
        {},
        /the snapshot is shared from account 111122223333: .* name it in snapshotEncryptionKey/,
      ],
      [
        'a snapshot key in another Region',
        (_source, stack) =>
          RestoreSource.fromSnapshot('orders', {
            snapshotEncryptionKey: kms.Key.fromKeyArn(
              stack,
              'K',
              'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
            ),
          }),
        {},
        {},
        /snapshotEncryptionKey: the key is in eu-west-1 and the cluster in us-east-1/,
      ],
      [
        'a point-in-time restore of a cluster in another Region by ARN',
        () =>
          RestoreSource.pointInTime({ sourceClusterIdentifier: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders' }),
        {},
        {},
        /a point-in-time restore is only possible in the source's Region/,
      ],
    ])('rejects %s', (_name, restore, props, sourceProps, expected) => {
      expect(() => restored(restore, props, sourceProps)).toThrow(expected);
    });

    test('rejects a copy-on-write clone across Regions', () => {
      // GIVEN
      const app = new App();
      const source = new AuroraCluster(testStack(app, 'Eu', other), 'Source', {
        engine: POSTGRES_16_4,
        vpc: testVpc(testStack(app, 'EuNet', other)),
      });
      const stack = testStack(app);

      // WHEN / THEN
      expect(
        () =>
          new AuroraCluster(stack, 'Clone', {
            engine: POSTGRES_16_4,
            vpc: testVpc(stack),
            restoreFrom: RestoreSource.clone({ sourceCluster: source.cluster }),
          }),
      ).toThrow(
        /TestStack\/Clone: restoreFrom \(RestoreSource.clone\): the source cluster is in eu-west-1 and the new cluster in us-east-1: a copy-on-write clone is only possible in the source's Region/,
      );
    });

    test('rejects a sixteenth copy-on-write clone of one source', () => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);
      const source = new AuroraCluster(stack, 'Source', { engine: POSTGRES_16_4, vpc });
      const clone = (i: number) =>
        new AuroraCluster(stack, `Clone${i}`, {
          engine: POSTGRES_16_4,
          vpc,
          readers: [],
          restoreFrom: RestoreSource.clone({ sourceCluster: source.cluster }),
        });
      for (let i = 1; i <= 15; i++) clone(i);

      // WHEN / THEN
      expect(() => clone(16)).toThrow(
        /TestStack\/Clone16: restoreFrom \(RestoreSource.clone\): this app declares 16 copy-on-write clones of TestStack\/Source: at most 15/,
      );
    });

    test('passes a restore time that is a token through, with a warning', () => {
      // GIVEN
      const stack = testStack();
      const time = new rds.CfnDBCluster(stack, 'Other', {}).attrDbClusterResourceId;

      // WHEN
      new AuroraCluster(stack, 'Db', {
        engine: MYSQL_3_04,
        vpc: testVpc(stack),
        restoreFrom: RestoreSource.pointInTime({ sourceClusterIdentifier: 'orders', restoreToTime: time }),
      });

      // THEN
      Annotations.fromStack(stack).hasWarning('/TestStack/Db', Match.stringLikeRegexp('restoreToTime is a token'));
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
        RestoreToTime: { 'Fn::GetAtt': ['Other', 'DBClusterResourceId'] },
      });
    });
  });

  describe('integ.cluster-snapshot scenario', () => {
    test('a source cluster, a snapshot of it and a rotated restore, with the library alone', () => {
      // GIVEN
      const stack = testStack();
      const vpc: ec2.IVpc = testVpc(stack);
      const source = new AuroraCluster(stack, 'Source', { engine: MYSQL_3_08, vpc });
      const snapshot = new AuroraClusterSnapshot(stack, 'Snapshot', { cluster: source.cluster });

      // WHEN
      const restoredDb = new AuroraCluster(stack, 'Restored', {
        engine: MYSQL_3_08,
        vpc,
        restoreFrom: RestoreSource.fromClusterSnapshot(snapshot),
      });

      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::RDS::DBCluster', 2);
      template.resourceCountIs('AWS::RDS::ClusterSnapshot', 1);
      template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 2);
      expect(restoredDb.secretRotation).toBeDefined();
      expect(restoredClusterProps(template).SnapshotIdentifier).toEqual(stack.resolve(snapshot.snapshotIdentifier));
    });
  });
});
