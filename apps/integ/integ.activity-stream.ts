/**
 * Aurora PostgreSQL with a synchronous Database Activity Stream: a provisioned writer and reader, the stream started
 * by the library's custom resource with its own key, and an audit consumer (a role for a Lambda function) granted
 * read access to the Kinesis stream and decryption with its key. Asserts that the deployed cluster reports the
 * stream started in synchronous mode.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integStack, integTest } from './integ-support';
import { ActivityStreamMode, AuroraCluster } from '../../src';
import { ORDERS_ENGINE, WRITER_INSTANCE_TYPE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('ActivityStream');
const db = new AuroraCluster(stack, 'Db', {
  engine: ORDERS_ENGINE,
  vpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
  activityStream: { mode: ActivityStreamMode.SYNC },
});

// The audit consumer, granted by a customer-managed policy (an inline one fails HIPAA/NIST/PCI IAMNoInlinePolicy).
const auditRole = new iam.Role(stack, 'AuditConsumerRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  description: 'Reads and decrypts the database activity stream',
});
new iam.ManagedPolicy(stack, 'AuditConsumerAccess', {
  description: 'Read the database activity stream and decrypt its records',
  roles: [auditRole],
  statements: db.grantActivityStreamRead(auditRole.withoutPolicyUpdates()).principalStatements,
});

const integ = integTest(app, 'ActivityStream', stack);
integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: db.clusterIdentifier }).expect(
  ExpectedResult.objectLike({
    DBClusters: [{ ActivityStreamStatus: 'started', ActivityStreamMode: 'sync' }],
  }),
);
app.synth();
