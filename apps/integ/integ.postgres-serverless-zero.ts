/** Aurora PostgreSQL, a Serverless v2 writer alone that scales to 0 ACU and pauses after 10 idle minutes. */
import { Duration } from 'aws-cdk-lib';
import { integStack, integTest } from './integ-support';
import { AuroraCluster } from '../../src';
import { ORDERS_ENGINE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('PostgresServerlessZero');
new AuroraCluster(stack, 'Db', {
  engine: ORDERS_ENGINE,
  vpc,
  readers: [],
  serverlessV2MinCapacity: 0,
  serverlessV2MaxCapacity: 4,
  serverlessV2AutoPauseDuration: Duration.minutes(10),
});
integTest(app, 'PostgresServerlessZero', stack);
app.synth();
