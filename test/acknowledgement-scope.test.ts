import { App, ArnFormat, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraGlobalDatabase } from '../src';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, R6G_LARGE } from './util';

/**
 * The library's acknowledgements must silence only the finding they name, on the resource they name. Next to every
 * library variant that ships acknowledgements, an app stack (in the same account and Region, so that ARNs render
 * alike) violates every rule the library acknowledges; its findings must be exactly those it has in an app without
 * the library.
 */

const ACCOUNT = '123456789012';
const REGIONS = { primary: 'us-east-1', eu: 'eu-west-1', ap: 'ap-southeast-2' };

/**
 * An app's own resources that break each rule the library acknowledges somewhere: wildcard IAM resources (the same
 * ARNs the library's acknowledgements name), a Lambda function without a dead-letter queue, an Aurora MySQL cluster
 * without Backtrack and Aurora instances in no backup plan.
 */
function appViolations(app: App, name: string, region: string): void {
  const stack = new Stack(app, name, { env: { account: ACCOUNT, region } });
  const arn = (service: string, resource: string, resourceName: string, arnFormat = ArnFormat.COLON_RESOURCE_NAME) =>
    stack.formatArn({ service, resource, resourceName, arnFormat });
  const role = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  const policy = new iam.ManagedPolicy(stack, 'AppPolicy', {
    statements: [
      new iam.PolicyStatement({ actions: ['ec2:DescribeInstances'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['rds:DescribeDBInstances'], resources: [arn('rds', 'db', '*')] }),
      new iam.PolicyStatement({
        actions: ['ec2:DeleteNetworkInterface'],
        resources: [arn('ec2', 'network-interface', '*', ArnFormat.SLASH_RESOURCE_NAME)],
      }),
      new iam.PolicyStatement({
        actions: ['rds:DeleteDBInstance'],
        resources: [arn('rds', 'db', 'application-autoscaling-*')],
      }),
      new iam.PolicyStatement({
        actions: ['application-autoscaling:DescribeScalableTargets'],
        resources: [arn('application-autoscaling', 'scalable-target', '*', ArnFormat.SLASH_RESOURCE_NAME)],
      }),
      new iam.PolicyStatement({
        actions: ['logs:GetLogEvents'],
        resources: [
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: 'RDSOSMetrics:log-stream:*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    ],
  });
  role.addManagedPolicy(policy);
  // The AWS managed policies of AWS Backup's service role, as an app's own backup role would have them.
  new iam.Role(stack, 'AppBackupRole', {
    assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    managedPolicies: ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'].map(
      (policyName) => iam.ManagedPolicy.fromAwsManagedPolicyName(`service-role/${policyName}`),
    ),
  });
  new lambda.Function(stack, 'AppFunction', {
    runtime: lambda.Runtime.NODEJS_LATEST,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
    role,
  });
  const cluster = new rds.CfnDBCluster(stack, 'AppMysqlCluster', {
    engine: 'aurora-mysql',
    storageEncrypted: true,
    masterUsername: 'admin',
    manageMasterUserPassword: true,
  });
  new rds.CfnDBInstance(stack, 'AppMysqlInstance', {
    engine: 'aurora-mysql',
    dbClusterIdentifier: cluster.ref,
    dbInstanceClass: 'db.r6g.large',
  });
}

/** The library variants that ship acknowledgements, each as stacks of one app, and the Regions of those stacks. */
const VARIANTS: Record<string, (app: App) => string[]> = {
  PostgresCluster: (app) => {
    const stack = new Stack(app, 'Lib', { env: { account: ACCOUNT, region: REGIONS.primary } });
    new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: isolatedVpc(stack) });
    return [REGIONS.primary];
  },
  MysqlClusterProxy: (app) => {
    const stack = new Stack(app, 'Lib', { env: { account: ACCOUNT, region: REGIONS.primary } });
    const db = new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc: isolatedVpc(stack) });
    db.addAuroraProxy('Proxy');
    return [REGIONS.primary];
  },
  AutoscalingAnalytics: (app) => {
    const stack = new Stack(app, 'Lib', { env: { account: ACCOUNT, region: REGIONS.primary } });
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: isolatedVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })],
      analytics: { readers: [rds.ClusterInstance.provisioned('Bi', { instanceType: R6G_LARGE })] },
      readerAutoScaling: { minCapacity: 1, maxCapacity: 4, targetCpuUtilization: 60 },
    });
    return [REGIONS.primary];
  },
  BackupPlanComprehend: (app) => {
    const stack = new Stack(app, 'Lib', { env: { account: ACCOUNT, region: REGIONS.primary } });
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, backupPlan: {}, comprehendAccess: true });
    return [REGIONS.primary];
  },
  MysqlGlobal: (app) => {
    const primaryStack = new Stack(app, 'Lib', { env: { account: ACCOUNT, region: REGIONS.primary } });
    const euStack = new Stack(app, 'LibEu', { env: { account: ACCOUNT, region: REGIONS.eu } });
    const primary = new AuroraCluster(primaryStack, 'Db', {
      engine: MYSQL_3_08,
      vpc: isolatedVpc(primaryStack),
      globalDatabasePrimary: true,
    });
    new AuroraGlobalDatabase(primaryStack, 'Global', { primary }).addSecondary(euStack, 'Db', {
      vpc: isolatedVpc(euStack),
      readers: [rds.ClusterInstance.serverlessV2('Reader')],
    });
    return [REGIONS.primary, REGIONS.eu];
  },
};

function isolatedVpc(stack: Stack): ec2.IVpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

const appStackName = (region: string) => `App${region.replace(/-/g, '')}`;

/** The app stacks' findings, as `pack rule resource` lines per stack. */
function appFindings(app: App, regions: string[]): Record<string, string[]> {
  const byStack = complianceFindingsByStack(app);
  const lines = (findings: ComplianceFinding[]) => findings.map((f) => `${f.pack} ${f.ruleId} ${f.resource}`).sort();
  return Object.fromEntries(regions.map((r) => [appStackName(r), lines(byStack[appStackName(r)] ?? [])]));
}

describe('acknowledgements shipped by the library stay on their own resources', () => {
  const allRegions = Object.values(REGIONS);
  let alone: Record<string, string[]>;

  beforeAll(() => {
    const app = testApp();
    for (const region of allRegions) appViolations(app, appStackName(region), region);
    alone = appFindings(app, allRegions);
  });

  test('the app stack violates every rule the library acknowledges', () => {
    const findings = alone[appStackName(REGIONS.primary)].join('\n');
    for (const rule of [
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:us-east-1:123456789012:network-interface/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds:us-east-1:123456789012:db:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds:us-east-1:123456789012:db:application-autoscaling-*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:application-autoscaling:us-east-1:123456789012:scalable-target/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:us-east-1:123456789012:log-group:RDSOSMetrics:log-stream:*]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
      'AwsSolutions-RDS14',
      'HIPAA.Security-LambdaDLQ',
      'NIST.800.53.R5-LambdaDLQ',
      'HIPAA.Security-RDSInBackupPlan',
      'NIST.800.53.R4-RDSInBackupPlan',
      'NIST.800.53.R5-RDSInBackupPlan',
    ]) {
      expect(findings).toContain(` ${rule} `);
    }
  });

  test.each(Object.keys(VARIANTS))('%s: every finding of the app stacks survives', (variant) => {
    const app = testApp();
    const regions = VARIANTS[variant](app);
    for (const region of regions) appViolations(app, appStackName(region), region);
    const withLibrary = appFindings(app, regions);
    for (const region of regions) {
      expect(withLibrary[appStackName(region)]).toEqual(alone[appStackName(region)]);
    }
  });
});
