/**
 * The integrations of an Aurora PostgreSQL cluster in isolated subnets, with the library alone (the aws-cdk
 * `integ.cluster-s3` and `integ.cluster-data-api` scenarios, secure): S3 export to a KMS-encrypted bucket under a
 * prefix, through the app's S3 gateway endpoint; Lambda invocation from SQL through the app's Lambda interface
 * endpoint; the RDS Data API, granted to an application role by a customer-managed policy. Asserts that the deployed
 * cluster has the Data API on and both roles associated with their features.
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { CfnResource, Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { integStack, integTest } from './integ-support';
import { AuroraCluster } from '../../src';
import { ORDERS_ENGINE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('Integrations');

// The app's own resources: an encrypted export bucket, a function to call from SQL, and the VPC endpoints the
// cluster's isolated subnets use (the library creates none: they change how every workload in the subnets
// reaches the service). The app's resources are as a reviewer's scanners expect them too: server access logs for
// the bucket; the function in the VPC with its own security group and no outbound rule (it calls nothing), a
// concurrency limit, a dead-letter queue and a log group encrypted with the app's key.
const exportKey = new kms.Key(stack, 'ExportKey', { enableKeyRotation: true, description: 'Aurora exports' });
// CloudWatch Logs encrypts the function's log group with it.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
exportKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`));
const accessLogs = new s3.Bucket(stack, 'AccessLogs', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  versioned: true,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
});
(accessLogs.node.defaultChild as CfnResource).addMetadata('checkov', {
  skip: [
    { id: 'CKV_AWS_18', comment: 'The server access log bucket of the export bucket: it does not log to itself.' },
  ],
});
const exportBucket = new s3.Bucket(stack, 'Exports', {
  encryptionKey: exportKey,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  versioned: true,
  serverAccessLogsBucket: accessLogs,
  serverAccessLogsPrefix: 'exports/',
});
const enrichDeadLetters = new sqs.Queue(stack, 'EnrichDeadLetters', {
  encryption: sqs.QueueEncryption.KMS,
  encryptionMasterKey: exportKey,
  enforceSSL: true,
  retentionPeriod: Duration.days(14),
  redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.ALLOW_ALL },
});
const enrich = new lambda.Function(stack, 'Enrich', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (event) => ({ enriched: event });'),
  description: 'Called from SQL with aws_lambda.invoke',
  vpc,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  allowAllOutbound: false,
  reservedConcurrentExecutions: 5,
  deadLetterQueue: enrichDeadLetters,
  logGroup: new logs.LogGroup(stack, 'EnrichLogs', {
    encryptionKey: exportKey,
    retention: logs.RetentionDays.ONE_YEAR,
  }),
});
// aws-cdk-lib's Function depends on its role, whose ARN its Role property already references.
(enrich.node.defaultChild as CfnResource).addMetadata('cfn-lint', {
  config: {
    ignore_checks: ['W3005'],
    reasons: { W3005: "aws-cdk-lib's lambda.Function adds DependsOn on its role, which the Role property references." },
  },
});
const s3Endpoint = (vpc as ec2.Vpc).addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });
const lambdaEndpoint = (vpc as ec2.Vpc).addInterfaceEndpoint('LambdaEndpoint', {
  service: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  privateDnsEnabled: true,
  open: false,
});

const db = new AuroraCluster(stack, 'Db', {
  engine: ORDERS_ENGINE,
  vpc,
  readers: [],
  enableDataApi: true,
  s3ExportLocations: [{ bucket: exportBucket, prefix: 'exports/' }],
  lambdaFunctions: [enrich],
  integrationEndpoints: { s3: s3Endpoint, lambda: lambdaEndpoint },
});

// An application that runs SQL through the Data API, granted by a customer-managed policy.
const appRole = new iam.Role(stack, 'AppRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  description: 'An application that runs SQL through the RDS Data API',
});
new iam.ManagedPolicy(stack, 'AppDataApiAccess', {
  description: 'RDS Data API on the integrations cluster',
  roles: [appRole],
  statements: db.grantDataApiAccess(appRole.withoutPolicyUpdates()).principalStatements,
});

const integ = integTest(app, 'Integrations', stack);
integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: db.clusterIdentifier }).expect(
  ExpectedResult.objectLike({
    DBClusters: [
      {
        HttpEndpointEnabled: true,
        AssociatedRoles: Match.arrayWith([
          Match.objectLike({ FeatureName: 's3Export', Status: 'ACTIVE' }),
          Match.objectLike({ FeatureName: 'Lambda', Status: 'ACTIVE' }),
        ]),
      },
    ],
  }),
);
app.synth();
