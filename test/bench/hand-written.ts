/**
 * The reference architecture (test/reference-app.ts) written by hand with aws-cdk-lib alone: the same stacks,
 * clusters, instances, parameter groups, keys, log groups, roles, security groups, secret rotation and grants, with
 * the same construct ids, so that it synthesizes to the same templates (test/bench/hand-written.test.ts checks it).
 * `npx projen bench` times the two against each other. This is also what the library saves its users from writing.
 *
 * MERGE: when the proxy, reader autoscaling, the analytics endpoint and the Global Database join the reference app,
 * add their hand-written equivalents here (plain rds.DatabaseProxy, appscaling.ScalableTarget,
 * rds.CfnDBClusterEndpoint, rds.CfnGlobalCluster and secondary rds.CfnDBCluster), or relax the template-equality
 * test to resource counts if exact parity becomes impractical.
 */
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack, StackProps, Validations, App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  INVENTORY_ENGINE,
  ORDERS_ENGINE,
  REFERENCE_PREFIX,
  REFERENCE_REGIONS,
  WRITER_INSTANCE_TYPE,
} from '../reference-config';
import { networkStack } from '../reference-network';

/** What differs between the two clusters. */
interface HandWrittenClusterOptions {
  readonly engine: rds.IClusterEngine;
  readonly vpc: ec2.IVpc;
  readonly clusterIdentifier: string;
  readonly port: number;
  readonly logTypes: string[];
  readonly parameters: Record<string, string>;
  readonly writer: rds.IClusterInstance;
  readonly readers: rds.IClusterInstance[];
  readonly serverlessV2MinCapacity: number;
  readonly serverlessV2MaxCapacity: number;
  readonly backtrackWindow?: Duration;
  readonly hostedRotation: (options: secretsmanager.SingleUserHostedRotationOptions) => secretsmanager.HostedRotation;
}

const EXCLUDE_CHARACTERS = ' %+~`#$&*()|[]{}:;<>?!\'/@"\\';

/** An Aurora cluster with every hardening the library applies, by hand. */
class HandWrittenCluster extends Construct {
  public readonly cluster: rds.DatabaseCluster;
  public readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, options: HandWrittenClusterOptions) {
    super(scope, id);
    const stack = Stack.of(this);
    const subnets = { subnets: options.vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnets };

    // A customer-managed key with rotation, that only lets AWS services create grants, usable by CloudWatch Logs.
    const key = new kms.Key(this, 'EncryptionKey', {
      description: `Aurora cluster ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsNotForAwsResources',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
    const logGroupPrefix = `/aws/rds/cluster/${options.clusterIdentifier}/`;
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForAuroraLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `${logGroupPrefix}*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    // Log groups created before the cluster, encrypted, kept a year.
    const logGroups = options.logTypes.map(
      (type) =>
        new logs.LogGroup(this, `LogGroup-${type}`, {
          logGroupName: `${logGroupPrefix}${type}`,
          encryptionKey: key,
          retention: logs.RetentionDays.ONE_YEAR,
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );

    const parameterGroup = new rds.ParameterGroup(this, 'ParameterGroup', {
      engine: options.engine,
      description: `Aurora cluster ${this.node.path}: TLS required, audit logging on`,
      parameters: options.parameters,
    });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: options.vpc,
      description: `Aurora cluster ${this.node.path}: no ingress until a peer is allowed`,
      allowAllOutbound: false,
    });
    this.connections = new ec2.Connections({
      securityGroups: [securityGroup],
      defaultPort: ec2.Port.tcp(options.port),
    });

    // Enhanced Monitoring through a customer-managed policy scoped to RDSOSMetrics.
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: 'RDSOSMetrics',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const monitoringRole = new iam.Role(this, 'MonitoringRole', {
      assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
      description: 'Enhanced Monitoring for Aurora instances',
    });
    const monitoringPolicy = new iam.ManagedPolicy(this, 'MonitoringRolePolicy', {
      description: 'Lets RDS Enhanced Monitoring write OS metrics to the RDSOSMetrics log group',
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
          resources: [logGroupArn],
        }),
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
          resources: [`${logGroupArn}:log-stream:*`],
        }),
      ],
    });
    monitoringRole.addManagedPolicy(monitoringPolicy);
    monitoringPolicy.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${stack.region}:<AWS::AccountId>:log-group:RDSOSMetrics:log-stream:*]`]:
        'Enhanced Monitoring writes one log stream per DB instance resource id into the RDSOSMetrics log group.',
    });

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: options.engine,
      vpc: options.vpc,
      vpcSubnets: subnets,
      securityGroups: [securityGroup],
      port: options.port,
      clusterIdentifier: options.clusterIdentifier,
      writer: options.writer,
      readers: options.readers,
      serverlessV2MinCapacity: options.serverlessV2MinCapacity,
      serverlessV2MaxCapacity: options.serverlessV2MaxCapacity,
      credentials: rds.Credentials.fromGeneratedSecret('clusteradmin', {
        encryptionKey: key,
        excludeCharacters: EXCLUDE_CHARACTERS,
      }),
      parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: key,
      iamAuthentication: true,
      backup: { retention: Duration.days(7) },
      backtrackWindow: options.backtrackWindow,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.SNAPSHOT,
      cloudwatchLogsExports: options.logTypes,
      monitoringInterval: Duration.seconds(60),
      monitoringRole,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: key,
      performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
      copyTagsToSnapshot: true,
    });
    for (const logGroup of logGroups) {
      this.cluster.node.addDependency(logGroup);
    }
    for (const instance of this.cluster.node
      .findAll()
      .filter((c): c is rds.CfnDBInstance => c instanceof rds.CfnDBInstance)) {
      instance.publiclyAccessible = false;
      instance.autoMinorVersionUpgrade = true;
      for (const pack of ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5']) {
        Validations.of(instance).acknowledge({
          id: `${pack}-RDSInBackupPlan`,
          reason: 'AWS Backup protects the Aurora cluster, not its instances.',
        });
      }
    }

    // Master secret rotation from the cluster's subnets, through a Secrets Manager endpoint.
    const rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: options.vpc,
      description: 'Master secret rotation function: egress to the database and Secrets Manager only',
      allowAllOutbound: false,
    });
    rotationSecurityGroup.connections.allowTo(
      this.connections,
      ec2.Port.tcp(options.port),
      'Rotate the master password',
    );
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'SecretsManagerEndpointSecurityGroup', {
      vpc: options.vpc,
      description: 'Secrets Manager interface endpoint: HTTPS from the rotation function only',
      allowAllOutbound: false,
    });
    const endpoint = new ec2.InterfaceVpcEndpoint(this, 'SecretsManagerEndpoint', {
      vpc: options.vpc,
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets,
      privateDnsEnabled: true,
      open: false,
      securityGroups: [endpointSecurityGroup],
    });
    rotationSecurityGroup.connections.allowTo(endpointSecurityGroup, ec2.Port.tcp(443), 'Call the Secrets Manager API');
    const schedule = new secretsmanager.RotationSchedule(this, 'RotationSchedule', {
      secret: this.cluster.secret!,
      hostedRotation: options.hostedRotation({
        vpc: options.vpc,
        vpcSubnets: subnets,
        securityGroups: [rotationSecurityGroup],
        excludeCharacters: EXCLUDE_CHARACTERS,
      }),
      automaticallyAfter: Duration.days(30),
    });
    schedule.node.addDependency(endpoint);
  }
}

/** Builds the hand-written reference architecture into `app`; returns its stacks. */
export function buildHandWrittenApp(app: App): Stack[] {
  const primary = REFERENCE_REGIONS.primary;
  const stackProps = (what: string): StackProps => ({
    env: { region: primary },
    description: `cdk-aurora-baseline reference architecture: ${what} (${primary})`,
  });
  const { stack: network, vpc } = networkStack(app, primary);

  const ordersStack = new Stack(app, `${REFERENCE_PREFIX}-Orders-${primary}`, stackProps('Aurora PostgreSQL'));
  const orders = new HandWrittenCluster(ordersStack, 'Orders', {
    engine: ORDERS_ENGINE,
    vpc,
    clusterIdentifier: 'auroraref-orders-us-east-1-orders-88d17d09',
    port: 5433,
    logTypes: ['postgresql'],
    parameters: {
      shared_preload_libraries: 'pg_stat_statements,pgaudit',
      'pgaudit.log': 'ddl,role',
      'pgaudit.role': 'rds_pgaudit',
      log_connections: '1',
      log_disconnections: '1',
      'rds.force_ssl': '1',
    },
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [
      rds.ClusterInstance.serverlessV2('Reader1', { scaleWithWriter: true }),
      rds.ClusterInstance.serverlessV2('Reader2'),
    ],
    serverlessV2MinCapacity: 0.5,
    serverlessV2MaxCapacity: 16,
    hostedRotation: (o) => secretsmanager.HostedRotation.postgreSqlSingleUser(o),
  });
  const appRole = new iam.Role(ordersStack, 'AppRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: 'The Orders application',
  });
  const appSecurityGroup = new ec2.SecurityGroup(ordersStack, 'AppSecurityGroup', {
    vpc,
    description: 'The Orders application',
    allowAllOutbound: false,
  });
  orders.connections.allowDefaultPortFrom(appSecurityGroup, 'The Orders application');
  const connect = orders.cluster.grantConnect(appRole.withoutPolicyUpdates(), 'app_user');
  new iam.ManagedPolicy(ordersStack, 'AppDatabaseAccess', {
    description: 'IAM database authentication to the Orders database as app_user',
    roles: [appRole],
    statements: connect.principalStatements,
  });

  const inventoryStack = new Stack(app, `${REFERENCE_PREFIX}-Inventory-${primary}`, stackProps('Aurora MySQL'));
  new HandWrittenCluster(inventoryStack, 'Inventory', {
    engine: INVENTORY_ENGINE,
    vpc,
    clusterIdentifier: 'auroraref-inventory-us-east-1-inventory-0d47245d',
    port: 3307,
    logTypes: ['audit', 'error', 'general', 'slowquery'],
    parameters: {
      server_audit_logging: '1',
      server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
      slow_query_log: '1',
      require_secure_transport: 'ON',
    },
    writer: rds.ClusterInstance.provisioned('Writer', { instanceType: WRITER_INSTANCE_TYPE }),
    readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: WRITER_INSTANCE_TYPE })],
    serverlessV2MinCapacity: 0.5,
    serverlessV2MaxCapacity: 16,
    backtrackWindow: Duration.hours(24),
    hostedRotation: (o) => secretsmanager.HostedRotation.mysqlSingleUser(o),
  });

  return [network, ordersStack, inventoryStack];
}
