/**
 * The README's quick start as an app, the TypeScript side of the cross-language check (`npx projen languages`):
 * apps/python/quick_start.py and apps/java/.../QuickStart.java build the same app and must synthesize the same
 * templates.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster } from '../../src';

const app = new App({ analyticsReporting: false });
const stack = new Stack(app, 'QuickStart', { env: { region: 'us-east-1' } });

// What the quick start declares: a VPC, the application's role and security group.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const appRole = new iam.Role(stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
const appSecurityGroup = new ec2.SecurityGroup(stack, 'AppSecurityGroup', { vpc });

// The quick start.
const orders = new AuroraCluster(stack, 'Orders', {
  engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
  vpc,
});
orders.connections.allowDefaultPortFrom(appSecurityGroup);
orders.grantConnect(appRole, 'app_user');

app.synth();
