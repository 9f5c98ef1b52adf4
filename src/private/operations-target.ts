import type { AuroraCluster } from '../aurora-cluster';
import type { AuroraSecondaryCluster } from '../secondary-cluster';

/**
 * The cluster an operations construct (dashboard, event subscriptions) is for: exactly one of `cluster` and
 * `secondaryCluster`, as their props allow.
 */
export function operationsTarget(
  path: string,
  props: { readonly cluster?: AuroraCluster; readonly secondaryCluster?: AuroraSecondaryCluster },
  doc: string,
  method: string,
): AuroraCluster | AuroraSecondaryCluster {
  const cluster = props.cluster ?? props.secondaryCluster;
  if (cluster === undefined || (props.cluster && props.secondaryCluster)) {
    throw new Error(
      `${path}: cluster: give exactly one of cluster and secondaryCluster (${doc}); use AuroraCluster.${method}() or AuroraSecondaryCluster.${method}()`,
    );
  }
  return cluster;
}
