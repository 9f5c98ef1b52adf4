import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EngineFamily } from './engine-family';
import { describeRanges, inRanges, ParsedVersion } from './engine-version';
import { durationRule, known, numberRule, Rule, throwIfBroken } from './validate';
import { grantRules } from './validate-cluster';
import type { AuroraProxy } from '../proxy';

/**
 * The RDS Proxy rules checked at synth, one small function per rule group, each citing its AWS source. Messages
 * read `<construct path>: <prop>: <what is wrong> (AWS documentation URL); <fix>` (see {@link throwIfBroken}).
 */

/**
 * Regions without RDS Proxy (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html): Asia Pacific (New Zealand) and Asia Pacific (Taipei). The Region
 * codes are ours, mapped from the names the page gives.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html
 */
export const PROXY_UNAVAILABLE_REGIONS: { readonly [region: string]: string } = {
  'ap-southeast-6': 'Asia Pacific (New Zealand)',
  'ap-east-2': 'Asia Pacific (Taipei)',
};

/**
 * At most 20 user-defined endpoints per proxy, besides its default endpoint (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-limits).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-limits
 */
export const MAX_PROXY_ENDPOINTS = 20;

/**
 * RDS Proxy supports only some engine versions, and not every Region (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html). Unparsable versions and
 * unknown Regions are left to AWS.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations
 */
export function proxyEngineRules(family: EngineFamily, version: ParsedVersion | undefined, region: string): Rule[] {
  const regionName = Token.isUnresolved(region) ? undefined : PROXY_UNAVAILABLE_REGIONS[region];
  return [
    {
      condition: version !== undefined && !inRanges(version, family.proxyVersions),
      prop: 'engine',
      message: `RDS Proxy does not support ${family.displayName} ${version?.label}; it needs ${describeRanges(family.proxyVersions, family.mysqlStyleVersions)} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html). Upgrade the cluster's engine version or connect without a proxy`,
    },
    {
      condition: regionName !== undefined,
      prop: 'addProxy',
      message: `RDS Proxy is not available in ${region} (${regionName}) (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.RDS_Proxy.html); deploy the proxy in another Region or connect to the cluster directly`,
    },
  ];
}

/**
 * Whether the engine version lets RDS Proxy use end-to-end IAM authentication (`DefaultAuthScheme: IAM_AUTH`,
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html). An unknown version is assumed to support it (AWS checks at deploy).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-iam-setup.html
 */
export function endToEndIamAvailable(family: EngineFamily, version: ParsedVersion | undefined): boolean {
  return version === undefined || inRanges(version, family.proxyEndToEndIamVersions);
}

/**
 * End-to-end IAM authentication, when asked for explicitly, needs an engine version that offers it (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html).
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html (DefaultAuthScheme)
 */
export function proxyAuthRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  endToEndRequested: boolean,
): Rule[] {
  return [
    {
      condition: endToEndRequested && !endToEndIamAvailable(family, version),
      prop: 'authentication',
      message: `end-to-end IAM authentication is not available for ${family.displayName} ${version?.label} behind RDS Proxy; it needs ${describeRanges(family.proxyEndToEndIamVersions, family.mysqlStyleVersions)} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBProxy.html). Use AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET or upgrade the engine`,
    },
  ];
}

/** The connection-pool settings of a proxy, as the user gave them or as defaulted. */
export interface ProxyPoolInput {
  readonly family: EngineFamily;
  readonly maxConnectionsPercent: number;
  readonly maxIdleConnectionsPercent: number;
  readonly connectionBorrowTimeout: Duration;
  readonly idleClientTimeout: Duration;
  readonly sessionPinningFilters: readonly string[];
}

/**
 * Connection-pool ranges (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html): `MaxConnectionsPercent` 1–100, `MaxIdleConnectionsPercent` 0 to
 * `MaxConnectionsPercent`, `ConnectionBorrowTimeout` 0–300 s, session pinning filters only for MySQL
 * (`EXCLUDE_VARIABLE_SETS`); `IdleClientTimeout` 1–28,800 s.
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBProxy.html (IdleClientTimeout)
 */
export function proxyPoolRules(input: ProxyPoolInput): Rule[] {
  const { family, maxConnectionsPercent: max, maxIdleConnectionsPercent: idle } = input;
  const types = [
    durationRule('connectionBorrowTimeout', input.connectionBorrowTimeout, 'Duration.seconds(120)'),
    durationRule('idleClientTimeout', input.idleClientTimeout, 'Duration.minutes(30)'),
  ];
  if (types.some((r) => r.condition)) return types;
  const borrow = input.connectionBorrowTimeout.toSeconds({ integral: false });
  const idleClient = input.idleClientTimeout.toSeconds({ integral: false });
  const badFilters = input.sessionPinningFilters.filter(
    (f) => !Token.isUnresolved(f) && !family.proxySessionPinningFilters.includes(f),
  );
  return [
    numberRule('maxConnectionsPercent', max, 'pass a percentage, e.g. 90'),
    numberRule('maxIdleConnectionsPercent', idle, 'pass a percentage, e.g. 50'),
    {
      condition: known(max) && (!Number.isInteger(max) || max < 1 || max > 100),
      prop: 'maxConnectionsPercent',
      message: `must be an integer between 1 and 100, got ${max} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html); choose a percentage in that range`,
    },
    {
      condition: known(idle) && (!Number.isInteger(idle) || idle < 0 || idle > 100),
      prop: 'maxIdleConnectionsPercent',
      message: `must be an integer between 0 and 100, got ${idle} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html); choose a percentage in that range`,
    },
    {
      condition: known(idle) && known(max) && idle > max,
      prop: 'maxIdleConnectionsPercent',
      message: `${idle} is greater than maxConnectionsPercent ${max} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html); lower it to at most ${max}`,
    },
    {
      condition: known(borrow) && (!Number.isInteger(borrow) || borrow < 0 || borrow > 300),
      prop: 'connectionBorrowTimeout',
      message: `must be a whole number of seconds between 0 and 300, got ${borrow} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html); choose a duration up to Duration.minutes(5)`,
    },
    {
      condition: known(idleClient) && (!Number.isInteger(idleClient) || idleClient < 1 || idleClient > 28_800),
      prop: 'idleClientTimeout',
      message: `must be a whole number of seconds between 1 and 28800 (8 hours), got ${idleClient}; choose a duration in that range`,
    },
    {
      condition: badFilters.length > 0,
      prop: 'sessionPinningFilters',
      message:
        family.proxySessionPinningFilters.length === 0
          ? `${family.displayName} proxies do not support session pinning filters, got ${badFilters.join(', ')} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html); remove sessionPinningFilters`
          : `${badFilters.join(', ')} is not a session pinning filter RDS Proxy knows; the only one is ${family.proxySessionPinningFilters.join(', ')} (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html). Use rds.SessionPinningFilter.EXCLUDE_VARIABLE_SETS`,
    },
  ];
}

/**
 * Chooses the subnets of a proxy or proxy endpoint in the cluster's VPC: the requested selection, else `fallback`.
 * Never public (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations: a proxy can't be publicly accessible), and in at least two Availability Zones
 *.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-network-prereqs.html
 */
export function selectProxySubnets(
  path: string,
  vpc: ec2.IVpc,
  requested: ec2.SubnetSelection | undefined,
  fallback: ec2.SubnetSelection,
): ec2.SelectedSubnets {
  throwIfBroken(path, [
    {
      condition: requested?.subnetType === ec2.SubnetType.PUBLIC,
      prop: 'vpcSubnets',
      message:
        "RDS Proxy can't be publicly accessible (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations); select ec2.SubnetType.PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS subnets",
    },
  ]);
  const selected = vpc.selectSubnets(requested ?? fallback);
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  const publicChosen = selected.subnets.filter((s) => publicIds.has(s.subnetId));
  const azs = new Set(selected.subnets.map((s) => s.availabilityZone));
  // Subnets imported with deploy-time lists have unknown AZs: AWS checks them at deploy time.
  const azsKnown = azs.size >= 2 || selected.subnets.every((s) => !Token.isUnresolved(s.availabilityZone));
  throwIfBroken(path, [
    {
      condition: publicChosen.length > 0,
      prop: 'vpcSubnets',
      message: `selects public subnet(s) ${publicChosen.map((s) => s.node.path).join(', ')}; RDS Proxy can't be publicly accessible (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations). Select private subnets`,
    },
    {
      condition: azsKnown && azs.size < 2,
      prop: 'vpcSubnets',
      message: `the selected subnets span ${azs.size} Availability Zone(s); RDS Proxy needs subnets in at least two (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy.html#rds-proxy.limitations). Select subnets in two or more AZs`,
    },
  ]);
  return selected;
}

/**
 * A proxy has at most {@link MAX_PROXY_ENDPOINTS} endpoints of its own (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-limits).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-limits
 */
export function proxyEndpointCountRules(existing: number): Rule[] {
  return [
    {
      condition: existing >= MAX_PROXY_ENDPOINTS,
      prop: 'addEndpoint',
      message: `a proxy has at most ${MAX_PROXY_ENDPOINTS} endpoints besides its default one, and this one would be number ${existing + 1} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-endpoints.html#rds-proxy-endpoints-limits); create another proxy for more endpoints`,
    },
  ];
}

/**
 * A database user name in an `rds-db:connect` ARN names one user: wildcards would grant every user (and make the
 * proxy role's policy fail AwsSolutions-IAM5).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html
 */
export function dbUserRules(dbUser: string, grantee: unknown = {}): Rule[] {
  // The same rules as AuroraCluster.grantConnect: a grantee, one named user, no wildcards.
  return grantRules(grantee, dbUser);
}

/**
 * The props of an `AuroraProxy` that a JavaScript or Python caller can get wrong in type: the cluster is required.
 */
export function proxyCallerRules(props: { readonly cluster?: unknown } | undefined): Rule[] {
  const cluster = props?.cluster as { engine?: { engineType?: unknown } } | undefined | null;
  return [
    {
      condition: typeof cluster !== 'object' || cluster === null || typeof cluster.engine?.engineType !== 'string',
      prop: 'cluster',
      message:
        cluster === undefined || cluster === null ? 'is required' : `must be an AuroraCluster, got ${typeof cluster}`,
      fix: "pass the cluster, or use cluster.addProxy('Proxy')",
    },
  ];
}

/** How a proxy on an Aurora Global Database secondary cluster is set up. */
export interface GlobalSecondaryProxyOptions {
  /**
   * Whether the secondary cluster forwards writes to the primary (`EnableGlobalWriteForwarding`).
   *
   * @default false
   */
  readonly writeForwarding?: boolean;
}

/**
 * A proxy on an Aurora Global Database secondary (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2-auto-pause.html): the secondary has no writer, so the
 * proxy's read/write endpoints, its default endpoint included, fail with "The target group doesn't have any
 * associated read/write instances". Only `READ_ONLY` endpoints work there.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html
 */
export function globalSecondaryProxyRules(readOnlyEndpoints: number, readWriteEndpoints: number): Rule[] {
  return [
    {
      condition: readOnlyEndpoints === 0,
      prop: 'enableReadOnlyEndpoint',
      message:
        'a proxy on a Global Database secondary needs a READ_ONLY endpoint: the secondary has no writer, so read/write endpoints (the default one included) fail (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html). Keep enableReadOnlyEndpoint on, or addEndpoint(id, { targetRole: AuroraProxyEndpointRole.READ_ONLY })',
    },
    {
      condition: readWriteEndpoints > 0,
      prop: 'addEndpoint',
      message:
        'READ_WRITE proxy endpoints cannot serve a Global Database secondary, which has no writer (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html); use AuroraProxyEndpointRole.READ_ONLY',
    },
  ];
}

/**
 * Checks a proxy whose cluster is (or becomes) an Aurora Global Database secondary (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html): throws
 * when it has no READ_ONLY endpoint or a user-defined READ_WRITE one, and warns that its default endpoint is
 * unusable there and, with write forwarding, that the pool must leave room for forwarded writes.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html
 */
export function checkProxyOnGlobalSecondary(proxy: AuroraProxy, options: GlobalSecondaryProxyOptions = {}): void {
  const roles = proxy.endpoints.map((e) => e.targetRole);
  throwIfBroken(
    proxy.node.path,
    globalSecondaryProxyRules(
      roles.filter((r) => r === 'READ_ONLY').length,
      roles.filter((r) => r === 'READ_WRITE').length,
    ),
  );
  Annotations.of(proxy).addWarningV2(
    'cdk-aurora-baseline:proxyDefaultEndpointOnSecondary',
    'the proxy is on a Global Database secondary: its default (read/write) endpoint fails there (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html); connect through readOnlyEndpoint',
  );
  if (options.writeForwarding) {
    Annotations.of(proxy).addWarningV2(
      'cdk-aurora-baseline:proxyWriteForwarding',
      `with write forwarding, lower maxConnectionsPercent (${proxy.maxConnectionsPercent}) by the cluster's aurora_fwd_writer_max_connections_pct, and do not use the SESSION read consistency through the proxy (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/rds-proxy-gdb.html)`,
    );
  }
}
