import { Aws, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AuroraCluster, AuroraClusterProps } from '../src';
import { MYSQL_3_04, MYSQL_3_08, POSTGRES_16_4, testStack, testVpc, VpcLayout } from './util';

interface Fixture {
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly imports: s3.Bucket;
  readonly exports: s3.Bucket;
  readonly exportKey: kms.Key;
  readonly fn: lambda.IFunction;
  readonly model: bedrock.IModel;
}

function fixture(layout = VpcLayout.PRIVATE_WITH_EGRESS): Fixture {
  const stack = testStack();
  const vpc = testVpc(stack, layout);
  const exportKey = new kms.Key(stack, 'ExportKey', { enableKeyRotation: true });
  return {
    stack,
    vpc,
    imports: new s3.Bucket(stack, 'Imports'),
    exports: new s3.Bucket(stack, 'Exports', { encryptionKey: exportKey }),
    exportKey,
    fn: lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:123456789012:function:enrich'),
    model: bedrock.FoundationModel.fromFoundationModelId(
      stack,
      'Model',
      bedrock.FoundationModelIdentifier.AMAZON_TITAN_EMBED_TEXT_V2_0,
    ),
  };
}

function build(f: Fixture, props: Partial<AuroraClusterProps>) {
  const db = new AuroraCluster(f.stack, 'Db', { engine: POSTGRES_16_4, vpc: f.vpc, ...props });
  return { db, template: Template.fromStack(f.stack) };
}

const ref = (stack: Stack, c: { node: { defaultChild?: any } }) => stack.getLogicalId(c.node.defaultChild);

/** The statements of the customer-managed policy attached to a role. */
function policyOf(template: Template, roleLogicalId: string): any[] {
  const policies = template.findResources('AWS::IAM::ManagedPolicy', {
    Properties: { Roles: [{ Ref: roleLogicalId }] },
  });
  const list = Object.values(policies);
  expect(list).toHaveLength(1);
  return (list[0] as any).Properties.PolicyDocument.Statement;
}

describe('AuroraCluster integrations', () => {
  describe('Aurora PostgreSQL', () => {
    const f = fixture();
    const { db, template } = build(f, {
      s3ImportLocations: [{ bucket: f.imports, prefix: 'incoming/' }],
      s3ExportLocations: [{ bucket: f.exports }],
      lambdaFunctions: [f.fn],
      sageMakerEndpointNames: ['Churn-Model'],
      bedrockModels: [f.model],
    });

    test('associates one role per feature with its FeatureName', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        AssociatedRoles: [
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.s3ImportRole!), 'Arn'] }, FeatureName: 's3Import' },
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.s3ExportRole!), 'Arn'] }, FeatureName: 's3Export' },
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.lambdaRole!), 'Arn'] }, FeatureName: 'Lambda' },
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.sageMakerRole!), 'Arn'] }, FeatureName: 'SageMaker' },
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.bedrockRole!), 'Arn'] }, FeatureName: 'Bedrock' },
        ],
      });
    });

    test('sets no MySQL role parameter', () => {
      const groups = template.findResources('AWS::RDS::DBClusterParameterGroup');
      for (const g of Object.values(groups)) {
        expect(Object.keys((g as any).Properties.Parameters).filter((p) => p.startsWith('aws_default'))).toEqual([]);
      }
    });

    test('each role is assumed only by RDS for this cluster in this account', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'rds.amazonaws.com' },
              Condition: {
                StringEquals: { 'aws:SourceAccount': '123456789012' },
                ArnLike: {
                  'aws:SourceArn': Stack.of(db).resolve(
                    `arn:${Aws.PARTITION}:rds:us-east-1:123456789012:cluster:${db.clusterIdentifier}`,
                  ),
                },
              },
            },
          ],
        },
      });
    });

    test('the import role may list the prefix and read its objects, nothing else', () => {
      const bucketArn = { 'Fn::GetAtt': [ref(f.stack, f.imports), 'Arn'] };
      expect(policyOf(template, ref(f.stack, db.s3ImportRole!))).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucketArn,
          Condition: { StringLike: { 's3:prefix': 'incoming/*' } },
        },
        {
          Effect: 'Allow',
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
          Resource: { 'Fn::Join': ['', [bucketArn, '/incoming/*']] },
        },
      ]);
    });

    test('the export role may write objects and use the bucket key', () => {
      const statements = policyOf(template, ref(f.stack, db.s3ExportRole!));
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:PutObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
          's3:DeleteObject',
        ],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(f.stack, f.exports), 'Arn'] }, '/*']] },
      });
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: { 'Fn::GetAtt': [ref(f.stack, f.exportKey), 'Arn'] },
      });
    });

    test('the Lambda role may invoke the given functions only', () => {
      expect(policyOf(template, ref(f.stack, db.lambdaRole!))).toEqual([
        {
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:enrich',
        },
      ]);
    });

    test('the SageMaker role may invoke the named endpoint (ARN in lower case)', () => {
      expect(policyOf(template, ref(f.stack, db.sageMakerRole!))).toEqual([
        {
          Effect: 'Allow',
          Action: 'sagemaker:InvokeEndpoint',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':sagemaker:us-east-1:123456789012:endpoint/churn-model'],
            ],
          },
        },
      ]);
    });

    test('the Bedrock role may invoke the given model only', () => {
      expect(policyOf(template, ref(f.stack, db.bedrockRole!))).toEqual([
        {
          Effect: 'Allow',
          Action: 'bedrock:InvokeModel',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0'],
            ],
          },
        },
      ]);
    });

    test('the cluster may reach the services over HTTPS through the NAT', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Aurora cluster TestStack/Db'),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
      });
    });
  });

  describe('Aurora MySQL', () => {
    const f = fixture();
    const { db, template } = build(f, {
      engine: MYSQL_3_08,
      s3ImportLocations: [{ bucket: f.imports }],
      s3ExportLocations: [{ bucket: f.exports, prefix: 'out/' }],
      lambdaFunctions: [f.fn],
      comprehendAccess: true,
      bedrockModels: [f.model],
    });

    test('one S3 role for import and export, named by aws_default_s3_role', () => {
      expect(db.s3ImportRole).toBe(db.s3ExportRole);
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({
          aws_default_s3_role: { 'Fn::GetAtt': [ref(f.stack, db.s3ImportRole!), 'Arn'] },
          aws_default_lambda_role: { 'Fn::GetAtt': [ref(f.stack, db.lambdaRole!), 'Arn'] },
          aws_default_comprehend_role: { 'Fn::GetAtt': [ref(f.stack, db.comprehendRole!), 'Arn'] },
          aws_default_bedrock_role: { 'Fn::GetAtt': [ref(f.stack, db.bedrockRole!), 'Arn'] },
        }),
      });
    });

    test('the roles are associated without a FeatureName', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        AssociatedRoles: [
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.s3ImportRole!), 'Arn'] } },
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.lambdaRole!), 'Arn'] } },
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.comprehendRole!), 'Arn'] } },
          { RoleArn: { 'Fn::GetAtt': [ref(f.stack, db.bedrockRole!), 'Arn'] } },
        ],
      });
    });

    test('the S3 role reads the import bucket and writes under the export prefix', () => {
      const statements = policyOf(template, ref(f.stack, db.s3ImportRole!));
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(f.stack, f.imports), 'Arn'] }, '/*']] },
      });
      expect(statements).toContainEqual(
        expect.objectContaining({
          Action: expect.arrayContaining(['s3:PutObject']),
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [ref(f.stack, f.exports), 'Arn'] }, '/out/*']] },
        }),
      );
    });

    test('the Comprehend role has the two detection actions, which accept no resource but "*"', () => {
      expect(policyOf(template, ref(f.stack, db.comprehendRole!))).toEqual([
        { Effect: 'Allow', Action: ['comprehend:DetectSentiment', 'comprehend:BatchDetectSentiment'], Resource: '*' },
      ]);
    });
  });

  describe('network path', () => {
    test('isolated subnets without an endpoint are rejected, naming the service and the fix', () => {
      const f = fixture(VpcLayout.ISOLATED);
      expect(() => build(f, { lambdaFunctions: [f.fn] })).toThrow(
        /TestStack\/Db: integrationEndpoints\.lambda: the cluster's subnets are isolated, so AWS Lambda \(lambdaFunctions\) is unreachable.*pass your endpoint/,
      );
    });

    test("an interface endpoint: the cluster may reach it, and it admits the cluster's security group", () => {
      // GIVEN
      const f = fixture(VpcLayout.ISOLATED);
      const endpoint = f.vpc.addInterfaceEndpoint('LambdaEndpoint', {
        service: ec2.InterfaceVpcEndpointAwsService.LAMBDA,
      });
      // WHEN
      const { db, template } = build(f, { lambdaFunctions: [f.fn], integrationEndpoints: { lambda: endpoint } });
      // THEN
      const endpointSg = ref(f.stack, endpoint.connections.securityGroups[0]);
      const clusterSg = ref(f.stack, db.securityGroup);
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
        GroupId: { 'Fn::GetAtt': [clusterSg, 'GroupId'] },
        DestinationSecurityGroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] },
        FromPort: 443,
        ToPort: 443,
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        GroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [clusterSg, 'GroupId'] },
        FromPort: 443,
      });
      // no route and no other endpoint is added (the second is the rotation function's Secrets Manager endpoint)
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
      template.resourceCountIs('AWS::EC2::Route', 0);
      // nothing else goes out: no egress to any address
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Aurora cluster TestStack/Db'),
        SecurityGroupEgress: Match.absent(),
      });
    });

    test('an S3 gateway endpoint: HTTPS out, and no route added by the library', () => {
      const f = fixture(VpcLayout.ISOLATED);
      const gateway = f.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      const { template } = build(f, {
        s3ExportLocations: [{ bucket: f.exports }],
        integrationEndpoints: { s3: gateway },
      });
      template.resourceCountIs('AWS::EC2::Route', 0); // isolated subnets: the gateway endpoint is the only route
      // the gateway endpoint and the rotation function's Secrets Manager endpoint
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Aurora cluster TestStack/Db'),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443 })],
      });
    });

    test('no integration: the security group stays closed', () => {
      const f = fixture();
      const { template } = build(f, {});
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('^Aurora cluster TestStack/Db'),
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32' })],
      });
      template.resourceCountIs('AWS::IAM::ManagedPolicy', 1); // the monitoring role's
    });
  });

  describe('validation', () => {
    test('Bedrock needs Aurora MySQL 3.06+', () => {
      const f = fixture();
      expect(() => build(f, { engine: MYSQL_3_04, bedrockModels: [f.model] })).toThrow(
        /TestStack\/Db: bedrockModels: Aurora MySQL 3\.04\.0 does not support Bedrock inference; it needs 3\.06\.0\+ \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/mysql-ml\.html\)/,
      );
    });

    test('at most five associated roles', () => {
      const f = fixture();
      expect(() =>
        build(f, {
          s3ImportLocations: [{ bucket: f.imports }],
          s3ExportLocations: [{ bucket: f.exports }],
          lambdaFunctions: [f.fn],
          sageMakerEndpointNames: ['m'],
          comprehendAccess: true,
          bedrockModels: [f.model],
        }),
      ).toThrow(/these integrations need 6 IAM roles, but at most 5 can be associated/);
    });

    test('Lambda needs Aurora PostgreSQL 12.4+ on the 12 line', () => {
      const f = fixture();
      const provisioned = (id: string) =>
        rds.ClusterInstance.provisioned(id, {
          instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
        });
      expect(() =>
        build(f, {
          engine: rds.DatabaseClusterEngine.auroraPostgres({
            version: rds.AuroraPostgresEngineVersion.of('12.3', '12'),
          }),
          writer: provisioned('Writer'),
          readers: [],
          lambdaFunctions: [f.fn],
        }),
      ).toThrow(
        /lambdaFunctions: Aurora PostgreSQL 12\.3 does not support Lambda invocation; it needs 11\.9\+, 12\.4\+ \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/PostgreSQL-Lambda\.html\)/,
      );
    });
  });

  test('a role from a grant can take the policy', () => {
    // Roles are plain iam.Role: users can add to them (escape hatch).
    const f = fixture();
    const { db } = build(f, { lambdaFunctions: [f.fn] });
    expect(db.lambdaRole).toBeInstanceOf(iam.Role);
  });
});
