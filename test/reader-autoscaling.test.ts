import { App, Aws, Duration, RemovalPolicies, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps, ReaderAutoScalingOptions } from '../src';
import { MYSQL_3_08, POSTGRES_16_4, R6G_LARGE, testStack, testVpc, VpcLayout } from './util';

const provisioned = (id: string) => rds.ClusterInstance.provisioned(id, { instanceType: R6G_LARGE });
/** A provisioned writer and one provisioned reader: what Aurora Auto Scaling needs. */
const PROVISIONED: Partial<AuroraClusterProps> = { writer: provisioned('Writer'), readers: [provisioned('Reader')] };
const CPU_60: ReaderAutoScalingOptions = { maxCapacity: 8, targetCpuUtilization: 60 };

function synth(props: Partial<AuroraClusterProps> = {}, layout = VpcLayout.ISOLATED, stack: Stack = testStack()) {
  const vpc = testVpc(stack, layout);
  const db = new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc, ...PROVISIONED, ...props });
  return { stack, vpc, db, template: Template.fromStack(stack) };
}

/** The logical id of a construct's default child. */
function logicalId(stack: Stack, path: string): string {
  const c = stack.node
    .findChild('Db')
    .node.findAll()
    .find((x) => x.node.path === `${stack.node.path}/Db/${path}`);
  if (!c) throw new Error(`no ${path}`);
  return stack.resolve((c as unknown as { logicalId: string }).logicalId);
}

/** Templates with asset hashes scrubbed, for snapshots. */
function scrubbed(template: Template): unknown {
  return JSON.parse(JSON.stringify(template.toJSON()).replace(/[0-9a-f]{64}\.zip/g, 'ASSET_HASH.zip'));
}

describe('AuroraCluster reader autoscaling', () => {
  describe('scalable target and policies', () => {
    const full = synth({
      readerAutoScaling: {
        minCapacity: 2,
        maxCapacity: 8,
        targetCpuUtilization: 60,
        targetDatabaseConnections: 500,
        scaleInCooldown: Duration.minutes(10),
        scaleOutCooldown: Duration.minutes(2),
        disableScaleIn: true,
        schedules: [
          {
            name: 'BusinessHours',
            schedule: appscaling.Schedule.cron({ minute: '0', hour: '8', weekDay: 'MON-FRI' }),
            minCapacity: 4,
            timeZone: TimeZone.EUROPE_BERLIN,
          },
          {
            name: 'Night',
            schedule: appscaling.Schedule.cron({ minute: '0', hour: '20' }),
            minCapacity: 2,
            maxCapacity: 4,
            startTime: new Date('2030-01-01T00:00:00Z'),
            endTime: new Date('2031-01-01T00:00:00Z'),
          },
        ],
      },
    });
    const minimal = synth({ readerAutoScaling: CPU_60 });

    test('registers the cluster on rds:cluster:ReadReplicaCount with resource id cluster:<identifier>', () => {
      full.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'rds',
        ScalableDimension: 'rds:cluster:ReadReplicaCount',
        ResourceId: full.stack.resolve(`cluster:${full.db.clusterIdentifier}`),
        MinCapacity: 2,
        MaxCapacity: 8,
      });
    });

    test('uses the service-linked role Application Auto Scaling creates for RDS, and no role of its own', () => {
      full.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        RoleARN: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':iam::123456789012:role/aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster',
            ],
          ],
        },
      });
      const roles = Object.values(full.template.findResources('AWS::IAM::Role')).map((r) =>
        JSON.stringify(r.Properties.AssumeRolePolicyDocument),
      );
      expect(roles.some((r) => r.includes('application-autoscaling.amazonaws.com'))).toBe(false);
    });

    test('registers only once the cluster and every instance exist (scaling needs them available)', () => {
      const target = Object.values(full.template.findResources('AWS::ApplicationAutoScaling::ScalableTarget'))[0];
      expect(target.DependsOn).toEqual(
        expect.arrayContaining([
          logicalId(full.stack, 'Cluster/Resource'),
          logicalId(full.stack, 'Cluster/Writer/Resource'),
          logicalId(full.stack, 'Cluster/Reader/Resource'),
        ]),
      );
    });

    test("tracks the readers' average CPU with the given target, cooldowns and scale-in setting", () => {
      full.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        PolicyType: 'TargetTrackingScaling',
        ScalingTargetId: { Ref: logicalId(full.stack, 'ReaderAutoScaling/ScalableTarget/Resource') },
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageCPUUtilization' },
          TargetValue: 60,
          ScaleInCooldown: 600,
          ScaleOutCooldown: 120,
          DisableScaleIn: true,
        },
      });
    });

    test("tracks the readers' average connections in a second policy (one per metric)", () => {
      full.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 2);
      full.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageDatabaseConnections' },
          TargetValue: 500,
        },
      });
    });

    test('schedules changes of the range, with time zone and validity window', () => {
      full.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ScheduledActions: [
          {
            ScheduledActionName: 'BusinessHours',
            Schedule: 'cron(0 8 ? * MON-FRI *)',
            Timezone: 'Europe/Berlin',
            ScalableTargetAction: { MinCapacity: 4 },
          },
          {
            ScheduledActionName: 'Night',
            Schedule: 'cron(0 20 * * ? *)',
            ScalableTargetAction: { MinCapacity: 2, MaxCapacity: 4 },
            StartTime: '2030-01-01T00:00:00Z',
            EndTime: '2031-01-01T00:00:00Z',
          },
        ],
      });
    });

    test('defaults: at least 1 replica, 5-minute cooldowns, scale-in allowed, only the requested policy', () => {
      minimal.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: 1,
        MaxCapacity: 8,
        ScheduledActions: Match.absent(),
      });
      minimal.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 1);
      minimal.template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: {
          ScaleInCooldown: 300,
          ScaleOutCooldown: 300,
          DisableScaleIn: false,
        },
      });
    });

    test('exposes the scalable target for more policies and schedules', () => {
      // GIVEN
      const stack = testStack(new App(), 'Expose');
      const db = new AuroraCluster(stack, 'Db', {
        engine: MYSQL_3_08,
        vpc: testVpc(stack),
        ...PROVISIONED,
        readerAutoScaling: CPU_60,
      });
      // WHEN
      db.readerScalableTarget!.scaleOnSchedule('Weekend', {
        schedule: appscaling.Schedule.cron({ minute: '0', hour: '0', weekDay: 'SAT' }),
        maxCapacity: 2,
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ScheduledActions: [Match.objectLike({ ScheduledActionName: 'Weekend' })],
      });
      expect(db.readerReplicaCleanupFunction).toBeDefined();
    });

    test('a cluster without readerAutoScaling gets none of it', () => {
      const plain = synth({});
      plain.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
      plain.template.resourceCountIs('AWS::Lambda::Function', 0);
      plain.template.resourceCountIs('Custom::AuroraAutoscaledReplicaCleanup', 0);
      expect(plain.db.readerScalableTarget).toBeUndefined();
    });

    describe('replica cleanup (stack deletion is not blocked by autoscaled replicas)', () => {
      const functionId = () => logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/Function/Resource');

      test('a custom resource on the cluster calls the cleanup function, with a 30-minute service timeout', () => {
        full.template.hasResourceProperties('Custom::AuroraAutoscaledReplicaCleanup', {
          ServiceToken: { 'Fn::GetAtt': [functionId(), 'Arn'] },
          ClusterIdentifier: { Ref: logicalId(full.stack, 'Cluster/Resource') },
          ClusterDeletionPolicy: 'Snapshot',
          RdsEndpointUrl: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          ResponseEndpointHost: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          ServiceTimeout: '1800',
        });
      });

      test('is deleted after the scalable target (scaling is deregistered first), before every instance and the cluster', () => {
        const cleanupId = Object.keys(full.template.findResources('Custom::AuroraAutoscaledReplicaCleanup'))[0];
        const cleanup = full.template.findResources('Custom::AuroraAutoscaledReplicaCleanup')[cleanupId];
        expect(cleanup.DependsOn).toEqual(
          expect.arrayContaining([
            logicalId(full.stack, 'Cluster/Writer/Resource'),
            logicalId(full.stack, 'Cluster/Reader/Resource'),
          ]),
        );
        expect(cleanup.DependsOn).not.toContain(logicalId(full.stack, 'ReaderAutoScaling/ScalableTarget/Resource'));
        const target = full.template.findResources('AWS::ApplicationAutoScaling::ScalableTarget')[
          logicalId(full.stack, 'ReaderAutoScaling/ScalableTarget/Resource')
        ];
        expect(target.DependsOn).toContain(cleanupId);
        // and the cluster through its reference
        expect(cleanup.Properties.ClusterIdentifier).toEqual({ Ref: logicalId(full.stack, 'Cluster/Resource') });
      });

      test.each([
        ['removalPolicy RETAIN', { removalPolicy: RemovalPolicy.RETAIN }, undefined, 'Retain'],
        ['removalPolicy DESTROY', { removalPolicy: RemovalPolicy.DESTROY }, undefined, 'Delete'],
        [
          'RemovalPolicies.of(stack).retain() after construction',
          {},
          (stack: Stack) => RemovalPolicies.of(stack).retain(),
          'Retain',
        ],
        [
          'applyRemovalPolicy(DESTROY) on the cluster after construction',
          {},
          (_stack: Stack, db: AuroraCluster) => db.cluster.applyRemovalPolicy(RemovalPolicy.DESTROY),
          'Delete',
        ],
      ] as const)(
        'tells the function the DeletionPolicy the cluster ends up with: %s',
        (_name, props, after, expected) => {
          const stack = testStack(new App(), 'Policy');
          const vpc = testVpc(stack);
          const db = new AuroraCluster(stack, 'Db', {
            engine: MYSQL_3_08,
            vpc,
            ...PROVISIONED,
            readerAutoScaling: CPU_60,
            ...props,
          });
          after?.(stack, db);
          const template = Template.fromStack(stack);
          const cluster = template.findResources('AWS::RDS::DBCluster');
          expect(Object.values(cluster)[0].DeletionPolicy).toBe(expected);
          template.hasResourceProperties('Custom::AuroraAutoscaledReplicaCleanup', { ClusterDeletionPolicy: expected });
        },
      );

      test('the custom resource outlives its function, role, log group, security groups and endpoints', () => {
        const cleanup = Object.values(full.template.findResources('Custom::AuroraAutoscaledReplicaCleanup'))[0];
        const ids = (...paths: string[]) =>
          paths.map((p) => logicalId(full.stack, `ReaderAutoScaling/ReplicaCleanup/${p}`));
        // The function and the endpoints through its properties (ServiceToken, endpoint names), the rest through
        // DependsOn: nothing twice (cfn-lint W3005).
        const referenced = ids('Function/Resource', 'RdsEndpoint/Resource', 'S3Endpoint/Resource');
        const rendered = JSON.stringify(cleanup.Properties);
        for (const id of referenced) expect(rendered).toContain(`"${id}"`);
        expect(cleanup.DependsOn).toEqual(
          expect.arrayContaining(
            ids(
              'Role/Resource',
              'Policy/Resource',
              'LogGroup/Resource',
              'SecurityGroup/Resource',
              'EndpointSecurityGroup/Resource',
            ),
          ),
        );
        expect(cleanup.DependsOn).toEqual(expect.not.arrayContaining([referenced[0]]));
        expect(cleanup.DependsOn).toEqual(expect.not.arrayContaining([referenced[1]]));
        expect(cleanup.DependsOn).toEqual(expect.not.arrayContaining([referenced[2]]));
        // The function waits for its managed policy, and names its role only in its Role property.
        const fn = full.template.findResources('AWS::Lambda::Function');
        const [fnResource] = Object.values(fn);
        expect(fnResource.DependsOn).toEqual(expect.arrayContaining(ids('Policy/Resource')));
        expect(fnResource.DependsOn).toEqual(expect.not.arrayContaining(ids('Role/Resource')));
      });

      test("the function runs the latest Node.js runtime in the cluster's subnets, with reserved concurrency", () => {
        full.template.hasResourceProperties('AWS::Lambda::Function', {
          Runtime: lambda.Runtime.NODEJS_LATEST.name,
          Handler: 'index.handler',
          Timeout: 900,
          ReservedConcurrentExecutions: 1,
          VpcConfig: {
            SubnetIds: full.vpc.isolatedSubnets.map((s) => full.stack.resolve(s.subnetId)),
            SecurityGroupIds: [
              {
                'Fn::GetAtt': [
                  logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/SecurityGroup/Resource'),
                  'GroupId',
                ],
              },
            ],
          },
          LoggingConfig: {
            LogGroup: { Ref: logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/LogGroup/Resource') },
          },
        });
      });

      test('logs to a log group encrypted with the cluster key, kept a year and retained', () => {
        full.template.hasResource('AWS::Logs::LogGroup', {
          Properties: {
            LogGroupName: full.stack.resolve(
              `/aws/rds/cluster/${full.db.clusterIdentifier}/autoscaled-replica-cleanup`,
            ),
            KmsKeyId: { 'Fn::GetAtt': [logicalId(full.stack, 'EncryptionKey/Resource'), 'Arn'] },
            RetentionInDays: 365,
          },
          DeletionPolicy: 'Retain',
        });
      });

      test('its role has only a customer-managed policy: no inline and no AWS-managed policy', () => {
        const role = Object.values(full.template.findResources('AWS::IAM::Role')).find((r) =>
          JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('lambda.amazonaws.com'),
        )!;
        expect(role.Properties.ManagedPolicyArns).toEqual([
          { Ref: logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/Policy/Resource') },
        ]);
        full.template.resourceCountIs('AWS::IAM::Policy', 0);
      });

      test("may delete only this cluster's application-autoscaling-* instances (tag condition)", () => {
        full.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Sid: 'DeleteAutoscaledReplicasOfThisCluster',
                Effect: 'Allow',
                Action: 'rds:DeleteDBInstance',
                Resource: {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:db:application-autoscaling-*'],
                  ],
                },
                Condition: {
                  StringEquals: {
                    'rds:db-tag/application-autoscaling:resourceId': full.stack.resolve(
                      `cluster:${full.db.clusterIdentifier}`,
                    ),
                  },
                },
              },
            ]),
          },
        });
      });

      test('lists instances, deletes nothing else, calls no Application Auto Scaling API, and writes its own logs', () => {
        full.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Sid: 'WriteOwnLogs',
                Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
                Resource: {
                  'Fn::GetAtt': [logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/LogGroup/Resource'), 'Arn'],
                },
              }),
              Match.objectLike({ Sid: 'ListClusterInstances', Action: 'rds:DescribeDBInstances' }),
            ]),
          },
        });
        const documents = JSON.stringify(
          Object.values(full.template.findResources('AWS::IAM::ManagedPolicy')).map((p) => p.Properties.PolicyDocument),
        );
        expect(documents).not.toMatch(/"application-autoscaling:[A-Z*]|rds:DescribeDBClusters|"rds:\*"|"\*:\*"/);
      });

      test('its dead-letter queue is encrypted with the cluster key, HTTPS only, and the only queue it may write to', () => {
        const queueId = logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/DeadLetterQueue/Resource');
        full.template.hasResourceProperties('AWS::Lambda::Function', {
          DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          Environment: Match.absent(),
        });
        full.template.hasResourceProperties('AWS::SQS::Queue', {
          KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(full.stack, 'EncryptionKey/Resource'), 'Arn'] },
          RedriveAllowPolicy: { redrivePermission: 'allowAll' },
        });
        full.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          PolicyDocument: {
            Statement: [Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })],
          },
        });
        full.template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } }),
            ]),
          },
        });
      });

      test('in isolated subnets, reaches RDS and S3 through interface endpoints of its own (private DNS off)', () => {
        for (const service of ['rds', 's3']) {
          full.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
            ServiceName: `com.amazonaws.us-east-1.${service}`,
            VpcEndpointType: 'Interface',
            PrivateDnsEnabled: false,
            SecurityGroupIds: [
              {
                'Fn::GetAtt': [
                  logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/EndpointSecurityGroup/Resource'),
                  'GroupId',
                ],
              },
            ],
          });
        }
      });

      test('changes nothing other workloads reach: no gateway endpoint, no route, no private DNS', () => {
        const endpoints = Object.values(full.template.findResources('AWS::EC2::VPCEndpoint'));
        expect(endpoints.filter((e) => e.Properties.VpcEndpointType !== 'Interface')).toEqual([]);
        expect(endpoints.filter((e) => e.Properties.PrivateDnsEnabled !== false)).toEqual([]);
        expect(endpoints.filter((e) => e.Properties.RouteTableIds !== undefined)).toEqual([]);
      });

      test('egress goes to its own endpoints only, which admit HTTPS from the cleanup function only', () => {
        const functionSg = {
          'Fn::GetAtt': [logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/SecurityGroup/Resource'), 'GroupId'],
        };
        const endpointSg = {
          'Fn::GetAtt': [
            logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/EndpointSecurityGroup/Resource'),
            'GroupId',
          ],
        };
        full.template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
          GroupId: endpointSg,
          SourceSecurityGroupId: functionSg,
          FromPort: 443,
          ToPort: 443,
          IpProtocol: 'tcp',
        });
        full.template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
          GroupId: functionSg,
          DestinationSecurityGroupId: endpointSg,
          FromPort: 443,
          ToPort: 443,
        });
        const sg =
          full.template.findResources('AWS::EC2::SecurityGroup')[
            logicalId(full.stack, 'ReaderAutoScaling/ReplicaCleanup/SecurityGroup/Resource')
          ];
        expect(JSON.stringify(sg.Properties.SecurityGroupEgress ?? [])).not.toContain('0.0.0.0/0');
      });

      test("the S3 endpoint only lets answers into CloudFormation's response buckets", () => {
        full.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          ServiceName: 'com.amazonaws.us-east-1.s3',
          PolicyDocument: {
            Statement: [
              {
                Sid: 'CloudFormationCustomResourceResponses',
                Effect: 'Allow',
                Principal: { AWS: '*' },
                Action: 's3:PutObject',
                Resource: {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':s3:::cloudformation-custom-resource-response-*/*'],
                  ],
                },
              },
            ],
          },
        });
      });

      test('in private subnets with egress, it still uses endpoints of its own: its egress does not depend on the NAT', () => {
        const egress = synth({ readerAutoScaling: CPU_60 }, VpcLayout.PRIVATE_WITH_EGRESS);
        egress.template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 2);
        egress.template.hasResourceProperties('AWS::Lambda::Function', {
          VpcConfig: Match.objectLike({
            SubnetIds: egress.vpc.privateSubnets.map((s) => egress.stack.resolve(s.subnetId)),
          }),
        });
      });

      test("createVpcEndpoints: false: no endpoint, HTTPS out through the VPC's own path", () => {
        const own = synth({ readerAutoScaling: { ...CPU_60, createVpcEndpoints: false } });
        // only the Secrets Manager endpoint of the rotation remains
        own.template.resourceCountIs('AWS::EC2::VPCEndpoint', 1);
        own.template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
          ServiceName: 'com.amazonaws.us-east-1.secretsmanager',
        });
        own.template.hasResourceProperties('Custom::AuroraAutoscaledReplicaCleanup', {
          RdsEndpointUrl: Match.absent(),
          ResponseEndpointHost: Match.absent(),
        });
        const sg =
          own.template.findResources('AWS::EC2::SecurityGroup')[
            logicalId(own.stack, 'ReaderAutoScaling/ReplicaCleanup/SecurityGroup/Resource')
          ];
        expect(sg.Properties.SecurityGroupEgress).toEqual([
          expect.objectContaining({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 }),
        ]);
      });

      test('two clusters on the same subnets each have their own endpoints and no gateway endpoint', () => {
        // GIVEN
        const stack = testStack(new App(), 'Two');
        const vpc = testVpc(stack);
        // WHEN
        new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc, ...PROVISIONED, readerAutoScaling: CPU_60 });
        new AuroraCluster(stack, 'Db2', { engine: POSTGRES_16_4, vpc, ...PROVISIONED, readerAutoScaling: CPU_60 });
        // THEN
        const template = Template.fromStack(stack);
        template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.us-east-1.s3' }, 2);
        template.resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' }, 0);
      });
    });
  });

  describe('advice', () => {
    test('warns when declared readers differ in class from the writer, which autoscaled replicas copy', () => {
      const { stack } = synth({
        readers: [rds.ClusterInstance.serverlessV2('Reader', { scaleWithWriter: true })],
        readerAutoScaling: CPU_60,
      });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp("readers Reader \\(db.serverless\\) differ from the writer's db.r6g.large"),
      );
    });

    test('warns that analytics readers count in the reader metrics', () => {
      const { stack } = synth({ analytics: { readers: [provisioned('Bi')] }, readerAutoScaling: CPU_60 });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp(
          'analytics readers included \\(https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html\\)',
        ),
      );
    });

    test('warns when maxCapacity leaves no room above the declared readers, which it counts', () => {
      const { stack } = synth({
        readers: [provisioned('R1'), provisioned('R2')],
        readerAutoScaling: { maxCapacity: 2, targetCpuUtilization: 60 },
      });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp('maxCapacity 2 counts the 2 declared reader'),
      );
    });

    test('a homogeneous cluster gets no autoscaling warning', () => {
      const { stack } = synth({ readerAutoScaling: CPU_60 });
      const warnings = Annotations.fromStack(stack).findWarning(
        '*',
        Match.stringLikeRegexp('readerAutoScaling|AS-\\d'),
      );
      expect(warnings).toEqual([]);
    });
  });

  describe('validation', () => {
    const build = (props: Partial<AuroraClusterProps>) => {
      const stack = testStack(new App(), 'V');
      return new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), ...PROVISIONED, ...props });
    };
    const scaling = (o: Partial<ReaderAutoScalingOptions>): Partial<AuroraClusterProps> => ({
      readerAutoScaling: { ...CPU_60, ...o },
    });
    const cron = appscaling.Schedule.cron({ minute: '0', hour: '8' });

    test.each<[string, Partial<AuroraClusterProps>, RegExp]>([
      [
        'a Serverless v2 writer, pointing to the Serverless v2 reader alternative',
        { writer: rds.ClusterInstance.serverlessV2('Writer'), readerAutoScaling: CPU_60 },
        /V\/Db: readerAutoScaling: Aurora Auto Scaling is not supported with a Serverless v2 writer \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-serverless-v2\.requirements\.html#aurora-serverless-v2\.limitations.*promotion tiers 2-15/,
      ],
      [
        'minCapacity above maxCapacity',
        scaling({ minCapacity: 5, maxCapacity: 3 }),
        /readerAutoScaling.minCapacity: 5 is greater than maxCapacity 3 \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/Aurora\.Integrating\.AutoScaling\.html#Aurora\.Integrating\.AutoScaling\.Concepts\.Capacity\)/,
      ],
      [
        'maxCapacity above 15',
        scaling({ maxCapacity: 16 }),
        /readerAutoScaling.maxCapacity: must be a whole number of Aurora Replicas from 0 to 15, got 16/,
      ],
      [
        'a negative minCapacity',
        scaling({ minCapacity: -1 }),
        /readerAutoScaling.minCapacity: must be a whole number .* got -1/,
      ],
      [
        'a fractional maxCapacity',
        scaling({ maxCapacity: 2.5 }),
        /readerAutoScaling.maxCapacity: must be a whole number .* got 2.5/,
      ],
      [
        'minCapacity 0 without readers',
        { readers: [], ...scaling({ minCapacity: 0 }) },
        /readerAutoScaling.minCapacity: 0 with no reader in the cluster/,
      ],
      [
        'no metric and no schedule',
        { readerAutoScaling: { maxCapacity: 4 } },
        /readerAutoScaling: sets no target metric and no schedule/,
      ],
      [
        'a CPU target of 0',
        scaling({ targetCpuUtilization: 0 }),
        /targetCpuUtilization: must be a percentage greater than 0 and less than 100, got 0/,
      ],
      ['a CPU target of 100', scaling({ targetCpuUtilization: 100 }), /targetCpuUtilization: .* got 100/],
      ['a CPU target of 120', scaling({ targetCpuUtilization: 120 }), /targetCpuUtilization: .* got 120/],
      [
        'a connections target of 0',
        scaling({ targetDatabaseConnections: 0 }),
        /targetDatabaseConnections: must be greater than 0, got 0/,
      ],
      [
        'a schedule name with a colon',
        scaling({ schedules: [{ name: 'a:b', schedule: cron, minCapacity: 1 }] }),
        /schedules\[0\].name: 'a:b' must be 1 to 256 characters/,
      ],
      [
        'a schedule name with a trailing space',
        scaling({ schedules: [{ name: 'x ', schedule: cron, minCapacity: 1 }] }),
        /schedules\[0\].name: 'x ' must be/,
      ],
      [
        'two schedules with one name',
        scaling({
          schedules: [
            { name: 'Day', schedule: cron, minCapacity: 1 },
            { name: 'Day', schedule: cron, maxCapacity: 3 },
          ],
        }),
        /schedules\[1\].name: 'Day' is used by another schedule/,
      ],
      [
        'a schedule that changes nothing',
        scaling({ schedules: [{ name: 'Noop', schedule: cron }] }),
        /schedules\[0\]: changes neither minCapacity nor maxCapacity/,
      ],
      [
        'a schedule with min above max',
        scaling({ schedules: [{ name: 'S', schedule: cron, minCapacity: 4, maxCapacity: 2 }] }),
        /schedules\[0\].minCapacity: 4 is greater than maxCapacity 2/,
      ],
      [
        'a schedule above 15',
        scaling({ schedules: [{ name: 'S', schedule: cron, maxCapacity: 20 }] }),
        /schedules\[0\].maxCapacity: must be a whole number .* got 20/,
      ],
      [
        'a schedule down to 0 without readers',
        { readers: [], ...scaling({ schedules: [{ name: 'S', schedule: cron, minCapacity: 0 }] }) },
        /schedules\[0\].minCapacity: 0 with no declared reader/,
      ],
    ])('rejects %s', (_name, props, expected) => {
      expect(() => build(props)).toThrow(expected);
    });

    test('accepts the boundaries: 0 and 15 with a declared reader, a CPU target of 99.9, a schedule only', () => {
      expect(() => build(scaling({ minCapacity: 0, maxCapacity: 15, targetCpuUtilization: 99.9 }))).not.toThrow();
      expect(() =>
        build({
          readerAutoScaling: {
            maxCapacity: 3,
            schedules: [{ name: 'Business hours', schedule: cron, minCapacity: 2 }],
          },
        }),
      ).not.toThrow();
    });

    test('the alternative for Serverless v2 writers: readers outside tiers 0-1 scale on their own', () => {
      // GIVEN the recipe the error points to
      const stack = testStack(new App(), 'Alt');
      new AuroraCluster(stack, 'Db', {
        engine: POSTGRES_16_4,
        vpc: testVpc(stack),
        readers: [rds.ClusterInstance.serverlessV2('Reader1'), rds.ClusterInstance.serverlessV2('Reader2')],
      });
      // THEN
      const tiers = Object.values(Template.fromStack(stack).findResources('AWS::RDS::DBInstance')).map(
        (i) => i.Properties.PromotionTier,
      );
      expect(tiers.sort()).toEqual([0, 2, 2]);
    });
  });
});

describe('AuroraCluster reader autoscaling stability', () => {
  const stack = testStack();
  const vpc = testVpc(stack);
  new AuroraCluster(stack, 'Db', {
    engine: MYSQL_3_08,
    vpc,
    ...PROVISIONED,
    analytics: { readers: [provisioned('Bi')] },
    readerAutoScaling: { maxCapacity: 8, targetCpuUtilization: 60, targetDatabaseConnections: 300 },
  });
  const template = Template.fromStack(stack);

  test('logical IDs of the autoscaling resources never change', () => {
    const ids = (type: string) => Object.keys(template.findResources(type)).sort();
    expect(ids('AWS::ApplicationAutoScaling::ScalableTarget')).toEqual(['DbReaderAutoScalingScalableTarget31C36F3B']);
    expect(ids('AWS::ApplicationAutoScaling::ScalingPolicy')).toEqual([
      'DbReaderAutoScalingScalableTargetConnectionsTrackingC52D7617',
      'DbReaderAutoScalingScalableTargetCpuTrackingE2EA5DF9',
    ]);
    expect(ids('Custom::AuroraAutoscaledReplicaCleanup')).toEqual(['DbReaderAutoScalingCleanup8C687A3C']);
    expect(ids('AWS::Lambda::Function')).toEqual(['DbReaderAutoScalingReplicaCleanupFunction42B4CBDA']);
    // the cluster and its instances keep the ids of a cluster without autoscaling
    expect(ids('AWS::RDS::DBCluster')).toEqual(['DbClusterA0CF0968']);
    expect(ids('AWS::RDS::DBInstance')).toEqual([
      'DbClusterBi67B8834E',
      'DbClusterReader0DA6EF65',
      'DbClusterWriter04F49224',
    ]);
  });

  test('snapshot: reader autoscaling and analytics (Aurora MySQL, isolated subnets)', () => {
    expect(scrubbed(template)).toMatchSnapshot();
  });
});

describe('AuroraCluster reader autoscaling acknowledgements', () => {
  /** The acknowledged rule ids recorded on the cleanup policy. */
  const acknowledgedIds = (app: App) => {
    const stack = testStack(app);
    const { db } = synth({ readerAutoScaling: CPU_60 }, VpcLayout.ISOLATED, stack);
    const policy = db.node.findChild('ReaderAutoScaling').node.findChild('ReplicaCleanup').node.findChild('Policy');
    // Recorded on the policy's CfnResource, in the namespace cdk-nag matches on that resource only.
    return policy.node
      .defaultChild!.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data));
  };

  test.each([
    ['a partition token', {}, '<AWS::Partition>'],
    ['@aws-cdk/core:enablePartitionLiterals', { '@aws-cdk/core:enablePartitionLiterals': true }, 'aws'],
  ])('name ARNs as cdk-nag renders them, with %s', (_, context, partition) => {
    // GIVEN an app with or without partition literals WHEN a cluster has reader autoscaling
    const ids = acknowledgedIds(new App({ context }));
    // THEN the granular ids spell the partition as the template does
    expect(ids).toEqual(
      expect.arrayContaining([
        `Annotation::AwsSolutions-IAM5[Resource::arn:${partition}:ec2:us-east-1:123456789012:network-interface/*]`,
        `Annotation::AwsSolutions-IAM5[Resource::arn:${partition}:rds:us-east-1:123456789012:db:*]`,
        `Annotation::AwsSolutions-IAM5[Resource::arn:${partition}:rds:us-east-1:123456789012:db:application-autoscaling-*]`,
      ]),
    );
  });
});
