import * as path from 'path';
import { Annotations, ArnFormat, Aws, CustomResource, Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { acknowledge, ackReplicaCleanupPolicy, ACK_REPLICA_CLEANUP_FUNCTION } from './acknowledgements';
import * as defaults from './defaults';
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
  /** Whether the subnets route out through a NAT. */
  readonly hasEgress: boolean;
  readonly encryptionKey: kms.IKey;
  /** Name of the cleanup function's log group (under the prefix the cluster key lets CloudWatch Logs use). */
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  /** The cluster's removal policy: a retained cluster keeps its autoscaled replicas. */
  readonly clusterRemovalPolicy: RemovalPolicy;
}

/** The scalable dimension of Aurora readers (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html). */
export const READ_REPLICA_COUNT = 'rds:cluster:ReadReplicaCount';

/**
 * The S3 gateway endpoints this library created, per subnet: a route table takes one route to the S3 prefix list,
 * so clusters of one app whose subnets share route tables share the endpoint.
 */
const s3EndpointsBySubnet = new WeakMap<ec2.ISubnet, ec2.GatewayVpcEndpoint>();

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

    // The cleanup runs first when the stack is deleted: it depends on the scalable target, the cluster and every
    // instance, so it can refuse (deletion protection) before anything is touched, deregisters the target itself
    // (CloudFormation then finds it gone), and deletes the autoscaled replicas before the cluster goes.
    const handlerScope = new Construct(this, 'ReplicaCleanup');
    const { fn, sharedEndpoints } = createCleanupFunction(handlerScope, props);
    this.cleanupFunction = fn;
    this.cleanup = new CustomResource(this, 'Cleanup', {
      serviceToken: this.cleanupFunction.functionArn,
      resourceType: 'Custom::AuroraAutoscaledReplicaCleanup',
      properties: {
        ClusterIdentifier: props.cluster.clusterIdentifier,
        ClusterRemovalPolicy: props.clusterRemovalPolicy,
      },
      serviceTimeout: defaults.REPLICA_CLEANUP_SERVICE_TIMEOUT,
    });
    // The network path (security group rules, endpoints) must outlive the delete call.
    this.cleanup.node.addDependency(handlerScope, ...sharedEndpoints);

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
    }
    this.cleanup.node.addDependency(this.scalableTarget);
    for (const instance of props.instances) {
      this.cleanup.node.addDependency(instance.resource);
    }

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
 * The function behind the cleanup custom resource, in the cluster's subnets (Control Tower CT.LAMBDA.PR.3), with
 * the network path to the RDS and Application Auto Scaling APIs and to CloudFormation's response bucket.
 */
function createCleanupFunction(
  scope: Construct,
  props: ReaderAutoScalingProps,
): { fn: lambda.Function; sharedEndpoints: ec2.GatewayVpcEndpoint[] } {
  const stack = Stack.of(scope);
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description:
      'Autoscaled replica cleanup: HTTPS to the RDS and Application Auto Scaling APIs and the CloudFormation response bucket',
    allowAllOutbound: false,
  });
  // In isolated subnets HTTPS reaches only the VPC endpoints below; with egress it goes through the NAT.
  securityGroup.addEgressRule(
    ec2.Peer.anyIpv4(),
    ec2.Port.tcp(443),
    'AWS APIs and the CloudFormation response (HTTPS)',
  );

  const createEndpoints = props.options.createVpcEndpoints ?? !props.hasEgress;
  const { environment, sharedEndpoints } = createEndpoints
    ? createEndpointsFor(scope, props, securityGroup)
    : { environment: {}, sharedEndpoints: [] };

  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    logGroupName: props.logGroupName,
    encryptionKey: props.encryptionKey,
    retention: props.logRetention,
    removalPolicy: defaults.DEFAULT_RETAINED_REMOVAL_POLICY,
  });

  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Deletes the replicas Aurora Auto Scaling created in ${props.clusterIdentifier} before the cluster is deleted`,
  });
  const policy = new iam.ManagedPolicy(scope, 'Policy', {
    description: `Least privilege for the autoscaled replica cleanup of ${props.clusterIdentifier}`,
    statements: cleanupStatements(stack, props.clusterIdentifier, logGroup),
  });
  role.addManagedPolicy(policy);
  acknowledge(policy, ackReplicaCleanupPolicy(stack));

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
    role,
    vpc: props.vpc,
    vpcSubnets: props.subnets,
    securityGroups: [securityGroup],
    logGroup,
    environment,
  });
  fn.node.addDependency(policy);
  acknowledge(fn, ACK_REPLICA_CLEANUP_FUNCTION);
  return { fn, sharedEndpoints };
}

/**
 * Interface endpoints for the RDS and Application Auto Scaling APIs, reachable from the cleanup function only, and an
 * S3 gateway endpoint for its answer to CloudFormation. Returns the function's environment (endpoint URLs).
 *
 * The interface endpoints have private DNS off: the function calls them by their endpoint-specific DNS names, so the
 * VPC's DNS and any endpoint the VPC already has are left alone, and several clusters can have their own.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#access-aws-services-endpoint-specific
 */
function createEndpointsFor(
  scope: Construct,
  props: ReaderAutoScalingProps,
  functionSecurityGroup: ec2.ISecurityGroup,
): { environment: { [name: string]: string }; sharedEndpoints: ec2.GatewayVpcEndpoint[] } {
  const endpointSecurityGroup = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc: props.vpc,
    description: 'RDS and Application Auto Scaling API endpoints: HTTPS from the autoscaled replica cleanup only',
    allowAllOutbound: false,
  });
  endpointSecurityGroup.addIngressRule(functionSecurityGroup, ec2.Port.tcp(443), 'Autoscaled replica cleanup (HTTPS)');
  const urlOf = (id: string, service: ec2.InterfaceVpcEndpointAwsService) => {
    const endpoint = new ec2.InterfaceVpcEndpoint(scope, id, {
      vpc: props.vpc,
      service,
      subnets: props.subnets,
      privateDnsEnabled: false,
      open: false,
      securityGroups: [endpointSecurityGroup],
    });
    // DnsEntries: "<hosted zone>:<name>", the Regional name first.
    return `https://${Fn.select(1, Fn.split(':', Fn.select(0, endpoint.vpcEndpointDnsEntries)))}`;
  };
  const environment = {
    RDS_ENDPOINT_URL: urlOf('RdsEndpoint', ec2.InterfaceVpcEndpointAwsService.RDS),
    APPLICATION_AUTOSCALING_ENDPOINT_URL: urlOf(
      'ApplicationAutoScalingEndpoint',
      ec2.InterfaceVpcEndpointAwsService.APPLICATION_AUTOSCALING,
    ),
  };

  // The answer goes to a pre-signed URL of CloudFormation's bucket cloudformation-custom-resource-response-<Region
  // without dashes>; the gateway endpoint lets nothing else through.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-vpce-bucketnames.html
  const subnets = props.vpc.selectSubnets(props.subnets).subnets;
  const uncovered = subnets.filter((s) => !s3EndpointsBySubnet.has(s));
  const shared = [...new Set(subnets.map((s) => s3EndpointsBySubnet.get(s)))].filter(
    (e): e is ec2.GatewayVpcEndpoint => e !== undefined,
  );
  if (uncovered.length > 0) {
    const s3 = new ec2.GatewayVpcEndpoint(scope, 'S3Endpoint', {
      vpc: props.vpc,
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [{ subnets: uncovered }],
    });
    const region = Stack.of(scope).region;
    const regionWithoutDashes = Token.isUnresolved(region)
      ? Fn.join('', Fn.split('-', Aws.REGION))
      : region.replace(/-/g, '');
    s3.addToPolicy(
      new iam.PolicyStatement({
        sid: 'CloudFormationCustomResourceResponses',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [`arn:${Aws.PARTITION}:s3:::cloudformation-custom-resource-response-${regionWithoutDashes}/*`],
      }),
    );
    for (const subnet of uncovered) {
      s3EndpointsBySubnet.set(subnet, s3);
    }
  }
  return { environment, sharedEndpoints: shared };
}

/** The cleanup function's permissions: its log group, its VPC network interfaces, and this cluster only. */
function cleanupStatements(stack: Stack, clusterIdentifier: string, logGroup: logs.LogGroup): iam.PolicyStatement[] {
  const arn = (service: string, resource: string, resourceName: string, sep = ArnFormat.COLON_RESOURCE_NAME) =>
    stack.formatArn({ service, resource, resourceName, arnFormat: sep });
  return [
    new iam.PolicyStatement({
      sid: 'WriteOwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
    // What AWSLambdaVPCAccessExecutionRole grants: Lambda manages the function's network interfaces.
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions
    new iam.PolicyStatement({
      sid: 'LambdaVpcNetworkInterfaces',
      actions: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ReadThisCluster',
      actions: ['rds:DescribeDBClusters'],
      resources: [arn('rds', 'cluster', clusterIdentifier)],
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
    new iam.PolicyStatement({
      sid: 'DeregisterReaderScalableTarget',
      actions: ['application-autoscaling:DeregisterScalableTarget'],
      resources: [arn('application-autoscaling', 'scalable-target', '*', ArnFormat.SLASH_RESOURCE_NAME)],
      conditions: {
        StringEquals: {
          'application-autoscaling:service-namespace': 'rds',
          'application-autoscaling:scalable-dimension': READ_REPLICA_COUNT,
        },
      },
    }),
  ];
}
