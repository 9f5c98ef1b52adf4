import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  AuroraCluster,
  AuroraClusterProps,
  AuroraGlobalDatabase,
  AuroraSecondaryCluster,
  AuroraSecondaryClusterOptions,
} from '../src';
import { derivedName, MYSQL_3_08, POSTGRES_16_4, R6G_LARGE, STACK_SUFFIX, testStack, testVpc, VpcLayout } from './util';

const ACCOUNT = '123456789012';
const EU = 'eu-west-1';
const AP = 'ap-southeast-2';

function regionStack(app: App, id: string, region: string): Stack {
  return testStack(app, id, { account: ACCOUNT, region });
}

/** A primary in us-east-1 (stack 'Primary') and its global database, plus helpers to add secondaries. */
function globalDb(primaryProps: Partial<AuroraClusterProps> = {}, app = new App()) {
  const primaryStack = regionStack(app, 'Primary', 'us-east-1');
  const primary = new AuroraCluster(primaryStack, 'Db', {
    engine: POSTGRES_16_4,
    vpc: testVpc(primaryStack),
    globalDatabasePrimary: true,
    ...primaryProps,
  });
  const global = new AuroraGlobalDatabase(primaryStack, 'Global', { primary });
  const secondary = (stackId: string, region: string, options: Partial<AuroraSecondaryClusterOptions> = {}) => {
    const stack = regionStack(app, stackId, region);
    const db = global.addSecondary(stack, 'Db', { vpc: testVpc(stack), ...options });
    return { stack, db };
  };
  return { app, primaryStack, primary, global, secondary };
}

/** Ten Regions other than the primary's (us-east-1): the most secondaries Aurora allows (https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.configuration\.requirements\.html). */
const TEN_SECONDARY_REGIONS = [
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'us-west-1',
  'us-west-2',
  'us-east-2',
  'ap-southeast-2',
  'ap-northeast-1',
];

/** Properties of the only resource of a type in a template. */
function only(template: Template, type: string): any {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

describe('AuroraGlobalDatabase', () => {
  describe('global cluster and secondaries (PostgreSQL)', () => {
    // Shared: a primary, a headless secondary in eu-west-1, one with two Serverless v2 readers in ap-southeast-2.
    const g = globalDb();
    const eu = g.secondary('Eu', EU, { readers: [] });
    const ap = g.secondary('Ap', AP, {
      readers: [rds.ClusterInstance.serverlessV2('Reader1'), rds.ClusterInstance.serverlessV2('Reader2')],
      enableWriteForwarding: true,
    });
    const primaryTemplate = Template.fromStack(g.primaryStack);
    const euTemplate = Template.fromStack(eu.stack);
    const apTemplate = Template.fromStack(ap.stack);

    test('creates the global cluster from the primary ARN, inheriting engine, version, encryption and database', () => {
      const globalCluster = only(primaryTemplate, 'AWS::RDS::GlobalCluster');
      expect(globalCluster.Properties).toEqual({
        GlobalClusterIdentifier: 'primary-global7c59ac82-6304e273',
        DeletionProtection: true,
        SourceDBClusterIdentifier: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:cluster:', { Ref: 'DbClusterA0CF0968' }],
          ],
        },
      });
    });

    test('the global cluster joins after the primary cluster and its instances exist', () => {
      // GIVEN the primary's global cluster THEN it references the cluster (which orders it) and waits for its instances;
      // no DependsOn repeats the Ref (cfn-lint W3005)
      const globalCluster = only(primaryTemplate, 'AWS::RDS::GlobalCluster');
      expect(JSON.stringify(globalCluster.Properties.SourceDBClusterIdentifier)).toContain('"Ref":"DbClusterA0CF0968"');
      expect(globalCluster.DependsOn).toEqual(
        expect.arrayContaining(['DbClusterWriter04F49224', 'DbClusterReader0DA6EF65']),
      );
      expect(globalCluster.DependsOn).not.toContain('DbClusterA0CF0968');
    });

    test('the global cluster identifier is a literal from the Region, stack name and logical id, within AWS naming rules', () => {
      const id = g.primaryStack.resolve(g.global.globalClusterIdentifier);
      expect(id).toBe('primary-global7c59ac82-6304e273');
      expect(id).toMatch(/^[a-z](?:-?[a-z0-9]){0,62}$/);
    });

    test('the global cluster ARN has no Region; the template reads no GlobalEndpoint attribute', () => {
      expect(JSON.stringify(Template.fromStack(g.primaryStack).toJSON())).not.toContain('GlobalEndpoint');
      expect(g.primaryStack.resolve(g.global.globalClusterArn)).toEqual({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':rds::123456789012:global-cluster:primary-global7c59ac82-6304e273'],
        ],
      });
    });

    test('secondaries are listed in the order they were added', () => {
      expect(g.global.secondaries).toEqual([eu.db, ap.db]);
    });

    test('a secondary has no master user, password or database name, and joins by the literal identifier', () => {
      for (const template of [euTemplate, apTemplate]) {
        const cluster = only(template, 'AWS::RDS::DBCluster').Properties;
        expect(cluster.GlobalClusterIdentifier).toBe('primary-global7c59ac82-6304e273');
        for (const absent of [
          'MasterUsername',
          'MasterUserPassword',
          'ManageMasterUserPassword',
          'DatabaseName',
          'BacktrackWindow',
        ]) {
          expect(cluster).not.toHaveProperty(absent);
        }
        template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      }
    });

    test("a secondary runs the primary's engine and version", () => {
      const primaryCluster = only(primaryTemplate, 'AWS::RDS::DBCluster').Properties;
      for (const template of [euTemplate, apTemplate]) {
        template.hasResourceProperties('AWS::RDS::DBCluster', {
          Engine: primaryCluster.Engine,
          EngineVersion: primaryCluster.EngineVersion,
        });
      }
      expect(primaryCluster.EngineVersion).toBe('16.4');
    });

    test('a secondary is encrypted with a new rotated key of its own Region, retained on delete', () => {
      euTemplate.hasResourceProperties('AWS::RDS::DBCluster', {
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
        PerformanceInsightsEnabled: true,
        PerformanceInsightsKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
        PerformanceInsightsRetentionPeriod: 7,
      });
      euTemplate.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
        DeletionPolicy: 'Retain',
      });
      expect(eu.db.encryptionKey.env.region).toBe(EU);
    });

    test("the secondary key denies grants not for AWS resources and serves only the secondary's log groups", () => {
      euTemplate.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'kms:CreateGrant' }),
            Match.objectLike({
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/eu-dbclustera0cf0968-',
                        STACK_SUFFIX,
                        '/*',
                      ],
                    ],
                  },
                },
              },
            }),
          ]),
        },
      });
    });

    test('a secondary has the secure defaults of the primary', () => {
      euTemplate.hasResourceProperties('AWS::RDS::DBCluster', {
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        BackupRetentionPeriod: 7,
        Port: 5433,
        EnableCloudwatchLogsExports: ['postgresql'],
        DBClusterParameterGroupName: { Ref: Match.stringLikeRegexp('^DbParameterGroup') },
      });
      euTemplate.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('a secondary requires TLS and audits, with the primary parameters', () => {
      euTemplate.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-postgresql16',
        Parameters: {
          'rds.force_ssl': '1',
          shared_preload_libraries: 'pg_stat_statements,pgaudit',
          'pgaudit.log': 'ddl,role',
          'pgaudit.role': 'rds_pgaudit',
          log_connections: '1',
          log_disconnections: '1',
        },
      });
    });

    test("a secondary's log groups exist first, named for it, encrypted, kept a year and retained", () => {
      euTemplate.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          LogGroupName: derivedName('/aws/rds/cluster/eu-dbclustera0cf0968', '/postgresql'),
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
          RetentionInDays: 365,
        },
        DeletionPolicy: 'Retain',
      });
      const cluster = only(euTemplate, 'AWS::RDS::DBCluster');
      expect(cluster.DependsOn).toEqual([expect.stringMatching(/^DbLogGrouppostgresql/)]);
      euTemplate.resourceCountIs('Custom::LogRetention', 0);
    });

    test('every secondary instance is private, monitored every 60 s with a role, auto-upgraded', () => {
      const instances = Object.values(apTemplate.findResources('AWS::RDS::DBInstance'));
      expect(instances).toHaveLength(2);
      for (const instance of instances) {
        expect(instance.Properties).toMatchObject({
          DBInstanceClass: 'db.serverless',
          DBClusterIdentifier: { Ref: expect.stringMatching(/^DbCluster/) },
          PubliclyAccessible: false,
          MonitoringInterval: 60,
          MonitoringRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DbMonitoringRole/), 'Arn'] },
          AutoMinorVersionUpgrade: true,
        });
      }
      apTemplate.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':logs:ap-southeast-2:123456789012:log-group:RDSOSMetrics:log-stream:*',
                  ],
                ],
              },
            }),
          ]),
        },
      });
    });

    test('a headless secondary has no instance and keeps a Serverless v2 range for a DR instance, with a warning', () => {
      euTemplate.resourceCountIs('AWS::RDS::DBInstance', 0);
      euTemplate.hasResourceProperties('AWS::RDS::DBCluster', {
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
      });
      expect(eu.db.instanceIdentifiers).toEqual([]);
      Annotations.fromStack(eu.stack).hasWarning('/Eu/Db', Match.stringLikeRegexp('headless'));
    });

    test('write forwarding is on where asked, and absent otherwise', () => {
      apTemplate.hasResourceProperties('AWS::RDS::DBCluster', { EnableGlobalWriteForwarding: true });
      euTemplate.hasResourceProperties('AWS::RDS::DBCluster', { EnableGlobalWriteForwarding: Match.absent() });
      expect(ap.db.writeForwarding).toBe(true);
    });

    test('the security group admits nothing; connections use the literal port', () => {
      const sg = only(euTemplate, 'AWS::EC2::SecurityGroup').Properties;
      expect(sg.SecurityGroupIngress).toBeUndefined();
      expect(sg.GroupDescription).toMatch(/no ingress until a peer is allowed/);
      euTemplate.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
      expect(eu.db.connections.defaultPort?.toString()).toBe('5433');
    });

    test('the secondary is in the private subnets of its VPC', () => {
      const subnets = (eu.db.vpc as ec2.Vpc).isolatedSubnets.map((s) => ({
        Ref: eu.stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet),
      }));
      euTemplate.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: subnets });
    });

    test('each secondary stack depends on the primary stack, with no cross-stack reference', () => {
      expect(eu.stack.dependencies).toContain(g.primaryStack);
      expect(ap.stack.dependencies).toContain(g.primaryStack);
      for (const template of [euTemplate, apTemplate]) {
        expect(JSON.stringify(template.toJSON())).not.toMatch(/Fn::ImportValue|Primary/);
      }
      expect(primaryTemplate.toJSON().Outputs).toBeUndefined();
    });

    test("secondary cluster identifiers: stack name, construct id and the stack's UUID, unique across Regions", () => {
      euTemplate.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: derivedName('eu-dbclustera0cf0968'),
      });
      apTemplate.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: derivedName('ap-dbclustera0cf0968'),
      });
      primaryTemplate.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: derivedName('primary-dbclustera0cf0968'),
      });
    });

    test('exposes what custom endpoints need: the cluster and its instance identifiers', () => {
      expect(ap.stack.resolve(ap.db.instanceIdentifiers)).toEqual([
        { Ref: expect.stringMatching(/^DbClusterReader1/) },
        { Ref: expect.stringMatching(/^DbClusterReader2/) },
      ]);
      expect(ap.stack.resolve(ap.db.cluster.clusterIdentifier)).toEqual({ Ref: expect.stringMatching(/^DbCluster/) });
      expect(ap.db.cfnCluster).toBe(ap.db.cluster.node.defaultChild);
    });

    test('no Aurora Auto Scaling target on a secondary', () => {
      apTemplate.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    });
  });

  describe('secondary options', () => {
    test('provisioned readers get no Serverless v2 range; options pass through', () => {
      // GIVEN
      const g = globalDb();
      // WHEN
      const { stack } = g.secondary('Eu', EU, {
        readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE, promotionTier: 0 })],
        port: 6000,
        backupRetention: Duration.days(14),
        preferredBackupWindow: '03:00-04:00',
        preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
        deletionProtection: false,
        logRetention: logs.RetentionDays.TWO_YEARS,
        monitoringInterval: Duration.seconds(15),
        performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
        databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
        storageType: rds.DBClusterStorageType.AURORA_IOPT1,
        clusterIdentifier: 'orders-eu',
        parameters: { log_min_duration_statement: '1000' },
      });
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        ServerlessV2ScalingConfiguration: Match.absent(),
        Port: 6000,
        BackupRetentionPeriod: 14,
        PreferredBackupWindow: '03:00-04:00',
        PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
        DeletionProtection: false,
        PerformanceInsightsRetentionPeriod: 465,
        DatabaseInsightsMode: 'advanced',
        StorageType: 'aurora-iopt1',
        DBClusterIdentifier: 'orders-eu',
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceClass: 'db.r6g.large',
        PromotionTier: 0,
        MonitoringInterval: 15,
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/rds/cluster/orders-eu/postgresql',
        RetentionInDays: 731,
      });
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({ log_min_duration_statement: '1000', 'rds.force_ssl': '1' }),
      });
    });

    test("the secondary starts from the primary's parameters and storage type", () => {
      // GIVEN a MySQL primary with lower_case_table_names and I/O-Optimized storage
      const g = globalDb({
        engine: MYSQL_3_08,
        parameters: { lower_case_table_names: '1' },
        storageType: rds.DBClusterStorageType.AURORA_IOPT1,
      });
      // WHEN
      const { stack } = g.secondary('Eu', EU);
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-mysql8.0',
        Parameters: Match.objectLike({
          lower_case_table_names: '1',
          require_secure_transport: 'ON',
          server_audit_logging: '1',
        }),
      });
      template.hasResourceProperties('AWS::RDS::DBCluster', { StorageType: 'aurora-iopt1' });
    });

    test('the default secondary has one Serverless v2 reader', () => {
      const { stack } = globalDb().secondary('Eu', EU);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::RDS::DBInstance', 1);
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
      });
    });

    test("a user key of the secondary's Region is used as is, with a warning about its policy", () => {
      // GIVEN
      const g = globalDb();
      const stack = regionStack(g.app, 'Eu', EU);
      const key = kms.Key.fromKeyArn(
        stack,
        'Key',
        `arn:aws:kms:${EU}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      );
      // WHEN
      g.global.addSecondary(stack, 'Db', { vpc: testVpc(stack), encryptionKey: key });
      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::RDS::DBCluster', { KmsKeyId: key.keyArn });
      Annotations.fromStack(stack).hasWarning(
        '/Eu/Db',
        Match.stringLikeRegexp('encryptionKey is not a key of this stack'),
      );
    });

    test('AuroraSecondaryCluster can be created directly', () => {
      const g = globalDb();
      const stack = regionStack(g.app, 'Eu', EU);
      const db = new AuroraSecondaryCluster(stack, 'Db', {
        globalDatabase: g.global,
        vpc: testVpc(stack),
        readers: [],
      });
      expect(g.global.secondaries).toEqual([db]);
      expect(stack.dependencies).toContain(g.primaryStack);
    });

    test('connections, grantConnect and metrics address the secondary', () => {
      // GIVEN
      const { stack, db } = globalDb().secondary('Eu', EU);
      const app = new ec2.SecurityGroup(stack, 'App', { vpc: db.vpc });
      const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      // WHEN
      db.connections.allowDefaultPortFrom(app);
      db.grantConnect(role, 'app_user');
      // THEN
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5433,
        ToPort: 5433,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'GroupId'] },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'rds-db:connect',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':rds-db:eu-west-1:123456789012:dbuser:',
                    { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbCluster'), 'DBClusterResourceId'] },
                    '/app_user',
                  ],
                ],
              },
            }),
          ],
        },
      });
      const lag = db.metricGlobalReplicationLag();
      expect(lag.metricName).toBe('AuroraGlobalDBReplicationLag');
      expect(lag.statistic).toBe('Maximum');
      expect(stack.resolve(lag.dimensions)).toEqual({
        DBClusterIdentifier: { Ref: expect.stringMatching(/^DbCluster/) },
      });
      expect(db.metricCPUUtilization().metricName).toBe('CPUUtilization');
      expect(db.metricServerlessDatabaseCapacity().metricName).toBe('ServerlessDatabaseCapacity');
    });

    test('deletionProtection and globalClusterIdentifier of the global cluster can be set', () => {
      const stack = regionStack(new App(), 'Primary', 'us-east-1');
      const primary = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      new AuroraGlobalDatabase(stack, 'Global', {
        primary,
        globalClusterIdentifier: 'Orders-Global',
        deletionProtection: false,
      });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::GlobalCluster', {
        GlobalClusterIdentifier: 'orders-global',
        DeletionProtection: false,
      });
    });
  });

  describe('backtrack', () => {
    test('globalDatabasePrimary turns the Aurora MySQL Backtrack default off with an explicit 0', () => {
      const g = globalDb({ engine: MYSQL_3_08 });
      Template.fromStack(g.primaryStack).hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: 0 });
    });

    test('globalDatabasePrimary leaves BacktrackWindow out in a Region without Backtrack, with no warning', () => {
      const stack = regionStack(new App(), 'Milan', 'eu-south-1');
      new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc: testVpc(stack), globalDatabasePrimary: true });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: Match.absent() });
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('Backtrack'));
    });

    test('globalDatabasePrimary changes nothing on Aurora PostgreSQL', () => {
      const build = (globalDatabasePrimary: boolean) => {
        const stack = testStack(new App());
        new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), globalDatabasePrimary });
        return Template.fromStack(stack).toJSON();
      };
      expect(build(true)).toEqual(build(false));
    });

    test('a MySQL secondary has no BacktrackWindow', () => {
      const { stack } = globalDb({ engine: MYSQL_3_08 }).secondary('Eu', EU);
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-mysql',
        EngineVersion: '8.0.mysql_aurora.3.08.0',
        BacktrackWindow: Match.absent(),
        EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'],
      });
    });

    test('backtrackWindow: Duration.seconds(0) also lets a MySQL cluster join', () => {
      expect(() =>
        globalDb({ engine: MYSQL_3_08, globalDatabasePrimary: false, backtrackWindow: Duration.seconds(0) }),
      ).not.toThrow();
    });
  });

  describe('warnings', () => {
    test('write forwarding on a headless secondary does nothing', () => {
      const { stack } = globalDb().secondary('Eu', EU, { readers: [], enableWriteForwarding: true });
      Annotations.fromStack(stack).hasWarning('/Eu/Db', Match.stringLikeRegexp('enableWriteForwarding has no effect'));
    });

    test('Serverless v2 instances of a secondary never pause', () => {
      const { stack } = globalDb().secondary('Eu', EU, { serverlessV2MinCapacity: 0 });
      Annotations.fromStack(stack).hasWarning('/Eu/Db', Match.stringLikeRegexp('never pause'));
    });

    test("a secondary lower_case_table_names that differs from the primary's", () => {
      const { stack } = globalDb({ engine: MYSQL_3_08 }).secondary('Eu', EU, {
        parameters: { lower_case_table_names: '1' },
      });
      Annotations.fromStack(stack).hasWarning(
        '/Eu/Db',
        Match.stringLikeRegexp("lower_case_table_names is '1' but the primary's is 'the engine default'"),
      );
    });

    test('a Serverless v2 primary below 8 ACUs gets the AWS recommendation; 8 ACUs does not', () => {
      const low = globalDb();
      Annotations.fromStack(low.primaryStack).hasWarning(
        '/Primary/Global',
        Match.stringLikeRegexp('minimum capacity is 0.5 ACUs; AWS recommends at least 8'),
      );
      const ok = globalDb({ serverlessV2MinCapacity: 8 });
      Annotations.fromStack(ok.primaryStack).hasNoWarning('/Primary/Global', Match.anyValue());
    });
  });

  describe('validation', () => {
    const t4g = ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM);
    const provisioned = (engine: rds.IClusterEngine) => ({
      engine,
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readers: [],
    });

    test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
      [
        'a MySQL primary with the default Backtrack',
        { engine: MYSQL_3_08, globalDatabasePrimary: false },
        /Primary\/Global: primary: Backtrack is on \(86400 seconds\), but Aurora Global Database does not support Backtrack \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\); create the AuroraCluster with globalDatabasePrimary: true/,
      ],
      [
        'an engine version without Global Database',
        provisioned(rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_12_4 })),
        /primary: Aurora PostgreSQL 12.4 cannot be part of an Aurora Global Database; it needs 11.9, 11.13\+, 12.8\+, 13.4\+.*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.Aurora_Fea_Regions_DB-eng\.Feature\.GlobalDatabase\.html\)/,
      ],
      [
        'Aurora MySQL 2.06',
        provisioned(rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_06_0 })),
        /Aurora MySQL 2.06.0 cannot be part of an Aurora Global Database; it needs 2.07.0\+, 3.01.0\+/,
      ],
      [
        'a burstable primary writer',
        { writer: rds.ClusterInstance.provisioned('Writer', { instanceType: t4g }), readers: [] },
        /primary \(Writer\): db.t4g.medium is not supported by Aurora Global Database.*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.configuration\.requirements\.html\)/,
      ],
    ])('rejects %s', (_name, props, expected) => {
      expect(() => globalDb(props)).toThrow(expected);
    });

    test('accepts Aurora PostgreSQL 11.9, below the 11.13 floor', () => {
      expect(() =>
        globalDb(
          provisioned(rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_11_9 })),
        ),
      ).not.toThrow();
    });

    test('rejects Backtrack on a cluster declared a global primary', () => {
      const stack = testStack(new App());
      expect(
        () =>
          new AuroraCluster(stack, 'Db', {
            engine: MYSQL_3_08,
            vpc: testVpc(stack),
            globalDatabasePrimary: true,
            backtrackWindow: Duration.hours(1),
          }),
      ).toThrow(
        /TestStack\/Db: backtrackWindow: Backtrack is on \(3600 seconds\), but Aurora Global Database does not support Backtrack \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\)/,
      );
    });

    test('rejects an RDS-managed master password on the primary', () => {
      const stack = regionStack(new App(), 'Primary', 'us-east-1');
      const primary = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      (primary.cluster.node.defaultChild as rds.CfnDBCluster).manageMasterUserPassword = true;
      expect(() => new AuroraGlobalDatabase(stack, 'Global', { primary })).toThrow(
        /primary: the cluster uses an RDS-managed master password .*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\)/,
      );
    });

    test("rejects a global database outside the primary's stack", () => {
      const app = new App();
      const stack = regionStack(app, 'Primary', 'us-east-1');
      const primary = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      expect(() => new AuroraGlobalDatabase(regionStack(app, 'Other', 'us-east-1'), 'Global', { primary })).toThrow(
        /Other\/Global: scope: the global database must be in the primary's stack Primary/,
      );
    });

    test('rejects a primary stack without a Region', () => {
      const stack = new Stack(new App(), 'Agnostic');
      const primary = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      expect(() => new AuroraGlobalDatabase(stack, 'Global', { primary })).toThrow(
        /primary: the primary's stack has no Region at synth time/,
      );
    });

    test('rejects an invalid global cluster identifier', () => {
      const stack = regionStack(new App(), 'Primary', 'us-east-1');
      const primary = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      expect(
        () => new AuroraGlobalDatabase(stack, 'Global', { primary, globalClusterIdentifier: 'orders--global' }),
      ).toThrow(/globalClusterIdentifier: 'orders--global' must be 1 to 63 letters/);
    });

    test("rejects a secondary in the primary's Region, and two in one Region", () => {
      const g = globalDb();
      expect(() => g.secondary('Same', 'us-east-1')).toThrow(
        /Same\/Db: stack: the secondary is in us-east-1, the primary's Region; secondaries must be in other Regions \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.configuration\.requirements\.html\)/,
      );
      g.secondary('Eu', EU);
      expect(() => g.secondary('Eu2', EU)).toThrow(
        /Eu2\/Db: stack: Eu\/Db is already the secondary in eu-west-1; each secondary must be in its own Region \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.configuration\.requirements\.html\)/,
      );
    });

    test('rejects an 11th secondary', () => {
      const g = globalDb({ readers: [] });
      TEN_SECONDARY_REGIONS.forEach((region, i) => g.secondary(`S${i}`, region, { readers: [] }));
      expect(() => g.secondary('S10', 'ca-central-1', { readers: [] })).toThrow(
        /globalDatabase: the global database already has 10 secondary clusters, the most Aurora allows \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.configuration\.requirements\.html\)/,
      );
    });

    test('rejects primary readers plus secondaries above 15 at synth', () => {
      // GIVEN 6 primary readers and 10 secondaries
      const g = globalDb({ readers: Array.from({ length: 6 }, (_, i) => rds.ClusterInstance.serverlessV2(`R${i}`)) });
      TEN_SECONDARY_REGIONS.forEach((region, i) => g.secondary(`S${i}`, region, { readers: [] }));
      // WHEN / THEN
      expect(() => g.app.synth()).toThrow(
        /Primary\/Global: primary: the primary has 6 readers and the global database 10 secondary clusters; together at most 15 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database-attaching\.html\)/,
      );
    });

    test('a secondary with readers can have a custom endpoint over some of them', () => {
      // GIVEN
      const g = globalDb();
      const { stack, db } = g.secondary('Ap', 'ap-southeast-2', {
        readers: [rds.ClusterInstance.serverlessV2('Reader1'), rds.ClusterInstance.serverlessV2('Reporting')],
      });
      // WHEN
      const endpoint = db.addCustomEndpoint('Reporting', { staticMembers: ['Reporting'] });
      // THEN
      const template = Template.fromStack(stack);
      const reporting = Object.entries(template.findResources('AWS::RDS::DBInstance')).find(([id]) =>
        id.includes('Reporting'),
      )![0];
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        DBClusterIdentifier: { Ref: Match.stringLikeRegexp('^DbCluster') },
        CustomEndpointType: 'READER',
        StaticMembers: [{ Ref: reporting }],
      });
      expect(endpoint.port).toBe(db.port);
      expect(() => db.addCustomEndpoint('Bad', { staticMembers: ['Nope'] })).toThrow(/Nope/);
    });

    test('counts the replicas reader autoscaling may add against the budget', () => {
      // GIVEN a provisioned primary whose readers may scale to 14, and 2 secondaries
      const g = globalDb({
        writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
        readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })],
        readerAutoScaling: { maxCapacity: 14, targetCpuUtilization: 60 },
      });
      g.secondary('S0', 'eu-west-1', { readers: [] });
      g.secondary('S1', 'eu-west-2', { readers: [] });
      // WHEN / THEN
      expect(() => g.app.synth()).toThrow(
        /primary: the primary has 14 readers and the global database 2 secondary clusters; together at most 15/,
      );
    });

    test('rejects a duplicate cluster identifier across the global database', () => {
      const g = globalDb({ clusterIdentifier: 'orders' });
      expect(() => g.secondary('Eu', EU, { clusterIdentifier: 'orders' })).toThrow(
        /clusterIdentifier: 'orders' is already the identifier of Primary\/Db; .*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.configuration\.requirements\.html\)/,
      );
    });

    test('rejects a secondary stack without a Region', () => {
      const g = globalDb();
      const stack = new Stack(g.app, 'Agnostic');
      expect(() => g.global.addSecondary(stack, 'Db', { vpc: testVpc(stack) })).toThrow(
        /Agnostic\/Db: stack: the secondary stack has no Region at synth time/,
      );
    });

    test("rejects a key from another Region than the secondary's", () => {
      const g = globalDb();
      const stack = regionStack(g.app, 'Eu', EU);
      const key = kms.Key.fromKeyArn(
        stack,
        'Key',
        `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      );
      expect(() => g.global.addSecondary(stack, 'Db', { vpc: testVpc(stack), encryptionKey: key })).toThrow(
        /encryptionKey: the key is in us-east-1 but the cluster is in eu-west-1; .*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database-attaching\.html\)/,
      );
    });

    test("rejects a VPC from another Region than the secondary's", () => {
      const g = globalDb();
      const stack = regionStack(g.app, 'Eu', EU);
      expect(() => g.global.addSecondary(stack, 'Db', { vpc: g.primary.vpc })).toThrow(
        /vpc: the VPC is in us-east-1 but the secondary is in eu-west-1/,
      );
    });

    test.each<[string, Record<string, unknown>, RegExp]>([
      [
        'a master user name',
        { masterUsername: 'clusteradmin' },
        /masterUsername: a secondary cluster cannot set masterUsername: the master user is inherited from the primary \(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-rds-dbcluster\.html#cfn-rds-dbcluster-masterusername\)/,
      ],
      [
        'credentials',
        { credentials: rds.Credentials.fromUsername('x') },
        /credentials: .*\(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-rds-dbcluster\.html#cfn-rds-dbcluster-masterusername\)/,
      ],
      [
        'a database name',
        { defaultDatabaseName: 'orders' },
        /defaultDatabaseName: .*\(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-rds-dbcluster\.html#cfn-rds-dbcluster-masterusername\)/,
      ],
      [
        'a Backtrack window',
        { backtrackWindow: Duration.hours(1) },
        /backtrackWindow: .*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\)/,
      ],
      [
        'reader autoscaling',
        { readerAutoScaling: { maxCapacity: 2 } },
        /readerAutoScaling: .*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\)/,
      ],
      ['a writer', { writer: rds.ClusterInstance.serverlessV2('Writer') }, /writer: a secondary cluster has no writer/],
      [
        'another engine',
        { engine: MYSQL_3_08 },
        /engine: a secondary cluster runs the primary's engine \(aurora-postgresql 16.4\), not aurora-mysql/,
      ],
      [
        'an RDS-managed master password',
        { manageMasterUserPassword: true },
        /manageMasterUserPassword: .*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\)/,
      ],
    ])('rejects %s on a secondary (spread from primary props)', (_name, extra, expected) => {
      const g = globalDb();
      expect(() => g.secondary('Eu', EU, extra as Partial<AuroraSecondaryClusterOptions>)).toThrow(expected);
    });

    test("accepts the primary's own engine spread into a secondary", () => {
      expect(() =>
        globalDb().secondary('Eu', EU, { engine: POSTGRES_16_4 } as Partial<AuroraSecondaryClusterOptions>),
      ).not.toThrow();
    });

    test.each<[string, Partial<AuroraSecondaryClusterOptions>, RegExp]>([
      [
        'more than 16 readers',
        { readers: Array.from({ length: 17 }, (_, i) => rds.ClusterInstance.serverlessV2(`R${i}`)) },
        /readers: a secondary cluster has at most 16 read-only instances, got 17 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database-attaching\.html\)/,
      ],
      [
        'a burstable reader',
        {
          readers: [
            rds.ClusterInstance.provisioned('Small', {
              instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
            }),
          ],
        },
        /readers \(Small\): db.t4g.medium is not supported by Aurora Global Database/,
      ],
      [
        'a publicly accessible reader',
        { readers: [rds.ClusterInstance.serverlessV2('Pub', { publiclyAccessible: true })] },
        /readers \(Pub\): publiclyAccessible: true is not allowed/,
      ],
      [
        'turning TLS off',
        { parameters: { 'rds.force_ssl': '0' } },
        /parameters.rds.force_ssl: '0' would allow unencrypted connections/,
      ],
      [
        'log retention below a year',
        { logRetention: logs.RetentionDays.ONE_MONTH },
        /logRetention: 30 days is below the 365 days/,
      ],
      [
        'a monitoring interval AWS does not offer',
        { monitoringInterval: Duration.seconds(7) },
        /monitoringInterval: must be 1, 5, 10, 15, 30 or 60 seconds, got 7 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_CreateDBCluster\.html\)/,
      ],
      [
        'Database Insights advanced without 15 months of retention',
        { databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED },
        /performanceInsightRetention: 7 days is too short for Database Insights' Advanced mode, which needs a Performance Insights retention of at least 465 days/,
      ],
      ['a port out of range', { port: 80 }, /port: must be an integer between 1150 and 65535, got 80/],
      [
        'max capacity above 256',
        { serverlessV2MaxCapacity: 300 },
        /serverlessV2MaxCapacity: must be between 1 and 256 ACUs, got 300/,
      ],
      [
        'backup retention of 40 days',
        { backupRetention: Duration.days(40) },
        /backupRetention: must be a whole number of days between 1 and 35, got 40/,
      ],
      [
        'an invalid cluster identifier',
        { clusterIdentifier: '9eu' },
        /clusterIdentifier: '9eu' must be 1 to 63 letters/,
      ],
    ])('rejects %s on a secondary', (_name, options, expected) => {
      expect(() => globalDb().secondary('Eu', EU, options)).toThrow(expected);
    });

    test('rejects public subnets for a secondary', () => {
      const g = globalDb();
      const stack = regionStack(g.app, 'Eu', EU);
      const vpc = testVpc(stack, VpcLayout.FULL);
      expect(() =>
        g.global.addSecondary(stack, 'Db', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }),
      ).toThrow(/Eu\/Db: vpcSubnets: public subnets are not allowed/);
    });

    test('rejects write forwarding on versions without it', () => {
      const pg = globalDb(
        provisioned(rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_14_8 })),
      );
      expect(() => pg.secondary('Eu', EU, { readers: [], enableWriteForwarding: true })).toThrow(
        /enableWriteForwarding: Aurora PostgreSQL 14.8 does not support global write forwarding; it needs 14.9\+, 15.4\+, 16.0\+ \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database-write-forwarding-ams\.html\)/,
      );
      const mysql = globalDb({
        ...provisioned(rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_08_0 })),
        globalDatabasePrimary: true,
      });
      expect(() => mysql.secondary('Eu', EU, { readers: [], enableWriteForwarding: true })).toThrow(
        /Aurora MySQL 2.08.0 does not support global write forwarding; it needs 2.08.1\+/,
      );
      const ok = globalDb(
        provisioned(rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_15_4 })),
      );
      expect(() => ok.secondary('Eu', EU, { enableWriteForwarding: true })).not.toThrow();
    });

    test('rejects a version below the higher Global Database floor of a secondary Region', () => {
      const g = globalDb({
        ...provisioned(rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_02_0 })),
      });
      expect(() => g.secondary('Kl', 'ap-southeast-5', { readers: [] })).toThrow(
        /Kl\/Db: globalDatabase: Aurora MySQL 3.02.0 cannot be part of an Aurora Global Database in ap-southeast-5, which needs 3.04.0\+ \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.Aurora_Fea_Regions_DB-eng\.Feature\.GlobalDatabase\.html\)/,
      );
    });

    test.each<[string, (cluster: rds.CfnDBCluster) => void, RegExp]>([
      [
        'a master user name',
        (c) => (c.masterUsername = 'admin'),
        /Eu\/Db: cfnCluster.MasterUsername: a secondary cluster cannot have MasterUsername.*\(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-rds-dbcluster\.html#cfn-rds-dbcluster-masterusername\)/,
      ],
      [
        'a database name',
        (c) => (c.databaseName = 'orders'),
        /cfnCluster.DatabaseName: .*\(https:\/\/docs\.aws\.amazon\.com\/AWSCloudFormation\/latest\/TemplateReference\/aws-resource-rds-dbcluster\.html#cfn-rds-dbcluster-masterusername\)/,
      ],
      [
        'an RDS-managed password',
        (c) => (c.manageMasterUserPassword = true),
        /cfnCluster.ManageMasterUserPassword: .*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\)/,
      ],
      [
        'a Backtrack window',
        (c) => (c.backtrackWindow = 3600),
        /cfnCluster.BacktrackWindow: Backtrack is on \(3600 seconds\).*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database\.html#aurora-global-database\.limitations\)/,
      ],
    ])('rejects %s set on a secondary through the escape hatch, at synth', (_name, override, expected) => {
      const g = globalDb();
      override(g.secondary('Eu', EU).db.cfnCluster);
      expect(() => g.app.synth()).toThrow(expected);
    });

    test('rejects Backtrack set on the primary through the escape hatch after joining, at synth', () => {
      const g = globalDb({ engine: MYSQL_3_08 });
      (g.primary.cluster.node.defaultChild as rds.CfnDBCluster).backtrackWindow = 86400;
      expect(() => g.app.synth()).toThrow(/Primary\/Global: primary: Backtrack is on \(86400 seconds\)/);
    });

    test('lists every broken rule of a secondary at once', () => {
      expect(() => globalDb().secondary('Eu', EU, { port: 80, backupRetention: Duration.days(40) })).toThrow(
        /port: .*\n.*backupRetention: /,
      );
    });
  });
});

describe('AuroraGlobalDatabase stability', () => {
  /** The primary stack, with or without a global database and secondaries. */
  function primaryTemplate(engine: rds.IClusterEngine, mode: 'standalone' | 'global' | 'secondaries') {
    const app = new App();
    const stack = regionStack(app, 'Primary', 'us-east-1');
    const primary = new AuroraCluster(stack, 'Db', { engine, vpc: testVpc(stack), globalDatabasePrimary: true });
    if (mode !== 'standalone') {
      const global = new AuroraGlobalDatabase(stack, 'Global', { primary });
      if (mode === 'secondaries') {
        for (const [id, region, readers] of [
          ['Eu', EU, []],
          ['Ap', AP, [rds.ClusterInstance.serverlessV2('Reader')]],
        ] as const) {
          const secondaryStack = regionStack(app, id, region);
          global.addSecondary(secondaryStack, 'Db', { vpc: testVpc(secondaryStack), readers: [...readers] });
        }
      }
    }
    return Template.fromStack(stack).toJSON();
  }

  test.each([
    ['Aurora PostgreSQL', POSTGRES_16_4],
    ['Aurora MySQL', MYSQL_3_08],
  ])('joining a global database and adding secondaries changes nothing of the %s primary', (_name, engine) => {
    // GIVEN
    const standalone = primaryTemplate(engine, 'standalone');
    // WHEN
    const global = primaryTemplate(engine, 'global');
    const withSecondaries = primaryTemplate(engine, 'secondaries');
    // THEN every resource of the standalone primary is unchanged: logical IDs, properties (the create-only
    // ones included), policies and dependencies; the only addition is the global cluster.
    const { Global7C59AC82: globalCluster, ...rest } = global.Resources;
    expect(globalCluster.Type).toBe('AWS::RDS::GlobalCluster');
    expect({ ...global, Resources: rest }).toEqual(standalone);
    expect(withSecondaries).toEqual(global);
  });

  test('logical IDs of the global cluster and the stateful secondary resources never change', () => {
    // GIVEN
    const g = globalDb();
    const { stack } = g.secondary('Eu', EU, { readers: [rds.ClusterInstance.serverlessV2('Reader')] });
    // WHEN
    const ids = (template: Template, type: string) => Object.keys(template.findResources(type)).sort();
    const primary = Template.fromStack(g.primaryStack);
    const secondary = Template.fromStack(stack);
    // THEN
    expect(ids(primary, 'AWS::RDS::GlobalCluster')).toEqual(['Global7C59AC82']);
    expect(ids(secondary, 'AWS::RDS::DBCluster')).toEqual(['DbClusterA0CF0968']);
    expect(ids(secondary, 'AWS::RDS::DBInstance')).toEqual(['DbClusterReader0DA6EF65']);
    expect(ids(secondary, 'AWS::KMS::Key')).toEqual(['DbEncryptionKey9438ECC4']);
    expect(ids(secondary, 'AWS::EC2::SecurityGroup')).toEqual(['DbSecurityGroupC34ABFAB']);
    expect(ids(secondary, 'AWS::RDS::DBClusterParameterGroup')).toEqual(['DbParameterGroupB60E38C6']);
    expect(ids(secondary, 'AWS::RDS::DBSubnetGroup')).toEqual(['DbClusterSubnets16951D21']);
    expect(ids(secondary, 'AWS::Logs::LogGroup')).toEqual(['DbLogGrouppostgresql7C612CE8']);
    expect(ids(secondary, 'AWS::IAM::Role')).toEqual(['DbMonitoringRole0A2030F1']);
  });

  test('snapshot: global cluster (primary stack resources added by the global database)', () => {
    const g = globalDb();
    const resources = Template.fromStack(g.primaryStack).findResources('AWS::RDS::GlobalCluster');
    expect(resources).toMatchSnapshot();
  });

  test('snapshot: headless secondary (Aurora MySQL)', () => {
    const { stack } = globalDb({ engine: MYSQL_3_08 }).secondary('Eu', EU, { readers: [] });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test('snapshot: secondary with Serverless v2 readers and write forwarding (Aurora PostgreSQL)', () => {
    const { stack } = globalDb().secondary('Ap', AP, {
      readers: [rds.ClusterInstance.serverlessV2('Reader1'), rds.ClusterInstance.serverlessV2('Reader2')],
      enableWriteForwarding: true,
    });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});
