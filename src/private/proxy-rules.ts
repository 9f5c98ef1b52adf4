import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { EngineFamily } from './engine-family';
import { describeRanges, inRanges, ParsedVersion } from './engine-version';
import { durationRule, known, numberRule, Rule, throwIfBroken } from './validate';
import { grantRules } from './validate-cluster';

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
  const cluster = props?.cluster as { node?: unknown } | undefined | null;
  return [
    {
      // The engine is checked with the cluster's other attributes (an imported cluster may lack it).
      condition: typeof cluster !== 'object' || cluster === null || cluster.node === undefined,
      prop: 'cluster',
      message:
        cluster === undefined || cluster === null
          ? 'is required'
          : `must be an AuroraCluster or an imported IAuroraCluster, got ${typeof cluster}`,
      fix: "pass the cluster, or use cluster.addAuroraProxy('Proxy')",
    },
  ];
}
