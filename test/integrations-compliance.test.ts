import { Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AuroraCluster } from '../src';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, TEST_ENV } from './util';

/** A VPC imported with literal ids, as `ec2.Vpc.fromLookup` gives it. */
function importedVpc(stack: Stack, subnets: 'isolated' | 'private'): ec2.IVpc {
  const ids = ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'];
  const routeTables = ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'];
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    ...(subnets === 'isolated'
      ? { isolatedSubnetIds: ids, isolatedSubnetRouteTableIds: routeTables }
      : { privateSubnetIds: ids, privateSubnetRouteTableIds: routeTables }),
  });
}

/**
 * An application role that takes the grant into a customer-managed policy, as the README shows (an inline default
 * policy fails HIPAA/NIST/PCI IAMNoInlinePolicy, a finding of the app's role, not of the library).
 */
function grantToApp(stack: Stack, grant: (role: iam.IRole) => iam.Grant): void {
  const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new iam.ManagedPolicy(stack, 'AppPolicy', {
    roles: [role],
    statements: grant(role.withoutPolicyUpdates()).principalStatements,
  });
}

/** The app's resources the integrations touch, imported (their own findings are the app's business). */
function appResources(stack: Stack) {
  const key = kms.Key.fromKeyArn(
    stack,
    'LakeKey',
    'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  );
  return {
    bucket: s3.Bucket.fromBucketAttributes(stack, 'Lake', { bucketName: 'example-lake', encryptionKey: key }),
    fn: lambda.Function.fromFunctionArn(stack, 'Enrich', 'arn:aws:lambda:us-east-1:123456789012:function:enrich'),
    model: bedrock.FoundationModel.fromFoundationModelId(
      stack,
      'Model',
      bedrock.FoundationModelIdentifier.AMAZON_TITAN_EMBED_TEXT_V2_0,
    ),
  };
}

/**
 * Every integration on Aurora MySQL and Aurora PostgreSQL, each variant in its own stack of one app, under
 * AwsSolutions, HIPAA Security, NIST 800-53 rev 4 and rev 5, PCI DSS 3.2.1 and the Control Tower guard rules.
 */
const VARIANTS: Record<string, (stack: Stack) => void> = {
  MysqlDataApi: (stack) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: importedVpc(stack, 'isolated'),
      enableDataApi: true,
    });
    grantToApp(stack, (role) => db.grantDataApiAccess(role));
  },
  PostgresDataApi: (stack) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack, 'isolated'),
      enableDataApi: true,
    });
    grantToApp(stack, (role) => db.grantDataApiAccess(role));
  },
  MysqlS3LambdaMlThroughNat: (stack) => {
    const app = appResources(stack);
    new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: importedVpc(stack, 'private'),
      s3ImportLocations: [{ bucket: app.bucket, prefix: 'incoming/' }],
      s3ExportLocations: [{ bucket: app.bucket, prefix: 'exports/' }],
      lambdaFunctions: [app.fn],
      comprehendAccess: true,
      bedrockModels: [app.model],
    });
  },
  PostgresS3LambdaThroughEndpoints: (stack) => {
    const app = appResources(stack);
    const endpointSg = ec2.SecurityGroup.fromSecurityGroupId(stack, 'EndpointSg', 'sg-0a1b2c3d4e5f60001');
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack, 'isolated'),
      s3ImportLocations: [{ bucket: app.bucket }],
      s3ExportLocations: [{ bucket: app.bucket, prefix: 'exports/' }],
      lambdaFunctions: [app.fn],
      sageMakerEndpointNames: ['churn'],
      integrationEndpoints: {
        s3: ec2.GatewayVpcEndpoint.fromGatewayVpcEndpointId(stack, 'S3', 'vpce-0a1b2c3d4e5f60001'),
        lambda: ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'Lambda', {
          vpcEndpointId: 'vpce-0a1b2c3d4e5f60002',
          port: 443,
          securityGroups: [endpointSg],
        }),
        sageMakerRuntime: ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'SageMaker', {
          vpcEndpointId: 'vpce-0a1b2c3d4e5f60003',
          port: 443,
          securityGroups: [endpointSg],
        }),
      },
    });
  },
  PostgresMlThroughNat: (stack) => {
    const app = appResources(stack);
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack, 'private'),
      comprehendAccess: true,
      bedrockModels: [app.model],
    });
  },
  MysqlZeroEtl: (stack) => {
    const db = new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc: importedVpc(stack, 'isolated') });
    db.addZeroEtlIntegration('Warehouse', {
      targetArn: 'arn:aws:redshift:us-east-1:123456789012:namespace:a1b2c3d4-5678-90ab-cdef-EXAMPLE22222',
      dataFilter: 'include: orders.*',
    });
  },
  PostgresZeroEtl: (stack) => {
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: importedVpc(stack, 'isolated') });
    db.addZeroEtlIntegration('Warehouse', {
      targetArn: 'arn:aws:redshift-serverless:us-east-1:123456789012:namespace/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    });
  },
};

describe('integrations compliance', () => {
  let byStack: Record<string, ComplianceFinding[]>;

  beforeAll(() => {
    const app = testApp();
    for (const [name, build] of Object.entries(VARIANTS)) {
      build(new Stack(app, name, { env: TEST_ENV }));
    }
    byStack = complianceFindingsByStack(app);
  });

  test.each(Object.keys(VARIANTS))('%s has no unacknowledged finding in any pack or guard rule', (name) => {
    expect(byStack[name] ?? []).toEqual([]);
  });
});
