/**
 * The integrations of an Aurora PostgreSQL cluster in isolated subnets, with the library alone (the aws-cdk
 * `integ.cluster-s3` and `integ.cluster-data-api` scenarios, secure): S3 export to a KMS-encrypted bucket under a
 * prefix, through the app's S3 gateway endpoint; Lambda invocation from SQL through the app's Lambda interface
 * endpoint; the RDS Data API, granted to an application role by a customer-managed policy. Asserts that the deployed
 * cluster has the Data API on and both roles associated with their features.
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { integStack, integTest } from './integ-support';
import { AuroraCluster } from '../../src';
import { ORDERS_ENGINE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('Integrations');

// The app's own resources: an encrypted export bucket, a function to call from SQL, and the VPC endpoints the
// cluster's isolated subnets use (the library creates none: they change how every workload in the subnets
// reaches the service).
const exportKey = new kms.Key(stack, 'ExportKey', { enableKeyRotation: true, description: 'Aurora exports' });
const exportBucket = new s3.Bucket(stack, 'Exports', {
  encryptionKey: exportKey,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  enforceSSL: true,
  versioned: true,
});
const enrich = new lambda.Function(stack, 'Enrich', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (event) => ({ enriched: event });'),
  description: 'Called from SQL with aws_lambda.invoke',
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
