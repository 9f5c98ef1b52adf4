/**
 * The aws-cdk `integ.cluster-snapshot` scenario with the library alone: an Aurora MySQL source cluster, a manual
 * snapshot of it (AWS::RDS::ClusterSnapshot), and a new cluster restored from that snapshot, whose master secret (the
 * snapshot's user name with a new password) is rotated. Asserts that the restored cluster is available and encrypted.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integStack, integTest } from './integ-support';
import { AuroraCluster, AuroraClusterSnapshot, RestoreSource } from '../../src';
import { INVENTORY_ENGINE, WRITER_INSTANCE_TYPE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('ClusterSnapshot');
const source = new AuroraCluster(stack, 'Source', {
  engine: INVENTORY_ENGINE,
  vpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [],
});
const snapshot = new AuroraClusterSnapshot(stack, 'Snapshot', { cluster: source.cluster });
const restored = new AuroraCluster(stack, 'Restored', {
  engine: INVENTORY_ENGINE,
  vpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [],
  restoreFrom: RestoreSource.fromClusterSnapshot(snapshot),
});

const integ = integTest(app, 'ClusterSnapshot', stack);
integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: restored.clusterIdentifier }).expect(
  ExpectedResult.objectLike({
    DBClusters: [{ Status: 'available', StorageEncrypted: true, IAMDatabaseAuthenticationEnabled: true }],
  }),
);
app.synth();
