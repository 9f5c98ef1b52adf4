/**
 * The README's Global Database example as an app, the TypeScript side of the cross-language check
 * (`npx projen languages`): apps/python/global_database.py and apps/java/.../GlobalDatabase.java build the same app
 * and must synthesize the same templates.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster, AuroraGlobalDatabase } from '../../src';

const app = new App({ analyticsReporting: false });

/** A stack in `region` with a VPC of isolated subnets. */
function regionalStack(id: string, region: string): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new Stack(app, id, { env: { region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return { stack, vpc };
}

const primary = regionalStack('GlobalPrimary', 'us-east-1');
const eu = regionalStack('GlobalEu', 'eu-west-1');
const ap = regionalStack('GlobalAp', 'ap-southeast-2');

const orders = new AuroraCluster(primary.stack, 'Orders', {
  engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
  vpc: primary.vpc,
  serverlessV2MinCapacity: 8,
  globalDatabasePrimary: true,
});
const global = new AuroraGlobalDatabase(primary.stack, 'Global', { primary: orders });

// The cheapest warm standby: replicated storage, no instance ("headless").
global.addSecondary(eu.stack, 'Eu', { vpc: eu.vpc, readers: [] });

// Local reads, with writes forwarded to the primary.
global.addSecondary(ap.stack, 'Ap', {
  vpc: ap.vpc,
  readers: [rds.ClusterInstance.serverlessV2('Reader1'), rds.ClusterInstance.serverlessV2('Reader2')],
  enableWriteForwarding: true,
});

app.synth();
