import { App, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AuroraCluster, AuroraClusterSnapshot, AuroraCrossRegionReplica, RestoreSource } from '../src';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, TEST_ENV } from './util';

/** A VPC imported with literal ids, as `ec2.Vpc.fromLookup` gives it (CT.LAMBDA.PR.3 needs literal subnet ids). */
function importedVpc(stack: Stack): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: [`${stack.region}a`, `${stack.region}b`],
    isolatedSubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    isolatedSubnetRouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
  });
}

/**
 * Every recovery shape, each in its own stack of one app, under AwsSolutions, HIPAA Security, NIST 800-53 rev 4 and
 * rev 5, PCI DSS 3.2.1 and the Control Tower guard rules.
 */
export const RECOVERY_VARIANTS: Record<string, (stack: Stack) => void> = {
  PostgresFromSharedSnapshot: (stack) =>
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack),
      masterUsername: 'orders_admin',
      restoreFrom: RestoreSource.fromSnapshot('arn:aws:rds:us-east-1:111122223333:cluster-snapshot:orders', {
        snapshotEncryptionKey: kms.Key.fromKeyArn(
          stack,
          'SnapshotKey',
          'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        ),
      }),
    }),
  MysqlSnapshotAndRestore: (stack) => {
    const vpc = importedVpc(stack);
    const source = new AuroraCluster(stack, 'Source', { engine: MYSQL_3_08, vpc });
    const snapshot = new AuroraClusterSnapshot(stack, 'Snapshot', { cluster: source.cluster });
    new AuroraCluster(stack, 'Restored', {
      engine: MYSQL_3_08,
      vpc,
      restoreFrom: RestoreSource.fromClusterSnapshot(snapshot),
    });
  },
  PostgresPointInTime: (stack) => {
    const vpc = importedVpc(stack);
    const source = new AuroraCluster(stack, 'Source', { engine: POSTGRES_16_4, vpc });
    new AuroraCluster(stack, 'Restored', {
      engine: POSTGRES_16_4,
      vpc,
      restoreFrom: RestoreSource.pointInTime({ sourceCluster: source.cluster }),
    });
  },
  MysqlClone: (stack) => {
    const vpc = importedVpc(stack);
    const source = new AuroraCluster(stack, 'Source', { engine: MYSQL_3_08, vpc });
    new AuroraCluster(stack, 'Clone', {
      engine: MYSQL_3_08,
      vpc,
      readers: [],
      restoreFrom: RestoreSource.clone({ sourceCluster: source.cluster }),
    });
  },
  PostgresBackupPlanFull: (stack) =>
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: importedVpc(stack),
      backupPlan: {
        vaultLock: { minRetention: Duration.days(7), maxRetention: Duration.days(35), changeableFor: Duration.days(3) },
        copyToVault: backup.BackupVault.fromBackupVaultArn(
          stack,
          'DrVault',
          'arn:aws:backup:us-west-2:123456789012:backup-vault:orders-dr',
        ),
        copyRetention: Duration.days(90),
        restoreTesting: { validationWindow: Duration.hours(2) },
      },
    }),
  MysqlBackupPlan: (stack) =>
    new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc: importedVpc(stack), backupPlan: {} }),
};

describe('recovery compliance', () => {
  let app: App;
  let byStack: Record<string, ComplianceFinding[]>;

  beforeAll(() => {
    app = testApp();
    for (const [name, build] of Object.entries(RECOVERY_VARIANTS)) {
      build(new Stack(app, name, { env: TEST_ENV }));
    }
    // A cross-Region read replica: source in us-east-1, replica in eu-west-1.
    const replicaSource = new Stack(app, 'MysqlReplicaSource', { env: TEST_ENV });
    const inventory = new AuroraCluster(replicaSource, 'Inventory', {
      engine: MYSQL_3_08,
      vpc: importedVpc(replicaSource),
      backtrackWindow: Duration.seconds(0),
      clusterIdentifier: 'inventory',
    });
    const replicaStack = new Stack(app, 'MysqlReplica', { env: { ...TEST_ENV, region: 'eu-west-1' } });
    new AuroraCrossRegionReplica(replicaStack, 'InventoryReplica', {
      sourceCluster: inventory.cluster,
      vpc: importedVpc(replicaStack),
    });
    // A canary the library does not harden: proves the packs ran.
    new ec2.Vpc(new Stack(app, 'Canary', { env: TEST_ENV }), 'Vpc', { maxAzs: 2 });
    byStack = complianceFindingsByStack(app);
  });

  test.each(['MysqlReplicaSource', 'MysqlReplica'])(
    '%s has no unacknowledged finding in any pack or guard rule',
    (name) => {
      // Neither a cross-Region replica nor its source can have Backtrack: AwsSolutions-RDS14 is acknowledged on the two
      // clusters. Control Tower CT.RDS.PR.6 exempts Aurora MySQL 3 clusters with Serverless v2 instances (these); with
      // provisioned instances only it reports both, and can only be acknowledged app-wide (README).
      expect(byStack[name]).toEqual([]);
    },
  );

  test('the checks ran: the canary VPC has nag findings', () => {
    expect(byStack.Canary.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AwsSolutions-VPC7']));
  });

  test.each(Object.keys(RECOVERY_VARIANTS))('%s has no unacknowledged finding in any pack or guard rule', (name) => {
    expect(byStack[name]).toEqual([]);
  });
});
