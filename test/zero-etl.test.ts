import { Aws } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps } from '../src';
import { derivedNameOf, MYSQL_3_04, MYSQL_3_08, POSTGRES_15_4, POSTGRES_16_4, testStack, testVpc } from './util';

const SERVERLESS_NAMESPACE =
  'arn:aws:redshift-serverless:us-east-1:123456789012:namespace/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const PROVISIONED_NAMESPACE = 'arn:aws:redshift:us-east-1:123456789012:namespace:a1b2c3d4-5678-90ab-cdef-EXAMPLE22222';

function build(props: Partial<AuroraClusterProps> = {}) {
  const stack = testStack();
  const vpc = testVpc(stack);
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, ...props });
  return { stack, db };
}

describe('AuroraCluster.addZeroEtlIntegration', () => {
  describe('Aurora PostgreSQL', () => {
    const { stack, db } = build();
    const integration = db.addZeroEtlIntegration('Warehouse', {
      targetArn: SERVERLESS_NAMESPACE,
      dataFilter: 'include: orders.public.*',
    });
    const template = Template.fromStack(stack);

    test('creates the integration from this cluster to the namespace, encrypted with the cluster key', () => {
      template.hasResourceProperties('AWS::RDS::Integration', {
        SourceArn: stack.resolve(`arn:${Aws.PARTITION}:rds:us-east-1:123456789012:cluster:${db.clusterIdentifier}`),
        TargetArn: SERVERLESS_NAMESPACE,
        DataFilter: 'include: orders.public.*',
        KMSKeyId: { 'Fn::GetAtt': [stack.getLogicalId(db.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] },
        IntegrationName: derivedNameOf('TestStack', stack.resolve(integration.resource.logicalId)),
      });
    });

    test('is created after the cluster', () => {
      template.hasResource('AWS::RDS::Integration', {
        DependsOn: Match.arrayWith([stack.getLogicalId(db.cluster.node.defaultChild as rds.CfnDBCluster)]),
      });
    });

    test('sets enhanced logical replication on the cluster parameter group', () => {
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({
          'rds.logical_replication': '1',
          'aurora.enhanced_logical_replication': '1',
          'aurora.logical_replication_backup': '0',
          'aurora.logical_replication_globaldb': '0',
        }),
      });
    });

    test('lets Redshift use the key for integrations of this account only', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AllowRedshiftForZeroEtlIntegrations',
              Principal: { Service: 'redshift.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:CreateGrant'],
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    });
  });

  describe('Aurora MySQL', () => {
    test('sets enhanced binlog, row format and full images', () => {
      const { stack, db } = build({ engine: MYSQL_3_08 });
      db.addZeroEtlIntegration('Warehouse', { targetArn: PROVISIONED_NAMESPACE });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({
          aurora_enhanced_binlog: '1',
          binlog_backup: '0',
          binlog_format: 'ROW',
          binlog_replication_globaldb: '0',
          binlog_row_image: 'full',
          binlog_row_metadata: 'full',
        }),
      });
    });

    test('warns that a backtrack desynchronizes the integration', () => {
      const { stack, db } = build({ engine: MYSQL_3_08 });
      db.addZeroEtlIntegration('Warehouse', { targetArn: PROVISIONED_NAMESPACE });
      Annotations.fromStack(stack).hasWarning(
        '/TestStack/Db',
        Match.stringLikeRegexp('Backtrack writes no binlog entries'),
      );
    });

    test('two integrations share the parameters and the key statement', () => {
      const { stack, db } = build({ engine: MYSQL_3_08 });
      db.addZeroEtlIntegration('A', { targetArn: PROVISIONED_NAMESPACE });
      db.addZeroEtlIntegration('B', { targetArn: SERVERLESS_NAMESPACE });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::RDS::Integration', 2);
      const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as any;
      expect(
        key.Properties.KeyPolicy.Statement.filter((s: any) => s.Sid === 'AllowRedshiftForZeroEtlIntegrations'),
      ).toHaveLength(1);
    });
  });

  describe('validation', () => {
    test.each([
      [
        'Aurora MySQL 3.04.0',
        MYSQL_3_04,
        /Aurora MySQL 3\.04\.0 cannot be the source of a zero-ETL integration; it needs 3\.05\.2\+/,
      ],
      [
        'Aurora PostgreSQL 15.4',
        POSTGRES_15_4,
        /Aurora PostgreSQL 15\.4 cannot be the source of a zero-ETL integration; it needs 16\.4\+/,
      ],
    ])('rejects %s', (_name, engine, message) => {
      const { db } = build({ engine });
      expect(() => db.addZeroEtlIntegration('W', { targetArn: SERVERLESS_NAMESPACE })).toThrow(message);
    });

    test('rejects a parameter that contradicts the required ones', () => {
      const { db } = build({ engine: MYSQL_3_08, parameters: { binlog_format: 'MIXED' } });
      expect(() => db.addZeroEtlIntegration('W', { targetArn: SERVERLESS_NAMESPACE })).toThrow(
        /TestStack\/Db: parameters\.binlog_format: a zero-ETL integration needs binlog_format=ROW, got 'MIXED'/,
      );
    });

    test('rejects binlog transaction compression on Aurora MySQL', () => {
      const { db } = build({ engine: MYSQL_3_08, parameters: { binlog_transaction_compression: 'ON' } });
      expect(() => db.addZeroEtlIntegration('W', { targetArn: SERVERLESS_NAMESPACE })).toThrow(
        /parameters\.binlog_transaction_compression: a zero-ETL integration cannot replicate/,
      );
    });

    test.each([
      ['a bucket ARN', 'arn:aws:s3:::bucket'],
      ['a workgroup ARN', 'arn:aws:redshift-serverless:us-east-1:123456789012:workgroup/abc'],
    ])('rejects %s as target', (_name, targetArn) => {
      const { db } = build();
      expect(() => db.addZeroEtlIntegration('W', { targetArn })).toThrow(
        /TestStack\/Db\/ZeroEtlIntegrations\/W: targetArn: .* is not an Amazon Redshift namespace ARN/,
      );
    });

    test('rejects a namespace in another Region', () => {
      const { db } = build();
      expect(() =>
        db.addZeroEtlIntegration('W', {
          targetArn: 'arn:aws:redshift-serverless:eu-west-1:123456789012:namespace/a1b2',
        }),
      ).toThrow(/the namespace is in eu-west-1, but the cluster is in us-east-1/);
    });

    test('rejects a malformed integration name', () => {
      const { db } = build();
      expect(() =>
        db.addZeroEtlIntegration('W', { targetArn: SERVERLESS_NAMESPACE, integrationName: '1-bad_name' }),
      ).toThrow(/integrationName: '1-bad_name' is not a valid integration name/);
    });
  });
});
