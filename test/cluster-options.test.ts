import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps } from '../src';
import { MYSQL_3_08, POSTGRES_15_4, POSTGRES_16_4, R6G_LARGE, testStack, testVpc, VpcLayout } from './util';

function cluster(props: Partial<AuroraClusterProps> = {}, stack: Stack = testStack()) {
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: props.vpc ?? testVpc(stack), ...props });
  return { stack, db, template: () => Template.fromStack(stack) };
}

function only(template: Template, type: string): { [key: string]: any } {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe('AuroraCluster options', () => {
  describe('securityGroups', () => {
    test('replace the library group; peers are let in on the literal port', () => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);
      const shared = new ec2.SecurityGroup(stack, 'Shared', { vpc, allowAllOutbound: false });
      const app = new ec2.SecurityGroup(stack, 'App', { vpc, allowAllOutbound: false });
      // WHEN
      const { db, template } = cluster({ vpc, securityGroups: [shared] }, stack);
      db.connections.allowDefaultPortFrom(app);
      // THEN
      const t = template();
      expect(db.securityGroup).toBe(shared);
      expect(only(t, 'AWS::RDS::DBCluster').Properties.VpcSecurityGroupIds).toEqual([
        { 'Fn::GetAtt': [stack.getLogicalId(shared.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] },
      ]);
      expect(
        Object.keys(t.findResources('AWS::EC2::SecurityGroup')).some((id) => id.startsWith('DbSecurityGroup')),
      ).toBe(false);
      t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Shared'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'GroupId'] },
        FromPort: 5433,
        ToPort: 5433,
      });
    });

    test('an empty list is rejected', () => {
      expect(() => cluster({ securityGroups: [] })).toThrow(/TestStack\/Db: securityGroups: is empty/);
    });
  });

  test('performanceInsightEncryptionKey encrypts Performance Insights; the cluster key still encrypts the rest', () => {
    // GIVEN
    const stack = testStack();
    const piKey = new kms.Key(stack, 'PiKey', { enableKeyRotation: true });
    // WHEN
    const { template } = cluster({ performanceInsightEncryptionKey: piKey }, stack);
    // THEN
    template().hasResourceProperties('AWS::RDS::DBCluster', {
      PerformanceInsightsKmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(piKey.node.defaultChild as kms.CfnKey), 'Arn'] },
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbEncryptionKey'), 'Arn'] },
    });
  });

  describe('rotation', () => {
    test('subnets, security group, excluded characters and rotate-immediately reach the rotation', () => {
      // GIVEN
      const stack = testStack();
      const vpc = testVpc(stack);
      const rotationSg = new ec2.SecurityGroup(stack, 'RotationSg', { vpc, allowAllOutbound: true });
      // WHEN
      const { template } = cluster(
        {
          vpc,
          secretRotationSubnets: { subnets: [vpc.isolatedSubnets[0], vpc.isolatedSubnets[1]] },
          secretRotationSecurityGroup: rotationSg,
          secretExcludeCharacters: '"@/\\ ',
          secretRotateImmediately: false,
        },
        stack,
      );
      // THEN
      const t = template();
      t.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ ExcludeCharacters: '"@/\\ ' }),
      });
      t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotateImmediatelyOnUpdate: false });
      const app = only(t, 'AWS::Serverless::Application').Properties;
      expect(app.Parameters.excludeCharacters).toBe('"@/\\ ');
      expect(JSON.stringify(app.Parameters.vpcSecurityGroupIds)).toMatch(/RotationSg/);
      expect(JSON.stringify(stack.resolve(app.Parameters.vpcSubnetIds))).toContain(
        stack.resolve((vpc.isolatedSubnets[0].node.defaultChild as ec2.CfnSubnet).ref).Ref,
      );
      expect(JSON.stringify(stack.resolve(app.Parameters.vpcSubnetIds))).not.toContain(
        stack.resolve((vpc.isolatedSubnets[2].node.defaultChild as ec2.CfnSubnet).ref).Ref,
      );
      expect(
        Object.keys(t.findResources('AWS::EC2::SecurityGroup')).some((id) => id.startsWith('DbRotationSecurityGroup')),
      ).toBe(false);
      t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RotationSg'), 'GroupId'] },
        FromPort: 5433,
      });
    });

    test('rotation subnets must be private', () => {
      const stack = testStack();
      const vpc = testVpc(stack, VpcLayout.FULL);
      expect(() => cluster({ vpc, secretRotationSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, stack)).toThrow(
        /TestStack\/Db: secretRotationSubnets: public subnets are not allowed/,
      );
    });
  });

  test('networkType DUAL is passed to the cluster', () => {
    const { template } = cluster({ networkType: rds.NetworkType.DUAL });
    expect(only(template(), 'AWS::RDS::DBCluster').Properties.NetworkType).toBe('DUAL');
  });

  describe('Kerberos', () => {
    test('domain and domainRole join the directory', () => {
      // GIVEN
      const stack = testStack();
      const role = new iam.Role(stack, 'DirectoryRole', {
        assumedBy: new iam.CompositePrincipal(
          new iam.ServicePrincipal('rds.amazonaws.com'),
          new iam.ServicePrincipal('directoryservice.rds.amazonaws.com'),
        ),
      });
      // WHEN
      const { template } = cluster({ domain: 'd-1234567890', domainRole: role }, stack);
      // THEN
      const props = only(template(), 'AWS::RDS::DBCluster').Properties;
      expect(props.Domain).toBe('d-1234567890');
      expect(props.DomainIAMRoleName).toEqual({ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) });
    });

    test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
      ['a domain without a role', { domain: 'd-1234567890' }, /domainRole: is needed with domain/],
      [
        'a malformed directory id',
        { domain: 'corp.example.com', domainRole: {} as any },
        /domain: 'corp\.example\.com' is not a directory id/,
      ],
    ])('rejects %s', (_name, props, expected) => {
      const stack = testStack();
      const role = iam.Role.fromRoleArn(stack, 'R', 'arn:aws:iam::123456789012:role/rds-directory');
      const withRole = props.domainRole ? { ...props, domainRole: role } : props;
      expect(() => cluster(withRole, stack)).toThrow(expected);
    });
  });

  describe('local write forwarding', () => {
    test.each([
      ['Aurora MySQL 3.08', MYSQL_3_08],
      ['Aurora PostgreSQL 16.4', POSTGRES_16_4],
    ])('is turned on for %s', (_name, engine) => {
      const { template } = cluster({ engine, enableLocalWriteForwarding: true });
      expect(only(template(), 'AWS::RDS::DBCluster').Properties.EnableLocalWriteForwarding).toBe(true);
    });

    test.each([
      ['Aurora PostgreSQL 15.4', POSTGRES_15_4, /15\.8/],
      [
        'Aurora MySQL 3.04',
        rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_03_0 }),
        /3\.04/,
      ],
    ])('is rejected on %s', (_name, engine, floor) => {
      expect(() => cluster({ engine, enableLocalWriteForwarding: true })).toThrow(
        new RegExp(
          `TestStack/Db: enableLocalWriteForwarding: .* does not support local write forwarding; it needs .*${floor.source}`,
        ),
      );
    });

    test('RDS Proxy on Aurora PostgreSQL with local write forwarding is warned about', () => {
      const { stack, db } = cluster({ enableLocalWriteForwarding: true });
      db.addAuroraProxy('Proxy');
      Annotations.fromStack(stack).hasWarning('/TestStack/Db/Proxy', Match.stringLikeRegexp('local write forwarding'));
    });
  });

  test('cluster-level Enhanced Monitoring sets the cluster and keeps every instance monitored', () => {
    // GIVEN / WHEN
    const { stack, template } = cluster({
      enableClusterLevelEnhancedMonitoring: true,
      monitoringInterval: Duration.seconds(30),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
    });
    // THEN
    const t = template();
    t.hasResourceProperties('AWS::RDS::DBCluster', {
      MonitoringInterval: 30,
      MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbMonitoringRole'), 'Arn'] },
    });
    for (const instance of Object.values(t.findResources('AWS::RDS::DBInstance'))) {
      expect(instance.Properties.MonitoringInterval).toBe(30);
    }
    expect(stack).toBeDefined();
  });
});

describe('AuroraCluster across stacks', () => {
  function twoStacks() {
    const app = new App();
    const dbStack = testStack(app, 'DbStack');
    const appStack = testStack(app, 'AppStack');
    const vpc = testVpc(dbStack);
    const db = new AuroraCluster(dbStack, 'Db', { engine: POSTGRES_16_4, vpc });
    const appSg = new ec2.SecurityGroup(appStack, 'AppSg', { vpc, allowAllOutbound: false });
    const fn = new lambda.Function(appStack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
      vpc,
      securityGroups: [appSg],
      environment: { DB_HOST: db.clusterEndpoint.hostname, DB_SECRET: db.secret.secretArn },
    });
    return { app, dbStack, appStack, db, appSg, fn };
  }

  test('connections.allowDefaultPortFrom(peer of another stack) writes the rules into the peer stack: no cycle', () => {
    // GIVEN
    const { app, dbStack, appStack, db, appSg } = twoStacks();
    // WHEN
    db.connections.allowDefaultPortFrom(appSg, 'app to database');
    // THEN
    expect(() => app.synth()).not.toThrow();
    expect(appStack.dependencies).toContain(dbStack);
    expect(dbStack.dependencies).not.toContain(appStack);
    Template.fromStack(appStack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 5433,
      ToPort: 5433,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AppSg'), 'GroupId'] },
    });
    expect(JSON.stringify(Template.fromStack(dbStack).toJSON())).not.toContain('Fn::ImportValue');
  });

  test('secret.grantRead(role of another stack) creates no cycle and leaves the key policy alone', () => {
    const build = (grant: boolean) => {
      // GIVEN
      const built = twoStacks();
      // WHEN
      if (grant) built.db.secret.grantRead(built.fn);
      // THEN
      expect(() => built.app.synth()).not.toThrow();
      expect(built.dbStack.dependencies).not.toContain(built.appStack);
      return built;
    };
    const granted = build(true);
    expect(Template.fromStack(granted.dbStack).findResources('AWS::KMS::Key')).toEqual(
      Template.fromStack(build(false).dbStack).findResources('AWS::KMS::Key'),
    );
    Template.fromStack(granted.appStack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] }),
          Match.objectLike({ Action: 'kms:Decrypt' }),
        ]),
      },
    });
  });
});

describe('AuroraCluster encryptionKey you pass', () => {
  function keyStackTemplate(useIt: boolean) {
    const app = new App();
    const keyStack = testStack(app, 'KeyStack');
    const dbStack = testStack(app, 'DbStack');
    const key = new kms.Key(keyStack, 'Key', { enableKeyRotation: true });
    if (useIt) {
      new AuroraCluster(dbStack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(dbStack), encryptionKey: key });
      Annotations.fromStack(dbStack).hasWarning('/DbStack/Db', Match.stringLikeRegexp('leaves its key policy alone'));
    }
    return Template.fromStack(keyStack).toJSON().Resources;
  }

  test('a key of another stack is not modified', () => {
    expect(keyStackTemplate(true)).toEqual(keyStackTemplate(false));
  });

  test('a key of the cluster stack lets CloudWatch Logs use it for the cluster log groups', () => {
    const stack = testStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    cluster({ encryptionKey: key }, stack);
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowCloudWatchLogsForAuroraLogGroups' })]),
      },
    });
  });
});
