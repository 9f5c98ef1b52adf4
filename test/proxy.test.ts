import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  AuroraCluster,
  AuroraClusterProps,
  AuroraProxy,
  AuroraProxyAuthentication,
  AuroraProxyEndpointRole,
  AuroraProxyOptions,
} from '../src';
import {
  derivedName,
  derivedNameOf,
  MYSQL_3_08,
  POSTGRES_16_4,
  R6G_LARGE,
  testStack,
  testVpc,
  VpcLayout,
} from './util';
import { engineFamilyOf } from '../src/private/engine-family';
import { describeRanges, inRanges, parseAuroraVersion } from '../src/private/engine-version';
import { MAX_PROXY_ENDPOINTS } from '../src/private/proxy-rules';

interface BuildInput {
  readonly cluster?: Partial<AuroraClusterProps>;
  readonly proxy?: AuroraProxyOptions;
  readonly layout?: VpcLayout;
  readonly stack?: Stack;
}

/** One cluster with a proxy in a fresh stack (not synthesized). */
function build(input: BuildInput = {}) {
  const stack = input.stack ?? testStack(new App());
  const vpc = testVpc(stack, input.layout ?? VpcLayout.ISOLATED);
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, ...input.cluster });
  const proxy = db.addAuroraProxy('Proxy', input.proxy);
  return { stack, vpc, db, proxy };
}

/** As {@link build}, plus an application role granted `app_user`, and the template. */
function synth(input: BuildInput = {}, dbUser = 'app_user') {
  const built = build(input);
  const app = new iam.Role(built.stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  built.proxy.grantConnect(app, dbUser);
  return { ...built, app, template: Template.fromStack(built.stack) };
}

const PROVISIONED = {
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
  readers: [],
};

/** `arn:<partition>:rds-db:us-east-1:123456789012:dbuser:<resource id>/<user>` as the template spells it. */
function dbUserArn(resourceId: object, user: string) {
  return {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':rds-db:us-east-1:123456789012:dbuser:', resourceId, `/${user}`],
    ],
  };
}

const PROXY_RESOURCE_ID = {
  'Fn::Select': [
    6,
    { 'Fn::Split': [':', { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbProxy[0-9A-F]{8}$'), 'DBProxyArn'] }] },
  ],
};

describe('AuroraProxy', () => {
  describe('defaults (Aurora PostgreSQL, writer and reader)', () => {
    const pg = synth();
    const proxyId = Object.keys(pg.template.findResources('AWS::RDS::DBProxy'))[0];
    const sgId = Object.keys(pg.template.findResources('AWS::EC2::SecurityGroup')).find((k) =>
      k.startsWith('DbProxySecurityGroup'),
    )!;

    test('cluster.proxy is the proxy addAuroraProxy returned', () => {
      expect(pg.db.proxy).toBe(pg.proxy);
    });

    test('requires TLS (CT.RDS.PR.26), uses end-to-end IAM, no secret, no debug logging', () => {
      pg.template.hasResourceProperties('AWS::RDS::DBProxy', {
        EngineFamily: 'POSTGRESQL',
        RequireTLS: true,
        DefaultAuthScheme: 'IAM_AUTH',
        Auth: Match.absent(),
        DebugLogging: false,
        IdleClientTimeout: 1800,
      });
      expect(pg.proxy.authentication).toBe(AuroraProxyAuthentication.END_TO_END_IAM);
    });

    test("has a physical name from the stack name, its logical id and the stack's UUID", () => {
      const name = pg.template.findResources('AWS::RDS::DBProxy')[proxyId].Properties.DBProxyName;
      expect(name).toEqual(derivedName('teststack-dbproxy8fb1b91a'));
      expect(pg.stack.resolve(pg.proxy.dbProxyName)).toEqual(name);
    });

    test("lives in the cluster's isolated subnets, behind its own security group only", () => {
      const subnetGroup = Object.values(pg.template.findResources('AWS::RDS::DBSubnetGroup'))[0];
      pg.template.hasResourceProperties('AWS::RDS::DBProxy', {
        VpcSubnetIds: subnetGroup.Properties.SubnetIds,
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [sgId, 'GroupId'] }],
      });
      expect(subnetGroup.Properties.SubnetIds).toHaveLength(3);
      for (const subnet of subnetGroup.Properties.SubnetIds) {
        expect(subnet.Ref).toMatch(/^Vpcisolated/);
      }
    });

    test("its security group has no ingress and egress only to the cluster, on the cluster's literal port", () => {
      pg.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^RDS Proxy TestStack/DbProxy8FB1B91A: '),
        SecurityGroupIngress: Match.absent(),
        SecurityGroupEgress: Match.absent(),
      });
      const egress = pg.template.findResources('AWS::EC2::SecurityGroupEgress', {
        Properties: { GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } },
      });
      expect(Object.values(egress).map((r) => r.Properties)).toEqual([
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: 5433,
          ToPort: 5433,
          DestinationSecurityGroupId: { 'Fn::GetAtt': ['DbSecurityGroupC34ABFAB', 'GroupId'] },
        }),
      ]);
    });

    test('the cluster admits the proxy on its literal port, and nothing else is opened', () => {
      const fromProxy = pg.template.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { SourceSecurityGroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } },
      });
      expect(Object.values(fromProxy).map((r) => r.Properties)).toEqual([
        expect.objectContaining({
          IpProtocol: 'tcp',
          FromPort: 5433,
          ToPort: 5433,
          GroupId: { 'Fn::GetAtt': ['DbSecurityGroupC34ABFAB', 'GroupId'] },
        }),
      ]);
      const toProxy = pg.template.findResources('AWS::EC2::SecurityGroupIngress', {
        Properties: { GroupId: { 'Fn::GetAtt': [sgId, 'GroupId'] } },
      });
      expect(toProxy).toEqual({});
    });

    test("connections default to the proxy's port 5432, as a literal", () => {
      // GIVEN
      const { stack, proxy } = build();
      const peer = new ec2.SecurityGroup(stack, 'Peer', { vpc: proxy.vpc });
      // WHEN
      proxy.connections.allowDefaultPortFrom(peer);
      // THEN
      expect(proxy.port).toBe(5432);
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        FromPort: 5432,
        ToPort: 5432,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbProxySecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Peer'), 'GroupId'] },
      });
    });

    test('the target group registers the cluster with the documented pool defaults', () => {
      pg.template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
        DBProxyName: { Ref: proxyId },
        TargetGroupName: 'default',
        DBClusterIdentifiers: [{ Ref: 'DbClusterA0CF0968' }],
        ConnectionPoolConfigurationInfo: {
          MaxConnectionsPercent: 90,
          MaxIdleConnectionsPercent: 45,
          ConnectionBorrowTimeout: 120,
          SessionPinningFilters: Match.absent(),
          InitQuery: Match.absent(),
        },
      });
    });

    test('the target group waits for the cluster and every instance', () => {
      // The cluster by the Ref in DBClusterIdentifiers (a DependsOn too would be redundant: cfn-lint W3005), the
      // instances by DependsOn.
      const [targetGroup] = Object.values(pg.template.findResources('AWS::RDS::DBProxyTargetGroup'));
      expect(targetGroup.Properties.DBClusterIdentifiers).toEqual([{ Ref: 'DbClusterA0CF0968' }]);
      expect([...targetGroup.DependsOn].sort()).toEqual(['DbClusterReader0DA6EF65', 'DbClusterWriter04F49224']);
    });

    test('creates a read-only endpoint in the same subnets and security group', () => {
      const subnetGroup = Object.values(pg.template.findResources('AWS::RDS::DBSubnetGroup'))[0];
      pg.template.resourceCountIs('AWS::RDS::DBProxyEndpoint', 1);
      pg.template.hasResource('AWS::RDS::DBProxyEndpoint', {
        Properties: {
          DBProxyEndpointName: derivedName('teststack-dbproxyreadonlyendpoint31ced110'),
          DBProxyName: { Ref: proxyId },
          TargetRole: 'READ_ONLY',
          VpcSubnetIds: subnetGroup.Properties.SubnetIds,
          VpcSecurityGroupIds: [{ 'Fn::GetAtt': [sgId, 'GroupId'] }],
        },
        DependsOn: [Match.stringLikeRegexp('^DbProxyTargetGroup')],
      });
    });

    test('exposes the read/write and read-only host names', () => {
      expect(pg.stack.resolve(pg.proxy.endpoint)).toEqual({ 'Fn::GetAtt': [proxyId, 'Endpoint'] });
      expect(pg.stack.resolve(pg.proxy.readOnlyEndpoint)).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^DbProxyReadOnlyEndpoint/), 'Endpoint'],
      });
      expect(pg.proxy.endpoints.map((e) => e.targetRole)).toEqual([AuroraProxyEndpointRole.READ_ONLY]);
    });

    test('the role is assumed by RDS and has no inline policy', () => {
      const roleId = Object.keys(pg.template.findResources('AWS::IAM::Role')).find((k) => k.startsWith('DbProxyRole'))!;
      pg.template.hasResourceProperties('AWS::RDS::DBProxy', { RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
      pg.template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' } }],
        },
        Policies: Match.absent(),
        ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^DbProxyConnectPolicy') }],
      });
      const inline = pg.template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: roleId }] },
      });
      expect(inline).toEqual({});
    });

    test("end-to-end IAM: the role may connect to the cluster's resource id as the granted user only", () => {
      pg.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            {
              Action: 'rds-db:connect',
              Effect: 'Allow',
              Resource: dbUserArn({ 'Fn::GetAtt': ['DbClusterA0CF0968', 'DBClusterResourceId'] }, 'app_user'),
            },
          ],
        },
      });
    });

    test("grantConnect grants the client rds-db:connect on the proxy's prx- resource id", () => {
      pg.template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^App') }],
        PolicyDocument: {
          Statement: [
            { Action: 'rds-db:connect', Effect: 'Allow', Resource: dbUserArn(PROXY_RESOURCE_ID, 'app_user') },
          ],
        },
      });
    });
  });

  describe('grants', () => {
    test('each database user is added to the proxy role once, in one statement', () => {
      // GIVEN
      const { stack, proxy } = build();
      const a = new iam.Role(stack, 'A', { assumedBy: new iam.AccountRootPrincipal() });
      const b = new iam.Role(stack, 'B', { assumedBy: new iam.AccountRootPrincipal() });
      // WHEN
      proxy.grantConnect(a, 'app_user');
      proxy.grantConnect(b, 'app_user');
      proxy.grantConnect(b, 'report_user');
      proxy.allowDatabaseUser('batch_user');
      // THEN
      const template = Template.fromStack(stack);
      template.resourcePropertiesCountIs(
        'AWS::IAM::ManagedPolicy',
        { Description: Match.stringLikeRegexp('RDS Proxy') },
        1,
      );
      const resourceId = { 'Fn::GetAtt': ['DbClusterA0CF0968', 'DBClusterResourceId'] };
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            {
              Action: 'rds-db:connect',
              Effect: 'Allow',
              Resource: [
                dbUserArn(resourceId, 'app_user'),
                dbUserArn(resourceId, 'report_user'),
                dbUserArn(resourceId, 'batch_user'),
              ],
            },
          ],
        },
      });
    });

    test('without any grant the role has no policy at all', () => {
      const { stack } = build();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 1); // the monitoring role's
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: Match.objectLike({
          Statement: [Match.objectLike({ Principal: { Service: 'rds.amazonaws.com' } })],
        }),
        ManagedPolicyArns: Match.absent(),
      });
    });

    test("the proxy's ARN differs from the cluster's", () => {
      // GIVEN
      const { stack, db, proxy } = build();
      const role = new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() });
      // WHEN
      proxy.grantConnect(role, 'app_user');
      db.grantConnect(role, 'app_user');
      // THEN
      const [policy] = Object.values(
        Template.fromStack(stack).findResources('AWS::IAM::Policy', {
          Properties: { Roles: [{ Ref: Match.stringLikeRegexp('^App') }] },
        }),
      );
      const resources = JSON.stringify(policy.Properties.PolicyDocument.Statement);
      expect(resources).toContain('DBProxyArn');
      expect(resources).toContain('DBClusterResourceId');
    });
  });

  describe('Aurora MySQL', () => {
    const mysql = synth({
      cluster: { engine: MYSQL_3_08 },
      proxy: { sessionPinningFilters: [rds.SessionPinningFilter.EXCLUDE_VARIABLE_SETS] },
    });

    test('uses the MYSQL engine family and listens on 3306, while the cluster listens on 3307', () => {
      mysql.template.hasResourceProperties('AWS::RDS::DBProxy', { EngineFamily: 'MYSQL', RequireTLS: true });
      expect(mysql.proxy.port).toBe(3306);
      expect(mysql.proxy.connections.defaultPort?.toString()).toBe('3306');
      mysql.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 3307,
        ToPort: 3307,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DbProxySecurityGroup'), 'GroupId'] },
      });
    });

    test('passes session pinning filters', () => {
      mysql.template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
        ConnectionPoolConfigurationInfo: Match.objectLike({ SessionPinningFilters: ['EXCLUDE_VARIABLE_SETS'] }),
      });
    });
  });

  describe('IAM_WITH_MASTER_SECRET', () => {
    const secret = synth(
      { proxy: { authentication: AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET } },
      'clusteradmin',
    );

    test('attaches the master secret with IAM required for clients', () => {
      secret.template.hasResourceProperties('AWS::RDS::DBProxy', {
        DefaultAuthScheme: 'NONE',
        RequireTLS: true,
        Auth: [
          {
            AuthScheme: 'SECRETS',
            IAMAuth: 'REQUIRED',
            SecretArn: { Ref: Match.stringLikeRegexp('^DbClusterSecretAttachment') },
          },
        ],
      });
    });

    test('the role reads that secret and decrypts it only through Secrets Manager', () => {
      secret.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        PolicyDocument: {
          Statement: [
            {
              Action: 'secretsmanager:GetSecretValue',
              Effect: 'Allow',
              Resource: { Ref: Match.stringLikeRegexp('^DbClusterSecretAttachment') },
            },
            {
              Action: 'kms:Decrypt',
              Effect: 'Allow',
              Resource: { 'Fn::GetAtt': ['DbEncryptionKey9438ECC4', 'Arn'] },
              Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
            },
          ],
        },
      });
      secret.template.resourcePropertiesCountIs(
        'AWS::IAM::ManagedPolicy',
        { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'rds-db:connect' })]) } },
        0,
      );
    });

    test("no statement of the proxy's policies has a wildcard action or resource", () => {
      const policies = secret.template.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Description: Match.stringLikeRegexp('RDS Proxy') },
      });
      const text = JSON.stringify(policies);
      expect(Object.keys(policies)).toHaveLength(1);
      expect(text).not.toMatch(/"\*"|:\*"/);
    });

    test('the master user connects through the proxy; any other user is rejected', () => {
      const role = new iam.Role(secret.stack, 'Other', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => secret.proxy.grantConnect(role, 'app_user')).toThrow(
        /TestStack\/Db\/Proxy: dbUser: 'app_user' cannot connect: .*master user 'clusteradmin' \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/rds-proxy-secrets-arns\.html\)/,
      );
      expect(secret.db.masterUsername).toBe('clusteradmin');
    });
  });

  describe('options', () => {
    test("vpcSubnets chooses other private subnets of the cluster's VPC", () => {
      // GIVEN
      const { stack, vpc } = build({
        layout: VpcLayout.FULL,
        proxy: { vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } },
      });
      // THEN
      const privateIds = vpc.privateSubnets.map((s) => stack.resolve(s.subnetId));
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBProxy', { VpcSubnetIds: privateIds });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBProxyEndpoint', { VpcSubnetIds: privateIds });
    });

    test('enableReadOnlyEndpoint: false creates no endpoint', () => {
      const { stack, proxy } = build({ proxy: { enableReadOnlyEndpoint: false } });
      Template.fromStack(stack).resourceCountIs('AWS::RDS::DBProxyEndpoint', 0);
      expect(proxy.readOnlyEndpoint).toBeUndefined();
      expect(proxy.readOnlyProxyEndpoint).toBeUndefined();
    });

    test('a writer-only cluster gets no read-only endpoint by default', () => {
      const { stack, proxy } = build({ cluster: { readers: [] } });
      Template.fromStack(stack).resourceCountIs('AWS::RDS::DBProxyEndpoint', 0);
      expect(proxy.readOnlyEndpoint).toBeUndefined();
    });

    test('a read-only endpoint forced on a writer-only cluster is created with a warning', () => {
      const { stack } = build({ cluster: { readers: [] }, proxy: { enableReadOnlyEndpoint: true } });
      Template.fromStack(stack).resourceCountIs('AWS::RDS::DBProxyEndpoint', 1);
      Annotations.fromStack(stack).hasWarning('/TestStack/Db/Proxy', Match.stringLikeRegexp('no reader instance'));
    });

    test('pool settings and idle client timeout are passed through', () => {
      const { stack } = build({
        proxy: {
          maxConnectionsPercent: 50,
          maxIdleConnectionsPercent: 10,
          connectionBorrowTimeout: Duration.seconds(30),
          idleClientTimeout: Duration.minutes(5),
        },
      });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
        ConnectionPoolConfigurationInfo: {
          MaxConnectionsPercent: 50,
          MaxIdleConnectionsPercent: 10,
          ConnectionBorrowTimeout: 30,
        },
      });
      template.hasResourceProperties('AWS::RDS::DBProxy', { IdleClientTimeout: 300 });
    });

    test('maxIdleConnectionsPercent defaults to half of maxConnectionsPercent', () => {
      const { stack } = build({ proxy: { maxConnectionsPercent: 25 } });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
        ConnectionPoolConfigurationInfo: Match.objectLike({ MaxConnectionsPercent: 25, MaxIdleConnectionsPercent: 12 }),
      });
    });

    test('debugLogging turns on debug logging with a warning', () => {
      const { stack } = build({ proxy: { debugLogging: true } });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBProxy', { DebugLogging: true });
      Annotations.fromStack(stack).hasWarning('/TestStack/Db/Proxy', Match.stringLikeRegexp('sensitive data'));
    });

    test('warns that a proxy keeps Serverless v2 instances from pausing', () => {
      const { stack } = build({ cluster: { serverlessV2MinCapacity: 0 } });
      Annotations.fromStack(stack).hasWarning('/TestStack/Db/Proxy', Match.stringLikeRegexp('never pause'));
      const quiet = build();
      Annotations.fromStack(quiet.stack).hasNoWarning('/TestStack/Db/Proxy', Match.stringLikeRegexp('never pause'));
    });

    test("addEndpoint adds a read/write endpoint by default, behind the proxy's security group", () => {
      // GIVEN
      const { stack, proxy } = build();
      // WHEN
      const writes = proxy.addEndpoint('Writes');
      // THEN
      expect(writes.targetRole).toBe(AuroraProxyEndpointRole.READ_WRITE);
      expect(proxy.endpoints).toHaveLength(2);
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBProxyEndpoint', {
        DBProxyEndpointName: derivedNameOf('TestStack', stack.resolve(writes.resource.logicalId)),
        TargetRole: 'READ_WRITE',
        VpcSecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^DbProxySecurityGroup'), 'GroupId'] }],
      });
    });

    test('a second addAuroraProxy is refused; further proxies are created with new AuroraProxy', () => {
      // GIVEN
      const { stack, db } = build();
      // THEN
      expect(() => db.addAuroraProxy('Again')).toThrow(
        /TestStack\/Db: addAuroraProxy: the cluster already has the proxy TestStack\/Db\/Proxy/,
      );
      const second = new AuroraProxy(stack, 'Second', { cluster: db });
      Template.fromStack(stack).resourceCountIs('AWS::RDS::DBProxy', 2);
      expect(db.proxy).not.toBe(second);
    });
  });

  describe('validation', () => {
    test.each<[string, BuildInput, RegExp]>([
      [
        'public subnets by type',
        { layout: VpcLayout.FULL, proxy: { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } } },
        /TestStack\/Db\/Proxy: vpcSubnets: RDS Proxy can't be publicly accessible \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/rds-proxy\.html#rds-proxy\.limitations\)/,
      ],
      [
        'subnets in one Availability Zone',
        { proxy: { vpcSubnets: { availabilityZones: ['us-east-1a'] } } },
        /vpcSubnets: the selected subnets span 1 Availability Zone\(s\); RDS Proxy needs subnets in at least two \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/rds-proxy\.html#rds-proxy\.limitations\)/,
      ],
      [
        'maxConnectionsPercent 0',
        { proxy: { maxConnectionsPercent: 0 } },
        /maxConnectionsPercent: must be an integer between 1 and 100, got 0 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_ConnectionPoolConfiguration\.html\)/,
      ],
      [
        'maxConnectionsPercent 101',
        { proxy: { maxConnectionsPercent: 101, maxIdleConnectionsPercent: 50 } },
        /maxConnectionsPercent: must be an integer between 1 and 100, got 101/,
      ],
      [
        'maxConnectionsPercent 50.5',
        { proxy: { maxConnectionsPercent: 50.5 } },
        /maxConnectionsPercent: must be an integer/,
      ],
      [
        'maxIdleConnectionsPercent above maxConnectionsPercent',
        { proxy: { maxConnectionsPercent: 40, maxIdleConnectionsPercent: 41 } },
        /maxIdleConnectionsPercent: 41 is greater than maxConnectionsPercent 40 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_ConnectionPoolConfiguration\.html\)/,
      ],
      [
        'maxIdleConnectionsPercent negative',
        { proxy: { maxIdleConnectionsPercent: -1 } },
        /maxIdleConnectionsPercent: must be an integer between 0 and 100, got -1/,
      ],
      [
        'connectionBorrowTimeout above 300 s',
        { proxy: { connectionBorrowTimeout: Duration.seconds(301) } },
        /connectionBorrowTimeout: must be a whole number of seconds between 0 and 300, got 301 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_ConnectionPoolConfiguration\.html\)/,
      ],
      [
        'connectionBorrowTimeout in fractions of a second',
        { proxy: { connectionBorrowTimeout: Duration.millis(1500) } },
        /connectionBorrowTimeout: must be a whole number of seconds between 0 and 300, got 1.5/,
      ],
      [
        'idleClientTimeout above 8 hours',
        { proxy: { idleClientTimeout: Duration.seconds(28_801) } },
        /idleClientTimeout: must be a whole number of seconds between 1 and 28800 \(8 hours\), got 28801/,
      ],
      [
        'idleClientTimeout 0',
        { proxy: { idleClientTimeout: Duration.seconds(0) } },
        /idleClientTimeout: must be a whole number of seconds between 1 and 28800/,
      ],
      [
        'session pinning filters on PostgreSQL',
        { proxy: { sessionPinningFilters: [rds.SessionPinningFilter.EXCLUDE_VARIABLE_SETS] } },
        /sessionPinningFilters: Aurora PostgreSQL proxies do not support session pinning filters, got EXCLUDE_VARIABLE_SETS \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_ConnectionPoolConfiguration\.html\)/,
      ],
      [
        'an unknown session pinning filter on MySQL',
        {
          cluster: { engine: MYSQL_3_08 },
          proxy: { sessionPinningFilters: [rds.SessionPinningFilter.of('EXCLUDE_EVERYTHING')] },
        },
        /sessionPinningFilters: EXCLUDE_EVERYTHING is not a session pinning filter RDS Proxy knows; the only one is EXCLUDE_VARIABLE_SETS/,
      ],
      [
        'Aurora MySQL 2.09, which RDS Proxy does not support',
        {
          cluster: {
            engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_09_0 }),
            ...PROVISIONED,
          },
        },
        /engine: RDS Proxy does not support Aurora MySQL 2\.09\.0; it needs 2\.07, 2\.11\+, 3\.01\+ \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.Aurora_Fea_Regions_DB-eng\.Feature\.RDS_Proxy\.html\)/,
      ],
      [
        'Aurora PostgreSQL 11.11, between the supported 11.9 and 11.13',
        {
          cluster: {
            engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_11_11 }),
            ...PROVISIONED,
          },
        },
        /engine: RDS Proxy does not support Aurora PostgreSQL 11\.11; it needs 11\.9, 11\.13\+, 12\.8\+/,
      ],
      [
        'Aurora PostgreSQL 12.7',
        {
          cluster: {
            engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_12_7 }),
            ...PROVISIONED,
          },
        },
        /RDS Proxy does not support Aurora PostgreSQL 12\.7/,
      ],
      [
        'a Region without RDS Proxy',
        { stack: testStack(new App(), 'TestStack', { account: '123456789012', region: 'ap-southeast-6' }) },
        /addProxy: RDS Proxy is not available in ap-southeast-6 \(Asia Pacific \(New Zealand\)\) \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.Aurora_Fea_Regions_DB-eng\.Feature\.RDS_Proxy\.html\)/,
      ],
    ])('rejects %s', (_name, input, error) => {
      expect(() => build(input)).toThrow(error);
    });

    test.each([
      [
        'Aurora MySQL 2.07.2',
        rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_07_2 }),
      ],
      [
        'Aurora MySQL 2.11.1',
        rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_2_11_1 }),
      ],
      [
        'Aurora MySQL 3.01.0',
        rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_01_0 }),
      ],
      [
        'Aurora PostgreSQL 11.9',
        rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_11_9 }),
      ],
      [
        'Aurora PostgreSQL 12.8',
        rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_12_8 }),
      ],
    ])('accepts %s, the edge of the supported ranges', (_name, engine) => {
      expect(() => build({ cluster: { engine, ...PROVISIONED } })).not.toThrow();
    });

    test('rejects public subnets chosen one by one', () => {
      const stack = testStack(new App());
      const vpc = testVpc(stack, VpcLayout.FULL);
      const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc });
      expect(() => db.addAuroraProxy('Proxy', { vpcSubnets: { subnets: vpc.publicSubnets } })).toThrow(
        /vpcSubnets: selects public subnet\(s\) TestStack\/Vpc\/publicSubnet1.*\(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/rds-proxy\.html#rds-proxy\.limitations\)/,
      );
    });

    test('an endpoint is checked like the proxy', () => {
      const { proxy } = build();
      expect(() => proxy.addEndpoint('OneAz', { vpcSubnets: { availabilityZones: ['us-east-1b'] } })).toThrow(
        /TestStack\/Db\/Proxy\/OneAz: vpcSubnets: the selected subnets span 1 Availability Zone/,
      );
    });

    test(`at most ${MAX_PROXY_ENDPOINTS} endpoints, the read-only one included`, () => {
      // GIVEN a proxy with its read-only endpoint
      const { proxy } = build();
      // WHEN
      for (let i = 2; i <= MAX_PROXY_ENDPOINTS; i++) {
        proxy.addEndpoint(`E${i}`, { targetRole: AuroraProxyEndpointRole.READ_ONLY });
      }
      // THEN
      expect(proxy.endpoints).toHaveLength(MAX_PROXY_ENDPOINTS);
      expect(() => proxy.addEndpoint('OneTooMany')).toThrow(
        /TestStack\/Db\/Proxy\/OneTooMany: addEndpoint: a proxy has at most 20 endpoints besides its default one, and this one would be number 21 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/rds-proxy-endpoints\.html#rds-proxy-endpoints-limits\)/,
      );
    });

    test.each(['*', 'app_*', ''])('grantConnect rejects the database user %p', (dbUser) => {
      const { stack, proxy } = build();
      const role = new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() });
      expect(() => proxy.grantConnect(role, dbUser)).toThrow(
        /dbUser: .* must name one database user, without wildcards/,
      );
    });

    test('lists every broken rule at once', () => {
      expect(() =>
        build({ proxy: { maxConnectionsPercent: 0, connectionBorrowTimeout: Duration.minutes(10) } }),
      ).toThrow(/maxConnectionsPercent: .*\n.*connectionBorrowTimeout: /);
    });
  });
});

describe('proxy rules (private)', () => {
  const pg = engineFamilyOf('aurora-postgresql')!;
  const mysql = engineFamilyOf('aurora-mysql')!;

  test('version ranges: gaps inside a line, newer lines supported, older lines not', () => {
    const v = (s: string) => parseAuroraVersion(s)!;
    expect(inRanges(v('5.7.mysql_aurora.2.07.9'), mysql.proxyVersions)).toBe(true);
    expect(inRanges(v('5.7.mysql_aurora.2.10.3'), mysql.proxyVersions)).toBe(false);
    expect(inRanges(v('5.7.mysql_aurora.2.11.0'), mysql.proxyVersions)).toBe(true);
    expect(inRanges(v('8.0.mysql_aurora.3.00.0'), mysql.proxyVersions)).toBe(false);
    expect(inRanges(v('8.4.mysql_aurora.8.4.0'), mysql.proxyVersions)).toBe(true);
    expect(inRanges(v('10.21'), pg.proxyVersions)).toBe(false);
    expect(inRanges(v('17.3'), pg.proxyVersions)).toBe(false);
    expect(inRanges(v('19.1'), pg.proxyVersions)).toBe(true);
    expect(describeRanges({ 2: [[8, 10]] }, true)).toBe('2.08-2.10');
  });
});

describe('AuroraProxy stability', () => {
  test('logical IDs and physical names never change (changing one replaces the proxy)', () => {
    // GIVEN
    const { template } = synth();
    const ids = (type: string) =>
      Object.keys(template.findResources(type))
        .filter((k) => k.startsWith('DbProxy'))
        .sort();
    // THEN
    expect(ids('AWS::RDS::DBProxy')).toEqual(['DbProxy8FB1B91A']);
    expect(ids('AWS::RDS::DBProxyTargetGroup')).toEqual(['DbProxyTargetGroup886B7851']);
    expect(ids('AWS::RDS::DBProxyEndpoint')).toEqual(['DbProxyReadOnlyEndpoint31CED110']);
    expect(ids('AWS::EC2::SecurityGroup')).toEqual(['DbProxySecurityGroup320568D7']);
    expect(ids('AWS::IAM::Role')).toEqual(['DbProxyRole7455C0DB']);
    expect(ids('AWS::IAM::ManagedPolicy')).toEqual(['DbProxyConnectPolicyCEC27CE6']);
    template.hasResourceProperties('AWS::RDS::DBProxy', { DBProxyName: derivedName('teststack-dbproxy8fb1b91a') });
    template.hasResourceProperties('AWS::RDS::DBProxyEndpoint', {
      DBProxyEndpointName: derivedName('teststack-dbproxyreadonlyendpoint31ced110'),
    });
  });

  test("adding a proxy leaves the cluster's own logical IDs alone", () => {
    const withProxy = Object.keys(synth().template.toJSON().Resources);
    const stack = testStack(new App());
    new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const without = Object.keys(Template.fromStack(stack).toJSON().Resources);
    expect(withProxy).toEqual(expect.arrayContaining(without));
  });

  test('snapshot: defaults (Aurora PostgreSQL, end-to-end IAM)', () => {
    expect(synth().template.toJSON()).toMatchSnapshot();
  });

  test('snapshot: all options (Aurora MySQL, master secret, private subnets, pool settings, extra endpoint)', () => {
    const stack = testStack(new App());
    const vpc = testVpc(stack, VpcLayout.FULL);
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc,
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })],
    });
    const proxy = db.addAuroraProxy('Proxy', {
      authentication: AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      maxConnectionsPercent: 75,
      maxIdleConnectionsPercent: 20,
      connectionBorrowTimeout: Duration.seconds(60),
      idleClientTimeout: Duration.minutes(10),
      sessionPinningFilters: [rds.SessionPinningFilter.EXCLUDE_VARIABLE_SETS],
    });
    proxy.addEndpoint('Writes', { targetRole: AuroraProxyEndpointRole.READ_WRITE });
    proxy.grantConnect(new iam.Role(stack, 'App', { assumedBy: new iam.AccountRootPrincipal() }), db.masterUsername);
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});
