import { Annotations, ArnFormat, Duration, Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { IAuroraCluster } from './cluster-ref';
import { cfnInstancesOf } from './private/cluster-parts';
import * as defaults from './private/defaults';
import { resolveEngine } from './private/engine';
import { derivePhysicalName, stableLabel } from './private/naming';
import { registerProxyOfCluster } from './private/proxy-alarm-registry';
import {
  dbUserRules,
  proxyCallerRules,
  proxyEndpointCountRules,
  proxyEngineRules,
  proxyPoolRules,
  selectProxySubnets,
} from './private/proxy-rules';
import { throwIfBroken } from './private/validate';
import { AuroraProxyRecommendedAlarms, ProxyRecommendedAlarmsOptions } from './proxy-alarms';

/** Construct id of the proxy's recommended alarms (API: it decides the alarms' logical ids). */
const RECOMMENDED_ALARMS_ID = 'RecommendedAlarms';

/**
 * How clients and the proxy authenticate. Clients always authenticate to the proxy with IAM over TLS.
 */
export enum AuroraProxyAuthentication {
  /**
   * End-to-end IAM: clients authenticate to the proxy with IAM, and the proxy logs in to the database with IAM too
   * (`DefaultAuthScheme: IAM_AUTH`). No password is involved; the database users must be IAM users
   * (`AWSAuthenticationPlugin` on Aurora MySQL, the `rds_iam` role on Aurora PostgreSQL).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html
   */
  END_TO_END_IAM = 'END_TO_END_IAM',
  /**
   * Clients authenticate to the proxy with IAM; the proxy logs in to the database as the master user with the
   * password in the cluster's Secrets Manager secret (`Auth: [{ AuthScheme: SECRETS, IAMAuth: REQUIRED }]`).
   * Only the master user can connect through the proxy.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-secrets-arns.html
   */
  IAM_WITH_MASTER_SECRET = 'IAM_WITH_MASTER_SECRET',
}

/**
 * What a proxy endpoint connects to.
 */
export enum AuroraProxyEndpointRole {
  /** The writer instance. */
  READ_WRITE = 'READ_WRITE',
  /** The reader instances (the cluster must have at least one). */
  READ_ONLY = 'READ_ONLY',
}

/**
 * Options of `AuroraCluster.addAuroraProxy`.
 */
export interface AuroraProxyOptions {
  /**
   * How clients and the proxy authenticate.
   *
   * Clients always authenticate to the proxy with IAM (`proxy.grantConnect(grantee, dbUser)`), over TLS.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html
   * @default AuroraProxyAuthentication.END_TO_END_IAM - every engine version RDS Proxy supports offers it
   */
  readonly authentication?: AuroraProxyAuthentication;

  /**
   * The subnets of the proxy and its endpoints, in the cluster's VPC.
   *
   * Must be private (isolated or with egress) and span at least two Availability Zones: a proxy is never publicly
   * accessible.
   *
   * @default - the cluster's subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Whether to create a read-only proxy endpoint (`TargetRole: READ_ONLY`) that spreads connections over the
   * cluster's readers, exposed as `readOnlyEndpoint`.
   *
   * It needs at least one reader: with a writer-only cluster every connection to it fails.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-reader
   * @default - true when the cluster has reader instances (for an imported cluster: when it was given more than
   * one instance identifier)
   */
  readonly enableReadOnlyEndpoint?: boolean;

  /**
   * The largest connection pool, as a percentage of the cluster's `max_connections`: 1 to 100.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-connections.html
   * @default 90 - leaves 10% of the connections for direct connections (the master user, the secret-rotation
   * function); AWS's default is 100
   */
  readonly maxConnectionsPercent?: number;

  /**
   * How many idle connections the proxy keeps open, as a percentage of `max_connections`: 0 to
   * `maxConnectionsPercent`.
   *
   * @default - half of maxConnectionsPercent, rounded down (AWS's rule), i.e. 45
   */
  readonly maxIdleConnectionsPercent?: number;

  /**
   * How long a client waits for a pooled connection when the pool is exhausted: 0 to 300 seconds.
   *
   * @default Duration.seconds(120)
   */
  readonly connectionBorrowTimeout?: Duration;

  /**
   * How long a client connection to the proxy can stay idle before the proxy closes it: 1 second to 8 hours.
   *
   * @default Duration.minutes(30)
   */
  readonly idleClientTimeout?: Duration;

  /**
   * Operations that do not pin a client session to a database connection (Aurora MySQL only).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-pinning.html
   * @default - no filters
   */
  readonly sessionPinningFilters?: rds.SessionPinningFilter[];

  /**
   * Whether the proxy logs the SQL statements it handles, for troubleshooting.
   *
   * Debug logs can contain sensitive data; turn it on only while you investigate.
   *
   * @default false
   */
  readonly debugLogging?: boolean;
}

/**
 * Properties of an {@link AuroraProxy}.
 */
export interface AuroraProxyProps extends AuroraProxyOptions {
  /**
   * The cluster the proxy fronts: an `AuroraCluster`, or an existing cluster from
   * `AuroraCluster.fromAuroraClusterAttributes` with `engine`, `vpc`, `port` and `securityGroups`.
   */
  readonly cluster: IAuroraCluster;
}

/**
 * Options of {@link AuroraProxy.addEndpoint}.
 */
export interface AuroraProxyEndpointOptions {
  /**
   * What the endpoint connects to.
   *
   * @default AuroraProxyEndpointRole.READ_WRITE
   */
  readonly targetRole?: AuroraProxyEndpointRole;

  /**
   * The subnets of the endpoint, in the cluster's VPC: private, in at least two Availability Zones.
   *
   * @default - the proxy's subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
}

/**
 * Properties of an {@link AuroraProxyEndpoint}.
 */
export interface AuroraProxyEndpointProps extends AuroraProxyEndpointOptions {
  /** The proxy the endpoint belongs to. */
  readonly proxy: AuroraProxy;
}

/**
 * An additional endpoint of an {@link AuroraProxy}, in private subnets of the cluster's VPC, behind the proxy's
 * security group. A proxy has at most 20 of them.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html
 */
export class AuroraProxyEndpoint extends Construct {
  /** The underlying CloudFormation resource. */
  public readonly resource: rds.CfnDBProxyEndpoint;
  /** The host name clients connect to. */
  public readonly endpoint: string;
  /** The endpoint's name (derived from the stack name, the construct ids and the stack's UUID: kept when the construct moves). */
  public readonly endpointName: string;
  /** What the endpoint connects to. */
  public readonly targetRole: AuroraProxyEndpointRole;

  constructor(scope: Construct, id: string, props: AuroraProxyEndpointProps) {
    super(scope, id);
    const proxy = props.proxy;
    throwIfBroken(this.node.path, proxyEndpointCountRules(proxy.endpoints.length));
    const subnets = selectProxySubnets(this.node.path, proxy.vpc, props.vpcSubnets, proxy.vpcSubnets);

    this.targetRole = props.targetRole ?? AuroraProxyEndpointRole.READ_WRITE;
    // Name rules as for the proxy (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html); create-only, so derived to survive refactors and redeploys (src/private/naming.ts).
    this.endpointName = derivePhysicalName(this, () => this.resource);
    this.resource = new rds.CfnDBProxyEndpoint(this, 'Resource', {
      dbProxyEndpointName: this.endpointName,
      dbProxyName: proxy.resource.ref,
      vpcSubnetIds: subnets.subnetIds,
      // Without security groups an endpoint gets the VPC's default group: always the proxy's own.
      vpcSecurityGroupIds: [proxy.securityGroup.securityGroupId],
      targetRole: this.targetRole,
    });
    // The endpoint needs registered targets; a READ_ONLY one needs the readers.
    this.resource.addResourceDependency(proxy.targetGroup);
    this.endpoint = this.resource.attrEndpoint;
    proxy._registerEndpoint(this);
  }
}

/**
 * An RDS Proxy in front of an Aurora cluster: in the cluster's private subnets, TLS required, clients
 * authenticated with IAM, its own security group admitted to the cluster on the cluster's port, a read-only
 * endpoint when the cluster has readers, and a least-privilege role.
 *
 * Create it with `cluster.addAuroraProxy(id)`, or with `new AuroraProxy(scope, id, { cluster })` for an imported
 * cluster.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html
 * @example
 * declare const vpc: ec2.IVpc;
 * declare const appRole: iam.IRole;
 * const orders = new AuroraCluster(this, 'Orders', {
 *   engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }),
 *   vpc,
 * });
 * const proxy = orders.addAuroraProxy('Proxy');
 * proxy.grantConnect(appRole, 'app_user');
 */
export class AuroraProxy extends Construct {
  /** The underlying CloudFormation proxy (escape hatch). */
  public readonly resource: rds.CfnDBProxy;
  /** The proxy's target group, which registers the cluster. */
  public readonly targetGroup: rds.CfnDBProxyTargetGroup;
  /** The proxy's name (derived from the stack name, the construct ids and the stack's UUID: kept when the construct moves). */
  public readonly dbProxyName: string;
  /** The proxy's ARN. */
  public readonly dbProxyArn: string;
  /**
   * The proxy's resource id (`prx-…`, the last segment of its ARN), used in `rds-db:connect` ARNs of clients.
   */
  public readonly proxyResourceId: string;
  /** The host name of the default (read/write) endpoint. */
  public readonly endpoint: string;
  /** The host name of the read-only endpoint, when there is one. */
  public readonly readOnlyEndpoint?: string;
  /** The read-only endpoint, when there is one. */
  public readonly readOnlyProxyEndpoint?: AuroraProxyEndpoint;
  /** The port the proxy listens on: 3306 for Aurora MySQL, 5432 for Aurora PostgreSQL, whatever the cluster's port. */
  public readonly port: number;
  /**
   * Network access to the proxy, with the proxy's port as default port.
   *
   * Use `connections.allowDefaultPortFrom(peer)` to let an application in; nothing is allowed in by default.
   */
  public readonly connections: ec2.Connections;
  /** The proxy's security group (shared by its endpoints). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** The role the proxy assumes to reach the database. */
  public readonly role: iam.IRole;
  /** How clients and the proxy authenticate. */
  public readonly authentication: AuroraProxyAuthentication;
  /** The connection pool's size, in percent of the cluster's `max_connections`. */
  public readonly maxConnectionsPercent: number;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The proxy's subnets. */
  public readonly vpcSubnets: ec2.SubnetSelection;
  /** The cluster the proxy fronts. */
  public readonly cluster: IAuroraCluster;
  private readonly proxyRole: iam.Role;
  private readonly _endpoints: AuroraProxyEndpoint[] = [];
  private readonly databaseUsers = new Set<string>();
  private connectStatement?: iam.PolicyStatement;
  /** The path of the cluster's alarms construct that gave the proxy its alarms, if it was the cluster's. */
  private alarmsRequestedBy?: string;

  constructor(scope: Construct, id: string, props: AuroraProxyProps) {
    super(scope, id);
    throwIfBroken(this.node.path, proxyCallerRules(props));
    const cluster = props.cluster;
    const stack = Stack.of(this);
    const label = stableLabel(() => this.resource);
    const { family, version } = resolveEngine(this.node.path, cluster.engine);
    this.cluster = cluster;

    const maxConnectionsPercent = props.maxConnectionsPercent ?? defaults.DEFAULT_PROXY_MAX_CONNECTIONS_PERCENT;
    const maxIdleConnectionsPercent =
      props.maxIdleConnectionsPercent ??
      (Token.isUnresolved(maxConnectionsPercent) ? undefined : Math.floor(maxConnectionsPercent / 2));
    const connectionBorrowTimeout = props.connectionBorrowTimeout ?? defaults.DEFAULT_PROXY_CONNECTION_BORROW_TIMEOUT;
    const idleClientTimeout = props.idleClientTimeout ?? defaults.DEFAULT_PROXY_IDLE_CLIENT_TIMEOUT;
    const sessionPinningFilters = (props.sessionPinningFilters ?? []).map((f) => f.filterName);
    throwIfBroken(this.node.path, [
      ...proxyEngineRules(family, version, stack.region),
      ...proxyPoolRules({
        family,
        maxConnectionsPercent,
        maxIdleConnectionsPercent: maxIdleConnectionsPercent ?? 0,
        connectionBorrowTimeout,
        idleClientTimeout,
        sessionPinningFilters,
      }),
    ]);
    this.authentication = props.authentication ?? AuroraProxyAuthentication.END_TO_END_IAM;
    this.maxConnectionsPercent = maxConnectionsPercent;

    const subnets = selectProxySubnets(this.node.path, cluster.vpc, props.vpcSubnets, cluster.vpcSubnets);
    this.vpc = cluster.vpc;
    this.vpcSubnets = { subnets: subnets.subnets };
    this.port = family.proxyPort;

    // Network: the proxy's own group, no ingress until the user allows a peer, egress only to the cluster. Literal
    // ports throughout (a port token makes HIPAA/NIST/PCI EC2RestrictedCommonPorts fail to evaluate).
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: `RDS Proxy ${label}: no ingress until a peer is allowed; egress to the cluster only`,
      allowAllOutbound: false,
    });
    this.securityGroup = securityGroup;
    this.connections = new ec2.Connections({
      securityGroups: [securityGroup],
      defaultPort: ec2.Port.tcp(this.port),
    });
    throwIfBroken(this.node.path, [
      {
        condition: cluster.connections.defaultPort === undefined,
        prop: 'cluster',
        message: `the cluster ${cluster.node.path} has no port, so the proxy cannot be admitted to it; pass port to AuroraCluster.fromAuroraClusterAttributes()`,
      },
      {
        condition: cluster.connections.securityGroups.length === 0,
        prop: 'cluster',
        message: `the cluster ${cluster.node.path} has no security groups, so the proxy cannot be admitted to it (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-network-prereqs.html); pass securityGroups to AuroraCluster.fromAuroraClusterAttributes()`,
      },
    ]);
    cluster.connections.allowDefaultPortFrom(securityGroup, `RDS Proxy ${label}`);

    // The role RDS assumes. Its permissions live in customer-managed policies (HIPAA/NIST/PCI IAMNoInlinePolicy
    // rejects inline ones): the master secret and its key in IAM_WITH_MASTER_SECRET mode; rds-db:connect for each
    // database user, added by grantConnect, in END_TO_END_IAM mode.
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html
    this.proxyRole = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('rds.amazonaws.com'),
      description: `RDS Proxy ${label}`,
    });
    this.role = this.proxyRole;
    const endToEnd = this.authentication === AuroraProxyAuthentication.END_TO_END_IAM;
    if (!endToEnd) {
      this.allowSecretRead();
    }

    // Name rules (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html): letters, digits and hyphens, starting with a letter, no '--', no trailing
    // hyphen, at most 63 characters; create-only, so derived to survive refactors and redeploys (src/private/naming.ts).
    this.dbProxyName = derivePhysicalName(this, () => this.resource);
    this.resource = new rds.CfnDBProxy(this, 'Resource', {
      dbProxyName: this.dbProxyName,
      engineFamily: family.proxyEngineFamily,
      roleArn: this.proxyRole.roleArn,
      vpcSubnetIds: subnets.subnetIds,
      vpcSecurityGroupIds: [securityGroup.securityGroupId],
      // Control Tower CT.RDS.PR.26; IAM authentication to a proxy needs TLS anyway (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-connecting.html).
      requireTls: true,
      // IAM_AUTH needs the cluster's IAM database authentication, which AuroraCluster always turns on.
      defaultAuthScheme: endToEnd ? 'IAM_AUTH' : 'NONE',
      auth: endToEnd
        ? undefined
        : [
            {
              authScheme: 'SECRETS',
              // clients must authenticate with IAM.
              iamAuth: 'REQUIRED',
              secretArn: cluster.secret.secretArn,
            },
          ],
      idleClientTimeout: idleClientTimeout.toSeconds(),
      debugLogging: props.debugLogging ?? false,
    });
    this.dbProxyArn = this.resource.attrDbProxyArn;
    this.endpoint = this.resource.attrEndpoint;
    // the proxy's resource id is the last segment of its ARN (arn:aws:rds:region:account:db-proxy:prx-…).
    this.proxyResourceId = Fn.select(6, Fn.split(':', this.dbProxyArn));

    // The target group registers the cluster. It waits for the cluster and every instance, so a fresh deployment
    // never registers a target whose writer does not exist yet.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbproxytargetgroup.html
    const clusterResource =
      cluster.node.defaultChild instanceof rds.CfnDBCluster ? cluster.node.defaultChild : undefined;
    this.targetGroup = new rds.CfnDBProxyTargetGroup(this, 'TargetGroup', {
      dbProxyName: this.resource.ref,
      targetGroupName: 'default',
      dbClusterIdentifiers: [clusterResource?.ref ?? cluster.clusterIdentifier],
      connectionPoolConfigurationInfo: {
        maxConnectionsPercent,
        maxIdleConnectionsPercent,
        connectionBorrowTimeout: connectionBorrowTimeout.toSeconds(),
        sessionPinningFilters: sessionPinningFilters.length > 0 ? sessionPinningFilters : undefined,
      },
    });
    // The cluster is ordered by the Ref in DBClusterIdentifiers (a DependsOn on it too would be redundant, cfn-lint
    // W3005); the instances by DependsOn.
    const instances = cfnInstancesOf(cluster);
    for (const instance of instances) {
      this.targetGroup.addResourceDependency(instance);
    }

    // a read-only endpoint by default when the cluster has readers (an imported cluster: its instance identifiers).
    const hasReaders = (clusterResource ? instances.length : cluster.instanceIdentifiers.length) > 1;
    const readOnly = props.enableReadOnlyEndpoint ?? hasReaders;
    if (readOnly) {
      if (!hasReaders) {
        Annotations.of(this).addWarningV2(
          'cdk-aurora-baseline:proxyReadOnlyWithoutReaders',
          'enableReadOnlyEndpoint is on but the cluster has no reader instance: connections to the read-only endpoint fail until a reader exists (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-reader)',
        );
      }
      this.readOnlyProxyEndpoint = this.addEndpoint('ReadOnlyEndpoint', {
        targetRole: AuroraProxyEndpointRole.READ_ONLY,
      });
      this.readOnlyEndpoint = this.readOnlyProxyEndpoint.endpoint;
    }

    if (props.debugLogging) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:proxyDebugLogging',
        'debugLogging writes the SQL statements the proxy handles to its log, sensitive data included; turn it off once you are done troubleshooting',
      );
    }
    if (family.engineType === 'aurora-postgresql' && clusterResource?.enableLocalWriteForwarding === true) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:proxyLocalWriteForwarding',
        "the cluster has local write forwarding on, which RDS Proxy does not support on Aurora PostgreSQL (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-postgresql-write-forwarding-limitations.html): writes through the proxy's read-only endpoint are not forwarded",
      );
    }
    // a proxy keeps Serverless v2 instances busy, so they never auto-pause.
    const scaling: rds.CfnDBCluster.ServerlessV2ScalingConfigurationProperty | undefined = stack.resolve(
      clusterResource?.serverlessV2ScalingConfiguration,
    );
    if (scaling?.minCapacity === 0 && instances.some((i) => i.dbInstanceClass === 'db.serverless')) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:proxyPreventsAutoPause',
        'serverlessV2MinCapacity is 0, but the proxy keeps connections open, so the Serverless v2 instances never pause (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html)',
      );
    }

    // The cluster's addRecommendedAlarms() covers its proxies, whether they exist before or after it is called.
    registerProxyOfCluster(cluster, (request) => {
      if (this.node.tryFindChild(RECOMMENDED_ALARMS_ID)) return; // the proxy's own alarms win
      this.alarmsRequestedBy = request.requestedBy;
      new AuroraProxyRecommendedAlarms(this, RECOMMENDED_ALARMS_ID, {
        ...request.thresholds,
        topic: request.topic,
        proxy: this,
      });
    });
  }

  /** The proxy's endpoints besides the default one, the read-only endpoint included. */
  public get endpoints(): AuroraProxyEndpoint[] {
    return [...this._endpoints];
  }

  /**
   * Grants `rds-db:connect` through this proxy, for IAM authentication as `dbUser`.
   *
   * The ARN names the proxy's resource id (`prx-…`), not the cluster's. With END_TO_END_IAM it also lets the proxy
   * log in to the database as `dbUser` (see {@link allowDatabaseUser}); with IAM_WITH_MASTER_SECRET, `dbUser` must
   * be the master user, the only user whose secret the proxy holds.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    throwIfBroken(`${this.node.path}.grantConnect`, dbUserRules(dbUser, grantee));
    this.allowDatabaseUser(dbUser);
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['rds-db:connect'],
      resourceArns: [this.dbUserArn(this.proxyResourceId, dbUser)],
    });
  }

  /**
   * Lets the proxy log in to the database as `dbUser`.
   *
   * With END_TO_END_IAM this adds `rds-db:connect` on the cluster's resource id and `dbUser` to the proxy's role
   * (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html); `grantConnect` calls it for you. With IAM_WITH_MASTER_SECRET the proxy can only log in as the
   * master user, and any other user is rejected.
   */
  public allowDatabaseUser(dbUser: string): void {
    const withSecret = this.authentication === AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET;
    const master = withSecret ? this.cluster.masterUsername : undefined;
    throwIfBroken(this.node.path, [
      ...dbUserRules(dbUser),
      {
        condition:
          master !== undefined && !Token.isUnresolved(dbUser) && !Token.isUnresolved(master) && dbUser !== master,
        prop: 'dbUser',
        message: `'${dbUser}' cannot connect: with AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET the proxy only holds the secret of the master user '${master}' (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-secrets-arns.html). Connect as '${master}' or use END_TO_END_IAM`,
      },
    ]);
    if (this.authentication !== AuroraProxyAuthentication.END_TO_END_IAM || this.databaseUsers.has(dbUser)) {
      return;
    }
    this.databaseUsers.add(dbUser);
    const arn = this.dbUserArn(this.cluster.clusterResourceIdentifier, dbUser);
    if (this.connectStatement) {
      this.connectStatement.addResources(arn);
      return;
    }
    this.connectStatement = new iam.PolicyStatement({ actions: ['rds-db:connect'], resources: [arn] });
    this.addRolePolicy('ConnectPolicy', 'Lets RDS Proxy log in to the cluster with IAM', [this.connectStatement]);
  }

  /**
   * Adds an endpoint to the proxy, in private subnets of the cluster's VPC (at most 20 per proxy).
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html
   */
  public addEndpoint(id: string, options: AuroraProxyEndpointOptions = {}): AuroraProxyEndpoint {
    return new AuroraProxyEndpoint(this, id, { ...options, proxy: this });
  }

  /**
   * Adds the recommended CloudWatch alarms of the proxy (construct id `RecommendedAlarms`; call it once): the
   * availability and connection pool utilization of the writer role, and of the reader role when the proxy has a
   * read-only endpoint (now or later), the connection borrow latency, and, with thresholds of yours, pinned
   * connections and failed client authentications. Each notifies the topic on ALARM and on OK.
   *
   * `AuroraCluster.addRecommendedAlarms()` adds them to every `AuroraProxy` of the cluster, before or after the
   * proxy exists, unless the proxy already has its own: call this method first to give the proxy other thresholds
   * or topic, or pass the thresholds to the cluster as `proxyAlarmThresholds`. Calling it without options on a proxy
   * that the cluster's alarms already cover returns those alarms.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html
   */
  public addRecommendedAlarms(options: ProxyRecommendedAlarmsOptions = {}): AuroraProxyRecommendedAlarms {
    const existing = this.node.tryFindChild(RECOMMENDED_ALARMS_ID);
    if (existing instanceof AuroraProxyRecommendedAlarms) {
      const noOptions = Object.values(options).every((v) => v === undefined);
      if (this.alarmsRequestedBy !== undefined && noOptions) return existing;
      throwIfBroken(this.node.path, [
        {
          condition: true,
          prop: 'addRecommendedAlarms',
          message:
            this.alarmsRequestedBy !== undefined
              ? `the proxy already has the recommended alarms that ${this.alarmsRequestedBy} gave it, so these options would be ignored`
              : 'the proxy already has its recommended alarms',
          doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.monitoring.html',
          fix:
            this.alarmsRequestedBy !== undefined
              ? "call proxy.addRecommendedAlarms() before the cluster's addRecommendedAlarms(), or pass the proxy's thresholds to the cluster's addRecommendedAlarms() as proxyAlarmThresholds"
              : 'call addRecommendedAlarms() once per proxy',
        },
      ]);
    }
    return new AuroraProxyRecommendedAlarms(this, RECOMMENDED_ALARMS_ID, { ...options, proxy: this });
  }

  /**
   * Records an endpoint created for this proxy.
   *
   * @internal
   */
  public _registerEndpoint(endpoint: AuroraProxyEndpoint): void {
    this._endpoints.push(endpoint);
    const alarms = this.node.tryFindChild(RECOMMENDED_ALARMS_ID);
    if (alarms instanceof AuroraProxyRecommendedAlarms) alarms._onEndpoint(endpoint);
  }

  /**
   * IAM_WITH_MASTER_SECRET: the proxy reads the master secret, and decrypts it with the cluster's key only through
   * Secrets Manager (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-secrets-arns.html).
   * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html
   */
  private allowSecretRead(): void {
    const stack = Stack.of(this);
    const secret = this.cluster.secret;
    // The secret's own key (the cluster's key for an AuroraCluster). A secret under the AWS managed key
    // aws/secretsmanager needs no statement: that key's policy admits every principal of the account through
    // Secrets Manager.
    const key = secret.encryptionKey;
    this.addRolePolicy('SecretPolicy', 'Lets RDS Proxy read the master secret of the cluster', [
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secret.secretArn],
      }),
      ...(key
        ? [
            new iam.PolicyStatement({
              actions: ['kms:Decrypt'],
              resources: [key.keyArn],
              conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
            }),
          ]
        : []),
    ]);
  }

  private addRolePolicy(id: string, description: string, statements: iam.PolicyStatement[]): iam.ManagedPolicy {
    const policy = new iam.ManagedPolicy(this, id, { description, statements });
    this.proxyRole.addManagedPolicy(policy);
    return policy;
  }

  /** `arn:<partition>:rds-db:<region>:<account>:dbuser:<resource id>/<db user>` (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html). */
  private dbUserArn(resourceId: string, dbUser: string): string {
    return Stack.of(this).formatArn({
      service: 'rds-db',
      resource: 'dbuser',
      resourceName: `${resourceId}/${dbUser}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
