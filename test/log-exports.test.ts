import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AuroraCluster, AuroraClusterProps, AuroraLogExport } from '../src';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, TEST_ENV, testStack, testVpc } from './util';

function build(props: Partial<AuroraClusterProps>) {
  const stack = testStack();
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack), ...props });
  return { stack, db, template: Template.fromStack(stack) };
}

describe('AuroraCluster additionalLogExports', () => {
  test.each([
    ['Aurora PostgreSQL', POSTGRES_16_4, ['postgresql', 'instance', 'iam-db-auth-error']],
    ['Aurora MySQL', MYSQL_3_08, ['audit', 'error', 'general', 'slowquery', 'instance', 'iam-db-auth-error']],
  ])('%s exports instance and iam-db-auth-error after its own types', (_name, engine, expected) => {
    // GIVEN / WHEN
    const { template } = build({
      engine,
      additionalLogExports: [AuroraLogExport.INSTANCE, AuroraLogExport.IAM_DB_AUTH_ERROR],
    });
    // THEN
    template.hasResourceProperties('AWS::RDS::DBCluster', { EnableCloudwatchLogsExports: expected });
  });

  test('each additional type goes to a log group created beforehand, encrypted with the key, with retention', () => {
    const { template, stack, db } = build({ additionalLogExports: [AuroraLogExport.IAM_DB_AUTH_ERROR] });
    const keyArn = stack.resolve(db.encryptionKey.keyArn);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.objectLike({}),
      KmsKeyId: keyArn,
      RetentionInDays: 365,
    });
    const groups = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([id]) =>
      id.includes('iamdbautherror'),
    );
    expect(groups).toHaveLength(1);
    const [groupId, group] = groups[0];
    expect(JSON.stringify(group.Properties.LogGroupName)).toContain('/iam-db-auth-error');
    expect(group.Properties.KmsKeyId).toEqual(keyArn);
    expect(group.Properties.RetentionInDays).toEqual(365);
    const cluster = Object.values(template.findResources('AWS::RDS::DBCluster'))[0];
    expect(cluster.DependsOn).toContain(groupId);
  });

  test("the library's own types and repeats are exported once", () => {
    const { template } = build({
      additionalLogExports: [AuroraLogExport.of('postgresql'), AuroraLogExport.INSTANCE, AuroraLogExport.INSTANCE],
    });
    template.hasResourceProperties('AWS::RDS::DBCluster', { EnableCloudwatchLogsExports: ['postgresql', 'instance'] });
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
  });

  test('the log groups the library always creates keep their logical ids', () => {
    const plain = Object.keys(build({}).template.findResources('AWS::Logs::LogGroup'));
    const more = Object.keys(
      build({ additionalLogExports: [AuroraLogExport.INSTANCE] }).template.findResources('AWS::Logs::LogGroup'),
    );
    expect(more).toEqual(expect.arrayContaining(plain));
  });

  test.each([
    [
      'Aurora PostgreSQL',
      POSTGRES_16_4,
      'audit',
      /TestStack\/Db: additionalLogExports: 'audit' is not a log type Aurora PostgreSQL exports \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/APIReference\/API_CreateDBCluster\.html\); use instance or iam-db-auth-error/,
    ],
    [
      'Aurora MySQL',
      MYSQL_3_08,
      'postgresql',
      /additionalLogExports: 'postgresql' is not a log type Aurora MySQL exports/,
    ],
    ['Aurora MySQL', MYSQL_3_08, 'upgrade', /additionalLogExports: 'upgrade' is not a log type Aurora MySQL exports/],
  ])('%s rejects %s at synth', (_name, engine, type, error) => {
    expect(() => build({ engine, additionalLogExports: [AuroraLogExport.of(type)] })).toThrow(error);
  });

  test('a warning names the Control Tower rule that reports the additional types', () => {
    const { stack } = build({ additionalLogExports: [AuroraLogExport.INSTANCE] });
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Db',
      Match.stringLikeRegexp('CT.RDS.PR.25 accepts only the log types postgresql on Aurora PostgreSQL.*instance'),
    );
  });

  test('no warning without additional types', () => {
    const { stack } = build({});
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Db', Match.stringLikeRegexp('CT.RDS.PR.25'));
  });
});

describe('additionalLogExports compliance', () => {
  let findings: ComplianceFinding[];
  beforeAll(() => {
    const app = testApp();
    const stack = new Stack(app, 'ExtraLogs', { env: TEST_ENV });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      vpcCidrBlock: '10.0.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
      isolatedSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
    });
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc,
      additionalLogExports: [AuroraLogExport.INSTANCE, AuroraLogExport.IAM_DB_AUTH_ERROR],
    });
    findings = complianceFindingsByStack(app).ExtraLogs ?? [];
  });

  test('the only finding is Control Tower CT.RDS.PR.25 on the cluster, as documented; no cdk-nag pack objects', () => {
    expect(findings.map((f) => [f.pack, f.ruleId, f.resource])).toEqual([
      ['cdk-validator-cfnguard', 'rds_cluster_logging_enabled_check', 'ExtraLogs/Db/Cluster/Resource'],
    ]);
  });
});
