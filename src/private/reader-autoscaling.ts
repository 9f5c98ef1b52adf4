import { Annotations, ArnFormat, CfnResource, CustomResource, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { acknowledge, ackReplicaCleanupPolicy } from './acknowledgements';
import * as defaults from './defaults';
import { omitDependsOnImpliedByReferences } from './dependencies';
import { ClusterInstanceInfo } from './instances';
import { throwIfBroken } from './validate';
import { readerAutoScalingRules } from './validate-readers';
import { createVpcFunction, VpcFunction } from './vpc-function';
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
function createCleanupFunction(scope: Construct, props: ReaderAutoScalingProps): VpcFunction {
  const stack = Stack.of(scope);
  const description = `Deletes the replicas Aurora Auto Scaling created in ${props.clusterIdentifier} before the cluster is deleted`;
  return createVpcFunction(scope, {
    vpc: props.vpc,
    subnets: props.subnets,
    createVpcEndpoints: props.options.createVpcEndpoints ?? true,
    title: 'Autoscaled replica cleanup',
    titleInSentence: 'the autoscaled replica cleanup',
    egressDescription: 'Autoscaled replica cleanup (HTTPS)',
    description,
    policyDescription: `Least privilege for the autoscaled replica cleanup of ${props.clusterIdentifier}`,
    assetDirectory: 'autoscaling-cleanup-handler',
    timeout: defaults.REPLICA_CLEANUP_TIMEOUT,
    logGroupName: props.logGroupName,
    logRetention: props.logRetention,
    encryptionKey: props.encryptionKey,
    statements: cleanupStatements(stack, props.clusterIdentifier),
    acknowledgePolicy: (policy) => acknowledge(policy, ackReplicaCleanupPolicy(stack)),
  });
}

/** The cleanup function's own permissions (beyond its logs, queue and network interfaces): the autoscaled replicas of
 * this cluster. */
function cleanupStatements(stack: Stack, clusterIdentifier: string): iam.PolicyStatement[] {
  const arn = (service: string, resource: string, resourceName: string) =>
    stack.formatArn({ service, resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  return [
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
