import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraClusterProps, AuroraCrossRegionReplicaProps, AuroraCrossRegionReplica } from '../src';
import { MYSQL_3_04, MYSQL_3_08, POSTGRES_16_4, testStack, testVpc } from './util';

const EU = { account: '123456789012', region: 'eu-west-1' };

/** A source in us-east-1 and a replica in eu-west-1, in one app. */
function replicate(
  sourceProps: Partial<AuroraClusterProps> = {},
  replicaProps: Partial<AuroraCrossRegionReplicaProps> = {},
) {
  const app = new App();
  const sourceStack = testStack(app, 'Source');
  const replicaStack = testStack(app, 'Replica', EU);
  const source = new AuroraCluster(sourceStack, 'Inventory', {
    engine: MYSQL_3_08,
    vpc: testVpc(sourceStack),
    backtrackWindow: Duration.seconds(0),
    clusterIdentifier: 'source-inventory',
    ...sourceProps,
  });
  const replica = new AuroraCrossRegionReplica(replicaStack, 'InventoryReplica', {
    sourceCluster: source.cluster,
    vpc: testVpc(replicaStack),
    ...replicaProps,
  });
  return { sourceStack, replicaStack, source, replica };
}

describe('AuroraCrossRegionReplica', () => {
  describe('defaults', () => {
    const { sourceStack, replicaStack, replica } = replicate();
    const template = Template.fromStack(replicaStack);

    test('replicates the source by ARN, from the source Region, without credentials', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        ReplicationSourceIdentifier: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:cluster:source-inventory']],
        },
        SourceRegion: 'us-east-1',
        GlobalClusterIdentifier: Match.absent(),
        MasterUsername: Match.absent(),
        MasterUserPassword: Match.absent(),
        Engine: 'aurora-mysql',
        EngineVersion: '8.0.mysql_aurora.3.08.0',
      });
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    });

    test('the library defaults in the replica Region: own key, TLS, IAM auth, logs, monitoring, deletion protection', () => {
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        StorageEncrypted: true,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InventoryReplicaEncryptionKey'), 'Arn'] },
        EnableIAMDatabaseAuthentication: true,
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        EnableCloudwatchLogsExports: ['audit', 'error', 'general', 'slowquery'],
        Port: 3307,
        BacktrackWindow: Match.absent(),
        DeleteAutomatedBackups: false,
      });
      template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({ require_secure_transport: 'ON' }),
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', {
        DBInstanceClass: 'db.serverless',
        MonitoringInterval: 60,
        PubliclyAccessible: false,
      });
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        DBClusterIdentifier: Stack.of(replica).resolve(replica.clusterIdentifier),
      });
      expect(JSON.stringify(Stack.of(replica).resolve(replica.clusterIdentifier))).toContain(
        'replica-inventoryreplica',
      );
    });

    test('sets binlog_format ROW on the source, with a warning, and deploys after the source', () => {
      Template.fromStack(sourceStack).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
        Parameters: Match.objectLike({ binlog_format: 'ROW' }),
      });
      Annotations.fromStack(replicaStack).hasWarning(
        '/Replica/InventoryReplica',
        Match.stringLikeRegexp('binlog_format=ROW'),
      );
      expect(replicaStack.dependencies).toContain(sourceStack);
    });
  });

  test('keeps the binlog format the source sets', () => {
    const { sourceStack } = replicate({ parameters: { binlog_format: 'MIXED' } });
    Template.fromStack(sourceStack).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Parameters: Match.objectLike({ binlog_format: 'MIXED' }),
    });
  });

  test('replica instances as given', () => {
    const { replicaStack } = replicate(
      {},
      { instances: [rds.ClusterInstance.serverlessV2('A'), rds.ClusterInstance.serverlessV2('B')] },
    );
    Template.fromStack(replicaStack).resourceCountIs('AWS::RDS::DBInstance', 2);
  });

  describe('validation', () => {
    test.each<[string, Partial<AuroraClusterProps>, Partial<AuroraCrossRegionReplicaProps>, RegExp]>([
      [
        'an Aurora PostgreSQL source',
        { engine: POSTGRES_16_4, backtrackWindow: undefined },
        {},
        /sourceCluster: Source\/Inventory runs Aurora PostgreSQL: cross-Region read replicas with binary log replication are an Aurora MySQL feature/,
      ],
      [
        'a source with Backtrack',
        { backtrackWindow: Duration.hours(24) },
        {},
        /sourceCluster: Source\/Inventory has Backtrack on: AWS does not create cross-Region read replicas from a backtrack-enabled cluster/,
      ],
      [
        'a Global Database primary',
        { globalDatabasePrimary: true },
        {},
        /sourceCluster: Source\/Inventory is the primary of an Aurora Global Database/,
      ],
      [
        'a source without a binary log',
        { parameters: { binlog_format: 'OFF' } },
        {},
        /sourceCluster: Source\/Inventory has binlog_format=OFF/,
      ],
      [
        'an older engine version than the source',
        {},
        { engine: MYSQL_3_04 },
        /engine: the source runs 3.08.0 and the replica 3.04.0/,
      ],
      ['another engine', {}, { engine: POSTGRES_16_4 }, /engine: the replica must run the source's engine/],
      ['no instance', {}, { instances: [] }, /instances: a cross-Region replica needs at least one instance/],
    ])('rejects %s', (_name, sourceProps, replicaProps, expected) => {
      expect(() => replicate(sourceProps, replicaProps)).toThrow(expected);
    });

    test('rejects a replica in the source Region', () => {
      const stack = testStack();
      const vpc = testVpc(stack);
      const source = new AuroraCluster(stack, 'Inventory', {
        engine: MYSQL_3_08,
        vpc,
        backtrackWindow: Duration.seconds(0),
      });
      expect(() => new AuroraCrossRegionReplica(stack, 'Replica', { sourceCluster: source.cluster, vpc })).toThrow(
        /TestStack\/Replica: sourceCluster: the source is in us-east-1, the replica's own Region/,
      );
    });

    test('rejects a sixth cross-Region replica of one source', () => {
      // GIVEN a source with five replicas, in five Regions
      const { source } = replicate();
      const app = source.node.root as App;
      for (const region of ['eu-west-2', 'eu-central-1', 'ap-northeast-1', 'us-west-2']) {
        const stack = testStack(app, `Replica-${region}`, { account: EU.account, region });
        new AuroraCrossRegionReplica(stack, 'InventoryReplica', { sourceCluster: source.cluster, vpc: testVpc(stack) });
      }
      const sixth = testStack(app, 'Replica6', { account: EU.account, region: 'ap-southeast-2' });

      // THEN
      expect(
        () =>
          new AuroraCrossRegionReplica(sixth, 'InventoryReplica', {
            sourceCluster: source.cluster,
            vpc: testVpc(sixth),
          }),
      ).toThrow(
        /Replica6\/InventoryReplica: sourceCluster: Source\/Inventory already has 5 cross-Region read replicas in this app, the most AWS allows per source cluster \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/AuroraMySQL\.Replication\.CrossRegion\.html\)/,
      );
    });

    test('rejects a source the library did not create', () => {
      const stack: Stack = testStack();
      const vpc = testVpc(stack);
      const plain = new rds.DatabaseCluster(stack, 'Plain', {
        engine: MYSQL_3_08,
        vpc,
        writer: rds.ClusterInstance.serverlessV2('W'),
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      });
      const eu = testStack(new App(), 'Eu', EU);
      expect(() => new AuroraCrossRegionReplica(eu, 'Replica', { sourceCluster: plain, vpc: testVpc(eu) })).toThrow(
        /Eu\/Replica: sourceCluster: the source must be an AuroraCluster of this app/,
      );
    });
  });
});
