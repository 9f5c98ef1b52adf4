import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ActivityStreamMode, AuroraCluster, AuroraClusterProps } from '../src';
import { MYSQL_3_04, MYSQL_3_08, POSTGRES_16_4, R6G_LARGE, testStack, testVpc, VpcLayout } from './util';

const provisioned = (id: string, instanceType = R6G_LARGE) => rds.ClusterInstance.provisioned(id, { instanceType });
const PROVISIONED: Partial<AuroraClusterProps> = { writer: provisioned('Writer'), readers: [provisioned('Reader')] };

function synth(props: Partial<AuroraClusterProps> = {}, layout = VpcLayout.ISOLATED, stack: Stack = testStack()) {
  const vpc = testVpc(stack, layout);
  const db = new AuroraCluster(stack, 'Db', {
    engine: POSTGRES_16_4,
    vpc,
    ...PROVISIONED,
    activityStream: {},
    ...props,
  });
  return { stack, vpc, db, template: Template.fromStack(stack) };
}

/** The logical id of a resource under `Db/`. */
function logicalIdOf(stack: Stack, path: string): string {
  const c = stack.node.findAll().find((x) => x.node.path === `${stack.node.path}/Db/${path}`);
  if (!c) throw new Error(`no ${path}`);
  return stack.resolve((c as unknown as { logicalId: string }).logicalId);
}

describe('AuroraCluster activity stream', () => {
  describe('custom resource', () => {
    const { stack, db, template } = synth();
    const clusterId = logicalIdOf(stack, 'Cluster/Resource');
    const keyId = logicalIdOf(stack, 'ActivityStream/Key/Resource');

    test('starts the stream of this cluster, asynchronously and at once by default, with its own key', () => {
      template.hasResourceProperties('Custom::AuroraActivityStream', {
        ClusterIdentifier: { Ref: clusterId },
        ClusterArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
        KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Mode: 'async',
        ApplyImmediately: 'true',
        RdsEndpointUrl: Match.anyValue(),
        ResponseEndpointHost: Match.anyValue(),
        ServiceTimeout: '1800',
      });
    });

    test('waits for every instance, and its network path outlives it; nothing redundant (cfn-lint W3005)', () => {
      const resource = Object.values(template.findResources('Custom::AuroraActivityStream'))[0] as {
        DependsOn: string[];
      };
      const endpointSg = 'ActivityStream/Handler/EndpointSecurityGroup';
      expect(resource.DependsOn.sort()).toEqual(
        [
          logicalIdOf(stack, 'Cluster/Writer/Resource'),
          logicalIdOf(stack, 'Cluster/Reader/Resource'),
          logicalIdOf(stack, 'ActivityStream/Handler/DeadLetterQueue/Policy/Resource'),
          stack.resolve(
            (
              stack.node
                .findAll()
                .find((c) => c.node.path.startsWith(`TestStack/Db/${endpointSg}/from`)) as unknown as {
                logicalId: string;
              }
            ).logicalId,
          ),
          stack.resolve(
            (
              stack.node
                .findAll()
                .find((c) =>
                  c.node.path.startsWith('TestStack/Db/ActivityStream/Handler/SecurityGroup/to'),
                ) as unknown as {
                logicalId: string;
              }
            ).logicalId,
          ),
        ].sort(),
      );
      // The cluster is ordered by the Ref in ClusterIdentifier, the function by ServiceToken.
      expect(resource.DependsOn).not.toContain(clusterId);
    });

    test('logical ids are pinned: the key and the custom resource keep theirs across releases', () => {
      expect(keyId).toBe('DbActivityStreamKeyCCC3BF22');
      expect(Object.keys(template.findResources('Custom::AuroraActivityStream'))).toEqual(['DbActivityStreamEEB89AC6']);
    });

    test('the key is customer-managed with rotation, and kept when the stack goes', () => {
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({
          Description: Match.stringLikeRegexp('Database Activity Stream'),
          EnableKeyRotation: true,
        }),
        DeletionPolicy: 'Retain',
      });
    });

    test('the key policy lets the function create grants for AWS resources and describe the key, nothing else', () => {
      const key = template.findResources('AWS::KMS::Key')[keyId] as {
        Properties: { KeyPolicy: { Statement: { Sid?: string }[] } };
      };
      const statements = key.Properties.KeyPolicy.Statement;
      expect(statements.find((s) => s.Sid === 'AllowActivityStreamStart')).toEqual({
        Sid: 'AllowActivityStreamStart',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::GetAtt': [logicalIdOf(stack, 'ActivityStream/Handler/Role/Resource'), 'Arn'] } },
        Action: ['kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      });
      expect(statements.map((s) => s.Sid)).toEqual(
        expect.arrayContaining(['DenyGrantsNotForAwsResources', 'AllowActivityStreamStart']),
      );
    });

    test('the policy names exactly this cluster for the RDS calls and this stream key for KMS', () => {
      const policy = Object.values(template.findResources('AWS::IAM::ManagedPolicy')).find((p) =>
        JSON.stringify(p).includes('Database Activity Stream'),
      ) as { Properties: { PolicyDocument: { Statement: { Sid: string }[] }; Roles: unknown[] } };
      const bySid = Object.fromEntries(policy.Properties.PolicyDocument.Statement.map((s) => [s.Sid, s]));
      expect(Object.keys(bySid).sort()).toEqual([
        'ActivityStreamKeyDescription',
        'ActivityStreamKeyGrant',
        'ActivityStreamOfThisCluster',
        'EncryptDeadLetters',
        'LambdaVpcNetworkInterfaceChanges',
        'LambdaVpcNetworkInterfaces',
        'OwnDeadLetterQueue',
        'WriteOwnLogs',
      ]);
      expect(stack.resolve(bySid.ActivityStreamOfThisCluster)).toEqual({
        Sid: 'ActivityStreamOfThisCluster',
        Effect: 'Allow',
        Action: ['rds:StartActivityStream', 'rds:StopActivityStream', 'rds:DescribeDBClusters'],
        Resource: stack.resolve(db.clusterArn),
      });
      expect(bySid.ActivityStreamKeyGrant).toEqual({
        Sid: 'ActivityStreamKeyGrant',
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      });
      expect(bySid.ActivityStreamKeyDescription).toEqual({
        Sid: 'ActivityStreamKeyDescription',
        Effect: 'Allow',
        Action: 'kms:DescribeKey',
        Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
      });
      expect(policy.Properties.Roles).toEqual([{ Ref: logicalIdOf(stack, 'ActivityStream/Handler/Role/Resource') }]);
    });

    test("the function runs in the cluster's subnets, with its log group, dead-letter queue and one concurrent run", () => {
      const fnId = logicalIdOf(stack, 'ActivityStream/Handler/Function/Resource');
      expect(template.findResources('AWS::Lambda::Function')[fnId]).toBeDefined();
      template.hasResourceProperties('AWS::Lambda::Function', {
        Role: { 'Fn::GetAtt': [logicalIdOf(stack, 'ActivityStream/Handler/Role/Resource'), 'Arn'] },
        Handler: 'index.handler',
        Timeout: 900,
        ReservedConcurrentExecutions: 1,
        VpcConfig: {
          SubnetIds: stack.resolve(db.vpc.isolatedSubnets.map((s) => s.subnetId)),
          SecurityGroupIds: [
            { 'Fn::GetAtt': [logicalIdOf(stack, 'ActivityStream/Handler/SecurityGroup/Resource'), 'GroupId'] },
          ],
        },
        DeadLetterConfig: { TargetArn: Match.anyValue() },
        LoggingConfig: { LogGroup: Match.anyValue() },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('activity-stream')])],
        }),
      });
    });

    test('its own RDS and S3 endpoints, private DNS off, reachable from the function only; egress only to them', () => {
      const endpointSg = logicalIdOf(stack, 'ActivityStream/Handler/EndpointSecurityGroup/Resource');
      template.resourcePropertiesCountIs(
        'AWS::EC2::VPCEndpoint',
        { PrivateDnsEnabled: false, SecurityGroupIds: [{ 'Fn::GetAtt': [endpointSg, 'GroupId'] }] },
        2,
      );
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Database Activity Stream function'),
        SecurityGroupEgress: Match.absent(),
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: { 'Fn::GetAtt': [logicalIdOf(stack, 'ActivityStream/Handler/SecurityGroup/Resource'), 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] },
        FromPort: 443,
        ToPort: 443,
      });
    });

    test('exposes the stream (named by the custom resource), its key and the function', () => {
      expect(stack.resolve(db.activityStreamName)).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack, 'ActivityStream/Resource/Default'), 'KinesisStreamName'],
      });
      expect(stack.resolve(db.activityStream!.streamArn)).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':kinesis:us-east-1:123456789012:stream/',
            { 'Fn::GetAtt': [logicalIdOf(stack, 'ActivityStream/Resource/Default'), 'KinesisStreamName'] },
          ],
        ],
      });
      expect(db.activityStreamKey).toBeDefined();
      expect(db.activityStreamFunction).toBeDefined();
    });
  });

  describe('options', () => {
    test('synchronous mode on Aurora PostgreSQL, started in the next maintenance window', () => {
      const { template } = synth({ activityStream: { mode: ActivityStreamMode.SYNC, applyImmediately: false } });
      template.hasResourceProperties('Custom::AuroraActivityStream', { Mode: 'sync', ApplyImmediately: 'false' });
    });

    test('without endpoints of its own: no endpoint, HTTPS out through the subnets', () => {
      const { template } = synth({ activityStream: { createVpcEndpoints: false } }, VpcLayout.PRIVATE_WITH_EGRESS);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Database Activity Stream function'),
        SecurityGroupEgress: [
          { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() },
        ],
      });
      const resource = Object.values(
        Template.fromJSON(template.toJSON()).findResources('Custom::AuroraActivityStream'),
      )[0] as {
        Properties: Record<string, unknown>;
      };
      expect(resource.Properties.RdsEndpointUrl).toBeUndefined();
    });

    test('no activity stream by default: no custom resource, no stream properties', () => {
      const { db, template } = synth({ activityStream: undefined });
      template.resourceCountIs('Custom::AuroraActivityStream', 0);
      expect(db.activityStream).toBeUndefined();
      expect(() => db.grantActivityStreamRead(new iam.AccountRootPrincipal())).toThrow(
        /TestStack\/Db.grantActivityStreamRead: activityStream: the cluster has no activity stream/,
      );
    });
  });

  describe('grantActivityStreamRead', () => {
    test('gives the consumer the Kinesis read actions on the stream and kms:Decrypt on its key', () => {
      // GIVEN
      const stack = testStack();
      const db = new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc: testVpc(stack),
        ...PROVISIONED,
        activityStream: {},
      });
      const consumer = new iam.Role(stack, 'Consumer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      // WHEN
      db.grantActivityStreamRead(consumer);
      // THEN
      const template = Template.fromStack(stack);
      const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p) =>
        JSON.stringify(p).includes('kinesis:GetRecords'),
      ) as { Properties: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } } };
      const statements = policy.Properties.PolicyDocument.Statement;
      const kinesisStatement = statements.find((s) => [s.Action].flat().includes('kinesis:GetRecords'))!;
      expect(stack.resolve(kinesisStatement.Resource)).toEqual(stack.resolve(db.activityStream!.streamArn));
      const kmsStatement = statements.find((s) => [s.Action].flat().includes('kms:Decrypt'))!;
      expect(kmsStatement.Resource).toEqual({
        'Fn::GetAtt': [logicalIdOf(stack, 'ActivityStream/Key/Resource'), 'Arn'],
      });
    });
  });

  describe('validation', () => {
    test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
      [
        'a Serverless v2 writer',
        { writer: rds.ClusterInstance.serverlessV2('Writer'), readers: [] },
        /TestStack\/Db: activityStream: Database Activity Streams are not supported with Aurora Serverless v2, and Writer is a Serverless v2 instance \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.Aurora_Fea_Regions_DB-eng\.Feature\.DBActivityStreams\.html\); give the writer/,
      ],
      [
        'a Serverless v2 reader',
        { readers: [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })] },
        /Reader is a Serverless v2 instance/,
      ],
      [
        'a burstable instance class',
        { writer: provisioned('Writer', ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM)) },
        /activityStream: Database Activity Streams support only the memory-optimized .* instance classes on Aurora PostgreSQL, not Writer \(db\.t4g\.medium\) \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/DBActivityStreams\.html#DBActivityStreams\.Overview\.requirements\.classes\)/,
      ],
      [
        'a burstable reader on Aurora MySQL',
        {
          engine: MYSQL_3_08,
          readers: [provisioned('Reader', ec2.InstanceType.of(ec2.InstanceClass.T3, ec2.InstanceSize.MEDIUM))],
        },
        /on Aurora MySQL, not Reader \(db\.t3\.medium\)/,
      ],
      [
        'synchronous mode on Aurora MySQL',
        { engine: MYSQL_3_08, activityStream: { mode: ActivityStreamMode.SYNC } },
        /activityStream\.mode: Aurora MySQL supports only the asynchronous mode \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/DBActivityStreams\.html#DBActivityStreams\.Overview\.sync-mode\); use ActivityStreamMode\.ASYNC/,
      ],
      [
        'a mode that is not one of the enum (a JavaScript caller)',
        { activityStream: { mode: 'SYNC' as ActivityStreamMode } },
        /activityStream\.mode: must be ActivityStreamMode\.ASYNC or ActivityStreamMode\.SYNC, got "SYNC"/,
      ],
      [
        'Babelfish',
        { parameters: { 'rds.babelfish_status': 'on' } },
        /activityStream: Database Activity Streams are not supported with Babelfish/,
      ],
    ])('rejects %s', (_name, props, error) => {
      expect(() => synth(props)).toThrow(error);
    });

    test('rejects Aurora MySQL in a Region where AWS does not offer activity streams for it', () => {
      const stack = testStack(undefined, 'TestStack', { account: '123456789012', region: 'eu-central-2' });
      expect(() => synth({ engine: MYSQL_3_08 }, VpcLayout.ISOLATED, stack)).toThrow(
        /activityStream: Database Activity Streams for Aurora MySQL are not available in eu-central-2 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Concepts\.Aurora_Fea_Regions_DB-eng\.Feature\.DBActivityStreams\.html\)/,
      );
    });

    test('rejects Aurora MySQL 2 before 2.11', () => {
      const engine = rds.DatabaseClusterEngine.auroraMysql({
        version: rds.AuroraMysqlEngineVersion.of('5.7.mysql_aurora.2.10.2', '5.7'),
      });
      expect(() => synth({ engine })).toThrow(/need Aurora MySQL 2\.11 or later|2\.10/);
    });

    test('accepts Aurora MySQL 3 in asynchronous mode on memory-optimized instances', () => {
      expect(() => synth({ engine: MYSQL_3_08 })).not.toThrow();
    });

    test('warns about a memory-optimized class AWS does not list (it may be newer than the library)', () => {
      const { stack } = synth({
        writer: provisioned('Writer', ec2.InstanceType.of(ec2.InstanceClass.R6GD, ec2.InstanceSize.LARGE)),
      });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp('Writer \\(db\\.r6gd\\.large\\) is not among the instance classes AWS lists'),
      );
    });

    test('warns that an older Aurora MySQL in isolated subnets must reach AWS KMS itself', () => {
      const { stack } = synth({ engine: MYSQL_3_04 });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp('must reach the AWS KMS endpoint themselves'),
      );
    });

    test('no KMS path warning for Aurora MySQL 3.08', () => {
      const { stack } = synth({ engine: MYSQL_3_08 });
      Annotations.fromStack(stack).hasNoWarning('/TestStack/Db', Match.stringLikeRegexp('AWS KMS endpoint'));
    });

    test('an instance class given as a deploy-time value passes through with a warning', () => {
      const stack = testStack();
      const cls = new CfnParameter(stack, 'WriterClass', { default: 'r6g.large' }).valueAsString;
      const { stack: s, template } = synth(
        { writer: rds.ClusterInstance.provisioned('Writer', { instanceType: new ec2.InstanceType(cls) }) },
        VpcLayout.ISOLATED,
        stack,
      );
      template.resourceCountIs('Custom::AuroraActivityStream', 1);
      Annotations.fromStack(s).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp('Writer.instanceType is a deploy-time value'),
      );
    });

    test('an environment-agnostic Aurora MySQL stack passes with a warning about the Region', () => {
      const stack = new Stack(undefined, 'Agnostic');
      const vpc = testVpc(stack);
      new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc, ...PROVISIONED, activityStream: {} });
      Annotations.fromStack(stack).hasWarning('/Agnostic/Db', Match.stringLikeRegexp('region is a deploy-time value'));
    });
  });
});
