/**
 * Operating the database: the recommended alarms on an Aurora MySQL cluster with a provisioned writer and reader
 * (per-instance and cluster-level alarms, Aurora MySQL's volume alarm) and on an Aurora PostgreSQL Serverless v2
 * cluster (ACU and memory alarms), and the RDS event subscriptions of both clusters, their instances and parameter
 * groups, each notifying the encrypted, TLS-only topic of its cluster, and a dashboard of each cluster. Asserts that the writer-role alarm exists with
 * its actions enabled and that RDS accepted the cluster's event subscription.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integStack, integTest } from './integ-support';
import { AuroraCluster } from '../../src';
import { INVENTORY_ENGINE, ORDERS_ENGINE, WRITER_INSTANCE_TYPE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('Operations');
const provisioned = new AuroraCluster(stack, 'Provisioned', {
  engine: INVENTORY_ENGINE,
  vpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
});
const provisionedAlarms = provisioned.addRecommendedAlarms({ databaseConnectionsThreshold: 500 });
const provisionedSubscriptions = provisioned.addEventSubscriptions();
provisioned.addDashboard();

const serverless = new AuroraCluster(stack, 'Serverless', {
  engine: ORDERS_ENGINE,
  vpc,
  serverlessV2MaxCapacity: 4,
});
serverless.addRecommendedAlarms();
serverless.addEventSubscriptions();
serverless.addDashboard();

const integ = integTest(app, 'Operations', stack);
integ.assertions
  .awsApiCall('CloudWatch', 'describeAlarmsForMetric', {
    Namespace: 'AWS/RDS',
    MetricName: 'EngineUptime',
    Dimensions: [
      { Name: 'DBClusterIdentifier', Value: provisioned.clusterIdentifier },
      { Name: 'Role', Value: 'WRITER' },
    ],
  })
  .expect(
    ExpectedResult.objectLike({
      MetricAlarms: [{ ActionsEnabled: true, AlarmActions: [provisionedAlarms.topic.topicArn] }],
    }),
  );
integ.assertions
  .awsApiCall('RDS', 'describeEventSubscriptions', {
    SubscriptionName: provisionedSubscriptions.subscriptions[0].ref,
  })
  .expect(ExpectedResult.objectLike({ EventSubscriptionsList: [{ Status: 'active', Enabled: true }] }));
app.synth();
