import { Template, Match } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps } from '../src';
import { MYSQL_3_04, MYSQL_3_08, POSTGRES_16_4, testStack, testVpc } from './util';

function build(props: Partial<AuroraClusterProps> = {}, env?: { account: string; region: string }) {
  const stack = testStack(undefined, 'TestStack', env);
  const vpc = testVpc(stack);
  const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc, ...props });
  const role = new iam.Role(stack, 'Caller', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, db, role };
}

describe('AuroraCluster Data API', () => {
  describe('defaults', () => {
    test('the HTTP endpoint is not stated when enableDataApi is not set (templates of existing clusters unchanged)', () => {
      // GIVEN / WHEN
      const { stack } = build();
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { EnableHttpEndpoint: Match.absent() });
    });
  });

  describe('enableDataApi', () => {
    test.each([
      ['Aurora PostgreSQL 16.4', POSTGRES_16_4],
      ['Aurora MySQL 3.08.0', MYSQL_3_08],
    ])('turns on the HTTP endpoint on %s', (_name, engine) => {
      // GIVEN / WHEN
      const { stack } = build({ engine, enableDataApi: true });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { EnableHttpEndpoint: true });
    });

    test('false turns it off explicitly', () => {
      const { stack } = build({ enableDataApi: false });
      Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { EnableHttpEndpoint: false });
    });
  });

  describe('validation', () => {
    test.each([
      ['Aurora MySQL 3.04.0', MYSQL_3_04, /Aurora MySQL 3\.04\.0 does not offer the RDS Data API.*3\.07\.0\+/],
      [
        'Aurora PostgreSQL 14.6',
        rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_14_6 }),
        /Aurora PostgreSQL 14\.6 does not offer the RDS Data API.*14\.8\+/,
      ],
      [
        'Aurora PostgreSQL 13.9',
        rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_13_9 }),
        /13\.11\+/,
      ],
    ])('rejects %s', (_name, engine, message) => {
      expect(() => build({ engine, enableDataApi: true })).toThrow(message);
    });

    test.each(['ap-south-2', 'ap-southeast-4', 'ap-southeast-6'])(
      'rejects %s, a Region without the Data API',
      (region) => {
        expect(() => build({ enableDataApi: true }, { account: '123456789012', region })).toThrow(
          new RegExp(
            `TestStack/Db: enableDataApi: the RDS Data API is not available in ${region} \\(https://docs\\.aws\\.amazon\\.com/AmazonRDS/latest/AuroraUserGuide/Concepts\\.Aurora_Fea_Regions_DB-eng\\.Feature\\.Data_API\\.html\\)`,
          ),
        );
      },
    );

    test('accepts the first supported versions', () => {
      expect(() =>
        build({
          engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_14_8 }),
          enableDataApi: true,
        }),
      ).not.toThrow();
      expect(() =>
        build({
          engine: rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_07_0 }),
          enableDataApi: true,
        }),
      ).not.toThrow();
    });

    test('grantDataApiAccess without enableDataApi throws with the fix', () => {
      const { db, role } = build();
      expect(() => db.grantDataApiAccess(role)).toThrow(
        /TestStack\/Db: grantDataApiAccess: the RDS Data API is not enabled on this cluster.*set enableDataApi: true/,
      );
    });
  });

  describe('grantDataApiAccess', () => {
    const { stack, db, role } = build({ enableDataApi: true });
    db.grantDataApiAccess(role);
    const template = Template.fromStack(stack);
    const statements = () => {
      const policies = template.findResources('AWS::IAM::Policy', {
        Properties: { Roles: [{ Ref: stack.getLogicalId(role.node.defaultChild as iam.CfnRole) }] },
      });
      return Object.values(policies).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    };

    test('grants the rds-data actions on this cluster only', () => {
      expect(statements()).toContainEqual({
        Effect: 'Allow',
        Action: [
          'rds-data:BatchExecuteStatement',
          'rds-data:BeginTransaction',
          'rds-data:CommitTransaction',
          'rds-data:ExecuteStatement',
          'rds-data:RollbackTransaction',
        ],
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':rds:us-east-1:123456789012:cluster:',
              { Ref: stack.getLogicalId(db.cluster.node.defaultChild as rds.CfnDBCluster) },
            ],
          ],
        },
      });
    });

    test('grants GetSecretValue on the master secret and nothing else of Secrets Manager', () => {
      const secretStatements = statements().filter((s: any) =>
        [s.Action].flat().some((a: string) => a.startsWith('secretsmanager:')),
      );
      expect(secretStatements).toEqual([
        {
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: {
            Ref: stack.getLogicalId(
              db.cluster.node.findChild('Secret').node.findChild('Attachment').node.defaultChild as any,
            ),
          },
        },
      ]);
    });

    test('grants kms:Decrypt on the cluster key through Secrets Manager only', () => {
      expect(statements()).toContainEqual({
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: { 'Fn::GetAtt': [stack.getLogicalId(db.encryptionKey.node.defaultChild as any), 'Arn'] },
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
      });
    });

    test('grants no wildcard action', () => {
      for (const s of statements()) {
        for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
      }
    });
  });
});

describe('AuroraCluster Data API grant into a managed policy', () => {
  test('a role without policy updates gets every statement back in the grant', () => {
    // GIVEN
    const { db, role } = build({ enableDataApi: true });
    // WHEN
    const grant = db.grantDataApiAccess(role.withoutPolicyUpdates());
    // THEN
    const actions = grant.principalStatements.flatMap((s) => s.toStatementJson().Action);
    expect(actions).toEqual(
      expect.arrayContaining(['rds-data:ExecuteStatement', 'secretsmanager:GetSecretValue', 'kms:Decrypt']),
    );
  });
});
