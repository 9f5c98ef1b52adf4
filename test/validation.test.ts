import { App, CfnParameter, Duration, Fn, Lazy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps, AuroraGlobalDatabase, AuroraProxy, AuroraSecondaryCluster } from '../src';
import { MYSQL_3_04, MYSQL_3_08, POSTGRES_16_4, testStack, testVpc } from './util';

/**
 * The AWS rules checked at synth, one `test.each` row a rule, each with the AWS page that states it. A row names the
 * props that break the rule and the message that must come out: `<construct path>: <prop>: <what> (<doc>); <fix>`.
 */

const sharedVpc = testVpc(testStack(new App(), 'SharedVpc'));

function build(props: Partial<AuroraClusterProps>, stack: Stack = testStack(new App(), 'V')): AuroraCluster {
  const vpc = props.vpc ?? testVpc(stack);
  return new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, ...props, vpc });
}

const provisioned = (cls: string, size: string, id = 'Writer') =>
  rds.ClusterInstance.provisioned(id, {
    instanceType: ec2.InstanceType.of(cls as ec2.InstanceClass, size as ec2.InstanceSize),
  });

describe('AWS rules checked at synth', () => {
  // Each row: the rule, the props that break it, the message (with the AWS documentation link) that must come out.
  test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (PreferredBackupWindow)
    [
      'a backup window not in hh24:mi-hh24:mi',
      { preferredBackupWindow: '3:00-3:30' },
      /V\/Db: preferredBackupWindow: "3:00-3:30" is not a daily window in the format hh24:mi-hh24:mi \(UTC\) \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_CreateDBCluster\.html\); write it like/,
    ],
    [
      'a backup window with hour 24',
      { preferredBackupWindow: '23:30-24:00' },
      /preferredBackupWindow: "23:30-24:00" is not a daily window/,
    ],
    [
      'a backup window shorter than 30 minutes',
      { preferredBackupWindow: '03:00-03:29' },
      /preferredBackupWindow: '03:00-03:29' lasts 29 minutes; a backup window must be at least 30 minutes \(https:/,
    ],
    ['an empty backup window', { preferredBackupWindow: '03:00-03:00' }, /lasts 0 minutes/],
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (PreferredMaintenanceWindow)
    [
      'a maintenance window without days',
      { preferredMaintenanceWindow: '05:00-05:30' },
      /preferredMaintenanceWindow: "05:00-05:30" is not a weekly window in the format ddd:hh24:mi-ddd:hh24:mi/,
    ],
    [
      'a maintenance window with an unknown day',
      { preferredMaintenanceWindow: 'sun:05:00-sum:05:30' },
      /is not a weekly window/,
    ],
    [
      'a maintenance window shorter than 30 minutes',
      { preferredMaintenanceWindow: 'sun:05:00-sun:05:10' },
      /preferredMaintenanceWindow: 'sun:05:00-sun:05:10' lasts 10 minutes; a maintenance window must be at least 30 minutes/,
    ],
    [
      'overlapping backup and maintenance windows',
      { preferredBackupWindow: '05:15-05:45', preferredMaintenanceWindow: 'wed:05:00-wed:05:30' },
      /preferredBackupWindow: '05:15-05:45' overlaps the maintenance window 'wed:05:00-wed:05:30'.*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_CreateDBCluster\.html\); move one of the two windows/,
    ],
    [
      'windows that overlap across midnight and the week boundary',
      { preferredBackupWindow: '23:45-00:15', preferredMaintenanceWindow: 'sun:23:50-mon:00:30' },
      /overlaps the maintenance window/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (MonitoringInterval, MonitoringRoleArn)
    [
      'an Enhanced Monitoring interval AWS does not accept',
      { monitoringInterval: Duration.seconds(2) },
      /monitoringInterval: must be 1, 5, 10, 15, 30 or 60 seconds, got 2 \(https:.*API_CreateDBCluster\.html\)/,
    ],
    [
      'an interval of 0 with the monitoring role',
      { monitoringInterval: Duration.seconds(0) },
      /monitoringInterval: an interval of 0 turns Enhanced Monitoring off, but .* AWS rejects a monitoring role without an interval above 0/,
    ],
    ['a monitoring interval in minutes', { monitoringInterval: Duration.minutes(2) }, /got 120/],
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (PerformanceInsightsRetentionPeriod)
    [
      'a Performance Insights retention of 94 days',
      { performanceInsightRetention: 94 as rds.PerformanceInsightRetention },
      /performanceInsightRetention: 94 days is not a retention Performance Insights accepts: 7, a multiple of 31 from 31 to 713 \(1 to 23 months\), or 731/,
    ],
    [
      'a retention of 744 days',
      { performanceInsightRetention: 744 as rds.PerformanceInsightRetention },
      /744 days is not a retention/,
    ],
    [
      'a NaN retention',
      { performanceInsightRetention: NaN as rds.PerformanceInsightRetention },
      /performanceInsightRetention: is NaN \(not a number\)/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_DatabaseInsights.Considerations.html
    [
      'Advanced Database Insights with 14 months of retention',
      {
        databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
        performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_14,
      },
      /performanceInsightRetention: 434 days is too short for Database Insights' Advanced mode, which needs a Performance Insights retention of at least 465 days \(15 months\) \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/USER_DatabaseInsights\.Considerations\.html\)/,
    ],
    [
      'a Database Insights mode AWS does not know',
      { databaseInsightsMode: 'premium' as rds.DatabaseInsightsMode },
      /databaseInsightsMode: "premium" is not a Database Insights mode/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html (MasterUsername)
    [
      'a 17-character master user on Aurora PostgreSQL',
      { masterUsername: 'a234567890123456x' },
      /masterUsername: 'a234567890123456x' must be 1 to 16 letters, digits or underscores starting with a letter \(https:.*API_CreateDBCluster\.html\)/,
    ],
    ['a master user starting with a digit', { masterUsername: '1admin' }, /must be 1 to 16 letters/],
    ['an empty master user', { masterUsername: '' }, /masterUsername: '' must be 1 to 16 letters/],
    [
      'a PostgreSQL reserved word as master user',
      { masterUsername: 'user' },
      /masterUsername: 'user' is a reserved word of Aurora PostgreSQL, which AWS does not accept as the master user name/,
    ],
    [
      'a MySQL reserved word as master user',
      { engine: MYSQL_3_08, masterUsername: 'select' },
      /'select' is a reserved word of Aurora MySQL/,
    ],
    [
      'a role PostgreSQL reserves',
      { masterUsername: 'rds_superuser' },
      /masterUsername: 'rds_superuser' is a user or role name Aurora PostgreSQL reserves for itself \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Appendix\.PostgreSQL\.CommonDBATasks\.Roles\.html\)/,
    ],
    [
      'a pg_ role name',
      { masterUsername: 'pg_monitor' },
      /'pg_monitor' is a user or role name Aurora PostgreSQL reserves/,
    ],
    [
      'a user Aurora MySQL reserves',
      { engine: MYSQL_3_08, masterUsername: 'rdsadmin' },
      /'rdsadmin' is a user or role name Aurora MySQL reserves for itself \(https:.*AuroraMySQL\.Security\.html#AuroraMySQL\.Security\.ReservedUsers\)/,
    ],
    // https://docs.aws.amazon.com/controltower/latest/controlreference/rds-rules.html (CT.RDS.PR.21)
    [
      'admin on Aurora MySQL',
      { engine: MYSQL_3_08, masterUsername: 'Admin' },
      /'Admin' is a well-known default master user name, which Control Tower CT.RDS.PR.21 rejects/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (DBName)
    [
      'a database name with a hyphen',
      { defaultDatabaseName: 'my-db' },
      /defaultDatabaseName: "my-db" must be 1 to 63 characters for Aurora PostgreSQL: a letter, then letters, digits or underscores \(https:.*API_CreateDBInstance\.html\)/,
    ],
    [
      'a 64-character PostgreSQL database name',
      { defaultDatabaseName: `d${'b'.repeat(63)}` },
      /must be 1 to 63 characters/,
    ],
    [
      'a 65-character MySQL database name',
      { engine: MYSQL_3_08, defaultDatabaseName: `d${'b'.repeat(64)}` },
      /must be 1 to 64 characters for Aurora MySQL/,
    ],
    ['a database name starting with a digit', { defaultDatabaseName: '9orders' }, /"9orders" must be 1 to 63/],
    [
      'a reserved database name',
      { defaultDatabaseName: 'select' },
      /defaultDatabaseName: 'select' is a reserved word of Aurora PostgreSQL/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html
    [
      'a general-purpose class',
      { writer: provisioned('m5', 'large') },
      /writer\/readers \(Writer\): Aurora does not offer the db\.m5 instance family for Aurora PostgreSQL 16\.4 \(https:.*Concepts\.DBInstanceClass\.SupportAurora\.html\); choose a class Aurora offers/,
    ],
    [
      'a memory-optimized class below large',
      { writer: provisioned('r6g', 'medium') },
      /Aurora offers db\.r6g only in large and bigger sizes/,
    ],
    [
      'a burstable class above large',
      { writer: provisioned('t4g', 'xlarge') },
      /Aurora offers db\.t4g only in medium and large sizes/,
    ],
    ['db.t3.micro', { writer: provisioned('t3', 'micro') }, /Aurora offers db\.t3 only in medium and large sizes/],
    ['db.r4 on Aurora PostgreSQL', { writer: provisioned('r4', 'large') }, /Aurora PostgreSQL does not offer db\.r4/],
    [
      'db.r4 on Aurora MySQL 3',
      { engine: MYSQL_3_08, writer: provisioned('r4', 'large') },
      /Aurora MySQL 3\.08\.0 does not offer db\.r4 \(only version 2\)/,
    ],
    ['db.t2 on Aurora MySQL 3', { engine: MYSQL_3_08, writer: provisioned('t2', 'medium') }, /does not offer db\.t2/],
    [
      'a reader of an unoffered class',
      { readers: [provisioned('c5', 'large', 'Reader')] },
      /writer\/readers \(Reader\): Aurora does not offer the db\.c5 instance family/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html (DBInstanceIdentifier)
    [
      'an instance identifier with a double hyphen',
      { writer: rds.ClusterInstance.serverlessV2('Writer', { instanceIdentifier: 'orders--writer' }) },
      /writer\/readers \(Writer\)\.instanceIdentifier: 'orders--writer' must be 1 to 63 letters, digits or hyphens/,
    ],
    [
      'an instance identifier of 64 characters',
      { writer: rds.ClusterInstance.serverlessV2('Writer', { instanceIdentifier: `w${'1'.repeat(63)}` }) },
      /instanceIdentifier: 'w1+' must be 1 to 63/,
    ],
    [
      'an instance identifier with a trailing hyphen',
      { writer: rds.ClusterInstance.serverlessV2('Writer', { instanceIdentifier: 'writer-' }) },
      /'writer-' must be 1 to 63/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.storage-type.html
    [
      'I/O-Optimized on Aurora PostgreSQL 15.1',
      {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.of('15.1', '15') }),
        storageType: rds.DBClusterStorageType.AURORA_IOPT1,
      },
      /engine: Aurora PostgreSQL 15\.1 does not support Aurora I\/O-Optimized storage \(aurora-iopt1\); it needs 13\.10\+, 14\.7\+, 15\.2\+, 16\.1\+, 17\.4\+ \(https:.*Feature\.storage-type\.html\)/,
    ],
    [
      'I/O-Optimized on Aurora MySQL 3.03.0',
      {
        engine: rds.DatabaseClusterEngine.auroraMysql({
          version: rds.AuroraMysqlEngineVersion.of('8.0.mysql_aurora.3.03.0', '8.0'),
        }),
        storageType: rds.DBClusterStorageType.AURORA_IOPT1,
      },
      /Aurora MySQL 3\.03\.0 does not support Aurora I\/O-Optimized storage \(aurora-iopt1\); it needs 3\.03\.1\+/,
    ],
    [
      'a storage type AWS does not know',
      { storageType: 'io1' as rds.DBClusterStorageType },
      /storageType: "io1" is not an Aurora storage type/,
    ],
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/limitless-reqs-limits.html
    [
      'a Limitless Database version on an ordinary cluster',
      {
        engine: rds.DatabaseClusterEngine.auroraPostgres({
          version: rds.AuroraPostgresEngineVersion.of('16.4-limitless', '16'),
        }),
      },
      /engine: '16\.4-limitless' is an Aurora PostgreSQL Limitless Database version, which only a Limitless cluster .* \(https:.*limitless-reqs-limits\.html\)/,
    ],
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
    [
      'a rotation interval under 4 hours',
      { secretRotationInterval: Duration.hours(1) },
      /secretRotationInterval: must be between 4 hours and 1000 days, got 1 hour/,
    ],
    [
      'no rotation at all',
      { secretRotationInterval: Duration.days(0) },
      /secretRotationInterval: must be between 4 hours and 1000 days/,
    ],
    [
      'a rotation interval over 1000 days',
      { secretRotationInterval: Duration.days(1001) },
      /must be between 4 hours and 1000 days/,
    ],
    // The ids of rds.ClusterInstance name construct children: aws-cdk-lib would only say "There is already a Construct".
    [
      'two readers with the same id',
      { readers: [rds.ClusterInstance.serverlessV2('Reader'), rds.ClusterInstance.serverlessV2('Reader')] },
      /writer\/readers: the instance id 'Reader' is given to more than one instance; give every rds.ClusterInstance its own id/,
    ],
  ])('rejects %s', (_name, props, expected) => {
    // GIVEN / WHEN / THEN
    expect(() => build(props)).toThrow(expected);
  });

  // Serverless v2 by Region: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.ServerlessV2.html
  test.each<[string, string, rds.IClusterEngine]>([
    [
      'ap-south-2',
      'Aurora MySQL 3.02.0',
      rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_02_0 }),
    ],
    ['ap-southeast-5', 'Aurora MySQL 3.04.0', MYSQL_3_04],
  ])('rejects Serverless v2 in %s on %s', (region, label, engine) => {
    // GIVEN
    const stack = testStack(new App(), 'R', { account: '123456789012', region });
    // WHEN / THEN
    expect(() => new AuroraCluster(stack, 'Db', { engine, vpc: testVpc(stack), serverlessV2MinCapacity: 0.5 })).toThrow(
      new RegExp(
        `engine: ${label.replace(/\./g, '\\.')} does not support Aurora Serverless v2 in ${region}; it needs 3\\.0[24]\\.3\\+ \\(https:.*Feature\\.ServerlessV2\\.html\\)`,
      ),
    );
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.Keys.html
  test.each<[string, kms.KeySpec, kms.KeyUsage]>([
    ['an asymmetric RSA key', kms.KeySpec.RSA_2048, kms.KeyUsage.ENCRYPT_DECRYPT],
    ['an ECC signing key', kms.KeySpec.ECC_NIST_P256, kms.KeyUsage.SIGN_VERIFY],
    ['an HMAC key', kms.KeySpec.HMAC_256, kms.KeyUsage.GENERATE_VERIFY_MAC],
  ])('rejects %s as the storage key', (_name, keySpec, keyUsage) => {
    // GIVEN
    const stack = testStack(new App(), 'K');
    const key = new kms.Key(stack, 'Key', { keySpec, keyUsage });
    // WHEN / THEN
    expect(() => build({ encryptionKey: key }, stack)).toThrow(
      /encryptionKey: the key is .*; Aurora encrypts only with a symmetric encryption key \(SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT\) \(https:.*Overview\.Encryption\.Keys\.html\)/,
    );
  });

  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html (subnets per subnet group)
  test('rejects a subnet group of more than 20 subnets', () => {
    // GIVEN
    const stack = testStack(new App(), 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 3,
      natGateways: 0,
      subnetConfiguration: Array.from({ length: 7 }, (_, i) => ({
        name: `isolated${i}`,
        subnetType: ec2.SubnetType.PRIVATE_ISOLATED,
        cidrMask: 24,
      })),
    });
    // WHEN / THEN
    expect(() => build({ vpc }, stack)).toThrow(
      /vpcSubnets: selects 21 subnets; a DB subnet group holds at most 20 \(https:.*CHAP_Limits\.html\)/,
    );
  });

  // Rules of AWS that accept more than the library used to.
  test.each<[string, Partial<AuroraClusterProps>]>([
    ['root on Aurora MySQL (no AWS page or control forbids it)', { engine: MYSQL_3_08, masterUsername: 'root' }],
    ['a 16-character master user', { masterUsername: 'a234567890123456' }],
    ['an underscore in the master user (CloudFormation pattern)', { masterUsername: 'db_admin' }],
    [
      'Advanced Database Insights with 23 months',
      {
        databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
        performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_23,
      },
    ],
    [
      'Advanced Database Insights with 2 years',
      {
        databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
        performanceInsightRetention: rds.PerformanceInsightRetention.LONG_TERM,
      },
    ],
    ['adjacent windows', { preferredBackupWindow: '04:30-05:00', preferredMaintenanceWindow: 'sun:05:00-sun:05:30' }],
    ['a backup window across midnight', { preferredBackupWindow: '23:45-00:15' }],
    ['a maintenance window across the week', { preferredMaintenanceWindow: 'Sun:23:45-Mon:00:15' }],
    ['the writer class db.t4g.medium', { writer: provisioned('t4g', 'medium') }],
    ['db.x2g.16xlarge', { writer: provisioned('x2g', '16xlarge') }],
    ['a 63-character PostgreSQL database name', { defaultDatabaseName: `d${'b'.repeat(62)}` }],
    [
      'a 63-character instance identifier',
      { writer: rds.ClusterInstance.serverlessV2('Writer', { instanceIdentifier: `w${'1'.repeat(62)}` }) },
    ],
  ])('accepts %s', (_name, props) => {
    // GIVEN / WHEN / THEN
    expect(() => build(props)).not.toThrow();
  });

  test('Advanced mode with more than 15 months keeps the retention the user chose on the cluster and its instances', () => {
    // GIVEN / WHEN
    const db = build({
      databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
      performanceInsightRetention: rds.PerformanceInsightRetention.LONG_TERM,
    });
    // THEN
    const template = Template.fromStack(Stack.of(db));
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      DatabaseInsightsMode: 'advanced',
      PerformanceInsightsRetentionPeriod: 731,
    });
    for (const instance of Object.values(template.findResources('AWS::RDS::DBInstance'))) {
      expect([undefined, 731]).toContain(instance.Properties.PerformanceInsightsRetentionPeriod);
    }
  });

  test('the same custom endpoint identifier in two Regions is allowed (identifiers are unique per Region)', () => {
    // GIVEN
    const app = new App();
    const us = testStack(app, 'Us', { account: '123456789012', region: 'us-east-1' });
    const eu = testStack(app, 'Eu', { account: '123456789012', region: 'eu-west-1' });
    // WHEN
    build({}, us).addCustomEndpoint('Reporting', { endpointIdentifier: 'reporting' });
    // THEN
    expect(() => build({}, eu).addCustomEndpoint('Reporting', { endpointIdentifier: 'reporting' })).not.toThrow();
  });

  test('the same custom endpoint identifier twice in one Region is rejected', () => {
    // GIVEN
    const app = new App();
    const a = testStack(app, 'A');
    const b = testStack(app, 'B');
    build({}, a).addCustomEndpoint('Reporting', { endpointIdentifier: 'reporting' });
    // WHEN / THEN
    expect(() => build({}, b).addCustomEndpoint('Reporting', { endpointIdentifier: 'Reporting' })).toThrow(
      /endpointIdentifier: 'Reporting' is already used by another custom endpoint of this app in the same account and Region/,
    );
  });
});

describe('JavaScript and Python callers', () => {
  const stack = () => testStack(new App(), 'J');
  const anyProps = (p: object) => p as unknown as AuroraClusterProps;

  test.each<[string, () => unknown, RegExp]>([
    [
      'no props at all',
      () => new AuroraCluster(stack(), 'Db', undefined as unknown as AuroraClusterProps),
      /J\/Db: engine: is required; pass rds\.DatabaseClusterEngine/,
    ],
    [
      'a missing engine',
      () => new AuroraCluster(stack(), 'Db', anyProps({ vpc: sharedVpc })),
      /J\/Db: engine: is required/,
    ],
    [
      'an engine given as a string',
      () => new AuroraCluster(stack(), 'Db', anyProps({ engine: 'aurora-postgresql', vpc: sharedVpc })),
      /engine: must be an rds\.IClusterEngine, got string/,
    ],
    [
      'a missing VPC',
      () => new AuroraCluster(stack(), 'Db', anyProps({ engine: POSTGRES_16_4 })),
      /J\/Db: vpc: is required; pass the VPC/,
    ],
    [
      'readers: [undefined]',
      () => {
        const s = stack();
        return new AuroraCluster(s, 'Db', anyProps({ engine: POSTGRES_16_4, vpc: testVpc(s), readers: [undefined] }));
      },
      /J\/Db: readers\[0\]: readers\[0\] is not an rds\.ClusterInstance \(got undefined\); create each with rds\.ClusterInstance/,
    ],
    [
      'a writer that is not an instance',
      () => {
        const s = stack();
        return new AuroraCluster(s, 'Db', anyProps({ engine: POSTGRES_16_4, vpc: testVpc(s), writer: 'db.r6g.large' }));
      },
      /writer: must be an rds\.ClusterInstance, got string/,
    ],
    [
      'a port given as a string',
      () => {
        const s = stack();
        return new AuroraCluster(s, 'Db', anyProps({ engine: POSTGRES_16_4, vpc: testVpc(s), port: '5433' }));
      },
      /port: must be a number, got string "5433"/,
    ],
    [
      'a NaN port',
      () => {
        const s = stack();
        return new AuroraCluster(s, 'Db', anyProps({ engine: POSTGRES_16_4, vpc: testVpc(s), port: NaN }));
      },
      /port: is NaN \(not a number\)/,
    ],
    [
      'a NaN capacity',
      () => {
        const s = stack();
        return new AuroraCluster(
          s,
          'Db',
          anyProps({ engine: POSTGRES_16_4, vpc: testVpc(s), serverlessV2MaxCapacity: NaN }),
        );
      },
      /serverlessV2MaxCapacity: is NaN/,
    ],
    [
      'a backup retention given as a number',
      () => {
        const s = stack();
        return new AuroraCluster(s, 'Db', anyProps({ engine: POSTGRES_16_4, vpc: testVpc(s), backupRetention: 7 }));
      },
      /backupRetention: must be a Duration, got number 7/,
    ],
    [
      'an autoscaling maximum given as a string',
      () => {
        const s = stack();
        return new AuroraCluster(
          s,
          'Db',
          anyProps({
            engine: POSTGRES_16_4,
            vpc: testVpc(s),
            writer: provisioned('r6g', 'large'),
            readerAutoScaling: { maxCapacity: 'four', targetCpuUtilization: 60 },
          }),
        );
      },
      /readerAutoScaling\.maxCapacity: must be a number, got string "four"/,
    ],
    [
      'an AuroraProxy without a cluster',
      () => new AuroraProxy(stack(), 'Proxy', {} as never),
      /J\/Proxy: cluster: is required/,
    ],
  ])('%s is a library error, not a TypeError', (_name, create, expected) => {
    // GIVEN / WHEN / THEN
    let error: unknown;
    try {
      create();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(expected);
  });

  test.each<[string, unknown, RegExp]>([
    ['an undefined user', undefined, /Db\.grantConnect: dbUser: must name the database user, got undefined/],
    ['a wildcard user', '*', /Db\.grantConnect: dbUser: '\*' must name one database user, without wildcards/],
    ['an empty user', '', /dbUser: '' must name one database user/],
  ])('cluster and proxy grantConnect reject %s alike', (_name, user, expected) => {
    // GIVEN
    const s = testStack(new App(), 'G');
    const db = build({}, s);
    const proxy = db.addAuroraProxy('Proxy');
    const role = new iam.Role(s, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // WHEN / THEN
    expect(() => db.grantConnect(role, user as string)).toThrow(expected);
    expect(() => proxy.grantConnect(role, user as string)).toThrow(/dbUser: /);
  });

  test('grantConnect without a grantee is a library error', () => {
    // GIVEN
    const db = build({});
    // WHEN / THEN
    expect(() => db.grantConnect(undefined as unknown as iam.IGrantable, 'app')).toThrow(
      /grantConnect: grantee: must be an iam\.IGrantable/,
    );
  });

  test('a secondary without a VPC is a library error', () => {
    // GIVEN
    const app = new App();
    const primaryStack = testStack(app, 'Primary');
    const primary = new AuroraCluster(primaryStack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: testVpc(primaryStack),
      globalDatabasePrimary: true,
    });
    const global = new AuroraGlobalDatabase(primaryStack, 'Global', { primary });
    const eu = testStack(app, 'Eu', { account: '123456789012', region: 'eu-west-1' });
    // WHEN / THEN
    expect(() => global.addSecondary(eu, 'Db', {} as never)).toThrow(/Eu\/Db: vpc: is required/);
    expect(() => new AuroraSecondaryCluster(eu, 'Db2', {} as never)).toThrow(/Eu\/Db2: globalDatabase: is required/);
    expect(() => new AuroraGlobalDatabase(primaryStack, 'Global2', {} as never)).toThrow(
      /Primary\/Global2: primary: is required/,
    );
  });
});

describe('deploy-time values', () => {
  function warnings(stack: Stack): string[] {
    return Annotations.fromStack(stack)
      .findWarning('*', Match.anyValue())
      .map((w) => JSON.stringify(w.entry.data));
  }

  test('a clusterIdentifier from a CfnParameter is passed through untouched to every resource', () => {
    // GIVEN
    const stack = testStack(new App(), 'P');
    const id = new CfnParameter(stack, 'ClusterId', { type: 'String' });
    // WHEN
    build({ clusterIdentifier: id.valueAsString, readerAutoScaling: undefined }, stack);
    // THEN
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).not.toMatch(/token\[token/i);
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: { Ref: 'ClusterId' },
    });
    expect(warnings(stack).join('\n')).toMatch(
      /clusterIdentifier is a deploy-time value \(a token\), so its naming rules .* could not be checked at synth/,
    );
  });

  test('a globalClusterIdentifier from a CfnParameter is passed through untouched', () => {
    // GIVEN
    const app = new App();
    const stack = testStack(app, 'Primary');
    const id = new CfnParameter(stack, 'GlobalId', { type: 'String' });
    const primary = new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: testVpc(stack),
      globalDatabasePrimary: true,
    });
    // WHEN
    new AuroraGlobalDatabase(stack, 'Global', { primary, globalClusterIdentifier: id.valueAsString });
    // THEN
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).not.toMatch(/token\[token/i);
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::GlobalCluster', {
      GlobalClusterIdentifier: { Ref: 'GlobalId' },
    });
  });

  test('a rotation interval from a CfnParameter keeps the rotation schedule', () => {
    // GIVEN
    const stack = testStack(new App(), 'R');
    const days = new CfnParameter(stack, 'RotationDays', { type: 'Number' });
    // WHEN
    build({ secretRotationInterval: Duration.days(days.valueAsNumber) }, stack);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: { 'Fn::Join': ['', ['rate(', { Ref: 'RotationDays' }, ' days)']] } },
    });
    expect(warnings(stack).join('\n')).toMatch(/secretRotationInterval is a deploy-time value/);
  });

  test("Serverless v2 capacities from CfnParameters reach the template, with a warning instead of aws-cdk-lib's error", () => {
    // GIVEN
    const stack = testStack(new App(), 'C');
    const min = new CfnParameter(stack, 'MinAcu', { type: 'Number' });
    const max = new CfnParameter(stack, 'MaxAcu', { type: 'Number' });
    // WHEN
    build({ serverlessV2MinCapacity: min.valueAsNumber, serverlessV2MaxCapacity: max.valueAsNumber }, stack);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
      ServerlessV2ScalingConfiguration: { MinCapacity: { Ref: 'MinAcu' }, MaxCapacity: { Ref: 'MaxAcu' } },
    });
    expect(warnings(stack).join('\n')).toMatch(/serverlessV2MaxCapacity is a deploy-time value/);
  });

  test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
    [
      'an invalid lazy port',
      { port: Lazy.number({ produce: () => 80 }) },
      /L\/Db: port: must be an integer between 1150 and 65535, got 80/,
    ],
    [
      'an invalid lazy autoscaling maximum',
      {
        writer: provisioned('r6g', 'large'),
        readerAutoScaling: { maxCapacity: Lazy.number({ produce: () => 99 }), targetCpuUtilization: 60 },
      },
      /L\/Db: readerAutoScaling\.maxCapacity: must be a whole number of Aurora Replicas from 0 to 15, got 99/,
    ],
    [
      'an invalid lazy Serverless v2 maximum',
      { serverlessV2MaxCapacity: Lazy.number({ produce: () => 300 }) },
      /L\/Db: serverlessV2MaxCapacity: must be between 1 and 256 ACUs, got 300/,
    ],
  ])("%s fails the synth with the library's message", (_name, props, expected) => {
    // GIVEN
    const app = new App();
    const stack = testStack(app, 'L');
    build(props, stack);
    // WHEN / THEN
    expect(() => app.synth()).toThrow(expected);
  });

  test('an environment-agnostic Aurora MySQL stack leaves Backtrack off and says why', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Agnostic');
    // WHEN
    build({ engine: MYSQL_3_08 }, stack);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: Match.absent() });
    expect(warnings(stack).join('\n')).toMatch(/Region is not known at synth, so Backtrack stays off/);
  });

  test('an explicit backtrackWindow in an environment-agnostic stack is kept', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Agnostic');
    // WHEN
    build({ engine: MYSQL_3_08, backtrackWindow: Duration.hours(12) }, stack);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: 43200 });
  });

  test('a VPC imported with deploy-time subnet lists is not reported as spanning one Availability Zone', () => {
    // GIVEN
    const stack = testStack(new App(), 'I');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: Fn.importValue('VpcId'),
      availabilityZones: Fn.split(',', Fn.importValue('Azs'), 2),
      isolatedSubnetIds: Fn.split(',', Fn.importValue('SubnetIds'), 2),
    });
    // WHEN / THEN
    expect(() => build({ vpc, secretsManagerEndpoint: false }, stack)).not.toThrow();
    expect(warnings(stack).join('\n')).not.toMatch(/spans? 1 Availability Zone/);
  });

  test('a token instance identifier and windows from parameters pass through with warnings', () => {
    // GIVEN
    const stack = testStack(new App(), 'W');
    const backup = new CfnParameter(stack, 'Backup', { type: 'String' });
    // WHEN
    build({ preferredBackupWindow: backup.valueAsString, preferredMaintenanceWindow: 'sun:05:00-sun:05:30' }, stack);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
      PreferredBackupWindow: { Ref: 'Backup' },
    });
    expect(warnings(stack).join('\n')).toMatch(/preferredBackupWindow is a deploy-time value/);
  });
});
