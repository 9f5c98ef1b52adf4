/**
 * Aurora MySQL behind an RDS Proxy with end-to-end IAM authentication: a provisioned writer and reader, the proxy's
 * read-only endpoint, an application role (for a Lambda function) granted `rds-db:connect` through the proxy, and an
 * application security group allowed into the proxy, and the proxy's recommended alarms (availability and pool
 * utilization of both target roles, borrow latency, pinning, failed authentications) notifying the cluster's
 * encrypted topic. Asserts that the deployed proxy is available and requires TLS, and that the writer role's
 * availability alarm exists with its actions enabled.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integStack, integTest } from './integ-support';
import { AuroraCluster } from '../../src';
import { INVENTORY_ENGINE, WRITER_INSTANCE_TYPE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('Proxy');
const db = new AuroraCluster(stack, 'Db', {
  engine: INVENTORY_ENGINE,
  vpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
});
const proxy = db.addAuroraProxy('Proxy');
const proxyAlarms = proxy.addRecommendedAlarms({
  sessionPinnedConnectionsThreshold: 20,
  clientConnectionsSetupFailedAuthThreshold: 5,
});

// The application: a role for a Lambda function, granted rds-db:connect through the proxy by a customer-managed
// policy (an inline one fails HIPAA/NIST/PCI IAMNoInlinePolicy), and a security group allowed into the proxy.
const appRole = new iam.Role(stack, 'AppRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  description: 'An application that connects through the proxy',
});
new iam.ManagedPolicy(stack, 'AppDatabaseAccess', {
  description: 'IAM authentication to the database through the proxy as app_user',
  roles: [appRole],
  statements: proxy.grantConnect(appRole.withoutPolicyUpdates(), 'app_user').principalStatements,
});
const appSecurityGroup = new ec2.SecurityGroup(stack, 'AppSecurityGroup', {
  vpc,
  description: 'An application that connects through the proxy',
  allowAllOutbound: false,
});
proxy.connections.allowDefaultPortFrom(appSecurityGroup, 'The application');

const integ = integTest(app, 'Proxy', stack);
integ.assertions.awsApiCall('RDS', 'describeDBProxies', { DBProxyName: proxy.dbProxyName }).expect(
  ExpectedResult.objectLike({
    DBProxies: [{ DBProxyName: proxy.dbProxyName, Status: 'available', RequireTLS: true }],
  }),
);
integ.assertions
  .awsApiCall('CloudWatch', 'describeAlarmsForMetric', {
    Namespace: 'AWS/RDS',
    MetricName: 'AvailabilityPercentage',
    Dimensions: [
      { Name: 'ProxyName', Value: proxy.dbProxyName },
      { Name: 'TargetGroup', Value: 'default' },
      { Name: 'TargetRole', Value: 'READ_WRITE' },
    ],
  })
  .expect(
    ExpectedResult.objectLike({
      MetricAlarms: [{ ActionsEnabled: true, AlarmActions: [proxyAlarms.topic.topicArn] }],
    }),
  );
app.synth();
