// Generated from src/activity-stream-handler/index.ts by `npx projen handlers`: do not edit.
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RESPONSE_MARGIN_MS = exports.POLL_INTERVAL_MS = void 0;
exports.physicalIdOf = physicalIdOf;
exports.stopStream = stopStream;
exports.startStream = startStream;
exports.onEvent = onEvent;
exports.sendResponse = sendResponse;
exports.handler = handler;
/**
 * Custom resource handler: starts and stops the Database Activity Stream of one Aurora DB cluster. CloudFormation has
 * no resource for activity streams (https://github.com/aws-cloudformation/cloudformation-coverage-roadmap/issues/1596).
 *
 * - Create: `StartActivityStream` with the key and mode the template names, then waits until the cluster reports
 *   `ActivityStreamStatus: started` (with `ApplyImmediately: false` the stream starts in the next maintenance
 *   window, so the handler does not wait). A stream already started with the same key and mode is success (a retry).
 * - Update: the same; a stream started with another mode or key is stopped, then started again (AWS has no call to
 *   change either): audit records are not collected between the two.
 * - Delete: `StopActivityStream`, then waits until `stopped`. An absent cluster or a stream already stopped is
 *   success.
 * The function always answers CloudFormation (SUCCESS, or FAILED with the reason); a request it never answered (a
 * crash) lands in its dead-letter queue.
 *
 * Runs on the Lambda Node.js runtime with the AWS SDK for JavaScript v3 that the runtime ships
 * (`@aws-sdk/client-rds`): nothing is bundled.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Enabling.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Status.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Disabling.html
 * Response protocol: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref.html
 */
const https = require("https");
/** How long to wait between two looks at the stream's status. */
exports.POLL_INTERVAL_MS = 20_000;
/** Time kept back from the Lambda timeout to answer CloudFormation. */
exports.RESPONSE_MARGIN_MS = 30_000;
function errorName(e) {
    const err = e;
    return err?.name ?? err?.Code ?? err?.code ?? '';
}
function isError(e, ...names) {
    const name = errorName(e);
    return names.some((n) => name === n || name === `${n}Fault` || name === `${n}Exception`);
}
/** The physical id: one per cluster, so a new cluster identifier replaces the resource (and stops the old stream). */
function physicalIdOf(clusterIdentifier) {
    return `activity-stream:${clusterIdentifier}`;
}
/** A key identifier compared by its key id: RDS may report the ARN, the id or an alias ARN. */
function sameKey(a, b) {
    if (!a || !b)
        return false;
    const id = (k) => k.split('/').pop().toLowerCase();
    return a === b || id(a) === id(b);
}
/** The cluster, or undefined when it does not exist. */
async function describe(rds, clusterIdentifier) {
    try {
        const out = await rds.describeDBClusters({ DBClusterIdentifier: clusterIdentifier });
        return out.DBClusters?.[0];
    }
    catch (e) {
        if (isError(e, 'DBClusterNotFound'))
            return undefined;
        throw e;
    }
}
/**
 * Polls until the stream's status is one of `wanted` and returns the cluster. Throws when the cluster is gone (unless
 * `goneIsOk`, then returns undefined) or when `deadline` (epoch ms) passes first.
 */
async function waitFor(clusterIdentifier, wanted, deps, deadline) {
    for (;;) {
        const cluster = await describe(deps.rds, clusterIdentifier);
        if (cluster === undefined)
            return undefined;
        const status = cluster.ActivityStreamStatus ?? 'stopped';
        if (wanted.includes(status))
            return cluster;
        if (deps.now() + exports.POLL_INTERVAL_MS > deadline) {
            throw new Error(`Timed out: the activity stream of ${clusterIdentifier} is ${status}, not ${wanted.join(' or ')}. Its status is in the RDS console (DescribeDBClusters ActivityStreamStatus); retry the stack operation once it settles`);
        }
        deps.log(`${clusterIdentifier}: activity stream ${status}, waiting for ${wanted.join(' or ')}`);
        await deps.sleep(exports.POLL_INTERVAL_MS);
    }
}
/** Stops the stream and waits until it is stopped. An absent cluster or a stopped stream is success. */
async function stopStream(props, deps, deadline) {
    const id = props.ClusterIdentifier;
    const cluster = await waitFor(id, ['stopped', 'started'], deps, deadline);
    if (cluster === undefined)
        return `${id} does not exist: nothing to stop`;
    if ((cluster.ActivityStreamStatus ?? 'stopped') === 'stopped') {
        return `the activity stream of ${id} is already stopped`;
    }
    try {
        await deps.rds.stopActivityStream({ ResourceArn: props.ClusterArn, ApplyImmediately: true });
        deps.log(`${id}: StopActivityStream`);
    }
    catch (e) {
        if (isError(e, 'DBClusterNotFound', 'ResourceNotFound'))
            return `${id} does not exist: nothing to stop`;
        // Stopped by someone else between the two calls.
        if (!isError(e, 'InvalidDBClusterState'))
            throw e;
    }
    const stopped = await waitFor(id, ['stopped'], deps, deadline);
    return stopped === undefined ? `${id} was deleted` : `stopped the activity stream of ${id}`;
}
/**
 * Starts the stream with the key and mode of `props` and waits until it is started (unless it starts in the next
 * maintenance window). A stream started with the same key and mode is left alone; one with another key or mode is
 * stopped first. Returns the Kinesis stream name and what was done.
 */
async function startStream(props, deps, deadline) {
    const id = props.ClusterIdentifier;
    const immediately = props.ApplyImmediately !== 'false';
    // A stream between states settles first.
    let cluster = await waitFor(id, ['stopped', 'started'], deps, deadline);
    if (cluster === undefined)
        throw new Error(`DB cluster ${id} not found`);
    if (cluster.ActivityStreamStatus === 'started') {
        if (sameKey(cluster.ActivityStreamKmsKeyId, props.KmsKeyId) && cluster.ActivityStreamMode === props.Mode) {
            return {
                streamName: cluster.ActivityStreamKinesisStreamName ?? '',
                summary: `the activity stream of ${id} is already started (${props.Mode})`,
            };
        }
        deps.log(`${id}: activity stream started with mode ${cluster.ActivityStreamMode} and key ${cluster.ActivityStreamKmsKeyId}; restarting with mode ${props.Mode} and key ${props.KmsKeyId}`);
        await stopStream(props, deps, deadline);
    }
    const started = await deps.rds.startActivityStream({
        ResourceArn: props.ClusterArn,
        Mode: props.Mode,
        KmsKeyId: props.KmsKeyId,
        ApplyImmediately: immediately,
    });
    deps.log(`${id}: StartActivityStream (${props.Mode}), ${started.Status}`);
    if (!immediately) {
        return {
            streamName: started.KinesisStreamName ?? '',
            summary: `the activity stream of ${id} starts in the next maintenance window`,
        };
    }
    cluster = await waitFor(id, ['started'], deps, deadline);
    if (cluster === undefined)
        throw new Error(`DB cluster ${id} was deleted while its activity stream started`);
    return {
        streamName: cluster.ActivityStreamKinesisStreamName ?? started.KinesisStreamName ?? '',
        summary: `started the activity stream of ${id} (${props.Mode})`,
    };
}
/**
 * Handles one event and returns the response for CloudFormation (never throws). `makeDeps` is called inside the
 * error handling, so a runtime without the SDK reports FAILED rather than hanging.
 */
async function onEvent(event, makeDeps, remainingMs) {
    const props = event.ResourceProperties;
    const clusterIdentifier = props.ClusterIdentifier ?? '';
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
        const missing = ['ClusterIdentifier', 'ClusterArn', 'KmsKeyId', 'Mode'].filter((name) => !props[name]);
        if (missing.length > 0) {
            // A Delete of a resource whose Create never started anything (e.g. rejected for these same properties).
            if (event.RequestType === 'Delete') {
                return { ...base, Status: 'SUCCESS', Reason: 'no activity stream was configured: nothing to stop', Data: {} };
            }
            throw new Error(`ResourceProperties ${missing.join(', ')} required`);
        }
        if (props.Mode !== 'async' && props.Mode !== 'sync') {
            throw new Error(`Mode must be async or sync, got ${props.Mode}`);
        }
        const deps = makeDeps(event);
        const deadline = deps.now() + remainingMs - exports.RESPONSE_MARGIN_MS;
        if (event.RequestType === 'Delete') {
            const summary = await stopStream(props, deps, deadline);
            deps.log(summary);
            return { ...base, Status: 'SUCCESS', Reason: summary, Data: {} };
        }
        const { streamName, summary } = await startStream(props, deps, deadline);
        deps.log(summary);
        return {
            ...base,
            Status: 'SUCCESS',
            Reason: summary.slice(0, 1000),
            Data: { KinesisStreamName: streamName },
        };
    }
    catch (e) {
        const message = e instanceof Error ? `${errorName(e) || 'Error'}: ${e.message}` : String(e);
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
