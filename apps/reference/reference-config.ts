/**
 * The fixed choices of the reference architecture, shared by apps/reference/reference-app.ts and its hand-written twin
 * (tools/bench/hand-written.ts). This module must not import the library: the benchmark loads it on both sides.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';

/** The Regions of the reference architecture. */
export const REFERENCE_REGIONS = {
  /** The primary Region: both clusters, the proxy and the Global Database's primary. */
  primary: 'us-east-1',
  /** The Region of the Global Database's secondary cluster with readers. */
  secondary: 'eu-west-1',
  /** The Region of the Global Database's headless secondary cluster. */
  headlessSecondary: 'us-west-2',
} as const;

/** Prefix of every stack name. */
export const REFERENCE_PREFIX = 'AuroraRef';

/** Engines and instance classes of the reference architecture. */
export const ORDERS_ENGINE = rds.DatabaseClusterEngine.auroraPostgres({
  version: rds.AuroraPostgresEngineVersion.VER_16_9,
});
export const INVENTORY_ENGINE = rds.DatabaseClusterEngine.auroraMysql({
  version: rds.AuroraMysqlEngineVersion.VER_3_08_0,
});
export const WRITER_INSTANCE_TYPE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
