import * as path from 'path';
import { Annotations, ArnFormat, CfnResource, CustomResource, Duration, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, ackReplicaCleanupPolicy } from './acknowledgements';
import * as defaults from './defaults';
import { omitDependsOnImpliedByReferences } from './dependencies';
import { ClusterInstanceInfo } from './instances';
import { throwIfBroken } from './validate';
import { readerAutoScalingRules } from './validate-readers';
import { ReaderAutoScalingOptions } from '../reader-autoscaling';

/** Everything reader autoscaling needs from its cluster. */
export interface ReaderAutoScalingProps {
  readonly options: ReaderAutoScalingOptions;
  readonly cluster: rds.DatabaseCluster;
  /** The literal DB cluster identifier (lowercase). */
  readonly clusterIdentifier: string;
  /** The cluster's instances, writer first. */
  readonly instances: ClusterInstanceInfo[];
  /** The analytics readers among `instances`. */
  readonly analyticsInstances: ClusterInstanceInfo[];
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly encryptionKey: kms.IKey;
  /** Name of the cleanup function's log group (under the prefix the cluster key lets CloudWatch Logs use). */
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
}

/** The scalable dimension of Aurora readers (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html). */
export const READ_REPLICA_COUNT = 'rds:cluster:ReadReplicaCount';

/**
 * Aurora Auto Scaling of readers: a scalable target on `rds:cluster:ReadReplicaCount`, target-tracking policies,
 * scheduled actions, and a custom resource that deletes the replicas autoscaling created before the cluster goes.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html
 */
export class ReaderAutoScaling extends Construct {
  public readonly scalableTarget: appscaling.ScalableTarget;
  public readonly cleanupFunction: lambda.Function;
  public readonly cleanup: CustomResource;

  constructor(scope: Construct, id: string, props: ReaderAutoScalingProps) {
    super(scope, id);
    const o = props.options;
    const minCapacity = o.minCapacity ?? defaults.DEFAULT_READER_AUTOSCALING_MIN_CAPACITY;
    const writer = props.instances.find((i) => i.isWriter);
    const readers = props.instances.filter((i) => !i.isWriter);
    throwIfBroken(scope.node.path, [
      ...readerAutoScalingRules({
        options: o,
        minCapacity,
        serverlessWriter: writer?.resource.dbInstanceClass === 'db.serverless',
        declaredReaders: readers.length,
      }),
    ]);
    warn(scope, props);

    // On deletion (of the stack, or of readerAutoScaling alone) CloudFormation first deletes the scaling policies
    // and the scalable target, which deregisters scaling (nothing adds replicas any more), then the cleanup, which
    // deletes the replicas autoscaling created when the cluster's own DeletionPolicy lets it go, then the instances
    // and the cluster. The cleanup depends on the cluster and every instance, the scalable target on the cleanup.
    const handlerScope = new Construct(this, 'ReplicaCleanup');
    const { fn, properties } = createCleanupFunction(handlerScope, props);
    this.cleanupFunction = fn;
    const cfnCluster = props.cluster.node.defaultChild as CfnResource;
    this.cleanup = new CustomResource(this, 'Cleanup', {
      serviceToken: this.cleanupFunction.functionArn,
      resourceType: 'Custom::AuroraAutoscaledReplicaCleanup',
      properties: {
        ClusterIdentifier: props.cluster.clusterIdentifier,
        // The DeletionPolicy the cluster has in the template, whatever set it (removalPolicy, applyRemovalPolicy,
        // RemovalPolicies.of(scope)): resolved at synthesis, after every aspect ran. Without one CloudFormation
        // snapshots and deletes a DB cluster.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
        ClusterDeletionPolicy: Lazy.string({ produce: () => cfnCluster.cfnOptions.deletionPolicy ?? 'Snapshot' }),
        ...properties,
      },
      serviceTimeout: defaults.REPLICA_CLEANUP_SERVICE_TIMEOUT,
    });
    // The network path (security group rules, endpoints) must outlive the delete call.
    this.cleanup.node.addDependency(handlerScope);
    omitDependsOnImpliedByReferences(this.cleanup.node.defaultChild as CfnResource);

    // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html: ResourceId is cluster:<DBClusterIdentifier>; the service-linked role is the one Application
    // Auto Scaling creates for RDS (no role of ours).
    // https://docs.aws.amazon.com/autoscaling/application/userguide/services-that-can-integrate-aurora.html
    this.scalableTarget = new appscaling.ScalableTarget(this, 'ScalableTarget', {
      serviceNamespace: appscaling.ServiceNamespace.RDS,
      scalableDimension: READ_REPLICA_COUNT,
      resourceId: `cluster:${props.clusterIdentifier}`,
      minCapacity,
      maxCapacity: o.maxCapacity,
      role: iam.Role.fromRoleArn(
        this,
        'ServiceLinkedRole',
        Stack.of(this).formatArn({
          service: 'iam',
          region: '',
          resource: 'role',
          resourceName:
            'aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster',
        }),
        { mutable: false },
      ),
    });
    // Aurora Auto Scaling acts only while the cluster and all its instances are available (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html).
    this.scalableTarget.node.addDependency(props.cluster);
    for (const instance of props.instances) {
      this.scalableTarget.node.addDependency(instance.resource);
      this.cleanup.node.addDependency(instance.resource);
    }
    this.scalableTarget.node.addDependency(this.cleanup);

    const policy = {
      scaleInCooldown: o.scaleInCooldown ?? defaults.DEFAULT_SCALING_COOLDOWN,
      scaleOutCooldown: o.scaleOutCooldown ?? defaults.DEFAULT_SCALING_COOLDOWN,
      disableScaleIn: o.disableScaleIn ?? false,
    };
    // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html: one policy per predefined metric.
    if (o.targetCpuUtilization !== undefined) {
      this.scalableTarget.scaleToTrackMetric('CpuTracking', {
        ...policy,
        predefinedMetric: appscaling.PredefinedMetric.RDS_READER_AVERAGE_CPU_UTILIZATION,
        targetValue: o.targetCpuUtilization,
      });
    }
    if (o.targetDatabaseConnections !== undefined) {
      this.scalableTarget.scaleToTrackMetric('ConnectionsTracking', {
        ...policy,
        predefinedMetric: appscaling.PredefinedMetric.RDS_READER_AVERAGE_DATABASE_CONNECTIONS,
        targetValue: o.targetDatabaseConnections,
      });
    }
    for (const schedule of o.schedules ?? []) {
      this.scalableTarget.scaleOnSchedule(schedule.name, {
        schedule: schedule.schedule,
        minCapacity: schedule.minCapacity,
        maxCapacity: schedule.maxCapacity,
        timeZone: schedule.timeZone,
        startTime: schedule.startTime,
        endTime: schedule.endTime,
      });
    }
  }
}

/** Advice that is not an error. */
function warn(scope: Construct, props: ReaderAutoScalingProps): void {
  const o = props.options;
  const writer = props.instances.find((i) => i.isWriter);
  const readers = props.instances.filter((i) => !i.isWriter);
  const appReaders = readers.filter((r) => !props.analyticsInstances.includes(r));
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html: autoscaled replicas copy the writer's instance class.
  const writerClass = writer?.resource.dbInstanceClass;
  const differing = appReaders.filter(
    (r) => !Token.isUnresolved(r.resource.dbInstanceClass) && r.resource.dbInstanceClass !== writerClass,
  );
  if (differing.length > 0 && writerClass !== undefined && !Token.isUnresolved(writerClass)) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:readerAutoScalingInstanceClass',
      `readers ${differing.map((r) => `${r.constructId} (${r.resource.dbInstanceClass})`).join(', ')} differ from the writer's ${writerClass}, which every replica that Aurora Auto Scaling adds copies (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html); the reader pool behind the reader endpoint will be uneven. Give the readers the writer's instance class`,
    );
  }
  // https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html: the reader metrics average every reader, the analytics readers too.
  if (
    props.analyticsInstances.length > 0 &&
    (o.targetCpuUtilization !== undefined || o.targetDatabaseConnections !== undefined)
  ) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:readerAutoScalingAnalyticsMetric',
      'the reader metrics that autoscaling tracks average every reader, the analytics readers included (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html): heavy analytics queries can add application replicas. Size the targets with that in mind',
    );
  }
  // Application Auto Scaling counts every Aurora Replica of the cluster (rds:cluster:ReadReplicaCount).
  if (!Token.isUnresolved(o.maxCapacity) && readers.length > 0 && o.maxCapacity <= readers.length) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:readerAutoScalingMaxBelowReaders',
      `maxCapacity ${o.maxCapacity} counts the ${readers.length} declared reader(s) too (rds:cluster:ReadReplicaCount is the cluster's replica count), so autoscaling can never add a replica (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-replicas-adding.html); raise maxCapacity above ${readers.length}`,
    );
  }
}

/**
 * The function behind the cleanup custom resource, in the cluster's subnets (Control Tower CT.LAMBDA.PR.3).
 *
 * It reaches only what it must: the RDS API and CloudFormation's response bucket, through interface endpoints of its
 * own (private DNS off, an endpoint security group that admits this function only), with egress to those endpoints
 * only. Nothing changes for other workloads in the VPC: no route table, no DNS name, no security group of theirs.
 * With `createVpcEndpoints: false` the function calls the public endpoints over HTTPS through whatever path the
 * subnets have.
 *
 * Returns the function and the custom resource properties that tell the handler where the endpoints are (passed as
 * properties, not environment variables: the function has no environment to encrypt).
 */
function createCleanupFunction(
  scope: Construct,
  props: ReaderAutoScalingProps,
): { fn: lambda.Function; properties: { [name: string]: string } } {
  const stack = Stack.of(scope);
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: 'Autoscaled replica cleanup: HTTPS to the RDS API and the CloudFormation response bucket only',
    allowAllOutbound: false,
  });

  const createEndpoints = props.options.createVpcEndpoints ?? true;
  let properties: { [name: string]: string } = {};
  if (createEndpoints) {
    properties = createEndpointsFor(scope, props, securityGroup);
  } else {
    securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      'The RDS API and the CloudFormation response (HTTPS)',
    );
  }

  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    logGroupName: props.logGroupName,
    encryptionKey: props.encryptionKey,
    retention: props.logRetention,
    removalPolicy: defaults.DEFAULT_RETAINED_REMOVAL_POLICY,
  });

  // Events that Lambda could not process after its retries (a crash or a timeout before the handler answered):
  // the event holds the pre-signed response URL, so an operator can still answer CloudFormation.
  // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
  const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: props.encryptionKey,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    // Declares it a dead-letter queue (Control Tower CT.SQS.PR.1 asks every other queue for a redrive policy). Its
    // source is a Lambda function, not a queue, so no source queue can be named ("byQueue").
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    removalPolicy: defaults.DEFAULT_RETAINED_REMOVAL_POLICY,
  });

  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Deletes the replicas Aurora Auto Scaling created in ${props.clusterIdentifier} before the cluster is deleted`,
  });
  const policy = new iam.ManagedPolicy(scope, 'Policy', {
    description: `Least privilege for the autoscaled replica cleanup of ${props.clusterIdentifier}`,
    statements: cleanupStatements(stack, props.clusterIdentifier, logGroup, deadLetterQueue, props.encryptionKey),
  });
  role.addManagedPolicy(policy);
  acknowledge(policy, ackReplicaCleanupPolicy(stack));
  // Checkov CKV_AWS_111 (write access without constraints) flags ec2:CreateNetworkInterface on "*", which is the only
  // resource Lambda accepts for it; every other write action of the policy names its resources.
  (policy.node.defaultChild as CfnResource).addMetadata('checkov', {
    skip: [
      {
        id: 'CKV_AWS_111',
        comment:
          'ec2:CreateNetworkInterface works only on "*" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions); Lambda needs it to place this function in the VPC. Every other write action names its resources.',
      },
    ],
  });

  const fn = new lambda.Function(scope, 'Function', {
    description: `Deletes the replicas Aurora Auto Scaling created in ${props.clusterIdentifier} before the cluster is deleted`,
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    // The handler (src/autoscaling-cleanup-handler) as committed JavaScript (projenrc/handlers.ts), the same path
    // from src/ and lib/, so that apps running the TypeScript sources deploy JavaScript too. It uses only the AWS
    // SDK that the Lambda runtime ships: no bundling, no Docker, no network at synth.
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'autoscaling-cleanup-handler')),
    timeout: defaults.REPLICA_CLEANUP_TIMEOUT,
    memorySize: 256,
    reservedConcurrentExecutions: 1,
    // Its permissions are all in the managed policy above (no inline policy).
    role: role.withoutPolicyUpdates(),
    vpc: props.vpc,
    vpcSubnets: props.subnets,
    securityGroups: [securityGroup],
    logGroup,
    deadLetterQueue,
  });
  fn.node.addDependency(policy);
  omitDependsOnImpliedByReferences(fn.node.defaultChild as CfnResource);
  return { fn, properties };
}

/**
 * Interface endpoints for the RDS API and for Amazon S3 (the CloudFormation response), reachable from the cleanup
 * function only. Returns the custom resource properties that name them.
 *
 * Private DNS is off: the function calls the endpoints by their endpoint-specific DNS names, so the VPC's DNS, its
 * route tables and any endpoint the VPC already has are left alone, and several clusters can have their own.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#access-aws-services-endpoint-specific
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html
 */
function createEndpointsFor(
  scope: Construct,
  props: ReaderAutoScalingProps,
  functionSecurityGroup: ec2.SecurityGroup,
): { [name: string]: string } {
  const endpointSecurityGroup = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc: props.vpc,
    description: 'RDS API and S3 endpoints of the autoscaled replica cleanup: HTTPS from that function only',
    allowAllOutbound: false,
  });
  // Adds the matching egress rule to the function's security group: HTTPS to these endpoints and nowhere else.
  functionSecurityGroup.connections.allowTo(
    endpointSecurityGroup,
    ec2.Port.tcp(443),
    'Autoscaled replica cleanup (HTTPS)',
  );
  const endpoint = (id: string, service: ec2.InterfaceVpcEndpointAwsService) => {
    const e = new ec2.InterfaceVpcEndpoint(scope, id, {
      vpc: props.vpc,
      service,
      subnets: props.subnets,
      privateDnsEnabled: false,
      open: false,
      securityGroups: [endpointSecurityGroup],
    });
    // DnsEntries: "<hosted zone>:<name>", the Regional name first.
    return { endpoint: e, name: Fn.select(1, Fn.split(':', Fn.select(0, e.vpcEndpointDnsEntries))) };
  };
  const rdsApi = endpoint('RdsEndpoint', ec2.InterfaceVpcEndpointAwsService.RDS);
  const s3 = endpoint('S3Endpoint', ec2.InterfaceVpcEndpointAwsService.S3);
  // The answer goes to a pre-signed URL of CloudFormation's bucket cloudformation-custom-resource-response-<Region
  // without dashes>: the only thing this endpoint lets through.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-vpce-bucketnames.html
  s3.endpoint.addToPolicy(
    new iam.PolicyStatement({
      sid: 'CloudFormationCustomResourceResponses',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`arn:${Stack.of(scope).partition}:s3:::cloudformation-custom-resource-response-*/*`],
    }),
  );
  return {
    RdsEndpointUrl: `https://${rdsApi.name}`,
    // The S3 endpoint's name is "*.vpce-<id>.s3.<region>.vpce.amazonaws.com"; bucket requests go to
    // bucket.vpce-<id>.s3.<region>.vpce.amazonaws.com (taken after ".vpce-", with or without the leading "*").
    ResponseEndpointHost: Fn.join('', ['bucket.vpce-', Fn.select(1, Fn.split('.vpce-', Fn.join('', ['.', s3.name])))]),
  };
}

/** The cleanup function's permissions: its log group and dead-letter queue, its VPC network interfaces, and the
 * autoscaled replicas of this cluster. */
function cleanupStatements(
  stack: Stack,
  clusterIdentifier: string,
  logGroup: logs.LogGroup,
  deadLetterQueue: sqs.Queue,
  key: kms.IKey,
): iam.PolicyStatement[] {
  const arn = (service: string, resource: string, resourceName: string) =>
    stack.formatArn({ service, resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return [
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
    // https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq
    new iam.PolicyStatement({
      sid: 'OwnDeadLetterQueue',
      actions: ['sqs:SendMessage'],
      resources: [deadLetterQueue.queueArn],
    }),
    // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
    new iam.PolicyStatement({
      sid: 'EncryptDeadLetters',
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: [key.keyArn],
    }),
    // What AWSLambdaVPCAccessExecutionRole grants: Lambda manages the function's network interfaces. Lambda documents
    // that ec2:CreateNetworkInterface and ec2:DescribeNetworkInterfaces work only on "*"; the others take the
    // network interfaces of this account and Region.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
    new iam.PolicyStatement({
      sid: 'LambdaVpcNetworkInterfaces',
      actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'LambdaVpcNetworkInterfaceChanges',
      actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: [
        stack.formatArn({
          service: 'ec2',
          resource: 'network-interface',
          resourceName: '*',
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ListClusterInstances',
      actions: ['rds:DescribeDBInstances'],
      resources: [arn('rds', 'db', '*')],
    }),
    // Only the replicas Aurora Auto Scaling created for this cluster: their identifier prefix and the tag it adds.
    // Tag conditions on DB instances (rds:db-tag):
    // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAM.SpecifyingCustomTags.html
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html#Aurora.Integrating.AutoScaling.Concepts.Tagging
    new iam.PolicyStatement({
      sid: 'DeleteAutoscaledReplicasOfThisCluster',
      actions: ['rds:DeleteDBInstance'],
      resources: [arn('rds', 'db', 'application-autoscaling-*')],
      conditions: {
        StringEquals: { 'rds:db-tag/application-autoscaling:resourceId': `cluster:${clusterIdentifier}` },
      },
    }),
  ];
}
