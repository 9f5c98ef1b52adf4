import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Everything the secondary cluster resource is made of; the caller has validated and defaulted it all. */
export interface SecondaryDbClusterProps {
  readonly engine: rds.IClusterEngine;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly subnetGroupDescription: string;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Literal port, also the default port of `connections`. */
  readonly port: number;
  readonly clusterIdentifier: string;
  /** Literal: the secondary stack must not reference the primary stack (another Region). */
  readonly globalClusterIdentifier: string;
  readonly parameterGroup: rds.IParameterGroup;
  readonly encryptionKey: kms.IKey;
  readonly readers: readonly rds.IClusterInstance[];
  /**
   * The Serverless v2 capacity range, rendered when the cluster has Serverless v2 instances or none at all: a
   * headless secondary gets it so that a Serverless v2 instance can be added in a disaster-recovery event without
   * first modifying the cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.requirements.html, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attach.console.headless.html). Undefined when the engine version has no Serverless v2.
   */
  readonly serverlessV2Capacity?: { readonly min: number; readonly max: number };
  readonly backupRetention: Duration;
  readonly preferredBackupWindow?: string;
  readonly preferredMaintenanceWindow?: string;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
  readonly logTypes: readonly string[];
  readonly monitoringInterval: Duration;
  readonly monitoringRole: iam.IRole;
  readonly performanceInsightRetention: rds.PerformanceInsightRetention;
  readonly databaseInsightsMode?: rds.DatabaseInsightsMode;
  readonly storageType?: string;
  readonly enableGlobalWriteForwarding: boolean;
}

/**
 * The secondary DB cluster of an Aurora Global Database, as an `rds.IDatabaseCluster`.
 *
 * Why not `rds.DatabaseCluster`: it always renders master credentials (generating a secret unless given a
 * password), which a secondary must not have (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername), and it requires a writer, which a secondary does
 * not have (headless secondaries have no instance at all). `rds.DatabaseClusterFromSnapshot` needs a snapshot. So
 * this is the `AWS::RDS::DBCluster` L1 wrapped in aws-cdk-lib's own `DatabaseClusterBase`, which gives it
 * `grantConnect`, `addProxy`, the metrics and `connections`, and lets `rds.IClusterInstance` bind to it exactly
 * as it binds to a `DatabaseCluster` (same construct layout: `Resource`, `Subnets`, one child per instance).
 *
 * Not exported from the package: users see it as `rds.IDatabaseCluster`.
 */
export class SecondaryDbCluster extends rds.DatabaseClusterBase {
  public readonly engine: rds.IClusterEngine;
  public readonly clusterIdentifier: string;
  public readonly clusterResourceIdentifier: string;
  public readonly clusterEndpoint: rds.Endpoint;
  public readonly clusterReadEndpoint: rds.Endpoint;
  public readonly instanceIdentifiers: string[] = [];
  public readonly instanceEndpoints: rds.Endpoint[] = [];
  public readonly connections: ec2.Connections;
  /** A secondary has no secret of its own: the master user and its password are the primary's. */
  public readonly secret?: secretsmanager.ISecret = undefined;
  /** Read by `rds.ClusterInstance.bind()` to find the subnets' internet connectivity. */
  public readonly vpc: ec2.IVpc;
  /** Read by `rds.ClusterInstance.bind()`. */
  public readonly vpcSubnets: ec2.SubnetSelection;
  public readonly subnetGroup: rds.SubnetGroup;
  public readonly resource: rds.CfnDBCluster;
  /** The bound instances (all readers: a secondary has no writer). */
  public readonly instances: rds.IAuroraClusterInstance[] = [];
  /** The Data API is not offered for a secondary: `grantDataApiAccess` throws. */
  protected enableDataApi?: boolean = false;

  constructor(scope: Construct, id: string, props: SecondaryDbClusterProps) {
    super(scope, id, { physicalName: props.clusterIdentifier });
    this.engine = props.engine;
    this.vpc = props.vpc;
    this.vpcSubnets = props.vpcSubnets;

    this.subnetGroup = new rds.SubnetGroup(this, 'Subnets', {
      description: props.subnetGroupDescription,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
    });

    // No MasterUsername, MasterUserPassword or DatabaseName: a secondary inherits them (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-masterusername).
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-globalclusteridentifier
    this.resource = new rds.CfnDBCluster(this, 'Resource', {
      engine: props.engine.engineType,
      engineVersion: props.engine.engineVersion?.fullVersion,
      globalClusterIdentifier: props.globalClusterIdentifier,
      dbClusterIdentifier: props.clusterIdentifier,
      dbSubnetGroupName: this.subnetGroup.subnetGroupName,
      vpcSecurityGroupIds: [props.securityGroup.securityGroupId],
      port: props.port,
      dbClusterParameterGroupName: props.parameterGroup.bindToCluster({}).parameterGroupName,
      // A KMS key of this Region (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html); CT.RDS.PR.16 and AwsSolutions-RDS2 check StorageEncrypted.
      storageEncrypted: true,
      kmsKeyId: props.encryptionKey.keyArn,
      storageType: props.storageType,
      enableIamDatabaseAuthentication: true,
      deletionProtection: props.deletionProtection,
      copyTagsToSnapshot: true,
      backupRetentionPeriod: props.backupRetention.toDays(),
      preferredBackupWindow: props.preferredBackupWindow,
      preferredMaintenanceWindow: props.preferredMaintenanceWindow,
      enableCloudwatchLogsExports: [...props.logTypes],
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.encryptionKey.keyArn,
      performanceInsightsRetentionPeriod: props.performanceInsightRetention,
      databaseInsightsMode: props.databaseInsightsMode,
      enableGlobalWriteForwarding: props.enableGlobalWriteForwarding ? true : undefined,
    });
    this.resource.applyRemovalPolicy(props.removalPolicy);

    this.clusterIdentifier = this.resource.ref;
    this.clusterResourceIdentifier = this.resource.attrDbClusterResourceId;
    this.clusterEndpoint = new rds.Endpoint(this.resource.attrEndpointAddress, props.port);
    this.clusterReadEndpoint = new rds.Endpoint(this.resource.attrReadEndpointAddress, props.port);
    this.connections = new ec2.Connections({
      securityGroups: [props.securityGroup],
      defaultPort: ec2.Port.tcp(props.port),
    });

    for (const reader of props.readers) {
      const instance = reader.bind(this, this, {
        monitoringInterval: props.monitoringInterval,
        monitoringRole: props.monitoringRole,
        removalPolicy: props.removalPolicy,
        subnetGroup: this.subnetGroup,
      });
      this.instances.push(instance);
      this.instanceIdentifiers.push(instance.instanceIdentifier);
      this.instanceEndpoints.push(new rds.Endpoint(instance.dbInstanceEndpointAddress, props.port));
    }
    const serverless = this.instances.some((i) => i.type === rds.InstanceType.SERVERLESS_V2);
    if (props.serverlessV2Capacity && (serverless || this.instances.length === 0)) {
      this.resource.serverlessV2ScalingConfiguration = {
        minCapacity: props.serverlessV2Capacity.min,
        maxCapacity: props.serverlessV2Capacity.max,
      };
    }
  }
}
