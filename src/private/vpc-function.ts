import * as path from 'path';
import { ArnFormat, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as defaults from './defaults';
import { omitDependsOnImpliedByReferences } from './dependencies';

/** What a custom resource function of the library is and where it runs. */
export interface VpcFunctionProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** Interface endpoints of its own for the RDS API and S3 (default), or HTTPS through the subnets' own path. */
  readonly createVpcEndpoints: boolean;
  /** "Autoscaled replica cleanup": starts the security groups' descriptions. */
  readonly title: string;
  /** "the autoscaled replica cleanup": in the endpoints' security group description. */
  readonly titleInSentence: string;
  /** The description of the function's egress rule to the endpoints. */
  readonly egressDescription: string;
  /** The function's and its role's description. */
  readonly description: string;
  /** Its managed policy's description. */
  readonly policyDescription: string;
  /** The handler's folder under assets/ (committed JavaScript, projenrc/handlers.ts). */
  readonly assetDirectory: string;
  readonly timeout: Duration;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the log group and the dead-letter queue. */
  readonly encryptionKey: kms.IKey;
  /** What the function does, after what every such function needs (its logs, queue and network interfaces). */
  readonly statements: iam.PolicyStatement[];
  /** Attach the policy from its own side (its Roles) rather than the role's (ManagedPolicyArns). */
  readonly attachFromPolicy?: boolean;
  /** Records the acknowledgements of the policy's findings. */
  readonly acknowledgePolicy: (policy: iam.ManagedPolicy) => void;
  /** Runs once the role exists, before the function is created (e.g. a key policy that names the role). */
  readonly withRole?: (role: iam.Role) => void;
}

/** The function, and the custom resource properties that tell its handler where the endpoints are. */
export interface VpcFunction {
  readonly fn: lambda.Function;
  readonly properties: { [name: string]: string };
}

/**
 * A Lambda function behind one of the library's custom resources, as the library's rules want it: in the cluster's
 * subnets, with a security group that allows HTTPS to its own RDS API and S3 endpoints only (or to 443 anywhere when
 * the app brings the path), a log group and a dead-letter queue encrypted with the cluster's key, a role whose
 * permissions are all in one managed policy, reserved concurrency 1, no environment variables.
 */
export function createVpcFunction(scope: Construct, props: VpcFunctionProps): VpcFunction {
  const stack = Stack.of(scope);
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: `${props.title}: HTTPS to the RDS API and the CloudFormation response bucket only`,
    allowAllOutbound: false,
  });
  let properties: { [name: string]: string } = {};
  if (props.createVpcEndpoints) {
    properties = createEndpoints(scope, props, securityGroup);
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
    description: props.description,
  });
  const policy = new iam.ManagedPolicy(scope, 'Policy', {
    description: props.policyDescription,
    statements: [...commonStatements(stack, logGroup, deadLetterQueue, props.encryptionKey), ...props.statements],
    roles: props.attachFromPolicy ? [role] : undefined,
  });
  if (!props.attachFromPolicy) role.addManagedPolicy(policy);
  props.acknowledgePolicy(policy);
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
  props.withRole?.(role);

  const fn = new lambda.Function(scope, 'Function', {
    description: props.description,
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    // The handler as committed JavaScript (projenrc/handlers.ts), the same path from src/ and lib/, so that apps
    // running the TypeScript sources deploy JavaScript too. It uses only the AWS SDK that the Lambda runtime ships:
    // no bundling, no Docker, no network at synth.
    code: lambda.Code.fromAsset(path.join(__dirname, '..', '..', 'assets', props.assetDirectory)),
    timeout: props.timeout,
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
  // lambda.Function always adds a DependsOn on its role, which the Role property already orders (cfn-lint W3005).
  omitDependsOnImpliedByReferences(fn.node.defaultChild as CfnResource);
  return { fn, properties };
}

/**
 * Interface endpoints for the RDS API and for Amazon S3 (the CloudFormation response), reachable from the function
 * only. Returns the custom resource properties that name them.
 *
 * Private DNS is off: the function calls the endpoints by their endpoint-specific DNS names, so the VPC's DNS, its
 * route tables and any endpoint the VPC already has are left alone, and several clusters can have their own.
 * https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#access-aws-services-endpoint-specific
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html
 */
function createEndpoints(
  scope: Construct,
  props: VpcFunctionProps,
  functionSecurityGroup: ec2.SecurityGroup,
): { [name: string]: string } {
  const endpointSecurityGroup = new ec2.SecurityGroup(scope, 'EndpointSecurityGroup', {
    vpc: props.vpc,
    description: `RDS API and S3 endpoints of ${props.titleInSentence}: HTTPS from that function only`,
    allowAllOutbound: false,
  });
  // Adds the matching egress rule to the function's security group: HTTPS to these endpoints and nowhere else.
  functionSecurityGroup.connections.allowTo(endpointSecurityGroup, ec2.Port.tcp(443), props.egressDescription);
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

/** What every such function needs: its own logs and dead-letter queue (and their key), its network interfaces. */
function commonStatements(
  stack: Stack,
  logGroup: logs.LogGroup,
  deadLetterQueue: sqs.Queue,
  key: kms.IKey,
): iam.PolicyStatement[] {
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
  ];
}
