/**
 * An AWS Backup plan for Aurora PostgreSQL: a vault encrypted with its own customer-managed key, a daily rule with
 * continuous backup (point-in-time restore from the vault) and a weekly restore testing plan that restores into the
 * cluster's subnets and security group. Asserts that the restore testing plan exists.
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { integStack, integTest } from './integ-support';
import { AuroraCluster } from '../../src';
import { ORDERS_ENGINE } from '../reference/reference-app';

const { app, stack, vpc } = integStack('BackupPlan');
const db = new AuroraCluster(stack, 'Db', {
  engine: ORDERS_ENGINE,
  vpc,
  readers: [],
  backupPlan: { restoreTesting: {} },
});

const integ = integTest(app, 'BackupPlan', stack);
const restoreTestingPlanName = db.backupPlan!.restoreTestingPlan!.restoreTestingPlanName;
integ.assertions
  .awsApiCall('Backup', 'getRestoreTestingPlan', { RestoreTestingPlanName: restoreTestingPlanName })
  .expect(ExpectedResult.objectLike({ RestoreTestingPlan: { RestoreTestingPlanName: restoreTestingPlanName } }));
app.synth();
