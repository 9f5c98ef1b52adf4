/**
 * A copy-on-write clone for a test environment: an Aurora PostgreSQL source cluster and a writer-only clone of it
 * (RestoreType copy-on-write, latest restorable time), with its own key, secret and rotation. Asserts that the clone
 * is available and is a clone.
 */
import { ExpectedResult, Match } from '@aws-cdk/integ-tests-alpha';
import { integStack, integTest } from './integ-support';
import { AuroraCluster, RestoreSource } from '../../src';
import { ORDERS_ENGINE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('Clone');
const source = new AuroraCluster(stack, 'Source', { engine: ORDERS_ENGINE, vpc, readers: [] });
const clone = new AuroraCluster(stack, 'Clone', {
  engine: ORDERS_ENGINE,
  vpc,
  readers: [],
  restoreFrom: RestoreSource.clone({ sourceCluster: source.cluster }),
});

const integ = integTest(app, 'Clone', stack);
integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: clone.clusterIdentifier }).expect(
  ExpectedResult.objectLike({
    DBClusters: [{ Status: 'available', StorageEncrypted: true, CloneGroupId: Match.stringLikeRegexp('.+') }],
  }),
);
app.synth();
