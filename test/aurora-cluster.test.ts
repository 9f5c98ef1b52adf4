import { App, CfnOutput, CfnParameter, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AuroraCluster, AuroraClusterProps } from '../src';
import {
  derivedName,
  keepLogicalIds,
  MYSQL_3_04,
  MYSQL_3_08,
  POSTGRES_15_4,
  POSTGRES_16_4,
  R6G_LARGE,
  STACK_SUFFIX,
  testStack,
  testVpc,
  VpcLayout,
} from './util';

/** Builds one cluster in a fresh stack and returns its template. */
function synth(props: Partial<AuroraClusterProps> = {}, layout = VpcLayout.ISOLATED) {
  const stack = testStack();
  const vpc = testVpc(stack, layout);
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, ...props });
  return { stack, vpc, db, template: Template.fromStack(stack) };
}

describe('AuroraCluster', () => {
  describe('defaults', () => {
    // Shared: one PostgreSQL and one MySQL cluster with defaults.
    const pg = synth();
    const mysql = synth({ engine: MYSQL_3_08 });

    test('keeps the automated backups after deletion, and takes a final snapshot', () => {
      // THEN
      pg.template.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({ DeleteAutomatedBackups: false, CopyTagsToSnapshot: true }),
        DeletionPolicy: 'Snapshot',
        UpdateReplacePolicy: 'Snapshot',
      });
    });

    test('deletes the automated backups with the cluster when told to', () => {
      // GIVEN / WHEN
      const { template } = synth({ retainAutomatedBackups: false });

      // THEN
      template.hasResourceProperties('AWS::RDS::DBCluster', { DeleteAutomatedBackups: true });
    });

    test('encrypts storage with a new customer-managed key with rotation, retained on delete', () => {
      // THEN
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', {
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
      });
      pg.template.hasResource('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    test('the key policy denies grants that are not for AWS resources (CT.KMS.PR.3)', () => {
      pg.template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'kms:CreateGrant',
              Condition: {
                BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
              },
            }),
          ]),
        },
      });
    });

    test("the key policy lets CloudWatch Logs use the key for this cluster's log groups only", () => {
      pg.template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
              Condition: {
                ArnLike: {
                  'kms:EncryptionContext:aws:logs:arn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':logs:us-east-1:123456789012:log-group:/aws/rds/cluster/teststack-dbclustera0cf0968-',
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

    test('turns on IAM authentication, deletion protection, copy-tags-to-snapshot and a week of backups', () => {
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', {
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        BackupRetentionPeriod: 7,
      });
    });

    test('snapshots the cluster when it leaves the stack', () => {
      pg.template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('listens on a non-default port: 5433 for PostgreSQL, 3307 for MySQL', () => {
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', { Port: 5433 });
      mysql.template.hasResourceProperties('AWS::RDS::DBCluster', { Port: 3307 });
      expect(pg.db.port).toBe(5433);
    });

    test('has a Serverless v2 writer and one reader in tier 1 (Multi-AZ), 0.5 to 16 ACUs', () => {
      pg.template.resourceCountIs('AWS::RDS::DBInstance', 2);
      pg.template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless', PromotionTier: 0 });
      pg.template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless', PromotionTier: 1 });
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', {
        ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
      });
    });

    test('every instance is explicitly private, monitored every 60 s with a role, and auto-upgraded', () => {
      const instances = pg.template.findResources('AWS::RDS::DBInstance');
      for (const instance of Object.values(instances)) {
        expect(instance.Properties).toMatchObject({
          PubliclyAccessible: false,
          MonitoringInterval: 60,
          MonitoringRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^DbMonitoringRole/), 'Arn'] },
          AutoMinorVersionUpgrade: true,
        });
      }
    });

    test('the monitoring role uses a customer-managed policy scoped to RDSOSMetrics', () => {
      pg.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'monitoring.rds.amazonaws.com' } })],
        },
        ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^DbMonitoringRolePolicy') }],
      });
      pg.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':logs:us-east-1:123456789012:log-group:RDSOSMetrics:log-stream:*',
                  ],
                ],
              },
            }),
          ]),
        },
      });
    });

    test('Performance Insights is on, encrypted with the cluster key, 7 days', () => {
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', {
        PerformanceInsightsEnabled: true,
        PerformanceInsightsKmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
        PerformanceInsightsRetentionPeriod: 7,
      });
    });

    test('requires TLS and turns on pgAudit in a cluster parameter group (PostgreSQL)', () => {
      pg.template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-postgresql16',
        Parameters: Match.objectLike({
          'rds.force_ssl': '1',
          shared_preload_libraries: 'pg_stat_statements,pgaudit',
          'pgaudit.log': 'ddl,role',
        }),
      });
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterParameterGroupName: { Ref: Match.stringLikeRegexp('^DbParameterGroup') },
      });
    });

    test('requires TLS and turns on Advanced Auditing in a cluster parameter group (MySQL)', () => {
      mysql.template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Family: 'aurora-mysql8.0',
        Parameters: Match.objectLike({
          require_secure_transport: 'ON',
          server_audit_logging: '1',
          server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
        }),
      });
    });

    test('Aurora MySQL can be rewound 24 hours (Backtrack); Aurora PostgreSQL has no Backtrack', () => {
      mysql.template.hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: 86400 });
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: Match.absent() });
    });

    test('exports exactly the log types the compliance packs require', () => {
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', { EnableCloudwatchLogsExports: ['postgresql'] });
      mysql.template.hasResourceProperties('AWS::RDS::DBCluster', {
        EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'],
      });
    });

    test('creates each log group first: named for the cluster, encrypted, kept 365 days, retained', () => {
      mysql.template.resourceCountIs('AWS::Logs::LogGroup', 4);
      for (const type of ['audit', 'error', 'general', 'slowquery']) {
        mysql.template.hasResource('AWS::Logs::LogGroup', {
          Properties: {
            LogGroupName: derivedName('/aws/rds/cluster/teststack-dbclustera0cf0968', `/${type}`),
            KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
            RetentionInDays: 365,
          },
          DeletionPolicy: 'Retain',
        });
      }
      const cluster = Object.values(mysql.template.findResources('AWS::RDS::DBCluster'))[0];
      expect(cluster.DependsOn).toHaveLength(4);
      mysql.template.resourceCountIs('Custom::LogRetention', 0);
    });

    test("the cluster identifier is the stack name, the construct id and the stack's UUID, within AWS naming rules", () => {
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: derivedName('teststack-dbclustera0cf0968'),
      });
    });

    test('keeps a generated master password in a secret encrypted with the key; user is not admin/postgres', () => {
      pg.template.hasResourceProperties('AWS::SecretsManager::Secret', {
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"clusteradmin"}' }),
      });
      pg.template.hasResourceProperties('AWS::RDS::DBCluster', { MasterUsername: 'clusteradmin' });
      pg.template.resourcePropertiesCountIs('AWS::RDS::DBCluster', { ManageMasterUserPassword: true }, 0);
    });

    test("rotates the secret every 30 days with AWS's single-user function in the cluster subnets", () => {
      pg.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        SecretId: { Ref: Match.stringLikeRegexp('^DbClusterSecretAttachment') },
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
        RotationLambdaARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecretRotation'), 'Outputs.RotationLambdaARN'] },
      });
      pg.template.hasResourceProperties('AWS::Serverless::Application', {
        Parameters: Match.objectLike({
          kmsKeyArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
          vpcSecurityGroupIds: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbRotationSecurityGroup'), 'GroupId'] },
          vpcSubnetIds: {
            'Fn::Join': [
              '',
              [{ Ref: Match.stringLikeRegexp('^VpcisolatedSubnet1') }, ',', Match.anyValue(), ',', Match.anyValue()],
            ],
          },
        }),
      });
      const application = (t: Template) =>
        Object.values(t.toJSON().Mappings as Record<string, any>)[0].aws.applicationId as string;
      expect(application(pg.template)).toMatch(/SecretsManagerRDSPostgreSQLRotationSingleUser$/);
      expect(application(mysql.template)).toMatch(/SecretsManagerRDSMySQLRotationSingleUser$/);
    });

    test('isolated subnets get a Secrets Manager endpoint, private DNS off, that only the rotation function can reach', () => {
      pg.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: false,
      });
      // The function is told the endpoint's own DNS name: the Regional one of its DnsEntries,
      // vpce-<id>-<suffix>.secretsmanager.us-east-1.vpce.amazonaws.com.
      const applications = Object.values(pg.template.findResources('AWS::Serverless::Application'));
      expect(applications).toHaveLength(1);
      const endpointId = Object.keys(pg.template.findResources('AWS::EC2::VPCEndpoint')).find((id) =>
        id.startsWith('DbSecretsManagerEndpoint'),
      );
      expect(applications[0].Properties.Parameters.endpoint).toEqual({
        'Fn::Join': [
          '',
          [
            'https://',
            {
              'Fn::Select': [
                1,
                { 'Fn::Split': [':', { 'Fn::Select': [0, { 'Fn::GetAtt': [endpointId, 'DnsEntries'] }] }] },
              ],
            },
          ],
        ],
      });
      pg.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecretsManagerEndpointSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbRotationSecurityGroup'), 'GroupId'] },
      });
    });

    test('the database security group admits only the rotation function, on the literal port', () => {
      const ingress = pg.template.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] } },
      });
      expect(Object.values(ingress).map((r) => r.Properties)).toEqual([
        expect.objectContaining({
          FromPort: 5433,
          ToPort: 5433,
          SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^DbRotationSecurityGroup/), 'GroupId'] },
        }),
      ]);
      pg.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('no ingress until a peer is allowed'),
        SecurityGroupIngress: Match.absent(),
      });
    });

    test('places the cluster in the isolated subnets when the VPC has them', () => {
      const full = synth({}, VpcLayout.FULL);
      const isolated = full.vpc.isolatedSubnets.map((s) => ({
        Ref: full.stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet),
      }));
      full.template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: isolated });
    });

    test('falls back to private subnets with egress, with no Secrets Manager endpoint', () => {
      const priv = synth({}, VpcLayout.PRIVATE_WITH_EGRESS);
      const subnets = priv.vpc.privateSubnets.map((s) => ({
        Ref: priv.stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet),
      }));
      priv.template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: subnets });
      priv.template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      priv.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Master secret rotation'),
        SecurityGroupEgress: Match.arrayWith([Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })]),
      });
    });
  });

  describe('props', () => {
    test('engine version and family come from the engine', () => {
      const { template } = synth({ engine: POSTGRES_15_4 });
      template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql', EngineVersion: '15.4' });
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql15' });
    });

    test('provisioned writer with mixed Serverless v2 and provisioned readers', () => {
      // GIVEN / WHEN
      const { template } = synth({
        writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
        readers: [
          rds.ClusterInstance.serverlessV2('Reader1', { scaleWithWriter: true }),
          rds.ClusterInstance.provisioned('Reader2', { instanceType: R6G_LARGE, promotionTier: 5 }),
        ],
        serverlessV2MinCapacity: 2,
        serverlessV2MaxCapacity: 64,
      });
      // THEN
      template.resourceCountIs('AWS::RDS::DBInstance', 3);
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PromotionTier: 0 });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PromotionTier: 5 });
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        ServerlessV2ScalingConfiguration: { MinCapacity: 2, MaxCapacity: 64 },
      });
    });

    test('all-provisioned cluster has no Serverless v2 scaling configuration', () => {
      const { template } = synth({
        writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
        readers: [],
      });
      template.resourceCountIs('AWS::RDS::DBInstance', 1);
      template.hasResourceProperties('AWS::RDS::DBCluster', { ServerlessV2ScalingConfiguration: Match.absent() });
    });

    test('0 ACU with auto-pause on a version that supports it', () => {
      const { template } = synth({ serverlessV2MinCapacity: 0, serverlessV2AutoPauseDuration: Duration.minutes(10) });
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 16, SecondsUntilAutoPause: 600 },
      });
    });

    test('a key the user passes encrypts everything and no key is created', () => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);
      const key = new kms.Key(stack, 'UserKey', { enableKeyRotation: true });
      // WHEN
      new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, encryptionKey: key });
      // THEN
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::KMS::Key', 1);
      const keyArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserKey'), 'Arn'] };
      template.hasResourceProperties('AWS::RDS::DBCluster', { KmsKeyId: keyArn, PerformanceInsightsKmsKeyId: keyArn });
      template.hasResourceProperties('AWS::SecretsManager::Secret', { KmsKeyId: keyArn });
      template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn });
    });

    test('an imported key gets a warning about its key policy', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const key = kms.Key.fromKeyArn(
        stack,
        'Imported',
        'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      );
      new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, encryptionKey: key });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp('not a key of this stack, so the library leaves its key policy alone'),
      );
    });

    test('user parameters are merged; audit parameters can be overridden', () => {
      const { template } = synth({ parameters: { work_mem: '65536', 'pgaudit.log': 'all' } });
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({ work_mem: '65536', 'pgaudit.log': 'all', 'rds.force_ssl': '1' }),
      });
    });

    test('scalar props reach the template', () => {
      const { template } = synth({
        engine: MYSQL_3_08,
        port: 3310,
        masterUsername: 'dba',
        defaultDatabaseName: 'orders',
        clusterIdentifier: 'Orders-Prod',
        backupRetention: Duration.days(14),
        preferredBackupWindow: '03:00-04:00',
        preferredMaintenanceWindow: 'sun:05:00-sun:06:00',
        backtrackWindow: Duration.hours(24),
        deletionProtection: false,
        removalPolicy: RemovalPolicy.DESTROY,
        logRetention: logs.RetentionDays.TWO_YEARS,
        monitoringInterval: Duration.seconds(15),
        performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_1,
        secretRotationInterval: Duration.days(7),
        storageType: rds.DBClusterStorageType.AURORA_IOPT1,
      });
      template.hasResource('AWS::RDS::DBCluster', {
        Properties: Match.objectLike({
          Port: 3310,
          MasterUsername: 'dba',
          DatabaseName: 'orders',
          DBClusterIdentifier: 'orders-prod',
          BackupRetentionPeriod: 14,
          PreferredBackupWindow: '03:00-04:00',
          PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
          BacktrackWindow: 86400,
          DeletionProtection: false,
          PerformanceInsightsRetentionPeriod: 31,
          StorageType: 'aurora-iopt1',
        }),
        DeletionPolicy: 'Delete',
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/rds/cluster/orders-prod/audit',
        RetentionInDays: 731,
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', { MonitoringInterval: 15 });
      template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationRules: { ScheduleExpression: 'rate(7 days)' },
      });
    });

    test('backtrackWindow: Duration.seconds(0) turns Backtrack off', () => {
      const { template } = synth({ engine: MYSQL_3_08, backtrackWindow: Duration.seconds(0) });
      template.hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: 0 });
    });

    test('Backtrack stays off, with a warning, in a Region without it', () => {
      const stack = testStack(new App(), 'Milan', { account: '123456789012', region: 'eu-south-1' });
      new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc: testVpc(stack) });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { BacktrackWindow: Match.absent() });
      Annotations.fromStack(stack).hasWarning(
        '/Milan/Db',
        Match.stringLikeRegexp('Backtrack is not offered in eu-south-1'),
      );
    });

    test('secretsManagerEndpoint: false skips the endpoint in isolated subnets', () => {
      const { template } = synth({ secretsManagerEndpoint: false });
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    });

    test('databaseInsightsMode is passed through', () => {
      const { template } = synth({
        databaseInsightsMode: rds.DatabaseInsightsMode.ADVANCED,
        performanceInsightRetention: rds.PerformanceInsightRetention.MONTHS_15,
      });
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        DatabaseInsightsMode: 'advanced',
        PerformanceInsightsRetentionPeriod: 465,
      });
    });
  });

  describe('connections and grants', () => {
    test('connections.allowDefaultPortFrom opens the literal port to the peer only', () => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc });
      const app = new ec2.SecurityGroup(stack, 'App', { vpc });
      // WHEN
      db.connections.allowDefaultPortFrom(app);
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5433,
        ToPort: 5433,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'GroupId'] },
      });
    });

    test('grantConnect names the cluster resource id and the database user', () => {
      // GIVEN
      const stack = testStack();
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
      const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      // WHEN
      db.grantConnect(role, 'app_user');
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'rds-db:connect',
              Resource: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':rds-db:us-east-1:123456789012:dbuser:',
                    { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbCluster'), 'DBClusterResourceId'] },
                    '/app_user',
                  ],
                ],
              },
            },
          ],
        },
      });
    });

    test('metric helpers use the cluster identifier dimension', () => {
      const { stack, db } = synth();
      const metric = db.metricCPUUtilization();
      expect(metric.namespace).toBe('AWS/RDS');
      expect(metric.metricName).toBe('CPUUtilization');
      expect(stack.resolve(metric.dimensions)).toEqual({
        DBClusterIdentifier: { Ref: expect.stringMatching(/^DbCluster/) },
      });
      expect(db.metricAuroraReplicaLag().statistic).toBe('Maximum');
      expect(db.metricServerlessDatabaseCapacity().metricName).toBe('ServerlessDatabaseCapacity');
      expect(db.metricFreeableMemory().metricName).toBe('FreeableMemory');
      expect(db.metricDatabaseConnections().metricName).toBe('DatabaseConnections');
      expect(db.metricDeadlocks().metricName).toBe('Deadlocks');
      expect(db.metricACUUtilization().metricName).toBe('ACUUtilization');
      expect(db.metric('WriteIOPS').metricName).toBe('WriteIOPS');
    });
  });

  describe('validation', () => {
    const vpcStack = testStack(new App(), 'ValidationVpc');
    const isolatedVpc = testVpc(vpcStack);

    function build(props: Partial<AuroraClusterProps>, stack: Stack = testStack(new App(), 'V')) {
      const vpc = props.vpc ?? testVpc(stack);
      return new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, ...props, vpc });
    }

    test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
      [
        'a non-Aurora engine',
        { engine: rds.DatabaseClusterEngine.AURORA },
        /V\/Db: engine: engine 'aurora' is not Aurora MySQL or Aurora PostgreSQL/,
      ],
      [
        'an engine without a version',
        { engine: rds.DatabaseClusterEngine.AURORA_POSTGRESQL },
        /engine: the engine has no full version/,
      ],
      [
        'more than 15 readers',
        { readers: Array.from({ length: 16 }, (_, i) => rds.ClusterInstance.serverlessV2(`R${i}`)) },
        /readers: a cluster has at most 15 Aurora Replicas, got 16/,
      ],
      [
        'max capacity above 256',
        { serverlessV2MaxCapacity: 300 },
        /serverlessV2MaxCapacity: must be between 1 and 256 ACUs, got 300/,
      ],
      [
        'max capacity of 0.5',
        { serverlessV2MaxCapacity: 0.5 },
        /serverlessV2MaxCapacity: must be between 1 and 256 ACUs, got 0.5/,
      ],
      [
        'negative min capacity',
        { serverlessV2MinCapacity: -1 },
        /serverlessV2MinCapacity: must be between 0 and 256 ACUs, got -1/,
      ],
      [
        'min above max',
        { serverlessV2MinCapacity: 8, serverlessV2MaxCapacity: 4 },
        /serverlessV2MinCapacity: 8 ACUs is greater than serverlessV2MaxCapacity 4/,
      ],
      [
        'capacity off the half-step grid',
        { serverlessV2MaxCapacity: 4.3 },
        /serverlessV2MaxCapacity: must be a multiple of 0.5 ACU/,
      ],
      [
        '0 ACU on MySQL 3.04',
        { engine: MYSQL_3_04, serverlessV2MinCapacity: 0 },
        /engine: Aurora MySQL 3.04.0 does not support a Serverless v2 minimum of 0 ACUs \(auto-pause\); it needs 3.08.0\+/,
      ],
      [
        '0 ACU on PostgreSQL 15.4',
        { engine: POSTGRES_15_4, serverlessV2MinCapacity: 0 },
        /Aurora PostgreSQL 15.4 does not support a Serverless v2 minimum of 0 ACUs \(auto-pause\); it needs 13.15\+, 14.12\+, 15.7\+, 16.3\+/,
      ],
      [
        'more than 128 ACU on MySQL 3.04',
        { engine: MYSQL_3_04, serverlessV2MaxCapacity: 200 },
        /does not support a Serverless v2 maximum above 128 ACUs/,
      ],
      [
        'auto-pause duration without 0 ACU',
        { serverlessV2AutoPauseDuration: Duration.minutes(10) },
        /serverlessV2AutoPauseDuration: has no effect unless serverlessV2MinCapacity is 0/,
      ],
      [
        'auto-pause duration out of range',
        { serverlessV2MinCapacity: 0, serverlessV2AutoPauseDuration: Duration.minutes(2) },
        /serverlessV2AutoPauseDuration: must be between 300 and 86400 seconds, got 120/,
      ],
      [
        'backtrack on PostgreSQL',
        { backtrackWindow: Duration.hours(1) },
        /backtrackWindow: Backtrack is available only for Aurora MySQL, not Aurora PostgreSQL/,
      ],
      [
        'backtrack beyond 72 h',
        { engine: MYSQL_3_08, backtrackWindow: Duration.hours(73) },
        /backtrackWindow: must be at most 72 hours, got 262800 seconds/,
      ],
      [
        'backup retention of 0 days',
        { backupRetention: Duration.days(0) },
        /backupRetention: must be a whole number of days between 1 and 35, got 0/,
      ],
      [
        'backup retention of 36 days',
        { backupRetention: Duration.days(36) },
        /backupRetention: must be a whole number of days between 1 and 35, got 36/,
      ],
      [
        'master user admin',
        { engine: MYSQL_3_08, masterUsername: 'admin' },
        /masterUsername: 'admin' is a well-known default master user name, which Control Tower CT.RDS.PR.21 rejects/,
      ],
      [
        'master user postgres',
        { masterUsername: 'postgres' },
        /masterUsername: 'postgres' is a well-known default master user name/,
      ],
      [
        'master user with a hyphen',
        { masterUsername: 'db-admin' },
        /masterUsername: 'db-admin' must be 1 to 16 letters/,
      ],
      [
        'MySQL master user over 16 characters',
        { engine: MYSQL_3_08, masterUsername: 'a'.repeat(17) },
        /must be 1 to 16 letters/,
      ],
      [
        'an invalid cluster identifier',
        { clusterIdentifier: '1orders--x' },
        /clusterIdentifier: '1orders--x' must be 1 to 63 letters/,
      ],
      ['a port out of range', { port: 80 }, /port: must be an integer between 1150 and 65535, got 80/],
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
      ['log retention never expiring', { logRetention: logs.RetentionDays.INFINITE }, /logRetention: .*never expires/],
      [
        'a publicly accessible instance',
        { writer: rds.ClusterInstance.serverlessV2('Writer', { publiclyAccessible: true }) },
        /writer\/readers \(Writer\): publiclyAccessible: true is not allowed/,
      ],
      [
        'db.t3.small on MySQL (no IAM auth)',
        {
          engine: MYSQL_3_08,
          writer: rds.ClusterInstance.provisioned('Writer', {
            instanceType: ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.SMALL),
          }),
        },
        /db.t3.small does not support IAM database authentication on Aurora MySQL/,
      ],
    ])('rejects %s', (_name, props, expected) => {
      expect(() => build(props)).toThrow(expected);
    });

    test('rejects backtrack in a Region without it', () => {
      const stack = testStack(new App(), 'V', { account: '123456789012', region: 'eu-south-1' });
      expect(() => build({ engine: MYSQL_3_08, backtrackWindow: Duration.hours(1) }, stack)).toThrow(
        /backtrackWindow: Backtrack is not available in eu-south-1/,
      );
    });

    test('rejects a user key in another Region', () => {
      const stack = testStack(new App(), 'V');
      const key = kms.Key.fromKeyArn(
        stack,
        'K',
        'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      );
      expect(() => build({ encryptionKey: key }, stack)).toThrow(
        /encryptionKey: the key is in eu-west-1 but the cluster is in us-east-1/,
      );
    });

    test('rejects public subnets', () => {
      const stack = testStack(new App(), 'V');
      const vpc = testVpc(stack, VpcLayout.FULL);
      expect(() => build({ vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, stack)).toThrow(
        /V\/Db: vpcSubnets: public subnets are not allowed/,
      );
      const other = testStack(new App(), 'V');
      const otherVpc = testVpc(other, VpcLayout.FULL);
      expect(() => build({ vpc: otherVpc, vpcSubnets: { subnets: otherVpc.publicSubnets } }, other)).toThrow(
        /vpcSubnets: selects public subnet\(s\)/,
      );
    });

    test('rejects a VPC without private subnets', () => {
      const stack = testStack(new App(), 'V');
      const vpc = testVpc(stack, VpcLayout.PUBLIC_ONLY);
      expect(() => build({ vpc }, stack)).toThrow(/vpc: the VPC has no private subnets/);
    });

    test('rejects subnets in a single Availability Zone', () => {
      const stack = testStack(new App(), 'V');
      const vpc = testVpc(stack);
      expect(() => build({ vpc, vpcSubnets: { subnets: [vpc.isolatedSubnets[0]] } }, stack)).toThrow(
        /vpcSubnets: the selected subnets span 1 Availability Zone\(s\)/,
      );
    });

    test('lists every broken rule at once', () => {
      expect(() =>
        build({ engine: MYSQL_3_08, port: 80, backupRetention: Duration.days(40) }, testStack(new App(), 'V')),
      ).toThrow(/port: .*\n.*backupRetention: /);
    });

    test('accepts the boundaries', () => {
      expect(() =>
        build(
          {
            engine: MYSQL_3_08,
            vpc: isolatedVpc,
            serverlessV2MinCapacity: 0,
            serverlessV2MaxCapacity: 256,
            backtrackWindow: Duration.hours(72),
            backupRetention: Duration.days(35),
            serverlessV2AutoPauseDuration: Duration.hours(24),
          },
          vpcStack,
        ),
      ).not.toThrow();
    });
  });
});

describe('AuroraCluster stability', () => {
  test('logical IDs of stateful resources never change (changing one replaces the database)', () => {
    // GIVEN
    const { template } = synth({}, VpcLayout.ISOLATED);
    // WHEN
    const ids = (type: string) => Object.keys(template.findResources(type)).sort();
    // THEN
    expect(ids('AWS::RDS::DBCluster')).toEqual(['DbClusterA0CF0968']);
    expect(ids('AWS::RDS::DBInstance')).toEqual(['DbClusterReader0DA6EF65', 'DbClusterWriter04F49224']);
    expect(ids('AWS::KMS::Key')).toEqual(['DbEncryptionKey9438ECC4']);
    expect(ids('AWS::SecretsManager::Secret')).toEqual([
      'TestStackDbClusterSecret725096003fdaad7efa858a3daf9490cf0a702aeb',
    ]);
    expect(ids('AWS::SecretsManager::SecretTargetAttachment')).toEqual(['DbClusterSecretAttachmentE8C77AF7']);
    expect(ids('AWS::EC2::SecurityGroup')).toEqual([
      'DbRotationSecurityGroup5AFD8C2F',
      'DbSecretsManagerEndpointSecurityGroup4D7B4F2D',
      'DbSecurityGroupC34ABFAB',
    ]);
    expect(ids('AWS::RDS::DBClusterParameterGroup')).toEqual(['DbParameterGroupB60E38C6']);
    expect(ids('AWS::RDS::DBSubnetGroup')).toEqual(['DbClusterSubnets16951D21']);
    expect(ids('AWS::Logs::LogGroup')).toEqual(['DbLogGrouppostgresql7C612CE8']);
    // A new logical id for the rotation schedule makes CloudFormation create the new schedule, then delete the old
    // one, which turns rotation off on the secret (aws-cloudformation/cloudformation-coverage-roadmap#1813).
    expect(ids('AWS::SecretsManager::RotationSchedule')).toEqual(['DbClusterSecretAttachmentRotationSchedule76B98D9D']);
  });

  test('snapshot: defaults (Aurora PostgreSQL, Serverless v2)', () => {
    expect(synth().template.toJSON()).toMatchSnapshot();
  });

  test('snapshot: all features (Aurora MySQL, provisioned writer, mixed readers, user key, private subnets)', () => {
    const stack = testStack();
    const vpc = testVpc(stack, VpcLayout.FULL);
    const key = new kms.Key(stack, 'UserKey', { enableKeyRotation: true });
    new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readers: [
        rds.ClusterInstance.serverlessV2('Reader1', { scaleWithWriter: true }),
        rds.ClusterInstance.provisioned('Reader2', { instanceType: R6G_LARGE, promotionTier: 2 }),
      ],
      serverlessV2MinCapacity: 1,
      serverlessV2MaxCapacity: 32,
      encryptionKey: key,
      backtrackWindow: Duration.hours(12),
      backupRetention: Duration.days(14),
      parameters: { long_query_time: '2' },
      defaultDatabaseName: 'orders',
    });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});

describe('AuroraCluster identity', () => {
  function clusterOf(stack: Stack) {
    return Object.values(Template.fromStack(stack).findResources('AWS::RDS::DBCluster'))[0];
  }

  test("the identifier is the stack name, the cluster's logical id and the stack's UUID", () => {
    const stack = testStack();
    new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    expect(clusterOf(stack).Properties.DBClusterIdentifier).toEqual(derivedName('teststack-dbclustera0cf0968'));
  });

  test.each([
    ['moved under another parent', (s: Stack) => new Construct(s, 'Team'), 'Db'],
    ['renamed', (s: Stack) => s, 'Orders'],
  ])('%s with its logical ids kept: the template does not change at all', (_, parent, id) => {
    // GIVEN
    const before = testStack();
    const original = new AuroraCluster(before, 'Db', { engine: MYSQL_3_08, vpc: testVpc(before) });
    // WHEN
    const after = testStack();
    const moved = new AuroraCluster(parent(after), id, { engine: MYSQL_3_08, vpc: testVpc(after) });
    keepLogicalIds(original, moved);
    // THEN
    expect(Template.fromStack(after).toJSON()).toEqual(Template.fromStack(before).toJSON());
  });

  test("every name of a resource kept on delete contains the stack's UUID, so a redeployed stack does not collide", () => {
    // GIVEN
    const stack = testStack();
    new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc: testVpc(stack), removalPolicy: RemovalPolicy.RETAIN });
    const template = Template.fromStack(stack);
    // THEN
    const names = [
      ...Object.values(template.findResources('AWS::Logs::LogGroup')).map((r) => r.Properties.LogGroupName),
      clusterOf(stack).Properties.DBClusterIdentifier,
    ];
    expect(names).toHaveLength(5);
    for (const name of names) {
      expect(JSON.stringify(name)).toContain(JSON.stringify(STACK_SUFFIX));
    }
    // Secrets, keys and parameter groups get their names from CloudFormation.
    template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: Match.absent() });
    template.hasResourceProperties('AWS::KMS::Key', { Description: 'Aurora cluster TestStack/DbClusterA0CF0968' });
  });

  test("used in another stack, the identifier imports its own stack's id rather than reading the other's", () => {
    // GIVEN
    const app = new App();
    const stack = testStack(app, 'Orders');
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const consumer = testStack(app, 'Consumer');
    // WHEN
    new CfnOutput(consumer, 'Identifier', { value: db.clusterIdentifier });
    // THEN
    const output = JSON.stringify(Template.fromStack(consumer).toJSON().Outputs.Identifier.Value);
    expect(output).toContain('Fn::ImportValue');
    expect(output).not.toContain('"Ref":"AWS::StackId"');
  });

  test('two stacks of one app get different names', () => {
    const app = new App();
    const dev = testStack(app, 'Dev');
    const prod = testStack(app, 'Prod');
    new AuroraCluster(dev, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(dev) });
    new AuroraCluster(prod, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(prod) });
    expect(clusterOf(dev).Properties.DBClusterIdentifier).toEqual(derivedName('dev-dbclustera0cf0968'));
    expect(clusterOf(prod).Properties.DBClusterIdentifier).toEqual(derivedName('prod-dbclustera0cf0968'));
  });

  test('a long stack name is shortened to fit 63 characters with the suffix, ending in a hash', () => {
    const stack = testStack(new App(), 'A'.repeat(80));
    new AuroraCluster(stack, 'OrdersDatabase', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const readable: string = clusterOf(stack).Properties.DBClusterIdentifier['Fn::Join'][1][0];
    expect(readable).toMatch(/^a+-[0-9a-f]{8}-$/);
    expect(readable.length + 8).toBeLessThanOrEqual(63);
  });

  test('a given identifier is used as given (lowercase); a token is passed through untouched', () => {
    const stack = testStack();
    const vpc = testVpc(stack);
    new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, clusterIdentifier: 'Orders-Main' });
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: 'orders-main' });
    const other = testStack();
    const param = new CfnParameter(other, 'Name');
    new AuroraCluster(other, 'Db', {
      engine: POSTGRES_16_4,
      vpc: testVpc(other),
      clusterIdentifier: param.valueAsString,
    });
    Template.fromStack(other).hasResourceProperties('AWS::RDS::DBCluster', { DBClusterIdentifier: { Ref: 'Name' } });
  });

  test('descriptions name the logical id, not the construct path', () => {
    const stack = testStack();
    new AuroraCluster(new Construct(stack, 'Team'), 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).not.toContain('TestStack/Team/');
    expect(json).toContain('Aurora cluster TestStack/TeamDbCluster');
  });
});

describe('AuroraCluster removal policy', () => {
  function policies(removalPolicy?: RemovalPolicy) {
    const stack = testStack();
    new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: testVpc(stack),
      removalPolicy,
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readerAutoScaling: { maxCapacity: 2, targetCpuUtilization: 70 },
    });
    const template = Template.fromStack(stack);
    const of = (type: string) => [
      ...new Set(
        Object.values(template.findResources(type)).map((r) => `${r.DeletionPolicy}/${r.UpdateReplacePolicy}`),
      ),
    ];
    return {
      cluster: of('AWS::RDS::DBCluster'),
      instances: of('AWS::RDS::DBInstance'),
      key: of('AWS::KMS::Key'),
      logGroups: of('AWS::Logs::LogGroup'),
      secret: of('AWS::SecretsManager::Secret'),
    };
  }

  test('default: snapshot of the cluster; key, secret and every log group retained; instances deleted', () => {
    expect(policies()).toEqual({
      cluster: ['Snapshot/Snapshot'],
      instances: ['Delete/Delete'],
      key: ['Retain/Retain'],
      logGroups: ['Retain/Retain'],
      secret: ['Retain/Retain'],
    });
  });

  test('DESTROY destroys everything: the key is scheduled for deletion, log groups and secret are deleted', () => {
    expect(policies(RemovalPolicy.DESTROY)).toEqual({
      cluster: ['Delete/Delete'],
      instances: ['Delete/Delete'],
      key: ['Delete/Delete'],
      logGroups: ['Delete/Delete'],
      secret: ['Delete/Delete'],
    });
  });

  test('RETAIN keeps everything, instances included', () => {
    expect(policies(RemovalPolicy.RETAIN)).toEqual({
      cluster: ['Retain/Retain'],
      instances: ['Retain/Retain'],
      key: ['Retain/Retain'],
      logGroups: ['Retain/Retain'],
      secret: ['Retain/Retain'],
    });
  });
});
