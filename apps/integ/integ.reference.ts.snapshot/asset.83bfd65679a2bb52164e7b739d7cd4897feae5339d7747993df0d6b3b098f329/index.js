// Generated from src/autoscaling-cleanup-handler/index.ts by `npx projen handlers`: do not edit.
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESPONSE_MARGIN_MS = exports.POLL_INTERVAL_MS = exports.AUTOSCALED_PREFIX = void 0;
exports.physicalIdOf = physicalIdOf;
exports.listAutoscaledReplicas = listAutoscaledReplicas;
exports.deletionProtectionOf = deletionProtectionOf;
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
 * On Delete: deregisters the cluster's scalable target (so nothing re-creates replicas), deletes every instance of
 * the cluster whose identifier starts with `application-autoscaling-`, and waits until each is gone or `deleting`.
 * Idempotent: an absent target, an absent cluster, no replica or a replica already deleting is success.
 * It touches nothing when the cluster outlives the stack (removal policy retain) and refuses (FAILED) while the
 * cluster has deletion protection: CloudFormation could not delete the cluster, so removing its replicas would only
 * take read capacity away; the stack deletion stops before any instance is touched.
 * Create and Update do nothing. The function always answers CloudFormation (SUCCESS or FAILED with the reason).
 *
 * Runs on the Lambda Node.js runtime with the AWS SDK for JavaScript v3 that the runtime ships
 * (`@aws-sdk/client-rds`, `@aws-sdk/client-application-auto-scaling`): nothing is bundled.
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
/** Whether the cluster has deletion protection (undefined when the cluster does not exist). */
async function deletionProtectionOf(rds, clusterIdentifier) {
    try {
        const result = await rds.describeDBClusters({ DBClusterIdentifier: clusterIdentifier });
        return result.DBClusters?.[0]?.DeletionProtection;
    }
    catch (e) {
        if (isError(e, 'DBClusterNotFound'))
            return undefined;
        throw e;
    }
}
/**
 * Deregisters the scalable target, then deletes the cluster's autoscaled replicas and waits until every one is
 * gone or deleting. Throws if `deadline` (epoch ms) passes first.
 */
async function deleteAutoscaledReplicas(clusterIdentifier, deps, deadline) {
    try {
        await deps.autoScaling.deregisterScalableTarget({
            ServiceNamespace: 'rds',
            ResourceId: `cluster:${clusterIdentifier}`,
            ScalableDimension: 'rds:cluster:ReadReplicaCount',
        });
        deps.log(`Deregistered the scalable target cluster:${clusterIdentifier}`);
    }
    catch (e) {
        if (!isError(e, 'ObjectNotFoundException'))
            throw e;
        deps.log(`No scalable target cluster:${clusterIdentifier} (already deregistered)`);
    }
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
        const removalPolicy = (event.ResourceProperties.ClusterRemovalPolicy ?? '').toLowerCase();
        if (removalPolicy.startsWith('retain')) {
            const reason = `${clusterIdentifier} is retained when it leaves the stack: its autoscaled replicas stay`;
            return { ...base, Status: 'SUCCESS', Reason: reason, Data: {} };
        }
        const deps = makeDeps();
        if ((await deletionProtectionOf(deps.rds, clusterIdentifier)) === true) {
            throw new Error(`${clusterIdentifier} has deletion protection, so CloudFormation cannot delete it; its autoscaled replicas and instances are left in place. ` +
                `Turn deletion protection off (deploy deletionProtection: false, or aws rds modify-db-cluster --db-cluster-identifier ${clusterIdentifier} --no-deletion-protection), then delete the stack again`);
        }
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
/** PUTs the response to the pre-signed S3 URL CloudFormation gave (`request` is injectable for tests). */
function sendResponse(responseUrl, response, request = https.request) {
    const body = JSON.stringify(response);
    const url = new URL(responseUrl);
    return new Promise((resolve, reject) => {
        const req = request({
            hostname: url.hostname,
            port: url.port || 443,
            path: `${url.pathname}${url.search}`,
            method: 'PUT',
            headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
        }, (res) => {
            res.resume();
            res.on('end', () => (res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`response upload: HTTP ${res.statusCode}`)));
        });
        req.on('error', reject);
        req.end(body);
    });
}
/** The SDK v3 clients of the Lambda runtime (loaded lazily: tests never reach this). */
function defaultDeps() {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { RDS } = require('@aws-sdk/client-rds');
    const { ApplicationAutoScaling } = require('@aws-sdk/client-application-auto-scaling');
    /* eslint-enable @typescript-eslint/no-require-imports */
    // In isolated subnets the function calls the VPC endpoints the library created, by their own DNS names.
    return {
        rds: new RDS({ endpoint: process.env.RDS_ENDPOINT_URL || undefined }),
        autoScaling: new ApplicationAutoScaling({
            endpoint: process.env.APPLICATION_AUTOSCALING_ENDPOINT_URL || undefined,
        }),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        now: () => Date.now(),
        log: (message) => console.log(message),
    };
}
/** The Lambda entry point. */
async function handler(event, context) {
    console.log(JSON.stringify({ ...event, ResponseURL: '<redacted>' }));
    const response = await onEvent(event, defaultDeps, context.getRemainingTimeInMillis());
    await sendResponse(event.ResponseURL, response);
}
