// Generated from src/autoscaling-cleanup-handler/index.ts by `npx projen handlers`: do not edit.
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESPONSE_MARGIN_MS = exports.POLL_INTERVAL_MS = exports.AUTOSCALED_PREFIX = void 0;
exports.physicalIdOf = physicalIdOf;
exports.listAutoscaledReplicas = listAutoscaledReplicas;
exports.deleteAutoscaledReplicas = deleteAutoscaledReplicas;
exports.onEvent = onEvent;
exports.sendResponse = sendResponse;
exports.handler = handler;
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
const https = require("https");
/** The prefix Aurora Auto Scaling gives the replicas it creates. */
exports.AUTOSCALED_PREFIX = 'application-autoscaling-';
/** How long to wait between two looks at the replicas. */
exports.POLL_INTERVAL_MS = 15_000;
/** Time kept back from the Lambda timeout to answer CloudFormation. */
exports.RESPONSE_MARGIN_MS = 30_000;
function errorName(e) {
    const err = e;
    return err?.name ?? err?.Code ?? err?.code ?? '';
}
function isError(e, ...names) {
    const name = errorName(e);
    return names.some((n) => name === n || name === `${n}Fault` || name === n.replace(/Fault$/, ''));
}
/** The physical id: one per cluster, so a new cluster identifier replaces the resource (and cleans the old one). */
function physicalIdOf(clusterIdentifier) {
    return `autoscaled-replica-cleanup:${clusterIdentifier}`;
}
/** Every replica of the cluster that Aurora Auto Scaling created, following pagination. */
async function listAutoscaledReplicas(rds, clusterIdentifier) {
    const found = [];
    let marker;
    do {
        let page;
        try {
            page = await rds.describeDBInstances({
                Filters: [{ Name: 'db-cluster-id', Values: [clusterIdentifier] }],
                Marker: marker,
            });
        }
        catch (e) {
            if (isError(e, 'DBClusterNotFound'))
                return [];
            throw e;
        }
        for (const instance of page.DBInstances ?? []) {
            const id = (instance.DBInstanceIdentifier ?? '').toLowerCase();
            const cluster = (instance.DBClusterIdentifier ?? '').toLowerCase();
            // Only replicas that Aurora Auto Scaling created, and only in this cluster.
            if (id.startsWith(exports.AUTOSCALED_PREFIX) && cluster === clusterIdentifier.toLowerCase()) {
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
async function deleteAutoscaledReplicas(clusterIdentifier, deps, deadline) {
    const deleted = new Set();
    const alreadyDeleting = new Set();
    for (;;) {
        const replicas = await listAutoscaledReplicas(deps.rds, clusterIdentifier);
        const pending = replicas.filter((r) => r.DBInstanceStatus !== 'deleting');
        for (const r of replicas) {
            if (r.DBInstanceStatus === 'deleting' && !deleted.has(r.DBInstanceIdentifier)) {
                alreadyDeleting.add(r.DBInstanceIdentifier);
            }
        }
        if (pending.length === 0) {
            return { deleted: [...deleted], alreadyDeleting: [...alreadyDeleting] };
        }
        for (const replica of pending) {
            const id = replica.DBInstanceIdentifier;
            try {
                await deps.rds.deleteDBInstance({ DBInstanceIdentifier: id });
                deleted.add(id);
                deps.log(`Deleting ${id} (was ${replica.DBInstanceStatus})`);
            }
            catch (e) {
                if (isError(e, 'DBInstanceNotFound'))
                    continue; // gone meanwhile
                if (isError(e, 'InvalidDBInstanceState')) {
                    // e.g. still creating: try again on the next round.
                    deps.log(`${id} cannot be deleted while ${replica.DBInstanceStatus}; retrying`);
                    continue;
                }
                throw e;
            }
        }
        if (deps.now() + exports.POLL_INTERVAL_MS > deadline) {
            const left = (await listAutoscaledReplicas(deps.rds, clusterIdentifier)).filter((r) => r.DBInstanceStatus !== 'deleting');
            if (left.length === 0) {
                return { deleted: [...deleted], alreadyDeleting: [...alreadyDeleting] };
            }
            throw new Error(`Timed out: autoscaled replicas not yet deleting: ${left
                .map((r) => `${r.DBInstanceIdentifier} (${r.DBInstanceStatus})`)
                .join(', ')}. Delete the stack again once they are available, or delete them by hand`);
        }
        await deps.sleep(exports.POLL_INTERVAL_MS);
    }
}
/**
 * Handles one event and returns the response for CloudFormation (never throws). `makeDeps` is called only for a
 * Delete, so a runtime without the SDK still answers Create and Update, and reports FAILED rather than hanging.
 */
async function onEvent(event, makeDeps, remainingMs) {
    const clusterIdentifier = event.ResourceProperties.ClusterIdentifier ?? '';
    const physicalId = event.RequestType === 'Delete' && event.PhysicalResourceId
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
        const result = await deleteAutoscaledReplicas(clusterIdentifier, deps, deps.now() + remainingMs - exports.RESPONSE_MARGIN_MS);
        const summary = `deleted [${result.deleted.join(', ')}], already deleting [${result.alreadyDeleting.join(', ')}]`;
        deps.log(summary);
        return { ...base, Status: 'SUCCESS', Reason: summary.slice(0, 1000), Data: {} };
    }
    catch (e) {
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
function sendResponse(responseUrl, response, endpointHost, request = https.request) {
    const body = JSON.stringify(response);
    const url = new URL(responseUrl);
    return new Promise((resolve, reject) => {
        const req = request({
            hostname: endpointHost || url.hostname,
            port: url.port || 443,
            path: `${url.pathname}${url.search}`,
            method: 'PUT',
            headers: { host: url.host, 'content-type': '', 'content-length': Buffer.byteLength(body) },
        }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`response upload: HTTP ${res.statusCode}`)));
        });
        req.on('error', reject);
        req.end(body);
    });
}
/** The SDK v3 RDS client of the Lambda runtime (loaded lazily: tests never reach this). */
function defaultDeps(event) {
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
async function handler(event, context) {
    console.log(JSON.stringify({ ...event, ResponseURL: '<redacted>' }));
    const response = await onEvent(event, defaultDeps, context.getRemainingTimeInMillis());
    await sendResponse(event.ResponseURL, response, event.ResourceProperties.ResponseEndpointHost);
}
