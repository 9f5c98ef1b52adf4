import { Aspects, CfnResource, IAspect, Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';

/**
 * Makes every RDS Proxy target group of the app that registers the cluster wait for the cluster and its instances,
 * as aws-cdk-lib does for an `rds.DatabaseCluster`: `rds.DatabaseProxy` only looks one level below the cluster it is
 * given, and an `AuroraCluster` keeps its instances one level further down (under `cluster`). Without the
 * dependency, a fresh deployment can register the target before the writer exists, and the proxy fails.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbproxytargetgroup.html
 */
export function addProxyTargetDependencies(
  cluster: IConstruct,
  clusterIdentifier: string,
  instances: readonly rds.CfnDBInstance[],
): void {
  const cfnCluster = cluster.node.defaultChild;
  if (!CfnResource.isCfnResource(cfnCluster)) return;
  Aspects.of(cluster.node.root).add(new ProxyTargetDependencies(cfnCluster, clusterIdentifier, instances));
}

class ProxyTargetDependencies implements IAspect {
  constructor(
    private readonly cfnCluster: CfnResource,
    private readonly clusterIdentifier: string,
    private readonly instances: readonly rds.CfnDBInstance[],
  ) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof rds.CfnDBProxyTargetGroup)) return;
    const ids = node.dbClusterIdentifiers;
    if (!Array.isArray(ids) || !ids.some((id) => this.namesCluster(id))) return;
    // A Ref to the cluster already orders the target group after it (a DependsOn too would be redundant, cfn-lint
    // W3005); a literal identifier does not.
    const byRef = ids.some((id) => Token.isUnresolved(id) && this.namesCluster(id));
    if (!byRef) node.addResourceDependency(this.cfnCluster);
    for (const instance of this.instances) {
      node.addResourceDependency(instance);
    }
  }

  private namesCluster(id: string): boolean {
    // The cluster's own identifier, literal or derived (a token of its stack's id).
    if (id === this.clusterIdentifier) return true;
    if (!Token.isUnresolved(id)) {
      return !Token.isUnresolved(this.clusterIdentifier) && id.toLowerCase() === this.clusterIdentifier.toLowerCase();
    }
    return Tokenization.reverseString(id).tokens.some((t) => t instanceof Reference && t.target === this.cfnCluster);
  }
}
