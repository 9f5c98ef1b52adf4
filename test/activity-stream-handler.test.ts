import { EventEmitter } from 'events';
import * as https from 'https';
import {
  ActivityStreamEvent,
  ActivityStreamProperties,
  DbCluster,
  Deps,
  onEvent,
  physicalIdOf,
  POLL_INTERVAL_MS,
  RdsApi,
  RESPONSE_MARGIN_MS,
  sendResponse,
} from '../src/activity-stream-handler';

const CLUSTER = 'orders-cluster-1a2b3c4d';
const CLUSTER_ARN = `arn:aws:rds:us-east-1:123456789012:cluster:${CLUSTER}`;
const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/99999999-12ab-34cd-56ef-1234567890ab';
const STREAM = 'aws-rds-das-cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const TEN_MINUTES = 10 * 60_000;

/** An AWS SDK v3 style error. */
function awsError(name: string): Error {
  const e = new Error(`${name}: simulated`);
  e.name = name;
  return e;
}

/**
 * An in-memory RDS cluster whose activity stream moves `starting` → `started` and `stopping` → `stopped` after
 * `transitionPolls` looks at it.
 */
class FakeRds implements RdsApi {
  public readonly calls: string[] = [];
  public readonly startInputs: unknown[] = [];
  public readonly stopInputs: unknown[] = [];
  private polls = 0;
  constructor(
    public cluster: DbCluster | undefined,
    private readonly options: {
      transitionPolls?: number;
      startError?: string;
      stopError?: string;
      describeError?: string;
      /** Never leaves `starting`/`stopping`. */
      stuck?: boolean;
    } = {},
  ) {}

  async describeDBClusters(input: { DBClusterIdentifier: string }) {
    this.calls.push(`describe ${input.DBClusterIdentifier}`);
    if (this.options.describeError) throw awsError(this.options.describeError);
    if (!this.cluster) throw awsError('DBClusterNotFoundFault');
    const status = this.cluster.ActivityStreamStatus;
    if ((status === 'starting' || status === 'stopping') && !this.options.stuck) {
      this.polls += 1;
      if (this.polls > (this.options.transitionPolls ?? 1)) {
        this.polls = 0;
        if (status === 'starting') {
          this.cluster.ActivityStreamStatus = 'started';
          this.cluster.ActivityStreamKinesisStreamName = STREAM;
        } else {
          this.cluster = {
            DBClusterIdentifier: this.cluster.DBClusterIdentifier,
            ActivityStreamStatus: 'stopped',
          };
        }
      }
    }
    return { DBClusters: [{ ...this.cluster }] };
  }

  async startActivityStream(input: { ResourceArn: string; Mode: string; KmsKeyId: string; ApplyImmediately: boolean }) {
    this.calls.push('start');
    this.startInputs.push(input);
    if (this.options.startError) throw awsError(this.options.startError);
    if (!this.cluster) throw awsError('DBClusterNotFoundFault');
    if (this.cluster.ActivityStreamStatus !== 'stopped' && this.cluster.ActivityStreamStatus !== undefined) {
      throw awsError('InvalidDBClusterStateFault');
    }
    if (input.ApplyImmediately) {
      this.cluster.ActivityStreamStatus = 'starting';
      this.cluster.ActivityStreamMode = input.Mode;
      this.cluster.ActivityStreamKmsKeyId = input.KmsKeyId;
    }
    return { KinesisStreamName: STREAM, Status: input.ApplyImmediately ? 'starting' : 'stopped' };
  }

  async stopActivityStream(input: { ResourceArn: string; ApplyImmediately: boolean }) {
    this.calls.push('stop');
    this.stopInputs.push(input);
    if (this.options.stopError === 'InvalidDBClusterStateFault' && this.cluster) {
      // Someone else stopped it just before this call.
      this.cluster = { DBClusterIdentifier: this.cluster.DBClusterIdentifier, ActivityStreamStatus: 'stopped' };
    }
    if (this.options.stopError) throw awsError(this.options.stopError);
    if (!this.cluster) throw awsError('DBClusterNotFoundFault');
    if (this.cluster.ActivityStreamStatus !== 'started') throw awsError('InvalidDBClusterStateFault');
    this.cluster.ActivityStreamStatus = 'stopping';
    return { Status: 'stopping' };
  }
}

/** Deps with a fake clock: `sleep` advances it. */
function deps(rds: RdsApi) {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const d: Deps = {
    rds,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    log: () => {},
  };
  return { d, sleeps };
}

const PROPS: ActivityStreamProperties = {
  ClusterIdentifier: CLUSTER,
  ClusterArn: CLUSTER_ARN,
  KmsKeyId: KEY_ARN,
  Mode: 'async',
  ApplyImmediately: 'true',
};

function event(
  type: ActivityStreamEvent['RequestType'],
  props: ActivityStreamProperties = PROPS,
  oldProps?: ActivityStreamProperties,
): ActivityStreamEvent {
  return {
    RequestType: type,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/abc?X-Amz-Signature=x',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Orders/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'DbActivityStream',
    PhysicalResourceId: type === 'Create' ? undefined : physicalIdOf(CLUSTER),
    ResourceProperties: props,
    OldResourceProperties: oldProps,
  };
}

const stopped = (): DbCluster => ({ DBClusterIdentifier: CLUSTER, ActivityStreamStatus: 'stopped' });
const started = (mode = 'async', key = KEY_ARN): DbCluster => ({
  DBClusterIdentifier: CLUSTER,
  ActivityStreamStatus: 'started',
  ActivityStreamMode: mode,
  ActivityStreamKmsKeyId: key,
  ActivityStreamKinesisStreamName: STREAM,
});

describe('activity stream handler', () => {
  describe('Create', () => {
    test('starts the stream with the key and mode of the template, and waits until it is started', async () => {
      // GIVEN
      const rds = new FakeRds(stopped(), { transitionPolls: 2 });
      const { d, sleeps } = deps(rds);
      // WHEN
      const response = await onEvent(event('Create'), () => d, TEN_MINUTES);
      // THEN
      expect(response).toMatchObject({
        Status: 'SUCCESS',
        PhysicalResourceId: `activity-stream:${CLUSTER}`,
        Data: { KinesisStreamName: STREAM },
      });
      expect(rds.startInputs).toEqual([
        { ResourceArn: CLUSTER_ARN, Mode: 'async', KmsKeyId: KEY_ARN, ApplyImmediately: true },
      ]);
      expect(rds.cluster?.ActivityStreamStatus).toBe('started');
      expect(sleeps.length).toBeGreaterThan(0);
      expect(sleeps.every((ms) => ms === POLL_INTERVAL_MS)).toBe(true);
    });

    test('starts in synchronous mode when the template says sync', async () => {
      const rds = new FakeRds(stopped());
      const { d } = deps(rds);
      const response = await onEvent(event('Create', { ...PROPS, Mode: 'sync' }), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(rds.startInputs).toEqual([expect.objectContaining({ Mode: 'sync' })]);
    });

    test('is idempotent: a stream already started with the same key and mode is SUCCESS without a call', async () => {
      // GIVEN a retried Create
      const rds = new FakeRds(started());
      const { d } = deps(rds);
      // WHEN
      const response = await onEvent(event('Create'), () => d, TEN_MINUTES);
      // THEN
      expect(response).toMatchObject({ Status: 'SUCCESS', Data: { KinesisStreamName: STREAM } });
      expect(rds.calls).not.toContain('start');
      expect(rds.calls).not.toContain('stop');
    });

    test('recognizes the same key whether RDS reports its ARN or its id', async () => {
      const rds = new FakeRds(started('async', '1234abcd-12ab-34cd-56ef-1234567890ab'));
      const { d } = deps(rds);
      const response = await onEvent(event('Create'), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(rds.calls).not.toContain('start');
    });

    test('waits for a stream that is still starting (a retry after a timeout) instead of starting it twice', async () => {
      const rds = new FakeRds({ ...started(), ActivityStreamStatus: 'starting' }, { transitionPolls: 3 });
      const { d } = deps(rds);
      const response = await onEvent(event('Create'), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(rds.calls).not.toContain('start');
    });

    test('does not wait when the stream starts in the next maintenance window', async () => {
      const rds = new FakeRds(stopped());
      const { d, sleeps } = deps(rds);
      const response = await onEvent(event('Create', { ...PROPS, ApplyImmediately: 'false' }), () => d, TEN_MINUTES);
      expect(response).toMatchObject({ Status: 'SUCCESS', Data: { KinesisStreamName: STREAM } });
      expect(response.Reason).toMatch(/next maintenance window/);
      expect(rds.startInputs).toEqual([expect.objectContaining({ ApplyImmediately: false })]);
      expect(sleeps).toEqual([]);
    });

    test('answers FAILED when the cluster does not exist', async () => {
      const rds = new FakeRds(undefined);
      const { d } = deps(rds);
      const response = await onEvent(event('Create'), () => d, TEN_MINUTES);
      expect(response).toMatchObject({
        Status: 'FAILED',
        Reason: expect.stringMatching(new RegExp(`${CLUSTER} not found`)),
      });
    });

    test('answers FAILED, with the status, before the Lambda times out', async () => {
      // GIVEN a stream that never leaves "starting"
      const rds = new FakeRds(stopped(), { stuck: true });
      const { d, sleeps } = deps(rds);
      const remaining = RESPONSE_MARGIN_MS + 3 * POLL_INTERVAL_MS;
      // WHEN
      const response = await onEvent(event('Create'), () => d, remaining);
      // THEN
      expect(response).toMatchObject({
        Status: 'FAILED',
        Reason: expect.stringMatching(/Timed out.*starting, not started/),
      });
      expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(remaining - RESPONSE_MARGIN_MS);
    });

    test('answers FAILED with the AWS error when RDS refuses (e.g. an unsupported instance class)', async () => {
      const rds = new FakeRds(stopped(), { startError: 'InvalidDBClusterStateFault' });
      const { d } = deps(rds);
      const response = await onEvent(event('Create'), () => d, TEN_MINUTES);
      expect(response).toMatchObject({
        Status: 'FAILED',
        Reason: expect.stringMatching(/^InvalidDBClusterStateFault/),
      });
    });

    test('answers FAILED when describing the cluster is denied', async () => {
      const rds = new FakeRds(stopped(), { describeError: 'AccessDenied' });
      const { d } = deps(rds);
      const response = await onEvent(event('Create'), () => d, TEN_MINUTES);
      expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^AccessDenied/) });
    });

    test('answers FAILED rather than hanging when the AWS SDK cannot be loaded', async () => {
      const response = await onEvent(
        event('Create'),
        () => {
          throw new Error("Cannot find module '@aws-sdk/client-rds'");
        },
        TEN_MINUTES,
      );
      expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/client-rds/) });
    });

    test.each([
      ['ClusterArn', { ...PROPS, ClusterArn: undefined }],
      ['KmsKeyId', { ...PROPS, KmsKeyId: undefined }],
      ['Mode', { ...PROPS, Mode: 'fast' }],
    ])('answers FAILED without calling RDS when %s is missing or wrong', async (_name, props) => {
      const factory = jest.fn();
      const response = await onEvent(event('Create', props), factory, TEN_MINUTES);
      expect(response.Status).toBe('FAILED');
      expect(factory).not.toHaveBeenCalled();
    });
  });

  describe('Update', () => {
    test('a changed mode stops the stream, waits until it is stopped, then starts it with the new mode', async () => {
      // GIVEN
      const rds = new FakeRds(started('async'));
      const { d } = deps(rds);
      // WHEN
      const response = await onEvent(event('Update', { ...PROPS, Mode: 'sync' }, PROPS), () => d, TEN_MINUTES);
      // THEN
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(CLUSTER) });
      expect(rds.calls.filter((c) => c === 'stop' || c === 'start')).toEqual(['stop', 'start']);
      expect(rds.cluster?.ActivityStreamMode).toBe('sync');
    });

    test('a new key restarts the stream with it', async () => {
      const rds = new FakeRds(started('async', OTHER_KEY_ARN));
      const { d } = deps(rds);
      const response = await onEvent(event('Update'), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(rds.startInputs).toEqual([expect.objectContaining({ KmsKeyId: KEY_ARN })]);
    });

    test('an unchanged stream is left alone (e.g. only the endpoint properties changed)', async () => {
      const rds = new FakeRds(started());
      const { d } = deps(rds);
      const response = await onEvent(
        event('Update', { ...PROPS, RdsEndpointUrl: 'https://vpce-1.rds' }),
        () => d,
        TEN_MINUTES,
      );
      expect(response.Status).toBe('SUCCESS');
      expect(rds.calls.filter((c) => c === 'stop' || c === 'start')).toEqual([]);
    });

    test('a stream someone stopped by hand is started again', async () => {
      const rds = new FakeRds(stopped());
      const { d } = deps(rds);
      const response = await onEvent(event('Update'), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(rds.calls).toContain('start');
    });

    test('an Update to another cluster answers with a new physical id (CloudFormation then stops the old one)', async () => {
      const other = 'billing-cluster-9z8y7x6w';
      const rds = new FakeRds({ ...stopped(), DBClusterIdentifier: other });
      const { d } = deps(rds);
      const response = await onEvent(
        event('Update', { ...PROPS, ClusterIdentifier: other, ClusterArn: CLUSTER_ARN.replace(CLUSTER, other) }),
        () => d,
        TEN_MINUTES,
      );
      expect(response.PhysicalResourceId).toBe(physicalIdOf(other));
    });
  });

  describe('Delete', () => {
    test('stops the stream and waits until it is stopped', async () => {
      const rds = new FakeRds(started(), { transitionPolls: 2 });
      const { d } = deps(rds);
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(CLUSTER) });
      expect(rds.stopInputs).toEqual([{ ResourceArn: CLUSTER_ARN, ApplyImmediately: true }]);
      expect(rds.cluster?.ActivityStreamStatus).toBe('stopped');
    });

    test('is idempotent: a stream already stopped is SUCCESS without a call', async () => {
      const rds = new FakeRds(stopped());
      const { d } = deps(rds);
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      expect(response).toMatchObject({ Status: 'SUCCESS', Reason: expect.stringMatching(/already stopped/) });
      expect(rds.calls).not.toContain('stop');
    });

    test('is idempotent when the cluster no longer exists', async () => {
      const rds = new FakeRds(undefined);
      const { d } = deps(rds);
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      expect(response).toMatchObject({ Status: 'SUCCESS', Reason: expect.stringMatching(/does not exist/) });
    });

    test('waits for a stream that is already stopping', async () => {
      const rds = new FakeRds({ ...started(), ActivityStreamStatus: 'stopping' }, { transitionPolls: 2 });
      const { d } = deps(rds);
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(rds.calls).not.toContain('stop');
    });

    test('a stream stopped by someone else between the two calls is success', async () => {
      const rds = new FakeRds(started(), { stopError: 'InvalidDBClusterStateFault' });
      const { d } = deps(rds);
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
    });

    test('keeps the physical id CloudFormation gave', async () => {
      const rds = new FakeRds(stopped());
      const { d } = deps(rds);
      const response = await onEvent(
        { ...event('Delete'), PhysicalResourceId: 'activity-stream:old' },
        () => d,
        TEN_MINUTES,
      );
      expect(response.PhysicalResourceId).toBe('activity-stream:old');
    });

    test('answers SUCCESS without calling RDS for a resource whose properties never named a stream', async () => {
      const factory = jest.fn();
      const response = await onEvent(event('Delete', {}), factory, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(factory).not.toHaveBeenCalled();
    });

    test('answers FAILED with the AWS error when RDS refuses to stop (e.g. access denied)', async () => {
      const rds = new FakeRds(started(), { stopError: 'AccessDenied' });
      const { d } = deps(rds);
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/^AccessDenied/) });
    });
  });

  describe('sendResponse', () => {
    function fakeRequest(statusCode: number, seen: { options?: https.RequestOptions; body?: string }) {
      return ((opts: https.RequestOptions, callback: (res: unknown) => void) => {
        seen.options = opts;
        const req = new EventEmitter() as EventEmitter & { end: (body: string) => void };
        req.end = (body: string) => {
          seen.body = body;
          const res = new EventEmitter() as EventEmitter & { statusCode: number; resume: () => void };
          res.statusCode = statusCode;
          res.resume = () => setImmediate(() => res.emit('end'));
          callback(res);
        };
        return req;
      }) as unknown as typeof https.request;
    }

    test('PUTs the JSON answer through the S3 endpoint, keeping the signed Host of the URL', async () => {
      const seen: { options?: https.RequestOptions; body?: string } = {};
      const response = await onEvent(event('Delete', {}), jest.fn(), TEN_MINUTES);
      const endpoint = 'bucket.vpce-0123456789abcdef0-abcdefgh.s3.us-east-1.vpce.amazonaws.com';
      await sendResponse(event('Delete').ResponseURL, response, endpoint, fakeRequest(200, seen));
      expect(seen.options).toMatchObject({
        hostname: endpoint,
        path: '/abc?X-Amz-Signature=x',
        method: 'PUT',
        headers: { host: 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com', 'content-type': '' },
      });
      expect(JSON.parse(seen.body!)).toEqual(response);
    });

    test('rejects when S3 refuses the answer', async () => {
      const response = await onEvent(event('Delete', {}), jest.fn(), TEN_MINUTES);
      await expect(
        sendResponse(event('Delete').ResponseURL, response, undefined, fakeRequest(403, {})),
      ).rejects.toThrow(/HTTP 403/);
    });
  });
});
