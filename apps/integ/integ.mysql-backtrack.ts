/** Aurora MySQL, provisioned writer and reader, with a 24-hour Backtrack window. */
import { Duration } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integStack, integTest } from './integ-support';
import { AuroraCluster } from '../../src';
import { INVENTORY_ENGINE, WRITER_INSTANCE_TYPE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('MysqlBacktrack');
new AuroraCluster(stack, 'Db', {
  engine: INVENTORY_ENGINE,
  vpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
  backtrackWindow: Duration.hours(24),
});
integTest(app, 'MysqlBacktrack', stack);
app.synth();
