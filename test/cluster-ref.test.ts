import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  AuroraCluster,
  AuroraClusterAttributes,
  AuroraCustomEndpoint,
  AuroraGlobalDatabase,
  AuroraProxy,
  AuroraProxyAuthentication,
  IAuroraCluster,
} from '../src';
import { POSTGRES_16_4, R6G_LARGE, TEST_ENV, testStack, testVpc } from './util';

/** A provisioned writer and one reader, so that the instances have stable logical ids to look for. */
function cluster(stack: Stack, id = 'Db'): AuroraCluster {
  return new AuroraCluster(stack, id, {
    engine: POSTGRES_16_4,
    vpc: testVpc(stack),
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
    readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })],
  });
}

function logicalIds(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type));
}

function only(template: Template, type: string): { [key: string]: any } {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe('AuroraCluster as rds.IDatabaseCluster', () => {
  test('BackupResource.fromRdsDatabaseCluster selects the cluster by its ARN', () => {
    // GIVEN
    const stack = testStack();
    const db = cluster(stack);
    const plan = backup.BackupPlan.daily35DayRetention(stack, 'Plan');
    // WHEN
    plan.addSelection('Selection', { resources: [backup.BackupResource.fromRdsDatabaseCluster(db)] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Backup::BackupSelection', {
      BackupSelection: Match.objectLike({
        Resources: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':rds:us-east-1:123456789012:cluster:',
                { Ref: logicalIds(Template.fromStack(stack), 'AWS::RDS::DBCluster')[0] },
              ],
            ],
          },
        ],
      }),
    });
  });

  test('ProxyTarget.fromCluster: the target group waits for the cluster and every instance, and is admitted on the literal port', () => {
    // GIVEN
    const stack = testStack();
    const db = cluster(stack);
    // WHEN
    new rds.DatabaseProxy(stack, 'LibProxy', {
      proxyTarget: rds.ProxyTarget.fromCluster(db),
      secrets: [db.secret],
      vpc: db.vpc,
      vpcSubnets: db.vpcSubnets,
      iamAuth: true,
    });
    // THEN
    const template = Template.fromStack(stack);
    const targetGroup = only(template, 'AWS::RDS::DBProxyTargetGroup');
    const expected = [...logicalIds(template, 'AWS::RDS::DBCluster'), ...logicalIds(template, 'AWS::RDS::DBInstance')];
    expect(expected).toHaveLength(3);
    expect(targetGroup.DependsOn).toEqual(expect.arrayContaining(expected));
    expect(targetGroup.Properties.DBClusterIdentifiers).toEqual([stack.resolve(db.clusterIdentifier)]);
    expect(only(template, 'AWS::RDS::DBProxy').Properties.EngineFamily).toBe('POSTGRESQL');
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^LibProxyProxySecurityGroup'), 'GroupId'],
      },
      FromPort: 5433,
      ToPort: 5433,
    });
  });

  test('addProxy (the rds.IDatabaseCluster contract) creates an aws-cdk-lib proxy that waits for the instances', () => {
    // GIVEN
    const stack = testStack();
    const db = cluster(stack);
    const asL2: rds.IDatabaseCluster = db;
    // WHEN
    const proxy = asL2.addProxy('L2Proxy', { secrets: [db.secret], vpc: db.vpc, vpcSubnets: db.vpcSubnets });
    // THEN
    expect(proxy).toBeInstanceOf(rds.DatabaseProxy);
    const template = Template.fromStack(stack);
    expect(only(template, 'AWS::RDS::DBProxyTargetGroup').DependsOn).toEqual(
      expect.arrayContaining(logicalIds(template, 'AWS::RDS::DBInstance')),
    );
  });

  test('an IConnectable API opens the literal port of the cluster to a peer', () => {
    // GIVEN
    const stack = testStack();
    const db = cluster(stack);
    const app = new ec2.SecurityGroup(stack, 'App', { vpc: db.vpc, allowAllOutbound: false });
    // WHEN
    app.connections.allowToDefaultPort(db, 'app to database');
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbSecurityGroup'), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'GroupId'] },
      FromPort: 5433,
      ToPort: 5433,
    });
  });

  test('secret attachment, ARN, instance identifiers, metrics and removal policy come from the underlying cluster', () => {
    // GIVEN
    const stack = testStack();
    const db = cluster(stack);
    // WHEN
    new secretsmanager.SecretTargetAttachment(stack, 'Attachment', { secret: db.secret, target: db });
    db.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SecretsManager::SecretTargetAttachment', {
      TargetType: 'AWS::RDS::DBCluster',
      TargetId: { Ref: logicalIds(template, 'AWS::RDS::DBCluster')[0] },
    });
    expect(stack.resolve(db.clusterArn)).toEqual(stack.resolve(db.cluster.clusterArn));
    expect(db.instanceIdentifiers).toHaveLength(2);
    expect(db.instanceEndpoints).toHaveLength(2);
    expect(stack.resolve(db.metricVolumeBytesUsed().dimensions)).toEqual({
      DBClusterIdentifier: stack.resolve(db.cluster.clusterIdentifier),
    });
    for (const type of ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Retain');
      }
    }
    expect(db.stack).toBe(stack);
    expect(db.env).toEqual({ account: TEST_ENV.account, region: TEST_ENV.region });
  });
});

/** An existing cluster with everything the proxy and endpoints need. */
function imported(stack: Stack, attrs: Partial<AuroraClusterAttributes> = {}): IAuroraCluster {
  const vpc = testVpc(stack);
  const sg = new ec2.SecurityGroup(stack, 'LegacySg', { vpc, allowAllOutbound: false });
  return AuroraCluster.fromAuroraClusterAttributes(stack, 'Legacy', {
    clusterIdentifier: 'legacy-orders',
    clusterResourceIdentifier: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    engine: POSTGRES_16_4,
    port: 5432,
    vpc,
    securityGroups: [sg],
    instanceIdentifiers: ['legacy-orders-writer', 'legacy-orders-reader'],
    ...attrs,
  });
}

describe('AuroraCluster.fromAuroraClusterAttributes', () => {
  test('a proxy fronts an imported cluster: literal identifier, admitted through its security group, IAM end to end', () => {
    // GIVEN
    const stack = testStack();
    const legacy = imported(stack);
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    // WHEN
    const proxy = new AuroraProxy(stack, 'Proxy', { cluster: legacy });
    proxy.grantConnect(role, 'app_user');
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', { DBClusterIdentifiers: ['legacy-orders'] });
    template.hasResourceProperties('AWS::RDS::DBProxy', { EngineFamily: 'POSTGRESQL', DefaultAuthScheme: 'IAM_AUTH' });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LegacySg'), 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
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
                  ':rds-db:us-east-1:123456789012:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ/app_user',
                ],
              ],
            },
          }),
        ],
      },
    });
    // two instance identifiers: a read-only endpoint by default
    expect(proxy.readOnlyProxyEndpoint).toBeDefined();
  });

  test('a custom endpoint on an imported cluster names its members by instance identifier', () => {
    // GIVEN
    const stack = testStack();
    const legacy = imported(stack);
    // WHEN
    new AuroraCustomEndpoint(stack, 'Reporting', { cluster: legacy, staticMembers: ['legacy-orders-reader'] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
      DBClusterIdentifier: 'legacy-orders',
      CustomEndpointType: 'READER',
      StaticMembers: ['legacy-orders-reader'],
    });
    expect(
      () => new AuroraCustomEndpoint(stack, 'Typo', { cluster: legacy, staticMembers: ['legacy-reader'] }),
    ).toThrow(
      /TestStack\/Typo: staticMembers: 'legacy-reader' is not an instance of this cluster.*'legacy-orders-writer', 'legacy-orders-reader'/,
    );
  });

  test('a Global Database adopts an imported primary, and a secondary joins it', () => {
    // GIVEN
    const app = new App();
    const primaryStack = new Stack(app, 'Primary', { env: TEST_ENV });
    const euStack = testStack(app, 'Eu', { account: TEST_ENV.account, region: 'eu-west-1' });
    const legacy = AuroraCluster.fromAuroraClusterAttributes(primaryStack, 'Legacy', {
      clusterIdentifier: 'legacy-orders',
      engine: POSTGRES_16_4,
      port: 5432,
    });
    // WHEN
    const global = new AuroraGlobalDatabase(primaryStack, 'Global', { primary: legacy });
    const eu = global.addSecondary(euStack, 'Eu', { vpc: testVpc(euStack) });
    // THEN
    Template.fromStack(primaryStack).hasResourceProperties('AWS::RDS::GlobalCluster', {
      SourceDBClusterIdentifier: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:cluster:legacy-orders']],
      },
    });
    Annotations.fromStack(primaryStack).hasWarning(
      '/Primary/Global',
      Match.stringLikeRegexp('is an imported cluster: the library cannot check'),
    );
    Template.fromStack(euStack).hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: Stack.of(global).resolve(global.globalClusterIdentifier),
      Port: 5432,
      Engine: 'aurora-postgresql',
    });
    expect(eu.port).toBe(5432);
  });

  test.each<[string, Partial<AuroraClusterAttributes>, RegExp]>([
    ['no engine', { engine: undefined }, /TestStack\/Proxy: engine: the cluster's engine is unknown; pass engine/],
    [
      'no security groups',
      { securityGroups: undefined },
      /TestStack\/Proxy: cluster: the cluster TestStack\/Legacy has no security groups.*pass securityGroups/,
    ],
    ['no port', { port: undefined }, /TestStack\/Proxy: cluster: the cluster TestStack\/Legacy has no port.*pass port/],
    ['no VPC', { vpc: undefined }, /TestStack\/Legacy: vpc: the imported cluster has no vpc.*pass vpc to/],
  ])('a proxy on an imported cluster with %s fails with an error naming the attribute', (_name, attrs, expected) => {
    const stack = testStack();
    const legacy = imported(stack, attrs);
    expect(() => new AuroraProxy(stack, 'Proxy', { cluster: legacy })).toThrow(expected);
  });

  test('members an imported cluster was not given fail with an error naming the attribute, never a TypeError', () => {
    const stack = testStack();
    const bare = AuroraCluster.fromAuroraClusterAttributes(stack, 'Bare', { clusterIdentifier: 'bare' });
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => bare.grantConnect(role, 'app_user')).toThrow(
      /TestStack\/Bare: clusterResourceIdentifier: the imported cluster has no clusterResourceIdentifier.*pass clusterResourceIdentifier to AuroraCluster\.fromAuroraClusterAttributes\(\)/,
    );
    expect(() => bare.clusterEndpoint).toThrow(/TestStack\/Bare: clusterEndpointAddress: /);
    expect(() => bare.secret).toThrow(/TestStack\/Bare: secret: /);
    expect(() => new AuroraCustomEndpoint(stack, 'E', { cluster: bare })).toThrow(/TestStack\/Bare: port: /);
    expect(() => new AuroraGlobalDatabase(stack, 'G', { primary: bare })).toThrow(/TestStack\/G: engine: /);
    expect(stack.resolve(bare.clusterArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:cluster:bare']],
    });
  });

  test('a proxy reading the master secret needs the secret and the master user name', () => {
    const stack = testStack();
    const secret = new secretsmanager.Secret(stack, 'Secret');
    const legacy = imported(stack, { secret, masterUsername: 'owner' });
    const proxy = new AuroraProxy(stack, 'Proxy', {
      cluster: legacy,
      authentication: AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET,
    });
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(() => proxy.grantConnect(role, 'app_user')).toThrow(/only holds the secret of the master user 'owner'/);
    proxy.grantConnect(role, 'owner');
    const other = testStack(new App(), 'Other');
    const withoutSecret = imported(other);
    expect(
      () =>
        new AuroraProxy(other, 'Proxy', {
          cluster: withoutSecret,
          authentication: AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET,
        }),
    ).toThrow(/Other\/Legacy: secret: the imported cluster has no secret/);
  });
});
