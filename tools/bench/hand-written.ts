/**
 * The reference architecture (apps/reference/reference-app.ts) written by hand with aws-cdk-lib alone: the same stacks,
 * clusters, instances, parameter groups, keys, log groups, roles, security groups, secret rotation, reader
 * autoscaling with its replica cleanup, analytics endpoints, RDS Proxy, Global Database and secondary clusters, and
 * grants, with the same construct ids: the same topology and resource counts by type (test/hand-written.test.ts
 * checks it). `npx projen bench` times the two against each other. This is also what the library saves its users from
 * writing.
 *
 * No import of the library: what it derives (cluster, proxy, endpoint and global cluster identifiers, the
 * engine's parameters and log types, ports) is written out as literals, and the acknowledgements it records are
 * recorded here by hand (they matter when the bench runs the compliance packs). One thing is shared: the replica
 * cleanup function's code (assets/autoscaling-cleanup-handler), which a hand-written app would have to write too and
 * which must be the same asset for the templates to be equal.
 */
import * as path from 'path';
import {
  App,
  ArnFormat,
  Aws,
  CfnResource,
  CustomResource,
  Duration,
  CfnElement,
  Fn,
  Lazy,
  RemovalPolicy,
  Stack,
  StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import {
  INVENTORY_ENGINE,
  ORDERS_ENGINE,
  REFERENCE_PREFIX,
  REFERENCE_REGIONS,
  WRITER_INSTANCE_TYPE,
} from '../../apps/reference/reference-config';
import { networkStack, ReferenceNetwork } from '../../apps/reference/reference-network';

const EXCLUDE_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/** Aurora PostgreSQL's audit and TLS parameters, and its one log type. */
const POSTGRES_PARAMETERS = {
  shared_preload_libraries: 'pg_stat_statements,pgaudit',
  'pgaudit.log': 'ddl,role',
  'pgaudit.role': 'rds_pgaudit',
  log_connections: '1',
  log_disconnections: '1',
  'rds.force_ssl': '1',
};
const POSTGRES_LOG_TYPES = ['postgresql'];
const ORDERS_PORT = 5433;
const GLOBAL_CLUSTER_IDENTIFIER = 'auroraref-orders-us-east-1-global7c59ac82-a9361987';

/** `<name>-<first group of the stack's UUID>`: a name that a stack deployed again after `cdk destroy` does not reuse. */
function stackScoped(name: string): string {
  return `${name}-${Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))))}`;
}

/** `<stack name>/<logical id>`: a description that survives refactors which keep logical ids. */
function labelOf(resource: () => CfnElement): string {
  return Lazy.string({
    produce: () => `${Stack.of(resource()).stackName}/${Stack.of(resource()).resolve(resource().logicalId)}`,
  });
}

/**
 * Rules between a cluster's own security groups described by the peer's logical id, the rotation function named
 * after its logical id, the master secret kept with the snapshot: what a hand-written app needs so that refactors
 * keeping logical ids change nothing.
 */
function stabilize(scope: Construct, secret: IConstruct | undefined): void {
  const stack = Stack.of(scope);
  const groups = scope.node.findAll().filter((c): c is ec2.CfnSecurityGroup => c instanceof ec2.CfnSecurityGroup);
  for (const rule of scope.node.findAll()) {
    const isIngress = rule instanceof ec2.CfnSecurityGroupIngress;
    if (!isIngress && !(rule instanceof ec2.CfnSecurityGroupEgress)) continue;
    // The two rule types share `description`; the peer is a source on ingress, a destination on egress.
    const r = rule as { description?: string };
    const match = /^(?:from|to) [A-Za-z0-9]+:([0-9-]+)$/.exec(r.description ?? '');
    const peerRef = stack.resolve(
      rule instanceof ec2.CfnSecurityGroupIngress
        ? rule.sourceSecurityGroupId
        : (rule as ec2.CfnSecurityGroupEgress).destinationSecurityGroupId,
    );
    const peer = groups.find((g) => stack.resolve(g.logicalId) === peerRef?.['Fn::GetAtt']?.[0]);
    if (!match || !peer) continue;
    r.description = Lazy.string({
      produce: () => `${isIngress ? 'from' : 'to'} ${stack.resolve(peer.logicalId)}:${match[1]}`,
    });
  }
  for (const app of scope.node.findAll().filter((c): c is CfnResource => c instanceof CfnResource)) {
    if (app.cfnResourceType !== 'AWS::Serverless::Application') continue;
    app.addPropertyOverride(
      'Parameters.functionName',
      Lazy.string({ produce: () => `${stack.stackName}${stack.resolve(app.logicalId)}` }),
    );
  }
  if (secret) (secret as secretsmanager.Secret).applyRemovalPolicy(RemovalPolicy.RETAIN);
}

/**
 * Records acknowledgements on one CloudFormation resource (the construct's default child), in the `Annotation`
 * namespace: cdk-nag matches them on that resource only (see the README's acknowledgement recipe).
 */
function acknowledge(construct: IConstruct, acks: Record<string, string>): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild!;
  for (const [id, reason] of Object.entries(acks)) {
    resource.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`Annotation::${id}`]: reason });
  }
}

/** `arn:<partition>:<service>:<region>:<account>:` as cdk-nag renders it in finding ids. */
function nagArnPrefix(stack: Stack, service: string): string {
  const render = (value: string, token: string) => (Token.isUnresolved(value) ? token : value);
  return `arn:${render(stack.partition, '<AWS::Partition>')}:${service}:${render(stack.region, '<AWS::Region>')}:${render(stack.account, '<AWS::AccountId>')}:`;
}

/**
 * The recommended CloudWatch alarms and RDS event notifications of one cluster, to an encrypted, TLS-only topic: what
 * `addRecommendedAlarms()` and `addEventSubscriptions()` write.
 */
function operations(
  cluster: Construct & { readonly instances: rds.CfnDBInstance[] },
  clusterIdentifier: string,
  mysql: boolean,
  withReaderAutoScaling: boolean,
  globalSecondary = false,
): sns.ITopic {
  const stack = Stack.of(cluster);
  const key = new kms.Key(cluster, 'OperationsTopicKey', {
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [
        new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
        new iam.ServicePrincipal('events.rds.amazonaws.com'),
      ],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
    }),
  );
  const topic = new sns.Topic(cluster, 'OperationsTopic', { masterKey: key, enforceSSL: true });
  for (const [service, resource] of [
    ['cloudwatch', 'alarm:*'],
    ['rds', '*'],
  ]) {
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [
          new iam.ServicePrincipal(service === 'rds' ? 'events.rds.amazonaws.com' : 'cloudwatch.amazonaws.com'),
        ],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:${service}:${stack.region}:${stack.account}:${resource}` },
          StringEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
  }
  const action = new cwActions.SnsAction(topic);
  const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;
  const LT = cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD;
  type Row = [string, string, number, number, cloudwatch.ComparisonOperator];
  const alarm = (
    id: string,
    dimensionsMap: Record<string, string>,
    [metricName, statistic, threshold, points, op]: Row,
  ) => {
    const a = new cloudwatch.Alarm(cluster, id, {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/RDS',
        metricName,
        dimensionsMap,
        statistic,
        period: Duration.minutes(1),
      }),
      threshold,
      evaluationPeriods: points,
      datapointsToAlarm: points,
      comparisonOperator: op,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
      actionsEnabled: true,
    });
    a.addAlarmAction(action);
    a.addOkAction(action);
  };
  for (const instance of cluster.instances) {
    const serverless = instance.dbInstanceClass === 'db.serverless';
    const rows: Row[] = [
      ['CPUUtilization', 'Average', 90, 5, GT],
      ['ReadLatency', 'p90', 0.02, 5, GT],
      ['WriteLatency', 'p90', 0.02, 5, GT],
      ['BufferCacheHitRatio', 'Average', 80, 10, LT],
      mysql
        ? [
            'RollbackSegmentHistoryListLength',
            'Average',
            1_000_000,
            5,
            cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          ]
        : ['MaximumUsedTransactionIDs', 'Average', 1_000_000_000, 1, GT],
      ...(serverless
        ? ([
            ['FreeableMemory', 'Average', 0.05 * 16 * 2 * 1024 ** 3, 15, LT],
            ['ACUUtilization', 'Average', 90, 15, GT],
          ] as Row[])
        : ([['DBLoad', 'Average', 2, 15, GT]] as Row[])),
    ];
    for (const row of rows) {
      alarm(`${instance.node.scope!.node.id}${row[0]}`, { DBInstanceIdentifier: instance.ref }, row);
    }
  }
  if (globalSecondary) {
    // A secondary has no writer: its lag behind the primary instead.
    alarm('GlobalLag', { DBClusterIdentifier: clusterIdentifier }, ['AuroraGlobalDBRPOLag', 'Maximum', 30_000, 5, GT]);
  } else {
    alarm('WriterUptime', { DBClusterIdentifier: clusterIdentifier, Role: 'WRITER' }, [
      'EngineUptime',
      'Average',
      0,
      2,
      cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
    ]);
  }
  if (withReaderAutoScaling) {
    alarm('ReaderCpu', { DBClusterIdentifier: clusterIdentifier, Role: 'READER' }, [
      'CPUUtilization',
      'Average',
      90,
      5,
      GT,
    ]);
  }
  if (mysql) {
    alarm('VolumeLeft', { DBClusterIdentifier: clusterIdentifier }, [
      'AuroraVolumeBytesLeftTotal',
      'Average',
      0.1 * 128 * 1024 ** 4,
      5,
      LT,
    ]);
  }
  new rds.CfnEventSubscription(cluster, 'ClusterEvents', {
    snsTopicArn: topic.topicArn,
    sourceType: 'db-cluster',
    sourceIds: [clusterIdentifier],
    eventCategories: ['configuration change', 'deletion', 'failover', 'failure', 'maintenance', 'notification'],
    enabled: true,
  });
  if (cluster.instances.length === 0) return topic;
  new rds.CfnEventSubscription(cluster, 'InstanceEvents', {
    snsTopicArn: topic.topicArn,
    sourceType: 'db-instance',
    sourceIds: cluster.instances.map((i) => i.ref),
    eventCategories: [
      'availability',
      'configuration change',
      'deletion',
      'failover',
      'failure',
      'low storage',
      'maintenance',
      'notification',
      'recovery',
    ],
    enabled: true,
  });
  return topic;
}

/** A customer-managed key with rotation, that only lets AWS services create grants, usable by CloudWatch Logs. */
function clusterKey(scope: Construct, description: string, logGroupPrefix: string): kms.Key {
  const key = new kms.Key(scope, 'EncryptionKey', {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'DenyGrantsNotForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsForAuroraLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': Stack.of(scope).formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: `${logGroupPrefix}*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  return key;
}

/** Log groups created before the cluster, encrypted, kept a year. */
function clusterLogGroups(scope: Construct, logTypes: string[], prefix: string, key: kms.IKey): logs.LogGroup[] {
  return logTypes.map(
    (type) =>
      new logs.LogGroup(scope, `LogGroup-${type}`, {
        logGroupName: `${prefix}${type}`,
        encryptionKey: key,
        retention: logs.RetentionDays.ONE_YEAR,
        removalPolicy: RemovalPolicy.RETAIN,
      }),
  );
}

/** Enhanced Monitoring through a customer-managed policy scoped to RDSOSMetrics. */
function monitoringRole(scope: Construct): iam.Role {
  const stack = Stack.of(scope);
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: 'RDSOSMetrics',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const role = new iam.Role(scope, 'MonitoringRole', {
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
    description: 'Enhanced Monitoring for Aurora instances',
  });
  const policy = new iam.ManagedPolicy(scope, 'MonitoringRolePolicy', {
    description: 'Lets RDS Enhanced Monitoring write OS metrics to the RDSOSMetrics log group',
    statements: [
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
        resources: [logGroupArn],
      }),
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        resources: [`${logGroupArn}:log-stream:*`],
      }),
    ],
  });
  role.addManagedPolicy(policy);
  acknowledge(policy, {
    [`AwsSolutions-IAM5[Resource::${nagArnPrefix(stack, 'logs')}log-group:RDSOSMetrics:log-stream:*]`]:
      'Enhanced Monitoring writes one log stream per DB instance resource id into the RDSOSMetrics log group.',
  });
  return role;
}

/** Instances are never public, take minor upgrades, and are protected by the cluster's backups. */
function hardenInstance(instance: rds.CfnDBInstance): void {
  instance.publiclyAccessible = false;
  instance.autoMinorVersionUpgrade = true;
  acknowledge(
    instance,
    Object.fromEntries(
      ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5'].map((pack) => [
        `${pack}-RDSInBackupPlan`,
        'AWS Backup protects the Aurora cluster, not its instances.',
      ]),
    ),
  );
}

/** A custom endpoint (`AWS::RDS::DBClusterEndpoint`: aws-cdk-lib 2.262 has no L1 for it). */
function clusterEndpoint(
  scope: Construct,
  id: string,
  props: {
    cluster: string;
    identifier: string;
    staticMembers?: string[];
    excludedMembers?: string[];
    instances: CfnResource[];
  },
): CfnResource {
  const endpoint = new CfnResource(new Construct(scope, id), 'Resource', {
    type: 'AWS::RDS::DBClusterEndpoint',
    properties: {
      DBClusterIdentifier: props.cluster,
      DBClusterEndpointIdentifier: props.identifier,
      CustomEndpointType: 'READER',
      StaticMembers: props.staticMembers,
      ExcludedMembers: props.excludedMembers,
    },
  });
  // Members are ordered by their Ref already; the others by a DependsOn.
  const members = JSON.stringify(endpoint.stack.resolve([props.staticMembers, props.excludedMembers]));
  for (const instance of props.instances) {
    if (!members.includes(`"${endpoint.stack.resolve((instance as CfnResource).logicalId)}"`)) {
      endpoint.node.addDependency(instance);
    }
  }
  return endpoint;
}

/** What differs between the two clusters of the primary Region. */
interface HandWrittenClusterOptions {
  readonly engine: rds.IClusterEngine;
  readonly vpc: ec2.IVpc;
  readonly clusterIdentifier: string;
  readonly port: number;
  readonly logTypes: string[];
  readonly parameters: Record<string, string>;
  readonly writer: rds.IClusterInstance;
  readonly readers: rds.IClusterInstance[];
  readonly serverlessV2MinCapacity: number;
  readonly serverlessV2MaxCapacity: number;
  readonly backtrackWindow?: Duration;
  readonly rotationApplication: secretsmanager.SecretRotationApplication;
}

/** An Aurora cluster with every hardening the library applies, by hand. */
class HandWrittenCluster extends Construct {
  public readonly cluster: rds.DatabaseCluster;
  public readonly connections: ec2.Connections;
  public readonly key: kms.Key;
  public readonly subnets: ec2.SubnetSelection;
  public readonly logGroupPrefix: string;
  /** The CloudFormation instances, writer first. */
  public readonly instances: rds.CfnDBInstance[];

  constructor(scope: Construct, id: string, options: HandWrittenClusterOptions) {
    super(scope, id);
    this.subnets = {
      subnets: options.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnets,
    };
    const subnets = this.subnets;

    this.logGroupPrefix = `/aws/rds/cluster/${options.clusterIdentifier}/`;
    const label = labelOf(() => this.cluster.node.defaultChild as CfnElement);
    const key = clusterKey(this, `Aurora cluster ${label}`, this.logGroupPrefix);
    this.key = key;
    const logGroups = clusterLogGroups(this, options.logTypes, this.logGroupPrefix, key);

    const parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine: options.engine,
      description: `Aurora cluster ${label}: TLS required, audit logging on`,
      parameters: options.parameters,
    });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: options.vpc,
      description: `Aurora cluster ${label}: no ingress until a peer is allowed`,
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [securityGroup],
      defaultPort: ec2.Port.tcp(options.port),
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: options.engine,
      vpc: options.vpc,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      port: options.port,
      clusterIdentifier: options.clusterIdentifier,
      writer: options.writer,
      readers: options.readers,
      serverlessV2MinCapacity: options.serverlessV2MinCapacity,
      serverlessV2MaxCapacity: options.serverlessV2MaxCapacity,
      credentials: rds.Credentials.fromGeneratedSecret('clusteradmin', {
        encryptionKey: key,
        excludeCharacters: EXCLUDE_CHARACTERS,
      }),
      parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: key,
      iamAuthentication: true,
      backup: { retention: Duration.days(7) },
      backtrackWindow: options.backtrackWindow,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: options.logTypes,
      monitoringInterval: Duration.seconds(60),
      monitoringRole: monitoringRole(this),
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: key,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      copyTagsToSnapshot: true,
    });
    for (const logGroup of logGroups) {
      this.cluster.node.addDependency(logGroup);
    }
    // Automated backups outlive the cluster.
    (this.cluster.node.defaultChild as rds.CfnDBCluster).deleteAutomatedBackups = false;
    this.instances = this.cluster.node.findAll().filter((c): c is rds.CfnDBInstance => c instanceof rds.CfnDBInstance);
    this.instances.forEach(hardenInstance);

    // Master secret rotation by AWS's single-user function, in the cluster's subnets, reaching Secrets Manager
    // through an interface endpoint (private DNS off: the function calls it by its own name).
    const rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: options.vpc,
      description: 'Master secret rotation function: egress to the database and Secrets Manager only',
      allowAllOutbound: false,
    });
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
      vpc: options.vpc,
      description: 'Secrets Manager interface endpoint: HTTPS from the rotation function only',
      allowAllOutbound: false,
    });
    const endpoint = new ec2.InterfaceVpcEndpoint(this, 'SecretsManagerEndpoint', {
      vpc: options.vpc,
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets,
      privateDnsEnabled: false,
      open: false,
      securityGroups: [endpointSecurityGroup],
    });
    rotationSecurityGroup.connections.allowTo(endpointSecurityGroup, ec2.Port.tcp(443), 'Call the Secrets Manager API');
    const rotation = new secretsmanager.SecretRotation(this, 'SecretRotation', {
      application: options.rotationApplication,
      secret: this.cluster.secret!,
      target: { connections: this.connections },
      vpc: options.vpc,
      vpcSubnets: subnets,
      securityGroup: rotationSecurityGroup,
      endpoint,
      excludeCharacters: EXCLUDE_CHARACTERS,
      automaticallyAfter: Duration.days(30),
    });
    // The endpoint-specific DNS name (SecretRotation would hand the function <vpce-id>.secretsmanager.<region>...).
    (rotation.node.defaultChild as CfnResource).addPropertyOverride(
      'Parameters.endpoint',
      `https://${Fn.select(1, Fn.split(':', Fn.select(0, endpoint.vpcEndpointDnsEntries)))}`,
    );
    stabilize(this, this.cluster.node.tryFindChild('Secret'));
  }
}

/**
 * Reader autoscaling by hand: a scalable target on `rds:cluster:ReadReplicaCount` with a CPU target, and a custom
 * resource whose function (in the cluster's subnets, reaching the RDS API and CloudFormation's response bucket through
 * interface endpoints of its own) deletes the replicas autoscaling created when the cluster may go.
 */
function readerAutoScaling(orders: HandWrittenCluster, vpc: ec2.IVpc, clusterIdentifier: string): void {
  const stack = Stack.of(orders);
  const scope = new Construct(orders, 'ReaderAutoScaling');
  const cleanupScope = new Construct(scope, 'ReplicaCleanup');

  const functionSecurityGroup = new ec2.SecurityGroup(cleanupScope, 'SecurityGroup', {
    vpc,
    description: 'Autoscaled replica cleanup: HTTPS to the RDS API and the CloudFormation response bucket only',
    allowAllOutbound: false,
  });
  const endpointSecurityGroup = new ec2.SecurityGroup(cleanupScope, 'EndpointSecurityGroup', {
    vpc,
    description: 'RDS API and S3 endpoints of the autoscaled replica cleanup: HTTPS from that function only',
    allowAllOutbound: false,
  });
  functionSecurityGroup.connections.allowTo(
    endpointSecurityGroup,
    ec2.Port.tcp(443),
    'Autoscaled replica cleanup (HTTPS)',
  );
  const endpointName = (id: string, service: ec2.InterfaceVpcEndpointAwsService) => {
    const endpoint = new ec2.InterfaceVpcEndpoint(cleanupScope, id, {
      vpc,
      service,
      subnets: orders.subnets,
      privateDnsEnabled: false,
      open: false,
      securityGroups: [endpointSecurityGroup],
    });
    return { endpoint, name: Fn.select(1, Fn.split(':', Fn.select(0, endpoint.vpcEndpointDnsEntries))) };
  };
  const rdsApi = endpointName('RdsEndpoint', ec2.InterfaceVpcEndpointAwsService.RDS);
  const s3 = endpointName('S3Endpoint', ec2.InterfaceVpcEndpointAwsService.S3);
  s3.endpoint.addToPolicy(
    new iam.PolicyStatement({
      sid: 'CloudFormationCustomResourceResponses',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:PutObject'],
      resources: [`arn:${stack.partition}:s3:::cloudformation-custom-resource-response-*/*`],
    }),
  );

  const logGroup = new logs.LogGroup(cleanupScope, 'LogGroup', {
    logGroupName: `${orders.logGroupPrefix}autoscaled-replica-cleanup`,
    encryptionKey: orders.key,
    retention: logs.RetentionDays.ONE_YEAR,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const deadLetterQueue = new sqs.Queue(cleanupScope, 'DeadLetterQueue', {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: orders.key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const role = new iam.Role(cleanupScope, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Deletes the replicas Aurora Auto Scaling created in ${clusterIdentifier} before the cluster is deleted`,
  });
  const arn = (service: string, resource: string, resourceName: string, arnFormat = ArnFormat.COLON_RESOURCE_NAME) =>
    stack.formatArn({ service, resource, resourceName, arnFormat });
  const policy = new iam.ManagedPolicy(cleanupScope, 'Policy', {
    description: `Least privilege for the autoscaled replica cleanup of ${clusterIdentifier}`,
    statements: [
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'OwnDeadLetterQueue',
        actions: ['sqs:SendMessage'],
        resources: [deadLetterQueue.queueArn],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptDeadLetters',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [orders.key.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'LambdaVpcNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'LambdaVpcNetworkInterfaceChanges',
        actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
        resources: [arn('ec2', 'network-interface', '*', ArnFormat.SLASH_RESOURCE_NAME)],
      }),
      new iam.PolicyStatement({
        sid: 'ListClusterInstances',
        actions: ['rds:DescribeDBInstances'],
        resources: [arn('rds', 'db', '*')],
      }),
      new iam.PolicyStatement({
        sid: 'DeleteAutoscaledReplicasOfThisCluster',
        actions: ['rds:DeleteDBInstance'],
        resources: [arn('rds', 'db', 'application-autoscaling-*')],
        conditions: {
          StringEquals: { 'rds:db-tag/application-autoscaling:resourceId': `cluster:${clusterIdentifier}` },
        },
      }),
    ],
  });
  role.addManagedPolicy(policy);
  acknowledge(policy, {
    'AwsSolutions-IAM5[Resource::*]': 'The EC2 network-interface actions Lambda accepts only on "*".',
    [`AwsSolutions-IAM5[Resource::${nagArnPrefix(stack, 'ec2')}network-interface/*]`]:
      'The network interfaces Lambda creates for a function in a VPC have generated ids.',
    [`AwsSolutions-IAM5[Resource::${nagArnPrefix(stack, 'rds')}db:*]`]:
      'rds:DescribeDBInstances (read-only); autoscaled replicas have generated names.',
    [`AwsSolutions-IAM5[Resource::${nagArnPrefix(stack, 'rds')}db:application-autoscaling-*]`]:
      'Only the replicas Aurora Auto Scaling created for this cluster (name prefix and tag condition).',
  });
  (policy.node.defaultChild as CfnResource).addMetadata('checkov', {
    skip: [
      {
        id: 'CKV_AWS_111',
        comment:
          'ec2:CreateNetworkInterface works only on "*" (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions); Lambda needs it to place this function in the VPC. Every other write action names its resources.',
      },
    ],
  });

  const fn = new lambda.Function(cleanupScope, 'Function', {
    description: `Deletes the replicas Aurora Auto Scaling created in ${clusterIdentifier} before the cluster is deleted`,
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', 'autoscaling-cleanup-handler')),
    timeout: Duration.minutes(15),
    memorySize: 256,
    reservedConcurrentExecutions: 1,
    role: role.withoutPolicyUpdates(),
    vpc,
    vpcSubnets: orders.subnets,
    securityGroups: [functionSecurityGroup],
    logGroup,
    deadLetterQueue,
  });
  fn.node.addDependency(policy);

  const cfnCluster = orders.cluster.node.defaultChild as CfnResource;
  const cleanup = new CustomResource(scope, 'Cleanup', {
    serviceToken: fn.functionArn,
    resourceType: 'Custom::AuroraAutoscaledReplicaCleanup',
    properties: {
      ClusterIdentifier: orders.cluster.clusterIdentifier,
      ClusterDeletionPolicy: Lazy.string({ produce: () => cfnCluster.cfnOptions.deletionPolicy ?? 'Snapshot' }),
      RdsEndpointUrl: `https://${rdsApi.name}`,
      ResponseEndpointHost: Fn.join('', [
        'bucket.vpce-',
        Fn.select(1, Fn.split('.vpce-', Fn.join('', ['.', s3.name]))),
      ]),
    },
    serviceTimeout: Duration.minutes(30),
  });
  cleanup.node.addDependency(cleanupScope);

  const target = new appscaling.ScalableTarget(scope, 'ScalableTarget', {
    serviceNamespace: appscaling.ServiceNamespace.RDS,
    scalableDimension: 'rds:cluster:ReadReplicaCount',
    resourceId: `cluster:${clusterIdentifier}`,
    minCapacity: 1,
    maxCapacity: 5,
    role: iam.Role.fromRoleArn(
      scope,
      'ServiceLinkedRole',
      stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName:
          'aws-service-role/rds.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_RDSCluster',
      }),
      { mutable: false },
    ),
  });
  target.node.addDependency(orders.cluster, ...orders.instances);
  cleanup.node.addDependency(...orders.instances);
  target.node.addDependency(cleanup);
  target.scaleToTrackMetric('CpuTracking', {
    predefinedMetric: appscaling.PredefinedMetric.RDS_READER_AVERAGE_CPU_UTILIZATION,
    targetValue: 60,
    scaleInCooldown: Duration.minutes(5),
    scaleOutCooldown: Duration.minutes(5),
    disableScaleIn: false,
  });
}

/**
 * An RDS Proxy by hand (L1s: `rds.DatabaseProxy` always wants the master secret): end-to-end IAM authentication,
 * TLS required, its own security group admitted to the cluster, a read-only endpoint, a role allowed to log in as
 * `dbUser`, and the proxy's recommended alarms (what `addRecommendedAlarms()` of the cluster adds to its proxy).
 */
function rdsProxy(orders: HandWrittenCluster, vpc: ec2.IVpc, dbUser: string, topic: sns.ITopic) {
  const stack = Stack.of(orders);
  const scope = new Construct(orders, 'Proxy');
  const proxyLabel = labelOf(() => scope.node.findChild('Resource') as CfnElement);
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc,
    description: `RDS Proxy ${proxyLabel}: no ingress until a peer is allowed; egress to the cluster only`,
    allowAllOutbound: false,
  });
  const connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(5432) });
  orders.connections.allowDefaultPortFrom(securityGroup, `RDS Proxy ${proxyLabel}`);
  const role = new iam.Role(scope, 'Role', {
    assumedBy: new iam.ServicePrincipal('rds.amazonaws.com'),
    description: `RDS Proxy ${proxyLabel}`,
  });
  const subnetIds = vpc.selectSubnets(orders.subnets).subnetIds;
  const proxy = new rds.CfnDBProxy(scope, 'Resource', {
    dbProxyName: stackScoped('auroraref-orders-us-east-1-ordersproxyff99acfb'),
    engineFamily: 'POSTGRESQL',
    roleArn: role.roleArn,
    vpcSubnetIds: subnetIds,
    vpcSecurityGroupIds: [securityGroup.securityGroupId],
    requireTls: true,
    defaultAuthScheme: 'IAM_AUTH',
    idleClientTimeout: 1800,
    debugLogging: false,
  });
  const targetGroup = new rds.CfnDBProxyTargetGroup(scope, 'TargetGroup', {
    dbProxyName: proxy.ref,
    targetGroupName: 'default',
    dbClusterIdentifiers: [orders.cluster.clusterIdentifier],
    connectionPoolConfigurationInfo: {
      maxConnectionsPercent: 90,
      maxIdleConnectionsPercent: 45,
      connectionBorrowTimeout: 120,
    },
  });
  for (const instance of orders.instances) targetGroup.addResourceDependency(instance);
  const readOnly = new rds.CfnDBProxyEndpoint(new Construct(scope, 'ReadOnlyEndpoint'), 'Resource', {
    dbProxyEndpointName: stackScoped('auroraref-orders-us-east-1-ordersproxyreadonl-ce46869a'),
    dbProxyName: proxy.ref,
    vpcSubnetIds: subnetIds,
    vpcSecurityGroupIds: [securityGroup.securityGroupId],
    targetRole: 'READ_ONLY',
  });
  readOnly.addResourceDependency(targetGroup);

  // Availability and pool utilization of both target roles, and the borrow latency in milliseconds.
  const proxyName = stackScoped('auroraref-orders-us-east-1-ordersproxyff99acfb');
  const action = new cwActions.SnsAction(topic);
  const proxyAlarm = (id: string, metric: cloudwatch.IMetric, threshold: number, op: cloudwatch.ComparisonOperator) => {
    const a = new cloudwatch.Alarm(scope, id, {
      metric,
      threshold,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: op,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
      actionsEnabled: true,
    });
    a.addAlarmAction(action);
    a.addOkAction(action);
  };
  const proxyMetric = (metricName: string, statistic: string, dimensionsMap: Record<string, string>) =>
    new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, statistic, dimensionsMap, period: Duration.minutes(1) });
  for (const targetRole of ['READ_WRITE', 'READ_ONLY']) {
    const dims = { ProxyName: proxyName, TargetGroup: 'default', TargetRole: targetRole };
    proxyAlarm(
      `${targetRole}Availability`,
      proxyMetric('AvailabilityPercentage', 'Average', dims),
      100,
      cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    );
    proxyAlarm(
      `${targetRole}Utilization`,
      new cloudwatch.MathExpression({
        expression: '100 * c / m',
        usingMetrics: {
          c: proxyMetric('DatabaseConnections', 'Sum', dims),
          m: proxyMetric('MaxDatabaseConnectionsAllowed', 'Sum', dims),
        },
      }),
      70,
      cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    );
  }
  proxyAlarm(
    'BorrowLatency',
    new cloudwatch.MathExpression({
      expression: 'us / 1000',
      usingMetrics: { us: proxyMetric('DatabaseConnectionsBorrowLatency', 'Average', { ProxyName: proxyName }) },
    }),
    100,
    cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
  );

  const dbUserArn = (resourceId: string) =>
    stack.formatArn({
      service: 'rds-db',
      resource: 'dbuser',
      resourceName: `${resourceId}/${dbUser}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  // The proxy logs in to the database with IAM as dbUser; clients connect to the proxy's resource id.
  const connectPolicy = new iam.ManagedPolicy(scope, 'ConnectPolicy', {
    description: 'Lets RDS Proxy log in to the cluster with IAM',
    statements: [
      new iam.PolicyStatement({
        actions: ['rds-db:connect'],
        resources: [dbUserArn(orders.cluster.clusterResourceIdentifier)],
      }),
    ],
  });
  role.addManagedPolicy(connectPolicy);
  const clientConnect = new iam.PolicyStatement({
    actions: ['rds-db:connect'],
    resources: [dbUserArn(Fn.select(6, Fn.split(':', proxy.attrDbProxyArn)))],
  });
  return { connections, clientConnect };
}

/** A secondary cluster of the global cluster by hand: `AWS::RDS::DBCluster` with `GlobalClusterIdentifier`. */
class HandWrittenSecondary extends Construct {
  /** The CloudFormation instances (readers). */
  public readonly instances: rds.CfnDBInstance[];

  constructor(
    scope: Construct,
    id: string,
    options: {
      vpc: ec2.IVpc;
      clusterIdentifier: string;
      readers: string[];
      enableWriteForwarding?: boolean;
      /** The identifier of a custom endpoint over the last reader, if any. */
      reportingEndpoint?: string;
    },
  ) {
    super(scope, id);
    const logGroupPrefix = `/aws/rds/cluster/${options.clusterIdentifier}/`;
    const label = labelOf(() => this.node.findChild('Cluster').node.findChild('Resource') as CfnElement);
    const key = clusterKey(this, `Aurora secondary cluster ${label}`, logGroupPrefix);
    const logGroups = clusterLogGroups(this, POSTGRES_LOG_TYPES, logGroupPrefix, key);
    const parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine: ORDERS_ENGINE,
      description: `Aurora secondary cluster ${label}: TLS required, audit logging on`,
      parameters: POSTGRES_PARAMETERS,
    });
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: options.vpc,
      description: `Aurora secondary cluster ${label}: no ingress until a peer is allowed`,
      allowAllOutbound: false,
    });
    const role = monitoringRole(this);

    const clusterScope = new Construct(this, 'Cluster');
    const subnetGroup = new rds.SubnetGroup(clusterScope, 'Subnets', {
      description: `Aurora secondary cluster ${label}: private subnets`,
      vpc: options.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    // No master user, password or database name: the secondary has the primary's.
    const cluster = new rds.CfnDBCluster(clusterScope, 'Resource', {
      engine: 'aurora-postgresql',
      engineVersion: ORDERS_ENGINE.engineVersion!.fullVersion,
      globalClusterIdentifier: GLOBAL_CLUSTER_IDENTIFIER,
      dbClusterIdentifier: options.clusterIdentifier,
      dbSubnetGroupName: subnetGroup.subnetGroupName,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      port: ORDERS_PORT,
      dbClusterParameterGroupName: parameterGroup.bindToCluster({}).parameterGroupName,
      storageEncrypted: true,
      kmsKeyId: key.keyArn,
      enableIamDatabaseAuthentication: true,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      backupRetentionPeriod: 7,
      enableCloudwatchLogsExports: POSTGRES_LOG_TYPES,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key.keyArn,
      performanceInsightsRetentionPeriod: 7,
      enableGlobalWriteForwarding: options.enableWriteForwarding,
      serverlessV2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 16 },
    });
    cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
    const instances = (this.instances = options.readers.map((reader) => {
      const instance = new rds.CfnDBInstance(new Construct(clusterScope, reader), 'Resource', {
        engine: 'aurora-postgresql',
        dbClusterIdentifier: cluster.ref,
        dbInstanceClass: 'db.serverless',
        promotionTier: 2,
        monitoringInterval: 60,
        monitoringRoleArn: role.roleArn,
      });
      instance.applyRemovalPolicy(RemovalPolicy.DESTROY);
      hardenInstance(instance);
      return instance;
    }));
    for (const logGroup of logGroups) clusterScope.node.addDependency(logGroup);
    if (options.reportingEndpoint) {
      // Local reporting reads, on the last reader.
      clusterEndpoint(new Construct(this, 'CustomEndpoints'), 'Reporting', {
        cluster: cluster.ref,
        identifier: options.reportingEndpoint,
        staticMembers: [instances[instances.length - 1].ref],
        instances,
      });
    }
  }
}

/** Builds the hand-written reference architecture into `app`; returns its stacks. */
export function buildHandWrittenApp(app: App): Stack[] {
  const primary = REFERENCE_REGIONS.primary;
  const stackProps = (what: string, region: string = primary): StackProps => ({
    env: { region },
    description: `cdk-aurora-baseline reference architecture: ${what} (${region})`,
  });

  const ordersStack = new Stack(
    app,
    `${REFERENCE_PREFIX}-Orders-${primary}`,
    stackProps('network and Aurora PostgreSQL, Global Database primary'),
  );
  const vpc = new ReferenceNetwork(ordersStack, 'Network').vpc;
  const ordersIdentifier = stackScoped('auroraref-orders-us-east-1-ordersclusterdd2d267b');
  const orders = new HandWrittenCluster(ordersStack, 'Orders', {
    engine: ORDERS_ENGINE,
    vpc,
    clusterIdentifier: ordersIdentifier,
    port: ORDERS_PORT,
    logTypes: POSTGRES_LOG_TYPES,
    parameters: POSTGRES_PARAMETERS,
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [
      rds.ClusterInstance.serverlessV2('Reader1', { scaleWithWriter: true }),
      rds.ClusterInstance.serverlessV2('Reader2'),
      rds.ClusterInstance.provisioned('Analytics', { instanceType: WRITER_INSTANCE_TYPE }),
    ],
    serverlessV2MinCapacity: 8,
    serverlessV2MaxCapacity: 16,
    rotationApplication: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
  });

  // The analytics reader: last in failover, behind its own endpoint, and left out of the application's.
  const analytics = orders.instances[orders.instances.length - 1];
  analytics.promotionTier = 15;
  const clusterRef = orders.cluster.clusterIdentifier;
  clusterEndpoint(orders, 'AnalyticsEndpoint', {
    cluster: clusterRef,
    identifier: stackScoped('auroraref-orders-us-east-1-ordersanalyticsend-c757ce4b'),
    staticMembers: [analytics.ref],
    instances: orders.instances,
  });
  clusterEndpoint(orders, 'AppReaderEndpoint', {
    cluster: clusterRef,
    identifier: stackScoped('auroraref-orders-us-east-1-ordersappreaderend-1e636735'),
    excludedMembers: [analytics.ref],
    instances: orders.instances,
  });
  readerAutoScaling(orders, vpc, ordersIdentifier);
  const ordersTopic = operations(orders, ordersIdentifier, false, true);
  new cloudwatch.Dashboard(orders, 'Dashboard', {
    widgets: [
      [
        new cloudwatch.GraphWidget({
          title: 'CPU utilization (%) per instance',
          left: orders.instances.map(
            (i) =>
              new cloudwatch.Metric({
                namespace: 'AWS/RDS',
                metricName: 'CPUUtilization',
                dimensionsMap: { DBInstanceIdentifier: i.ref },
              }),
          ),
        }),
        new cloudwatch.GraphWidget({ title: 'Connections', left: [orders.cluster.metricDatabaseConnections()] }),
      ],
    ],
  });

  const appRole = new iam.Role(ordersStack, 'AppRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: 'The Orders application',
  });
  const appSecurityGroup = new ec2.SecurityGroup(ordersStack, 'AppSecurityGroup', {
    vpc,
    description: 'The Orders application',
    allowAllOutbound: false,
  });
  orders.connections.allowDefaultPortFrom(appSecurityGroup, 'The Orders application');
  const proxy = rdsProxy(orders, vpc, 'app_user', ordersTopic);
  proxy.connections.allowDefaultPortFrom(appSecurityGroup, 'The Orders application');
  const connect = orders.cluster.grantConnect(appRole.withoutPolicyUpdates(), 'app_user');
  new iam.ManagedPolicy(ordersStack, 'AppDatabaseAccess', {
    description: 'IAM database authentication to the Orders database as app_user, directly and through the proxy',
    roles: [appRole],
    statements: [...connect.principalStatements, proxy.clientConnect],
  });

  const inventoryStack = new Stack(app, `${REFERENCE_PREFIX}-Inventory-${primary}`, stackProps('Aurora MySQL'));
  const inventoryIdentifier = stackScoped('auroraref-inventory-us-east-1-inventoryclusterb5af1d42');
  const inventory = new HandWrittenCluster(inventoryStack, 'Inventory', {
    engine: INVENTORY_ENGINE,
    vpc,
    clusterIdentifier: inventoryIdentifier,
    port: 3307,
    logTypes: ['audit', 'error', 'general', 'slowquery'],
    parameters: {
      server_audit_logging: '1',
      server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
      slow_query_log: '1',
      require_secure_transport: 'ON',
    },
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
    serverlessV2MinCapacity: 0.5,
    serverlessV2MaxCapacity: 16,
    backtrackWindow: Duration.hours(24),
    rotationApplication: secretsmanager.SecretRotationApplication.MYSQL_ROTATION_SINGLE_USER,
  });
  operations(inventory, inventoryIdentifier, true, false);

  // The global cluster from Orders, and its secondaries in two other Regions.
  const global = new rds.CfnGlobalCluster(new Construct(ordersStack, 'Global'), 'Resource', {
    globalClusterIdentifier: GLOBAL_CLUSTER_IDENTIFIER,
    sourceDbClusterIdentifier: orders.cluster.clusterArn,
    deletionProtection: true,
  });
  const ordersResource = orders.cluster.node.defaultChild;
  for (const part of orders.cluster.node.findAll()) {
    if (CfnResource.isCfnResource(part) && part !== ordersResource) global.addResourceDependency(part);
  }

  // The Global Database dashboard: the primary's writer, and each secondary's lag read in its Region.
  new cloudwatch.Dashboard(ordersStack, 'GlobalDashboard', {
    widgets: [
      [
        new cloudwatch.GraphWidget({
          title: 'Secondary lag (ms)',
          left: [
            new cloudwatch.MathExpression({
              expression: "SEARCH('{AWS/RDS,DBClusterIdentifier} MetricName=\"AuroraGlobalDBRPOLag\"', 'Maximum', 60)",
              searchRegion: REFERENCE_REGIONS.secondary,
            }),
          ],
        }),
      ],
    ],
  });

  const stacks = [ordersStack, inventoryStack];
  const secondaries = [
    {
      region: REFERENCE_REGIONS.secondary,
      what: 'Aurora PostgreSQL, Global Database secondary',
      clusterIdentifier: stackScoped('auroraref-secondary-eu-west-1-ordersclusterdd2d267b'),
      readers: ['Reader1', 'Reader2'],
      enableWriteForwarding: true,
      reportingEndpoint: stackScoped('auroraref-secondary-eu-west-1-orderscustomend-8b5ef93a'),
    },
    {
      region: REFERENCE_REGIONS.headlessSecondary,
      what: 'Aurora PostgreSQL, headless Global Database secondary',
      clusterIdentifier: stackScoped('auroraref-secondary-us-west-2-ordersclusterdd2d267b'),
      readers: [],
    },
  ];
  for (const { region, what, ...options } of secondaries) {
    const { stack: regionNetwork, vpc: regionVpc } = networkStack(app, region);
    const stack = new Stack(app, `${REFERENCE_PREFIX}-Secondary-${region}`, stackProps(what, region));
    stack.addStackDependency(ordersStack, 'the secondary cluster joins the global cluster');
    const secondary = new HandWrittenSecondary(stack, 'Orders', { vpc: regionVpc, ...options });
    operations(secondary, options.clusterIdentifier, false, false, true);
    stacks.push(regionNetwork, stack);
  }
  return stacks;
}
