import { Annotations, ArnFormat, CustomResource, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, ackActivityStreamPolicy } from './acknowledgements';
import * as defaults from './defaults';
import { isToken, warnUnchecked } from './deploy-time';
import { ActivityStreamMode, ActivityStreamOptions } from '../activity-stream';
import { createClusterKey } from '../encryption';
import { EngineFamily } from './engine-family';
import { meetsFloor, ParsedVersion } from './engine-version';
import { ClusterInstanceInfo } from './instances';
import { Rule, throwIfBroken } from './validate';
import { createVpcFunction, VpcFunction } from './vpc-function';

/** The Aurora user guide pages the rules below cite. */
const DAS_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.html';
const DAS_SUPPORT_DOC =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.DBActivityStreams.html';
const DAS_CLASSES_DOC = `${DAS_DOC}#DBActivityStreams.Overview.requirements.classes`;
const DAS_MODE_DOC = `${DAS_DOC}#DBActivityStreams.Overview.sync-mode`;
const DAS_PREREQS_DOC = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Prereqs.html';

/**
 * The instance class families AWS lists for activity streams, per engine
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.html#DBActivityStreams.Overview.requirements.classes).
 */
export const ACTIVITY_STREAM_CLASS_FAMILIES: { readonly [engineType: string]: readonly string[] } = {
  'aurora-mysql': ['r8g', 'r7g', 'r7i', 'r6g', 'r6i', 'r5', 'x2g'],
  'aurora-postgresql': ['r8g', 'r7i', 'r7g', 'r6g', 'r6i', 'r6id', 'r5', 'r4', 'x2g'],
};

/** Aurora MySQL 2.11 and later, every Aurora MySQL 3 version (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.DBActivityStreams.html). */
const MYSQL_FLOOR = { 2: [11, 0], 3: [0, 0] } as const;

/**
 * Regions whose column for Aurora MySQL says "Not available"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.DBActivityStreams.html).
 */
export const MYSQL_UNAVAILABLE_REGIONS: readonly string[] = [
  'ap-east-2', // Asia Pacific (Taipei)
  'ap-southeast-4', // Asia Pacific (Melbourne)
  'ap-southeast-5', // Asia Pacific (Malaysia)
  'ap-southeast-6', // Asia Pacific (New Zealand)
  'ap-southeast-7', // Asia Pacific (Thailand)
  'ca-west-1', // Canada West (Calgary)
  'cn-north-1', // China (Beijing)
  'cn-northwest-1', // China (Ningxia)
  'eu-central-2', // Europe (Zurich)
  'il-central-1', // Israel (Tel Aviv)
];

/**
 * Aurora MySQL versions whose instances must reach AWS KMS endpoints themselves: up to 2.11.3, 2.12.0 and up to
 * 3.04.2 (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Prereqs.html).
 */
function mysqlNeedsKmsPath(version: ParsedVersion | undefined): boolean {
  if (version === undefined) return true;
  if (version.line === 2) return true; // 2.12.0 and everything up to 2.11.3; later 2.12 patches are not listed
  if (version.line === 3) return version.minor < 4 || (version.minor === 4 && version.patch <= 2);
  return false;
}

/** What the activity stream rules need to know about the cluster. */
export interface ActivityStreamFacts {
  readonly family: EngineFamily;
  readonly version?: ParsedVersion;
  readonly region: string;
  readonly instances: ClusterInstanceInfo[];
  readonly parameters?: { [name: string]: string };
  readonly options: ActivityStreamOptions;
}

/** The combinations AWS refuses to start an activity stream on. */
export function activityStreamRules(f: ActivityStreamFacts): Rule[] {
  const prop = 'activityStream';
  const mysql = f.family.engineType === 'aurora-mysql';
  const listed = ACTIVITY_STREAM_CLASS_FAMILIES[f.family.engineType] ?? [];
  const classes = f.instances
    .map((i) => ({ id: i.constructId, cls: i.resource.dbInstanceClass }))
    .filter((i): i is { id: string; cls: string } => typeof i.cls === 'string' && !Token.isUnresolved(i.cls));
  const serverless = classes.filter((i) => i.cls === 'db.serverless');
  // Anything but the memory-optimized r and x families: burstable db.t*, general purpose db.m*, ...
  const unsupported = classes.filter((i) => i.cls !== 'db.serverless' && !/^db\.[rx]/.test(i.cls));
  const babelfish = f.parameters?.['rds.babelfish_status'];
  return [
    {
      condition: serverless.length > 0,
      prop,
      message: `Database Activity Streams are not supported with Aurora Serverless v2, and ${serverless.map((i) => i.id).join(', ')} ${serverless.length > 1 ? 'are' : 'is a'} Serverless v2 instance${serverless.length > 1 ? 's' : ''}`,
      doc: DAS_SUPPORT_DOC,
      fix: 'give the writer and every reader a provisioned instance class (rds.ClusterInstance.provisioned with a db.r* class), or leave activityStream unset',
    },
    {
      condition: unsupported.length > 0,
      prop,
      message: `Database Activity Streams support only the memory-optimized ${listed.map((c) => `db.${c}`).join(', ')} instance classes on ${f.family.displayName}, not ${unsupported.map((i) => `${i.id} (${i.cls})`).join(', ')}`,
      doc: DAS_CLASSES_DOC,
      fix: 'choose one of those instance classes',
    },
    {
      // JavaScript callers have no compiler to hold them to the enum.
      condition:
        f.options.mode !== undefined &&
        !Object.values(ActivityStreamMode).includes(f.options.mode as ActivityStreamMode),
      prop: 'activityStream.mode',
      message: `must be ActivityStreamMode.ASYNC or ActivityStreamMode.SYNC, got ${JSON.stringify(f.options.mode)}`,
      doc: DAS_MODE_DOC,
      fix: 'use one of the two',
    },
    {
      condition: mysql && f.options.mode === ActivityStreamMode.SYNC,
      prop: 'activityStream.mode',
      message: 'Aurora MySQL supports only the asynchronous mode',
      doc: DAS_MODE_DOC,
      fix: 'use ActivityStreamMode.ASYNC (the default)',
    },
    {
      condition: mysql && f.version !== undefined && !meetsFloor(f.version, MYSQL_FLOOR),
      prop,
      message: `Database Activity Streams need Aurora MySQL 2.11 or later (any Aurora MySQL 3 version), got ${f.version?.label}`,
      doc: DAS_SUPPORT_DOC,
      fix: 'choose a newer engine version',
    },
    {
      condition: mysql && !Token.isUnresolved(f.region) && MYSQL_UNAVAILABLE_REGIONS.includes(f.region),
      prop,
      message: `Database Activity Streams for Aurora MySQL are not available in ${f.region}`,
      doc: DAS_SUPPORT_DOC,
      fix: 'deploy the cluster in another Region, or leave activityStream unset',
    },
    {
      condition: typeof babelfish === 'string' && !Token.isUnresolved(babelfish) && babelfish.toLowerCase() === 'on',
      prop,
      message:
        'Database Activity Streams are not supported with Babelfish for Aurora PostgreSQL (rds.babelfish_status is on)',
      doc: DAS_SUPPORT_DOC,
      fix: 'turn Babelfish off or leave activityStream unset',
    },
  ];
}

/** Advice that is not an error. */
function warn(scope: Construct, f: ActivityStreamFacts, hasEgress: boolean): void {
  const mysql = f.family.engineType === 'aurora-mysql';
  if (mysql && isToken(f.region)) {
    warnUnchecked(scope, 'region', 'whether Database Activity Streams for Aurora MySQL are available in it');
  }
  for (const i of f.instances) {
    if (isToken(i.resource.dbInstanceClass)) {
      warnUnchecked(scope, `${i.constructId}.instanceType`, 'whether Database Activity Streams support it');
    }
  }
  const listed = ACTIVITY_STREAM_CLASS_FAMILIES[f.family.engineType] ?? [];
  const unlisted = f.instances.filter((i) => {
    const cls = i.resource.dbInstanceClass;
    if (typeof cls !== 'string' || Token.isUnresolved(cls) || !/^db\.[rx]/.test(cls)) return false;
    return !listed.includes(cls.split('.')[1]);
  });
  if (unlisted.length > 0) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:activityStreamInstanceClass',
      `${unlisted.map((i) => `${i.constructId} (${i.resource.dbInstanceClass})`).join(', ')} ${unlisted.length > 1 ? 'are' : 'is'} not among the instance classes AWS lists for Database Activity Streams on ${f.family.displayName} (${DAS_CLASSES_DOC}); StartActivityStream fails with "You can't start a database activity stream in this configuration" if AWS does not support it. Prefer a listed class`,
    );
  }
  if (mysql && !hasEgress && mysqlNeedsKmsPath(f.version)) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:activityStreamKmsPath',
      `the instances of this Aurora MySQL ${f.version?.label ?? ''} cluster must reach the AWS KMS endpoint themselves or the activity stream stops (${DAS_PREREQS_DOC}), and its subnets have no route out. The library does not add a KMS interface endpoint with private DNS, which would change name resolution for the whole VPC: create one for the VPC, or use Aurora MySQL 3.04.3 or later`,
    );
  }
}

/** Everything an activity stream needs from its cluster. */
export interface ActivityStreamProps {
  readonly options: ActivityStreamOptions;
  readonly cluster: rds.DatabaseCluster;
  /** The literal DB cluster identifier (lowercase), or a token. */
  readonly clusterIdentifier: string;
  /** How descriptions name the cluster (stable across deployments). */
  readonly label: string;
  readonly family: EngineFamily;
  readonly version?: ParsedVersion;
  readonly instances: ClusterInstanceInfo[];
  readonly parameters?: { [name: string]: string };
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly hasEgress: boolean;
  /** The cluster key: it encrypts the function's log group and dead-letter queue. */
  readonly clusterKey: kms.IKey;
  /** Name of the function's log group (under the prefix the cluster key lets CloudWatch Logs use). */
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  /** What happens to the activity stream key when it leaves the stack. */
  readonly keyRemovalPolicy: RemovalPolicy;
}

/**
 * The Database Activity Stream of one cluster: a customer-managed key for it, and a custom resource whose function
 * (in the cluster's subnets) starts the stream on create and stops it on delete.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.html
 */
export class ActivityStream extends Construct {
  public readonly encryptionKey: kms.Key;
  public readonly function: lambda.Function;
  public readonly resource: CustomResource;
  /** The Kinesis stream Aurora creates (`aws-rds-das-<cluster resource id>`), known once the stream started. */
  public readonly streamName: string;
  public readonly stream: kinesis.IStream;

  constructor(scope: Construct, id: string, props: ActivityStreamProps) {
    super(scope, id);
    const facts: ActivityStreamFacts = {
      family: props.family,
      version: props.version,
      region: Stack.of(this).region,
      instances: props.instances,
      parameters: props.parameters,
      options: props.options,
    };
    throwIfBroken(scope.node.path, activityStreamRules(facts));
    warn(scope, facts, props.hasEgress);

    // A key of its own: consumers get kms:Decrypt on the audit records and nothing of the cluster's data.
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Enabling.html
    this.encryptionKey = createClusterKey(
      this,
      'Key',
      `Database Activity Stream of Aurora cluster ${props.label}`,
      props.keyRemovalPolicy,
    );

    const handlerScope = new Construct(this, 'Handler');
    const { fn, properties } = createStreamFunction(handlerScope, props, this.encryptionKey);
    this.function = fn;
    const mode = props.options.mode ?? ActivityStreamMode.ASYNC;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::AuroraActivityStream',
      properties: {
        ClusterIdentifier: props.cluster.clusterIdentifier,
        ClusterArn: props.cluster.clusterArn,
        KmsKeyId: this.encryptionKey.keyArn,
        Mode: mode,
        ApplyImmediately: String(props.options.applyImmediately ?? true),
        ...properties,
      },
      serviceTimeout: defaults.ACTIVITY_STREAM_SERVICE_TIMEOUT,
    });
    // The stream starts once every instance is available, and stops before any goes (the cluster itself is ordered
    // by the Ref in ClusterIdentifier). The function, its role, policy, log group, queue and endpoints are ordered
    // by references; the security group rules and the queue policy, which nothing references, by DependsOn: the
    // network path outlives the stop call. (No redundant DependsOn: cfn-lint W3005.)
    for (const instance of props.instances) {
      this.resource.node.addDependency(instance.resource);
    }
    for (const c of handlerScope.node.findAll()) {
      if (
        c instanceof ec2.CfnSecurityGroupIngress ||
        c instanceof ec2.CfnSecurityGroupEgress ||
        c instanceof sqs.CfnQueuePolicy
      ) {
        this.resource.node.addDependency(c);
      }
    }

    this.streamName = this.resource.getAttString('KinesisStreamName');
    this.stream = kinesis.Stream.fromStreamArn(
      this,
      'Stream',
      Stack.of(this).formatArn({
        service: 'kinesis',
        resource: 'stream',
        resourceName: this.streamName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      }),
    );
  }
}

/**
 * The function behind the custom resource, in the cluster's subnets (Control Tower CT.LAMBDA.PR.3), reaching only the
 * RDS API and CloudFormation's response bucket: through interface endpoints of its own (private DNS off, admitting
 * this function only) by default, or over HTTPS through the subnets' own path.
 */
function createStreamFunction(scope: Construct, props: ActivityStreamProps, streamKey: kms.Key): VpcFunction {
  const stack = Stack.of(scope);
  return createVpcFunction(scope, {
    vpc: props.vpc,
    subnets: props.subnets,
    createVpcEndpoints: props.options.createVpcEndpoints ?? true,
    title: 'Database Activity Stream function',
    titleInSentence: 'the Database Activity Stream function',
    egressDescription: 'Activity stream function (HTTPS)',
    description: `Starts and stops the Database Activity Stream of Aurora cluster ${props.label}`,
    policyDescription: `Least privilege for the Database Activity Stream of Aurora cluster ${props.label}`,
    assetDirectory: 'activity-stream-handler',
    timeout: defaults.ACTIVITY_STREAM_TIMEOUT,
    logGroupName: props.logGroupName,
    logRetention: props.logRetention,
    encryptionKey: props.clusterKey,
    statements: streamStatements(props, streamKey),
    // Attached from the policy's side (its Roles), so that the role does not wait for the policy, which names the
    // key, whose policy names the role.
    attachFromPolicy: true,
    acknowledgePolicy: (policy) => acknowledge(policy, ackActivityStreamPolicy(stack)),
    // The key policy names the function's role for the two calls RDS makes with the caller's permissions when the
    // stream starts (a grant for RDS, and the key's description); nothing else of the key.
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.Keys.html
    withRole: (role) =>
      streamKey.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowActivityStreamStart',
          principals: [role],
          actions: ['kms:CreateGrant', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        }),
      ),
  });
}

/**
 * The function's own permissions (beyond its logs, queue and network interfaces): this one cluster's activity stream
 * (rds:StartActivityStream and rds:StopActivityStream take the cluster as resource, Service Authorization Reference
 * for Amazon RDS: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html), and this
 * stream's key.
 */
function streamStatements(props: ActivityStreamProps, streamKey: kms.IKey): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ActivityStreamOfThisCluster',
      actions: ['rds:StartActivityStream', 'rds:StopActivityStream', 'rds:DescribeDBClusters'],
      resources: [props.cluster.clusterArn],
    }),
    // StartActivityStream lets RDS use the key through a grant for the AWS resource (the cluster), created with the
    // caller's permissions; the key denies any other grant (Control Tower CT.KMS.PR.3).
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.Keys.html
    new iam.PolicyStatement({
      sid: 'ActivityStreamKeyGrant',
      actions: ['kms:CreateGrant'],
      resources: [streamKey.keyArn],
      conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
    new iam.PolicyStatement({
      sid: 'ActivityStreamKeyDescription',
      actions: ['kms:DescribeKey'],
      resources: [streamKey.keyArn],
    }),
  ];
}
