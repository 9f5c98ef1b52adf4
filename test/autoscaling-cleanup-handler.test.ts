import { EventEmitter } from 'events';
import * as https from 'https';
import {
  CleanupEvent,
  DbInstance,
  Deps,
  onEvent,
  physicalIdOf,
  POLL_INTERVAL_MS,
  RdsApi,
  sendResponse,
} from '../src/autoscaling-cleanup-handler';

const CLUSTER = 'orders-cluster-1a2b3c4d';

/** An AWS SDK v3 style error. */
function awsError(name: string): Error {
  const e = new Error(`${name}: simulated`);
  e.name = name;
  return e;
}

interface FakeInstance extends DbInstance {
  /** Errors `deleteDBInstance` throws, one per call, before it succeeds. */
  deleteErrors?: string[];
}

/** An in-memory RDS: `db-cluster-id` filter, pages of `pageSize`, deletion turns an instance to `deleting`. */
class FakeRds implements RdsApi {
  public readonly describeCalls: unknown[] = [];
  public readonly deleteCalls: string[] = [];
  constructor(
    public instances: FakeInstance[],
    private readonly options: {
      pageSize?: number;
      ignoreFilter?: boolean;
      describeError?: string;
    } = {},
  ) {}

  async describeDBInstances(input: { Filters?: { Name: string; Values: string[] }[]; Marker?: string }) {
    this.describeCalls.push(input);
    if (this.options.describeError) throw awsError(this.options.describeError);
    const cluster = input.Filters?.find((f) => f.Name === 'db-cluster-id')?.Values[0];
    const all = this.options.ignoreFilter
      ? this.instances
      : this.instances.filter((i) => i.DBClusterIdentifier === cluster);
    const size = this.options.pageSize ?? 100;
    const start = Number(input.Marker ?? 0);
    const page = all.slice(start, start + size).map(({ deleteErrors: _, ...i }) => ({ ...i }));
    return { DBInstances: page, Marker: start + size < all.length ? String(start + size) : undefined };
  }

  async deleteDBInstance(input: { DBInstanceIdentifier: string }) {
    this.deleteCalls.push(input.DBInstanceIdentifier);
    const instance = this.instances.find((i) => i.DBInstanceIdentifier === input.DBInstanceIdentifier);
    if (!instance) throw awsError('DBInstanceNotFoundFault');
    const error = instance.deleteErrors?.shift();
    if (error) throw awsError(error);
    instance.DBInstanceStatus = 'deleting';
    return { DBInstance: { ...instance } };
  }
}

/** Deps with a fake clock: `sleep` advances it. */
function deps(rds: RdsApi, onSleep?: () => void) {
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const d: Deps = {
    rds,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
      onSleep?.();
    },
    log: () => {},
  };
  return { d, sleeps };
}

function event(
  type: CleanupEvent['RequestType'],
  props: CleanupEvent['ResourceProperties'] = { ClusterIdentifier: CLUSTER, ClusterDeletionPolicy: 'Snapshot' },
): CleanupEvent {
  return {
    RequestType: type,
    ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/abc?X-Amz-Signature=x',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Orders/guid',
    RequestId: 'request-1',
    LogicalResourceId: 'DbReaderAutoScalingCleanup',
    PhysicalResourceId: type === 'Create' ? undefined : physicalIdOf(CLUSTER),
    ResourceProperties: props,
  };
}

const writer = (): FakeInstance => ({
  DBInstanceIdentifier: 'orders-writer',
  DBClusterIdentifier: CLUSTER,
  DBInstanceStatus: 'available',
});
const manualReader = (): FakeInstance => ({
  DBInstanceIdentifier: 'orders-reader',
  DBClusterIdentifier: CLUSTER,
  DBInstanceStatus: 'available',
});
const autoscaled = (suffix: string, status = 'available', cluster = CLUSTER): FakeInstance => ({
  DBInstanceIdentifier: `application-autoscaling-${suffix}`,
  DBClusterIdentifier: cluster,
  DBInstanceStatus: status,
});

const TEN_MINUTES = 10 * 60_000;

describe('autoscaled replica cleanup handler', () => {
  beforeEach(() => {
    jest.spyOn(console, 'error').mockImplementation(() => {});
  });

  describe('Create and Update', () => {
    test.each<CleanupEvent['RequestType']>(['Create', 'Update'])(
      '%s answers SUCCESS without calling AWS',
      async (type) => {
        // GIVEN
        const makeDeps = jest.fn();
        // WHEN
        const response = await onEvent(event(type), makeDeps, TEN_MINUTES);
        // THEN
        expect(response).toMatchObject({
          Status: 'SUCCESS',
          PhysicalResourceId: `autoscaled-replica-cleanup:${CLUSTER}`,
          StackId: event(type).StackId,
          RequestId: 'request-1',
          LogicalResourceId: 'DbReaderAutoScalingCleanup',
        });
        expect(makeDeps).not.toHaveBeenCalled();
      },
    );

    test('an Update to another cluster identifier answers with a new physical id (CloudFormation then deletes the old)', async () => {
      const response = await onEvent(event('Update', { ClusterIdentifier: 'other-cluster' }), jest.fn(), TEN_MINUTES);
      expect(response.PhysicalResourceId).toBe('autoscaled-replica-cleanup:other-cluster');
    });

    test('answers FAILED when the cluster identifier is missing', async () => {
      const response = await onEvent(event('Create', {}), jest.fn(), TEN_MINUTES);
      expect(response).toMatchObject({
        Status: 'FAILED',
        Reason: expect.stringMatching(/ClusterIdentifier is required/),
      });
    });
  });

  describe('Delete', () => {
    test('is idempotent: no autoscaled replica is SUCCESS with nothing deleted', async () => {
      // GIVEN only template instances remain
      const rds = new FakeRds([writer(), manualReader()]);
      // WHEN
      const response = await onEvent(event('Delete'), () => deps(rds).d, TEN_MINUTES);
      // THEN
      expect(response).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: physicalIdOf(CLUSTER) });
      expect(response.Reason).toBe('deleted [], already deleting []');
      expect(rds.deleteCalls).toEqual([]);
    });

    test('is idempotent when the cluster itself no longer exists', async () => {
      const rds = new FakeRds([], { describeError: 'DBClusterNotFoundFault' });
      const response = await onEvent(event('Delete'), () => deps(rds).d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
      expect(rds.deleteCalls).toEqual([]);
    });

    test.each(['Retain', 'RetainExceptOnCreate'])(
      'leaves the cluster and its replicas alone when its DeletionPolicy is %s',
      async (policy) => {
        const makeDeps = jest.fn();
        const response = await onEvent(
          event('Delete', { ClusterIdentifier: CLUSTER, ClusterDeletionPolicy: policy }),
          makeDeps,
          TEN_MINUTES,
        );
        expect(response).toMatchObject({
          Status: 'SUCCESS',
          Reason: `${CLUSTER} has DeletionPolicy ${policy}: its autoscaled replicas stay with it`,
        });
        expect(makeDeps).not.toHaveBeenCalled();
      },
    );

    test.each(['Delete', 'Snapshot', undefined])(
      'removing readerAutoScaling from a live cluster (DeletionPolicy %s) deletes only its autoscaled replicas and never fails',
      async (policy) => {
        // GIVEN a live cluster, deletion protection or not: the handler neither reads nor needs it
        const rds = new FakeRds([writer(), manualReader(), autoscaled('a1')]);
        // WHEN
        const response = await onEvent(
          event('Delete', { ClusterIdentifier: CLUSTER, ClusterDeletionPolicy: policy }),
          () => deps(rds).d,
          TEN_MINUTES,
        );
        // THEN
        expect(response).toMatchObject({
          Status: 'SUCCESS',
          Reason: 'deleted [application-autoscaling-a1], already deleting []',
        });
        expect(
          rds.instances.filter((i) => i.DBInstanceStatus === 'available').map((i) => i.DBInstanceIdentifier),
        ).toEqual(['orders-writer', 'orders-reader']);
      },
    );

    test('hands the event to the client factory (the RDS endpoint URL is a resource property)', async () => {
      const rds = new FakeRds([writer()]);
      const makeDeps = jest.fn(() => deps(rds).d);
      const e = event('Delete', {
        ClusterIdentifier: CLUSTER,
        ClusterDeletionPolicy: 'Delete',
        RdsEndpointUrl: 'https://vpce-0123456789abcdef0-abcdefgh.rds.us-east-1.vpce.amazonaws.com',
      });
      await onEvent(e, makeDeps, TEN_MINUTES);
      expect(makeDeps).toHaveBeenCalledWith(e);
    });

    test('deletes only application-autoscaling-* instances, never the writer or declared readers', async () => {
      // GIVEN
      const rds = new FakeRds([writer(), manualReader(), autoscaled('a1'), autoscaled('b2')]);
      // WHEN
      const response = await onEvent(event('Delete'), () => deps(rds).d, TEN_MINUTES);
      // THEN
      expect(response.Status).toBe('SUCCESS');
      expect(rds.deleteCalls.sort()).toEqual(['application-autoscaling-a1', 'application-autoscaling-b2']);
      expect(response.Reason).toMatch(/deleted \[application-autoscaling-a1, application-autoscaling-b2\]/);
    });

    test('never touches autoscaled replicas of another cluster, even if RDS returned them', async () => {
      // GIVEN an RDS that ignores the db-cluster-id filter
      const rds = new FakeRds([writer(), autoscaled('mine'), autoscaled('theirs', 'available', 'other-cluster')], {
        ignoreFilter: true,
      });
      // WHEN
      await onEvent(event('Delete'), () => deps(rds).d, TEN_MINUTES);
      // THEN
      expect(rds.deleteCalls).toEqual(['application-autoscaling-mine']);
      expect(rds.describeCalls[0]).toEqual({
        Filters: [{ Name: 'db-cluster-id', Values: [CLUSTER] }],
        Marker: undefined,
      });
    });

    test('leaves an instance that is already deleting alone and reports it', async () => {
      // GIVEN
      const rds = new FakeRds([writer(), autoscaled('old', 'deleting'), autoscaled('new')]);
      // WHEN
      const response = await onEvent(event('Delete'), () => deps(rds).d, TEN_MINUTES);
      // THEN
      expect(response.Status).toBe('SUCCESS');
      expect(rds.deleteCalls).toEqual(['application-autoscaling-new']);
      expect(response.Reason).toBe(
        'deleted [application-autoscaling-new], already deleting [application-autoscaling-old]',
      );
    });

    test('follows pagination', async () => {
      const rds = new FakeRds([writer(), ...['1', '2', '3', '4', '5'].map((s) => autoscaled(s))], { pageSize: 2 });
      await onEvent(event('Delete'), () => deps(rds).d, TEN_MINUTES);
      expect(rds.deleteCalls.sort()).toEqual(['1', '2', '3', '4', '5'].map((s) => `application-autoscaling-${s}`));
    });

    test('treats a replica that vanished between listing and deleting as deleted', async () => {
      const replica = autoscaled('gone');
      replica.deleteErrors = ['DBInstanceNotFoundFault'];
      const rds = new FakeRds([writer(), replica]);
      const { d } = deps(rds, () => {
        rds.instances = rds.instances.filter((i) => i !== replica);
      });
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      expect(response.Status).toBe('SUCCESS');
    });

    test('retries a replica that cannot be deleted yet (still creating) and waits between tries', async () => {
      // GIVEN a replica RDS refuses to delete twice
      const creating = autoscaled('creating', 'creating');
      creating.deleteErrors = ['InvalidDBInstanceStateFault', 'InvalidDBInstanceStateFault'];
      const rds = new FakeRds([writer(), creating]);
      const { d, sleeps } = deps(rds);
      // WHEN
      const response = await onEvent(event('Delete'), () => d, TEN_MINUTES);
      // THEN
      expect(response.Status).toBe('SUCCESS');
      expect(rds.deleteCalls).toEqual(Array(3).fill('application-autoscaling-creating'));
      expect(sleeps).toEqual([POLL_INTERVAL_MS, POLL_INTERVAL_MS, POLL_INTERVAL_MS]);
    });

    test('answers FAILED, naming the replicas, before the Lambda times out', async () => {
      // GIVEN a replica that never becomes deletable and 2 minutes left
      const stuck = autoscaled('stuck', 'creating');
      stuck.deleteErrors = Array(100).fill('InvalidDBInstanceStateFault');
      const rds = new FakeRds([writer(), stuck]);
      const { d, sleeps } = deps(rds);
      // WHEN
      const response = await onEvent(event('Delete'), () => d, 2 * 60_000);
      // THEN it gave up with the 30 s margin: (120 s - 30 s) / 15 s polls
      expect(response.Status).toBe('FAILED');
      expect(response.Reason).toMatch(/not yet deleting: application-autoscaling-stuck \(creating\)/);
      expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(90_000);
    });

    test('answers FAILED with the AWS error when RDS refuses (e.g. access denied)', async () => {
      const replica = autoscaled('denied');
      replica.deleteErrors = ['AccessDenied'];
      const rds = new FakeRds([writer(), replica]);
      const response = await onEvent(event('Delete'), () => deps(rds).d, TEN_MINUTES);
      expect(response).toMatchObject({ Status: 'FAILED', Reason: 'AccessDenied: simulated' });
    });

    test('answers FAILED rather than hanging when the AWS SDK cannot be loaded', async () => {
      const response = await onEvent(
        event('Delete'),
        () => {
          throw new Error("Cannot find module '@aws-sdk/client-rds'");
        },
        TEN_MINUTES,
      );
      expect(response).toMatchObject({ Status: 'FAILED', Reason: expect.stringMatching(/client-rds/) });
    });
  });

  describe('sendResponse', () => {
    test('PUTs the JSON answer to the pre-signed URL with an empty content type', async () => {
      // GIVEN
      const written: string[] = [];
      let options: https.RequestOptions = {};
      const fakeRequest = ((opts: https.RequestOptions, callback: (res: unknown) => void) => {
        options = opts;
        const req = new EventEmitter() as EventEmitter & { end: (body: string) => void };
        req.end = (body: string) => {
          written.push(body);
          const res = new EventEmitter() as EventEmitter & { statusCode: number; resume: () => void };
          res.statusCode = 200;
          res.resume = () => setImmediate(() => res.emit('end'));
          callback(res);
        };
        return req;
      }) as unknown as typeof https.request;
      const response = await onEvent(event('Create'), jest.fn(), TEN_MINUTES);
      // WHEN
      await sendResponse(event('Create').ResponseURL, response, undefined, fakeRequest);
      // THEN
      expect(options).toMatchObject({
        hostname: 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com',
        path: '/abc?X-Amz-Signature=x',
        method: 'PUT',
        headers: { host: 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com', 'content-type': '' },
      });
      expect(JSON.parse(written[0])).toEqual(response);
    });

    test('through an S3 interface endpoint: connects to the endpoint, keeps the signed Host of the URL', async () => {
      let options: https.RequestOptions = {};
      const fakeRequest = ((opts: https.RequestOptions, callback: (res: unknown) => void) => {
        options = opts;
        const req = new EventEmitter() as EventEmitter & { end: () => void };
        req.end = () => {
          const res = new EventEmitter() as EventEmitter & { statusCode: number; resume: () => void };
          res.statusCode = 200;
          res.resume = () => setImmediate(() => res.emit('end'));
          callback(res);
        };
        return req;
      }) as unknown as typeof https.request;
      const response = await onEvent(event('Create'), jest.fn(), TEN_MINUTES);
      const endpoint = 'bucket.vpce-0123456789abcdef0-abcdefgh.s3.us-east-1.vpce.amazonaws.com';
      await sendResponse(event('Create').ResponseURL, response, endpoint, fakeRequest);
      expect(options).toMatchObject({
        hostname: endpoint,
        path: '/abc?X-Amz-Signature=x',
        headers: { host: 'cloudformation-custom-resource-response-useast1.s3.amazonaws.com' },
      });
    });

    test('rejects when S3 refuses the answer', async () => {
      const fakeRequest = ((_opts: unknown, callback: (res: unknown) => void) => {
        const req = new EventEmitter() as EventEmitter & { end: () => void };
        req.end = () => {
          const res = new EventEmitter() as EventEmitter & { statusCode: number; resume: () => void };
          res.statusCode = 403;
          res.resume = () => setImmediate(() => res.emit('end'));
          callback(res);
        };
        return req;
      }) as unknown as typeof https.request;
      const response = await onEvent(event('Create'), jest.fn(), TEN_MINUTES);
      await expect(sendResponse(event('Create').ResponseURL, response, undefined, fakeRequest)).rejects.toThrow(
        /HTTP 403/,
      );
    });
  });
});
