import { Annotations, CfnResource, ITaggableV2, Stack, TagManager, TagType, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct, IConstruct } from 'constructs';
import { IAuroraCluster, IAuroraSecondaryCluster } from './cluster-ref';
import { acknowledgeUnknownResourceType } from './private/built-in-rules';
import { ClusterInstanceInfo, clusterInstances, findInstance } from './private/instances';
import { derivePhysicalName } from './private/naming';
import { throwIfBroken } from './private/validate';
import { customEndpointRules } from './private/validate-readers';

/**
 * The kinds of Aurora custom endpoint.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Properties
 */
export enum CustomEndpointType {
  /** Only reader instances; a member promoted to writer leaves the endpoint. */
  READER = 'READER',
  /** Readers and the writer. */
  ANY = 'ANY',
}

/**
 * Options of a custom endpoint.
 */
export interface CustomEndpointOptions {
  /**
   * Which instances the endpoint may route to.
   *
   * @default CustomEndpointType.READER - never routes to the writer
   */
  readonly type?: CustomEndpointType;

  /**
   * The instances behind the endpoint, and only those.
   *
   * Name each instance by the id you gave it (`rds.ClusterInstance.provisioned('Bi', ...)` is `'Bi'`), by its
   * `instanceIdentifier`, or by a reference to it. Instances that reader autoscaling adds later do not join a static
   * list. Cannot be combined with `excludedMembers`.
   *
   * @default - every eligible instance except `excludedMembers`
   */
  readonly staticMembers?: string[];

  /**
   * The instances the endpoint leaves out; every other eligible instance, including replicas that reader autoscaling
   * adds later, is behind it.
   *
   * Named like `staticMembers`. Cannot be combined with `staticMembers`.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Membership
   * @default - none
   */
  readonly excludedMembers?: string[];

  /**
   * The endpoint identifier, the first label of its DNS name.
   *
   * 1 to 63 letters, digits or hyphens starting with a letter, stored lowercase, unique per Region in the account.
   * Changing it replaces the endpoint (and its DNS name).
   *
   * @default - `<stack name>-<construct ids>-<first 8 characters of the stack's UUID>`: kept when the construct moves or its logical ids are kept (see `AuroraClusterProps.clusterIdentifier`)
   */
  readonly endpointIdentifier?: string;
}

/**
 * Properties of an {@link AuroraCustomEndpoint}.
 */
export interface AuroraCustomEndpointProps extends CustomEndpointOptions {
  /**
   * The cluster the endpoint belongs to: an `AuroraCluster`, or an existing cluster from
   * `AuroraCluster.fromAuroraClusterAttributes` with `port` (and `instanceIdentifiers` to check the members).
   *
   * Give exactly one of `cluster` and `secondaryCluster`.
   *
   * @default - the endpoint belongs to `secondaryCluster`
   */
  readonly cluster?: IAuroraCluster;

  /**
   * The Global Database secondary cluster the endpoint belongs to (its instances are all readers).
   *
   * Give exactly one of `cluster` and `secondaryCluster`.
   *
   * @default - the endpoint belongs to `cluster`
   */
  readonly secondaryCluster?: IAuroraSecondaryCluster;
}

/**
 * The dedicated analytics readers of a cluster.
 */
export interface AnalyticsOptions {
  /**
   * The analytics readers: created in the lowest failover priority (promotion tier 15, whatever tier they are
   * given) so they are never promoted to writer, and served by their own endpoint.
   */
  readonly readers: rds.IClusterInstance[];

  /**
   * The identifier of the analytics endpoint.
   *
   * @default - `<stack name>-<construct ids>-<first 8 characters of the stack's UUID>`, kept when the construct moves
   */
  readonly endpointIdentifier?: string;

  /**
   * The identifier of the application reader endpoint (every reader except the analytics readers).
   *
   * @default - `<stack name>-<construct ids>-<first 8 characters of the stack's UUID>`, kept when the construct moves
   */
  readonly appReaderEndpointIdentifier?: string;
}

/**
 * Regions where CloudFormation does not offer `AWS::RDS::DBClusterEndpoint`: the resource type is absent from the
 * CloudFormation resource schemas of these Regions (as cfn-lint 1.58 ships them, checked 2026-11-29).
 */
const CLUSTER_ENDPOINT_UNAVAILABLE_REGIONS: readonly string[] = [
  'cn-north-1',
  'cn-northwest-1',
  'me-central-1',
  'us-gov-east-1',
  'us-gov-west-1',
];

/** Custom endpoints per cluster, to enforce the quota (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html). */
const endpointCounts = new WeakMap<IConstruct, number>();
/**
 * Literal endpoint identifiers per app, by account and Region: they are unique per Region and account, so the same
 * identifier in two Regions is fine (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Properties).
 * A stack whose account or Region is unknown at synth counts as a scope of its own.
 */
const identifiersByApp = new WeakMap<IConstruct, Map<string, Set<string>>>();

function identifierScope(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)
    ? `stack:${stack.node.path}`
    : `${stack.account}:${stack.region}`;
}

/**
 * An Aurora custom endpoint (`AWS::RDS::DBClusterEndpoint`): a DNS name that load-balances over a chosen set of the
 * cluster's instances. Create it with `AuroraCluster.addCustomEndpoint()`.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html
 * @example
 * declare const vpc: ec2.IVpc;
 * const instanceType = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);
 * const orders = new AuroraCluster(this, 'Orders', {
 *   engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 }),
 *   vpc,
 *   writer: rds.ClusterInstance.provisioned('Writer', { instanceType }),
 *   readers: [
 *     rds.ClusterInstance.provisioned('Reader', { instanceType }),
 *     rds.ClusterInstance.provisioned('Reporting', { instanceType }),
 *   ],
 * });
 * const reporting = orders.addCustomEndpoint('Reporting', { staticMembers: ['Reporting'] });
 */
export class AuroraCustomEndpoint extends Construct {
  /** The endpoint's address and port. */
  public readonly endpoint: rds.Endpoint;
  /** The endpoint's DNS name. */
  public readonly hostname: string;
  /** The port (the cluster's). */
  public readonly port: number;
  /** `hostname:port`. */
  public readonly socketAddress: string;
  /** The endpoint identifier. */
  public readonly endpointIdentifier: string;
  /** The endpoint's ARN. */
  public readonly endpointArn: string;
  /** The endpoint type. */
  public readonly type: CustomEndpointType;
  /** The `AWS::RDS::DBClusterEndpoint` resource (escape hatch). */
  public readonly resource: CfnResource;

  constructor(scope: Construct, id: string, props: AuroraCustomEndpointProps) {
    super(scope, id);
    const target = endpointTarget(this.node.path, props);
    const cluster = target.owner;
    const instances = target.instances;
    const type = props.type ?? CustomEndpointType.READER;
    const staticMembers = [...new Set(props.staticMembers ?? [])];
    const excludedMembers = [...new Set(props.excludedMembers ?? [])];
    const members = staticMembers.length > 0 ? staticMembers : excludedMembers;
    const resolved = members.map((m) => ({ member: m, instance: findInstance(instances, m) }));
    // An imported cluster: its members are its instance identifiers, checked when they were given.
    const importedIds = target.importedInstanceIdentifiers;
    const unknownMembers = importedIds
      ? members.filter(
          (m) =>
            importedIds.length > 0 &&
            !Token.isUnresolved(m) &&
            importedIds.every((known) => Token.isUnresolved(known) || known.toLowerCase() !== m.toLowerCase()),
        )
      : resolved.filter((r) => !r.instance).map((r) => r.member);

    const count = (endpointCounts.get(cluster) ?? 0) + 1;
    const byScope = identifiersByApp.get(this.node.root) ?? new Map<string, Set<string>>();
    identifiersByApp.set(this.node.root, byScope);
    const regionKey = identifierScope(this);
    const appIdentifiers = byScope.get(regionKey) ?? new Set<string>();
    const literalId =
      props.endpointIdentifier !== undefined && !Token.isUnresolved(props.endpointIdentifier)
        ? props.endpointIdentifier.toLowerCase()
        : undefined;
    throwIfBroken(this.node.path, [
      ...customEndpointRules({
        type,
        staticMembers,
        excludedMembers,
        identifier: props.endpointIdentifier,
        count,
        unknownMembers,
        knownMembers: importedIds ?? instances.map((i) => i.constructId),
        duplicateIdentifier: literalId !== undefined && appIdentifiers.has(literalId),
      }),
    ]);

    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && CLUSTER_ENDPOINT_UNAVAILABLE_REGIONS.includes(region)) {
      throw new Error(
        `${this.node.path}: env.region: CloudFormation does not offer AWS::RDS::DBClusterEndpoint in ${region} (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbclusterendpoint.html); leave out custom endpoints and analytics in this Region, or deploy the cluster in a Region that offers them`,
      );
    }

    endpointCounts.set(cluster, count);
    this.endpointIdentifier = literalId ?? props.endpointIdentifier ?? derivePhysicalName(this, () => this.resource);
    if (!Token.isUnresolved(this.endpointIdentifier)) {
      appIdentifiers.add(this.endpointIdentifier);
      byScope.set(regionKey, appIdentifiers);
    }

    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html: a READER endpoint serves readers only; a static writer is not reachable through it.
    const writerMember = resolved.find((r) => r.instance?.isWriter && staticMembers.includes(r.member));
    if (type === CustomEndpointType.READER && writerMember) {
      Annotations.of(this).addWarningV2(
        'cdk-aurora-baseline:readerEndpointWithWriter',
        `staticMembers names the writer ('${writerMember.member}'), which a READER endpoint does not serve (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html); use CustomEndpointType.ANY or name readers only`,
      );
    }

    const refs = resolved.map((r) => r.instance?.resource.ref ?? r.member);
    this.type = type;
    this.resource = new CfnClusterEndpoint(this, 'Resource', {
      properties: {
        DBClusterIdentifier: target.clusterIdentifier,
        DBClusterEndpointIdentifier: this.endpointIdentifier,
        CustomEndpointType: type,
        StaticMembers: staticMembers.length > 0 ? refs : undefined,
        ExcludedMembers: staticMembers.length === 0 && excludedMembers.length > 0 ? refs : undefined,
      },
    });
    acknowledgeUnknownResourceType(this.resource);
    // Created once every instance exists (the cluster is available), removed before any instance is. The members
    // the endpoint names are already ordered by their Ref (a DependsOn on them would be redundant, cfn-lint W3005).
    const named = new Set(resolved.flatMap((r) => (r.instance ? [r.instance.resource] : [])));
    for (const instance of instances) {
      if (!named.has(instance.resource)) this.resource.node.addDependency(instance.resource);
    }

    this.port = target.port;
    this.hostname = this.resource.getAtt('Endpoint').toString();
    this.endpointArn = this.resource.getAtt('DBClusterEndpointArn').toString();
    this.endpoint = new rds.Endpoint(this.hostname, this.port);
    this.socketAddress = this.endpoint.socketAddress;
  }
}

/** The cluster a custom endpoint belongs to, as the endpoint sees it. */
interface EndpointTarget {
  /** The construct the endpoint quota is counted on. */
  readonly owner: IConstruct;
  readonly clusterIdentifier: string;
  readonly port: number;
  /** The cluster's CloudFormation instances (none for an imported cluster). */
  readonly instances: ClusterInstanceInfo[];
  /** For an imported cluster: the instance identifiers it was given. */
  readonly importedInstanceIdentifiers?: string[];
}

function endpointTarget(path: string, props: AuroraCustomEndpointProps): EndpointTarget {
  const { cluster, secondaryCluster } = props;
  if (cluster && !secondaryCluster) {
    const cfnCluster = cluster.node.defaultChild;
    if (cfnCluster instanceof rds.CfnDBCluster) {
      return {
        owner: cluster,
        clusterIdentifier: cfnCluster.ref,
        port: cluster.port,
        instances: clusterInstances(cluster),
      };
    }
    return {
      owner: cluster,
      clusterIdentifier: cluster.clusterIdentifier,
      port: cluster.port,
      instances: [],
      importedInstanceIdentifiers: cluster.instanceIdentifiers,
    };
  }
  if (secondaryCluster && !cluster) {
    return {
      owner: secondaryCluster,
      clusterIdentifier: secondaryCluster.cluster.clusterIdentifier,
      port: secondaryCluster.port,
      instances: clusterInstances(secondaryCluster.cluster, false),
    };
  }
  throw new Error(
    `${path}: cluster: give exactly one of cluster and secondaryCluster; name the cluster the endpoint belongs to`,
  );
}

/**
 * `AWS::RDS::DBClusterEndpoint` with its `Tags`, so that `Tags.of(scope)` reaches it as it reaches the L1 resources.
 * aws-cdk-lib has the type as rds.CfnDBClusterEndpoint from 2.274 only; the peer floor predates it.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbclusterendpoint.html
 */
class CfnClusterEndpoint extends CfnResource implements ITaggableV2 {
  public readonly cdkTagManager: TagManager;

  constructor(scope: Construct, id: string, props: { readonly properties: Record<string, unknown> }) {
    super(scope, id, { type: 'AWS::RDS::DBClusterEndpoint', properties: props.properties });
    this.cdkTagManager = new TagManager(TagType.STANDARD, 'AWS::RDS::DBClusterEndpoint', undefined, {
      tagPropertyName: 'Tags',
    });
  }

  /** Tags in CloudFormation's spelling (`Key`, `Value`), as the L1 resources render them. */
  protected renderProperties(props: { [key: string]: any }): { [key: string]: any } {
    const tags: { key: string; value: string }[] | undefined = props.Tags;
    if (!Array.isArray(tags)) return props;
    return { ...props, Tags: tags.map((t) => ({ Key: t.key, Value: t.value })) };
  }
}
