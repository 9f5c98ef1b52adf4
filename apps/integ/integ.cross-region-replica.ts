/**
 * A cross-Region read replica for disaster recovery: an Aurora MySQL source with a provisioned writer in us-east-1
 * (Backtrack off, binary log on: the library sets binlog_format) and an AuroraCrossRegionReplica of it in eu-west-1,
 * encrypted with its own key in that Region. Asserts, in the replica's Region, that the replica is available,
 * encrypted and replicates from the source's ARN.
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integStackIn, integTest } from './integ-support';
import { AuroraCluster, AuroraCrossRegionReplica } from '../../src';
import { INVENTORY_ENGINE, REFERENCE_REGIONS, WRITER_INSTANCE_TYPE } from '../reference/reference-app';

const app = new App();
const { stack: sourceStack, vpc: sourceVpc } = integStackIn(app, 'CrossRegionReplicaSource', REFERENCE_REGIONS.primary);
const source = new AuroraCluster(sourceStack, 'Inventory', {
  engine: INVENTORY_ENGINE,
  vpc: sourceVpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [],
  // A stack in another Region cannot import a derived identifier, and AWS makes no cross-Region replica of a
  // backtrack-enabled cluster.
  clusterIdentifier: 'integ-inventory-source',
  backtrackWindow: Duration.seconds(0),
});

const { stack: replicaStack, vpc: replicaVpc } = integStackIn(app, 'CrossRegionReplica', REFERENCE_REGIONS.secondary);
const replica = new AuroraCrossRegionReplica(replicaStack, 'InventoryReplica', {
  sourceCluster: source.cluster,
  vpc: replicaVpc,
  clusterIdentifier: 'integ-inventory-replica',
});

// The replica's stack first: the assertions run in its Region (the replica stack depends on the source stack, so the
// source deploys first).
const integ = integTest(app, 'CrossRegionReplica', replicaStack, sourceStack);
integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: replica.clusterIdentifier }).expect(
  ExpectedResult.objectLike({
    DBClusters: [
      {
        Status: 'available',
        StorageEncrypted: true,
        Engine: 'aurora-mysql',
        ReplicationSourceIdentifier: Match.stringLikeRegexp(
          `^arn:aws:rds:${REFERENCE_REGIONS.primary}:[0-9]{12}:cluster:integ-inventory-source$`,
        ),
      },
    ],
  }),
);
app.synth();
