/**
 * CloudFormation custom-resource handler that removes the Aurora Replicas Aurora Auto Scaling created
 * (`application-autoscaling-*`) before CloudFormation deletes their cluster.
 *
 * Why: those replicas are not CloudFormation resources, and the `AWS::RDS::DBCluster` delete handler deletes no
 * instance, so the cluster deletion fails with "Cluster cannot be deleted, it still contains DB instances in
 * non-deleting state" (https://github.com/hashicorp/terraform-provider-aws/issues/19536).
 *
 * On Delete — the stack is deleted, readerAutoScaling was removed, or the cluster was replaced — the replicas follow
 * the cluster's effective `DeletionPolicy` (the `ClusterDeletionPolicy` property, resolved at synthesis):
 * - `Retain` / `RetainExceptOnCreate`: the cluster outlives this resource, so its replicas stay with it (they are
 *   ordinary readers from then on). Nothing is touched.
 * - `Delete` / `Snapshot`: every instance of the cluster whose identifier starts with `application-autoscaling-` is
 *   deleted, and the handler waits until each is gone or `deleting`. The writer and the declared readers are never
 *   touched, so a live cluster stays healthy when only readerAutoScaling is removed; deletion protection does not
 *   stop it (it protects the cluster, not its instances).
 * CloudFormation deletes the scalable target before this resource (it depends on this one), so scaling is already
 * deregistered and nothing re-creates replicas. Idempotent: an absent cluster, no replica or a replica already
 * deleting is success. Create and Update do nothing. The function always answers CloudFormation (SUCCESS or FAILED
 * with the reason); a request it never answered (a crash) lands in its dead-letter queue.
 *
 * Runs on the Lambda Node.js runtime with the AWS SDK for JavaScript v3 that the runtime ships
 * (`@aws-sdk/client-rds`): nothing is bundled.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html
 * Replica naming: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html
 * Response protocol: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html
 */
import * as https from 'https';

/** The prefix Aurora Auto Scaling gives the replicas it creates. */
export const AUTOSCALED_PREFIX = 'application-autoscaling-';

/** The RDS calls the handler makes (the shape of the SDK v3 aggregated `RDS` client). */
export interface RdsApi {
  describeDBInstances(input: {
    Filters?: { Name: string; Values: string[] }[];
    Marker?: string;
  }): Promise<{ DBInstances?: DbInstance[]; Marker?: string }>;
  deleteDBInstance(input: { DBInstanceIdentifier: string }): Promise<unknown>;
}

/** The fields of an RDS `DBInstance` the handler reads. */
export interface DbInstance {
  DBInstanceIdentifier?: string;
  DBClusterIdentifier?: string;
  DBInstanceStatus?: string;
}

/** Everything the handler needs from the outside world, injected so that tests can stub it. */
export interface Deps {
  readonly rds: RdsApi;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly log: (message: string) => void;
}

/** The custom resource event fields the handler reads. */
export interface CleanupEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: {
    readonly ClusterIdentifier?: string;
    /** The cluster's effective CloudFormation `DeletionPolicy` (`Delete`, `Snapshot`, `Retain`, `RetainExceptOnCreate`). */
    readonly ClusterDeletionPolicy?: string;
    /** The RDS API URL to call (an interface endpoint's own DNS name); the public endpoint when absent. */
    readonly RdsEndpointUrl?: string;
    /** The host to send the answer to (an S3 interface endpoint's own DNS name); the response URL's host when absent. */
    readonly ResponseEndpointHost?: string;
  };
}

/** The body sent to CloudFormation. */
export interface CfnResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason: string;
  readonly PhysicalResourceId: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly NoEcho: boolean;
  readonly Data: { [key: string]: string };
}

/** What a cleanup did. */
export interface CleanupResult {
  /** Replicas this run asked RDS to delete. */
  readonly deleted: string[];
  /** Replicas found already deleting. */
  readonly alreadyDeleting: string[];
}

/** How long to wait between two looks at the replicas. */
export const POLL_INTERVAL_MS = 15_000;
/** Time kept back from the Lambda timeout to answer CloudFormation. */
export const RESPONSE_MARGIN_MS = 30_000;

function errorName(e: unknown): string {
  const err = e as { name?: string; Code?: string; code?: string };
  return err?.name ?? err?.Code ?? err?.code ?? '';
}

function isError(e: unknown, ...names: string[]): boolean {
  const name = errorName(e);
  return names.some((n) => name === n || name === `${n}Fault` || name === n.replace(/Fault$/, ''));
}

/** The physical id: one per cluster, so a new cluster identifier replaces the resource (and cleans the old one). */
export function physicalIdOf(clusterIdentifier: string): string {
  return `autoscaled-replica-cleanup:${clusterIdentifier}`;
}

/** Every replica of the cluster that Aurora Auto Scaling created, following pagination. */
export async function listAutoscaledReplicas(rds: RdsApi, clusterIdentifier: string): Promise<DbInstance[]> {
  const found: DbInstance[] = [];
  let marker: string | undefined;
  do {
    let page: { DBInstances?: DbInstance[]; Marker?: string };
    try {
      page = await rds.describeDBInstances({
        Filters: [{ Name: 'db-cluster-id', Values: [clusterIdentifier] }],
        Marker: marker,
      });
    } catch (e) {
      if (isError(e, 'DBClusterNotFound')) return [];
      throw e;
    }
    for (const instance of page.DBInstances ?? []) {
      const id = (instance.DBInstanceIdentifier ?? '').toLowerCase();
      const cluster = (instance.DBClusterIdentifier ?? '').toLowerCase();
      // Only replicas that Aurora Auto Scaling created, and only in this cluster.
      if (id.startsWith(AUTOSCALED_PREFIX) && cluster === clusterIdentifier.toLowerCase()) {
        found.push(instance);
      }
    }
    marker = page.Marker;
  } while (marker);
  return found;
}

/**
 * Deletes the cluster's autoscaled replicas and waits until every one is gone or deleting. Throws if `deadline`
 * (epoch ms) passes first.
 */
export async function deleteAutoscaledReplicas(
  clusterIdentifier: string,
  deps: Deps,
  deadline: number,
): Promise<CleanupResult> {
  const deleted = new Set<string>();
  const alreadyDeleting = new Set<string>();
  for (;;) {
    const replicas = await listAutoscaledReplicas(deps.rds, clusterIdentifier);
    const pending = replicas.filter((r) => r.DBInstanceStatus !== 'deleting');
    for (const r of replicas) {
      if (r.DBInstanceStatus === 'deleting' && !deleted.has(r.DBInstanceIdentifier!)) {
        alreadyDeleting.add(r.DBInstanceIdentifier!);
      }
    }
    if (pending.length === 0) {
      return { deleted: [...deleted], alreadyDeleting: [...alreadyDeleting] };
    }
    for (const replica of pending) {
      const id = replica.DBInstanceIdentifier!;
      try {
        await deps.rds.deleteDBInstance({ DBInstanceIdentifier: id });
        deleted.add(id);
        deps.log(`Deleting ${id} (was ${replica.DBInstanceStatus})`);
      } catch (e) {
        if (isError(e, 'DBInstanceNotFound')) continue; // gone meanwhile
        if (isError(e, 'InvalidDBInstanceState')) {
          // e.g. still creating: try again on the next round.
          deps.log(`${id} cannot be deleted while ${replica.DBInstanceStatus}; retrying`);
          continue;
        }
        throw e;
      }
    }
    if (deps.now() + POLL_INTERVAL_MS > deadline) {
      const left = (await listAutoscaledReplicas(deps.rds, clusterIdentifier)).filter(
        (r) => r.DBInstanceStatus !== 'deleting',
      );
      if (left.length === 0) {
        return { deleted: [...deleted], alreadyDeleting: [...alreadyDeleting] };
      }
      throw new Error(
        `Timed out: autoscaled replicas not yet deleting: ${left
          .map((r) => `${r.DBInstanceIdentifier} (${r.DBInstanceStatus})`)
          .join(', ')}. Delete the stack again once they are available, or delete them by hand`,
      );
    }
    await deps.sleep(POLL_INTERVAL_MS);
  }
}

/**
 * Handles one event and returns the response for CloudFormation (never throws). `makeDeps` is called only for a
 * Delete, so a runtime without the SDK still answers Create and Update, and reports FAILED rather than hanging.
 */
export async function onEvent(
  event: CleanupEvent,
  makeDeps: (event: CleanupEvent) => Deps,
  remainingMs: number,
): Promise<CfnResponse> {
  const clusterIdentifier = event.ResourceProperties.ClusterIdentifier ?? '';
  const physicalId =
    event.RequestType === 'Delete' && event.PhysicalResourceId
      ? event.PhysicalResourceId
      : physicalIdOf(clusterIdentifier);
  const base = {
    PhysicalResourceId: physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
  };
  try {
    if (!clusterIdentifier) {
      throw new Error('ResourceProperties.ClusterIdentifier is required');
    }
    if (event.RequestType !== 'Delete') {
      return { ...base, Status: 'SUCCESS', Reason: `${event.RequestType}: nothing to do`, Data: {} };
    }
    const deletionPolicy = event.ResourceProperties.ClusterDeletionPolicy ?? '';
    if (deletionPolicy.toLowerCase().startsWith('retain')) {
      const reason = `${clusterIdentifier} has DeletionPolicy ${deletionPolicy}: its autoscaled replicas stay with it`;
      return { ...base, Status: 'SUCCESS', Reason: reason, Data: {} };
    }
    const deps = makeDeps(event);
    const result = await deleteAutoscaledReplicas(
      clusterIdentifier,
      deps,
      deps.now() + remainingMs - RESPONSE_MARGIN_MS,
    );
    const summary = `deleted [${result.deleted.join(', ')}], already deleting [${result.alreadyDeleting.join(', ')}]`;
    deps.log(summary);
    return { ...base, Status: 'SUCCESS', Reason: summary.slice(0, 1000), Data: {} };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    console.error(`FAILED: ${message}`);
    return { ...base, Status: 'FAILED', Reason: message.slice(0, 1000), Data: {} };
  }
}

/**
 * PUTs the response to the pre-signed S3 URL CloudFormation gave (`request` is injectable for tests).
 *
 * With `endpointHost` (an S3 interface endpoint's own DNS name) the connection goes to that endpoint while the
 * request keeps the URL's own `Host`, which the pre-signed signature covers.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html
 */
export function sendResponse(
  responseUrl: string,
  response: CfnResponse,
  endpointHost?: string,
  request: typeof https.request = https.request,
): Promise<void> {
  const body = JSON.stringify(response);
  const url = new URL(responseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: endpointHost || url.hostname,
        port: url.port || 443,
        path: `${url.pathname}${url.search}`,
        method: 'PUT',
        headers: { host: url.host, 'content-type': '', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`response upload: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The SDK v3 RDS client of the Lambda runtime (loaded lazily: tests never reach this). */
function defaultDeps(event: CleanupEvent): Deps {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RDS } = require('@aws-sdk/client-rds');
  // In isolated subnets the function calls the VPC endpoint the library created, by its own DNS name.
  return {
    rds: new RDS({ endpoint: event.ResourceProperties.RdsEndpointUrl || undefined }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
    log: (message) => console.log(message),
  };
}

/** The Lambda entry point. */
export async function handler(event: CleanupEvent, context: { getRemainingTimeInMillis(): number }): Promise<void> {
  console.log(JSON.stringify({ ...event, ResponseURL: '<redacted>' }));
  const response = await onEvent(event, defaultDeps, context.getRemainingTimeInMillis());
  await sendResponse(event.ResponseURL, response, event.ResourceProperties.ResponseEndpointHost);
}
