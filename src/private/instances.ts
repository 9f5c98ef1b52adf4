import { Stack, Token } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';

/** One DB instance of a cluster, as the library sees it. */
export interface ClusterInstanceInfo {
  /** The CloudFormation instance. */
  readonly resource: rds.CfnDBInstance;
  /** The id given to `rds.ClusterInstance.provisioned(id)` / `.serverlessV2(id)`. */
  readonly constructId: string;
  /** Whether this is the writer (aws-cdk-lib binds the writer first, in promotion tier 0). */
  readonly isWriter: boolean;
}

/**
 * The instances of a cluster construct, writer first, then the readers in the order they were given. A Global
 * Database secondary (`hasWriter: false`) has readers only.
 */
export function clusterInstances(cluster: IConstruct, hasWriter = true): ClusterInstanceInfo[] {
  const resources = cluster.node.findAll().filter((c): c is rds.CfnDBInstance => c instanceof rds.CfnDBInstance);
  return resources.map((resource, index) => ({
    resource,
    constructId: resource.node.scope?.node.id ?? resource.node.id,
    isWriter: hasWriter && index === 0,
  }));
}

/**
 * Finds the instance a member string names: the construct id given to `rds.ClusterInstance.*(id)`, the literal
 * `instanceIdentifier` of an instance, or a token that references one of the instances (e.g. `cfnInstance.ref`).
 */
export function findInstance(instances: ClusterInstanceInfo[], member: string): ClusterInstanceInfo | undefined {
  if (Token.isUnresolved(member)) {
    return instances.find((i) => {
      const stack = Stack.of(i.resource);
      return JSON.stringify(stack.resolve(member)) === JSON.stringify(stack.resolve(i.resource.ref));
    });
  }
  return (
    instances.find((i) => i.constructId === member) ??
    instances.find(
      (i) =>
        typeof i.resource.dbInstanceIdentifier === 'string' &&
        !Token.isUnresolved(i.resource.dbInstanceIdentifier) &&
        i.resource.dbInstanceIdentifier.toLowerCase() === member.toLowerCase(),
    )
  );
}
