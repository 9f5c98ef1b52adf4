/**
 * An Aurora PostgreSQL Global Database: a primary with a provisioned writer in us-east-1 and a headless secondary
 * (storage only, no instance) in us-west-2, each Region with its own network, with the operations of each member:
 * recommended alarms and RDS event subscriptions in each Region (the secondary's lag alarm in its own), and the
 * Global Database dashboard in the primary's stack. Asserts that the deployed global cluster is available (the
 * secondary stack deploys only once its cluster has joined it).
 */
import { ExpectedResult } from '@aws-cdk/integ-tests-alpha';
import { Annotations } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { integStack, integStackIn, integTest } from './integ-support';
import { AuroraCluster, AuroraGlobalDatabase } from '../../src';
import { ORDERS_ENGINE, REFERENCE_REGIONS, WRITER_INSTANCE_TYPE } from '../reference/reference-app';

const { app, stack: primaryStack, vpc } = integStack('GlobalHeadlessPrimary');
const primary = new AuroraCluster(primaryStack, 'Db', {
  engine: ORDERS_ENGINE,
  vpc,
  writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
  readers: [],
  globalDatabasePrimary: true,
});
const global = new AuroraGlobalDatabase(primaryStack, 'Global', { primary });

const { stack: secondaryStack, vpc: secondaryVpc } = integStackIn(
  app,
  'GlobalHeadlessSecondary',
  REFERENCE_REGIONS.headlessSecondary,
);
const secondary = global.addSecondary(secondaryStack, 'Db', { vpc: secondaryVpc, readers: [] });
Annotations.of(secondary).acknowledgeWarning('cdk-aurora-baseline:headlessSecondary', 'Headless is what is tested.');

primary.addRecommendedAlarms();
primary.addEventSubscriptions();
secondary.addRecommendedAlarms();
secondary.addEventSubscriptions();
global.addDashboard();

const integ = integTest(app, 'GlobalHeadless', primaryStack, secondaryStack);
integ.assertions
  .awsApiCall('RDS', 'describeGlobalClusters', { GlobalClusterIdentifier: global.globalClusterIdentifier })
  .expect(
    ExpectedResult.objectLike({
      GlobalClusters: [
        {
          GlobalClusterIdentifier: global.globalClusterIdentifier,
          Status: 'available',
        },
      ],
    }),
  );
app.synth();
