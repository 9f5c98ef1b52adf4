import { execFileSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as fc from 'fast-check';
import {
  AuroraCluster,
  AuroraClusterProps,
  AuroraGlobalDatabase,
  AuroraProxyOptions,
  CustomEndpointType,
} from '../src';
import { testStack, testVpc } from './util';

/**
 * Property-based suite: props for AuroraCluster, addProxy, custom endpoints, reader autoscaling and Global Database
 * secondaries, generated across their documented ranges and beyond. Every configuration must either be rejected with
 * the library's own error (`<construct path>: <prop>: ...`, never a TypeError, a RangeError or a message from deep
 * inside aws-cdk-lib without the path) or synthesize to a template that cfn-lint accepts with zero errors.
 *
 * Bounded in CI (fixed seed, FC_RUNS runs a property); more on demand: `FC_RUNS=1000 FC_SEED=7 npx jest
 * test/property.test.ts`. cfn-lint runs on a sample of the accepted templates (FC_LINT_SAMPLE) when `CFN_LINT` names
 * its binary; otherwise that part is skipped with a message.
 */

const SEED = Number(process.env.FC_SEED ?? 20261129);
const RUNS = Number(process.env.FC_RUNS ?? 25);
/** Accepted templates handed to cfn-lint, per property. */
const LINT_SAMPLE = Number(process.env.FC_LINT_SAMPLE ?? 8);

const ACCOUNT = '123456789012';

const ENGINES: [string, rds.IClusterEngine][] = [
  ['mysql 3.04.0', rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_04_0 })],
  ['mysql 3.08.0', rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 })],
  ['mysql 3.02.0', rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_02_0 })],
  ['postgres 13.15', rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_13_15 })],
  ['postgres 15.4', rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_15_4 })],
  ['postgres 16.4', rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 })],
  [
    'postgres 16.4-limitless',
    rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.of('16.4-limitless', '16') }),
  ],
];

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-2', 'ap-southeast-5', 'sa-east-1'];

const CLASSES = ['r6g', 'r7g', 'r5', 'x2g', 't4g', 't3', 'm5', 'r4', 't2', 'c6g'];
const SIZES = ['micro', 'small', 'medium', 'large', 'xlarge', '2xlarge', '16xlarge'];

const instance = (id: string) =>
  fc
    .oneof(
      fc.record({ kind: fc.constant('serverless' as const), tier: fc.option(fc.integer({ min: 0, max: 16 })) }),
      fc.record({
        kind: fc.constant('provisioned' as const),
        cls: fc.constantFrom(...CLASSES),
        size: fc.constantFrom(...SIZES),
        tier: fc.option(fc.integer({ min: 0, max: 16 })),
      }),
    )
    .map((spec) => ({ id, spec }));

type InstanceSpec = {
  id: string;
  spec: { kind: 'serverless' | 'provisioned'; cls?: string; size?: string; tier: number | null };
};

function toInstance(i: InstanceSpec): rds.IClusterInstance {
  const promotionTier = i.spec.tier ?? undefined;
  if (i.spec.kind === 'serverless') {
    return rds.ClusterInstance.serverlessV2(i.id, {
      scaleWithWriter: promotionTier !== undefined && promotionTier <= 1,
    });
  }
  return rds.ClusterInstance.provisioned(i.id, {
    instanceType: ec2.InstanceType.of(i.spec.cls as ec2.InstanceClass, i.spec.size as ec2.InstanceSize),
    promotionTier,
  });
}

/** Numbers across and beyond a range, with NaN and the edges. */
const numberAround = (min: number, max: number, extras: number[] = []) =>
  fc.oneof(
    fc.integer({ min: min - 2, max: max + 2 }),
    fc.double({ min: min - 10, max: max + 10, noNaN: true }),
    fc.constantFrom(min, max, NaN, ...extras),
  );

const hhmi = fc.record({ h: fc.integer({ min: 0, max: 25 }), m: fc.integer({ min: 0, max: 61 }) });
const pad = (n: number) => String(n).padStart(2, '0');
const backupWindow = fc.oneof(
  fc.tuple(hhmi, fc.integer({ min: 0, max: 120 })).map(([s, len]) => {
    const end = (s.h * 60 + s.m + len) % 1440;
    return `${pad(s.h)}:${pad(s.m)}-${pad(Math.floor(end / 60))}:${pad(end % 60)}`;
  }),
  fc.constantFrom('3:00-3:30', '03:00', 'garbage', '22:00-22:30'),
);
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'Sun', 'xyz'];
const maintenanceWindow = fc
  .tuple(fc.constantFrom(...DAYS), hhmi, fc.constantFrom(...DAYS), hhmi)
  .map(([d1, s, d2, e]) => `${d1}:${pad(s.h)}:${pad(s.m)}-${d2}:${pad(e.h)}:${pad(e.m)}`);

const NAMES = fc.oneof(
  fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,20}$/),
  fc.constantFrom(
    'admin',
    'postgres',
    'root',
    'rdsadmin',
    'select',
    'user',
    'pg_x',
    'a-b',
    '',
    '1abc',
    'rds_superuser',
  ),
);

/** Two worlds: documented-range values only (they must synthesize cleanly), or anything (rejected or clean). */
const validWindows = fc
  .tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 30, max: 180 }))
  .map(([h, m, len]) => {
    const end = h * 60 + m + len;
    return `${pad(h)}:${pad(m)}-${pad(Math.floor(end / 60))}:${pad(end % 60)}`;
  });
const validMaintenance = fc
  .tuple(fc.constantFrom(...DAYS.slice(0, 7)), fc.integer({ min: 12, max: 22 }), fc.integer({ min: 0, max: 29 }))
  .map(([d, h, m]) => `${d}:${pad(h)}:${pad(m)}-${d}:${pad(h + 1)}:${pad(m)}`);
const validName = fc
  .stringMatching(/^[a-z][a-z0-9_]{2,15}$/)
  .filter(
    (n) =>
      ![
        'admin',
        'postgres',
        'root',
        'user',
        'select',
        'table',
        'order',
        'group',
        'all',
        'and',
        'not',
        'null',
        'from',
        'where',
        'with',
        'case',
        'when',
        'then',
        'else',
        'end',
        'for',
        'key',
        'int',
        'set',
        'use',
        'mod',
        'div',
        'dual',
        'read',
        'real',
        'rank',
        'rows',
        'row',
        'keys',
        'load',
        'lock',
        'long',
        'loop',
      ].includes(n) &&
      !n.startsWith('pg_') &&
      !n.startsWith('rds'),
  );
const halfSteps = (min: number, max: number) => fc.integer({ min: min * 2, max: max * 2 }).map((n) => n / 2);

function clusterArbitrary(valid: boolean) {
  // In the wild world each prop is out of range one time in four, so that rules meet each other in every mix.
  const pick = <A, B>(good: fc.Arbitrary<A>, wild: fc.Arbitrary<B>) =>
    (valid ? good : fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: wild, weight: 1 })) as fc.Arbitrary<A | B>;
  const goodInstance = (id: string, provisionedOnly = false) =>
    fc
      .record({
        kind: provisionedOnly
          ? fc.constant('provisioned' as const)
          : fc.constantFrom('serverless' as const, 'provisioned' as const),
        cls: fc.constantFrom('r6g', 'r7g', 'r5', 't4g'),
        size: fc.constant('large'),
        tier: fc.option(fc.integer({ min: 0, max: 15 })),
      })
      .map((spec) => ({ id, spec }));
  return fc.boolean().chain((autoscale) =>
    fc.record({
      engine: pick(
        fc.constantFrom(ENGINES[0], ENGINES[1], ENGINES[3], ENGINES[4], ENGINES[5]),
        fc.constantFrom(...ENGINES),
      ),
      region: pick(fc.constantFrom('us-east-1', 'eu-west-1', 'sa-east-1'), fc.constantFrom(...REGIONS)),
      writer: pick(goodInstance('Writer', autoscale), fc.option(instance('Writer'), { nil: undefined })),
      readers: pick(
        fc.array(goodInstance('R'), { maxLength: 4 }).map((l) => l.map((i, n) => ({ ...i, id: `R${n}` }))),
        fc.option(
          fc.array(fc.tuple(instance('R'), fc.integer({ min: 0, max: 20 })), { maxLength: 17 }).map((list) =>
            // Mostly distinct ids, sometimes a repeated one.
            list.map(([i, n], index) => ({ ...i, id: n === 0 && index > 0 ? 'R0' : `R${index}` })),
          ),
          { nil: undefined },
        ),
      ),
      serverlessV2MinCapacity: pick(halfSteps(0.5, 8), numberAround(0, 256, [0.5, 0.25])),
      serverlessV2MaxCapacity: pick(halfSteps(8, 128), numberAround(1, 256, [0.5, 128.5, 129])),
      port: pick(fc.integer({ min: 1150, max: 65535 }), numberAround(1150, 65535, [3306, 80])),
      masterUsername: pick(validName, NAMES),
      defaultDatabaseName: pick(validName, NAMES),
      clusterIdentifier: pick(
        fc.stringMatching(/^[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,10}){0,3}$/),
        fc.oneof(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,70}$/), fc.constantFrom('a--b', 'x-', '9x')),
      ),
      preferredBackupWindow: pick(validWindows, backupWindow),
      preferredMaintenanceWindow: pick(validMaintenance, maintenanceWindow),
      monitoringInterval: pick(fc.constantFrom(1, 5, 10, 15, 30, 60), fc.constantFrom(0, 1, 2, 5, 10, 15, 30, 60, 90)),
      performanceInsightRetention: pick(
        fc.constantFrom(465, 496, 713, 731),
        fc.constantFrom(7, 31, 62, 94, 434, 465, 713, 731, 744),
      ),
      databaseInsightsMode: fc.constantFrom(rds.DatabaseInsightsMode.STANDARD, rds.DatabaseInsightsMode.ADVANCED),
      backupRetentionDays: pick(fc.integer({ min: 1, max: 35 }), fc.integer({ min: 0, max: 40 })),
      backtrackHours: pick(fc.integer({ min: 0, max: 72 }), fc.integer({ min: 0, max: 80 })),
      storageType: fc.constantFrom(rds.DBClusterStorageType.AURORA, rds.DBClusterStorageType.AURORA_IOPT1),
      secretRotationDays: pick(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 1100 })),
      readerAutoScaling: pick(
        autoscale
          ? fc
              .tuple(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 1, max: 15 }), fc.integer({ min: 10, max: 90 }))
              .map(([a, b, cpu]) => ({
                minCapacity: Math.min(a, b),
                maxCapacity: Math.max(a, b),
                targetCpuUtilization: cpu,
              }))
          : fc.constant(undefined),
        fc.option(
          fc.record({
            minCapacity: fc.option(numberAround(0, 15), { nil: undefined }),
            maxCapacity: numberAround(0, 15),
            targetCpuUtilization: fc.option(numberAround(0, 100), { nil: undefined }),
          }),
          { nil: undefined },
        ),
      ),
      proxy: pick(
        fc.option(
          fc
            .tuple(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 300 }))
            .map(([max, idle, borrow]) => ({
              maxConnectionsPercent: max,
              maxIdleConnectionsPercent: Math.min(idle, max),
              borrowSeconds: borrow,
              grantUser: 'app_user',
            })),
          { nil: undefined },
        ),
        fc.option(
          fc.record({
            maxConnectionsPercent: fc.option(numberAround(1, 100), { nil: undefined }),
            maxIdleConnectionsPercent: fc.option(numberAround(0, 100), { nil: undefined }),
            borrowSeconds: fc.option(fc.integer({ min: 0, max: 400 }), { nil: undefined }),
            grantUser: fc.constantFrom('app_user', '*', '', undefined),
          }),
          { nil: undefined },
        ),
      ),
      endpoints: pick(
        fc.array(
          fc.record({
            type: fc.constant(CustomEndpointType.ANY),
            members: fc.constant([] as string[]),
            excluded: fc.constant(true),
            identifier: fc.constant(undefined),
          }),
          { maxLength: 3 },
        ),
        fc.array(
          fc.record({
            type: fc.constantFrom(CustomEndpointType.READER, CustomEndpointType.ANY),
            members: fc.array(fc.constantFrom('Writer', 'R0', 'R1', 'R2', 'Nope'), { maxLength: 3 }),
            excluded: fc.boolean(),
            identifier: fc.option(fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,66}$/), fc.constant('dup')), {
              nil: undefined,
            }),
          }),
          { maxLength: 6 },
        ),
      ),
    }),
  );
}

const clusterProps = fc.oneof(clusterArbitrary(true), clusterArbitrary(false));

/** A generated cluster configuration (loosely typed: the wild half holds values of the wrong type on purpose). */
interface Generated {
  readonly [key: string]: any;
}

/** Builds the app a generated configuration describes (throws what the library throws). */
function buildCluster(g: Generated): { app: App; stack: Stack } {
  const app = new App();
  const stack = testStack(app, 'P', { account: ACCOUNT, region: g.region });
  const [, engine] = g.engine;
  const props: AuroraClusterProps = {
    engine,
    vpc: testVpc(stack),
    writer: g.writer ? toInstance(g.writer as InstanceSpec) : undefined,
    readers: (g.readers as InstanceSpec[] | undefined)?.map((r) => toInstance(r)),
    serverlessV2MinCapacity: g.serverlessV2MinCapacity,
    serverlessV2MaxCapacity: g.serverlessV2MaxCapacity,
    port: g.port,
    masterUsername: g.masterUsername,
    defaultDatabaseName: g.defaultDatabaseName,
    clusterIdentifier: g.clusterIdentifier,
    preferredBackupWindow: g.preferredBackupWindow,
    preferredMaintenanceWindow: g.preferredMaintenanceWindow,
    monitoringInterval: g.monitoringInterval === undefined ? undefined : Duration.seconds(g.monitoringInterval),
    performanceInsightRetention: g.performanceInsightRetention as rds.PerformanceInsightRetention | undefined,
    databaseInsightsMode: g.databaseInsightsMode,
    backupRetention: g.backupRetentionDays === undefined ? undefined : Duration.days(g.backupRetentionDays),
    backtrackWindow:
      g.backtrackHours === undefined || !g.engine[0].startsWith('mysql') ? undefined : Duration.hours(g.backtrackHours),
    storageType: g.storageType,
    secretRotationInterval: g.secretRotationDays === undefined ? undefined : Duration.days(g.secretRotationDays),
    readerAutoScaling: g.readerAutoScaling ?? undefined,
  };
  const db = new AuroraCluster(stack, 'Db', props);
  if (g.proxy) {
    const options: AuroraProxyOptions = {
      maxConnectionsPercent: g.proxy.maxConnectionsPercent,
      maxIdleConnectionsPercent: g.proxy.maxIdleConnectionsPercent,
      connectionBorrowTimeout:
        g.proxy.borrowSeconds === undefined ? undefined : Duration.seconds(g.proxy.borrowSeconds),
    };
    const proxy = db.addAuroraProxy('Proxy', options);
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    proxy.grantConnect(role, g.proxy.grantUser as string);
    db.grantConnect(role, g.proxy.grantUser as string);
  }
  (g.endpoints as Generated[] | undefined)?.forEach((e, i) =>
    db.addCustomEndpoint(`E${i}`, {
      type: e.type,
      staticMembers: e.excluded ? undefined : e.members,
      excludedMembers: e.excluded ? e.members : undefined,
      endpointIdentifier: e.identifier,
    }),
  );
  return { app, stack };
}

/** Whether an error is the library's own: `<construct path>: <prop>: <what>`, not a crash or an unplaced message. */
function isLibraryError(e: unknown, pathPrefix: string): boolean {
  if (!(e instanceof Error) || e instanceof TypeError || e instanceof RangeError) return false;
  const lines = e.message.split('\n').filter((l) => l.trim().length > 0 && !/^Validation failed/.test(l));
  const pattern = new RegExp(`(^|\\] )${pathPrefix}[^:\\s]*: [A-Za-z][^:]*: \\S`);
  return lines.length > 0 && lines.every((l) => pattern.test(l.trim()));
}

/** Runs a property and returns the accepted templates and how many configurations were rejected, for the report. */
function runProperty<T>(
  arb: fc.Arbitrary<T>,
  build: (value: T) => { app: App; stack: Stack },
  pathPrefix: string,
): { accepted: object[]; rejected: number; total: number; messages: Map<string, number> } {
  const accepted: object[] = [];
  const messages = new Map<string, number>();
  let rejected = 0;
  let total = 0;
  fc.assert(
    fc.property(arb, (value) => {
      total++;
      let built: { app: App; stack: Stack } | undefined;
      try {
        built = build(value);
        const assembly = built.app.synth();
        accepted.push(assembly.getStackByName(built.stack.stackName).template);
      } catch (e) {
        if (!isLibraryError(e, pathPrefix)) {
          throw new Error(
            `not a library error: ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`,
          );
        }
        rejected++;
        const prop = /: ([A-Za-z][^:]*): /.exec((e as Error).message)?.[1] ?? '?';
        messages.set(prop, (messages.get(prop) ?? 0) + 1);
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  return { accepted, rejected, total, messages };
}

/**
 * The cfn-lint binary CFN_LINT names (the CI wires the repository's pinned cfn-lint), or none. A cfn-lint found on
 * the PATH is not used: an older release lacks resource types (AWS::RDS::DBClusterEndpoint) and reports them as errors.
 */
function cfnLintBinary(): string | undefined {
  const binary = process.env.CFN_LINT;
  if (!binary) return undefined;
  try {
    execFileSync(binary, ['--version'], { stdio: 'pipe' });
    return binary;
  } catch {
    return undefined;
  }
}

/** cfn-lint errors (E-rules) in the templates; warnings and informational findings are not this suite's concern. */
function cfnLintErrors(binary: string, templates: object[]): string[] {
  if (templates.length === 0) return [];
  const dir = mkdtempSync(path.join(tmpdir(), 'aurora-fc-'));
  const files = templates.map((t, i) => {
    const file = path.join(dir, `t${i}.json`);
    writeFileSync(file, JSON.stringify(t));
    return file;
  });
  let out: string;
  try {
    out = execFileSync(binary, ['--format', 'json', '--', ...files], {
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
  } catch (e) {
    out = ((e as { stdout?: Buffer }).stdout ?? Buffer.from('[]')).toString();
  }
  const findings = JSON.parse(out || '[]') as { Rule: { Id: string }; Message: string; Filename: string }[];
  return findings
    .filter((f) => f.Rule.Id.startsWith('E'))
    .map((f) => `${path.basename(f.Filename)} ${f.Rule.Id}: ${f.Message}`);
}

function report(
  name: string,
  r: { rejected: number; total: number; accepted: object[]; messages: Map<string, number> },
) {
  const top = [...r.messages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8);
  // eslint-disable-next-line no-console
  console.log(
    `${name}: ${r.total} configurations (seed ${SEED}): ${r.accepted.length} synthesized, ${r.rejected} rejected by the library; most rejected props: ${top.map(([p, n]) => `${p} ${n}`).join(', ')}`,
  );
}

const lint = cfnLintBinary();

describe('property: every generated configuration is a library error or a template cfn-lint accepts', () => {
  test('AuroraCluster with addProxy, custom endpoints and reader autoscaling', () => {
    // GIVEN / WHEN
    const result = runProperty(clusterProps, buildCluster, 'P/Db');
    report('AuroraCluster', result);
    // THEN
    expect(result.total).toBe(RUNS);
    if (!lint) {
      // eslint-disable-next-line no-console
      console.log('CFN_LINT is not set to a cfn-lint binary: the cfn-lint part of the property is skipped');
      return;
    }
    expect(cfnLintErrors(lint, result.accepted.slice(0, LINT_SAMPLE))).toEqual([]);
  });

  test('Global Database secondaries', () => {
    // GIVEN
    const secondaryArbitrary = (valid: boolean) => {
      const pick = <A, B>(good: fc.Arbitrary<A>, wild: fc.Arbitrary<B>) =>
        (valid ? good : fc.oneof({ arbitrary: good, weight: 3 }, { arbitrary: wild, weight: 1 })) as fc.Arbitrary<
          A | B
        >;
      return fc.record({
        region: pick(
          fc.constantFrom('eu-west-1', 'ap-southeast-2'),
          fc.constantFrom('eu-west-1', 'ap-south-2', 'us-east-1', 'ap-southeast-2'),
        ),
        readers: pick(
          fc.array(fc.constantFrom('serverless', 'r6g', 'r7g'), { maxLength: 3 }).map((l) =>
            l.map((k, n) => ({
              id: `S${n}`,
              spec:
                k === 'serverless'
                  ? { kind: 'serverless', tier: null }
                  : { kind: 'provisioned', cls: k, size: 'large', tier: null },
            })),
          ),
          fc.array(instance('S'), { maxLength: 17 }).map((l) => l.map((i, n) => ({ ...i, id: `S${n}` }))),
        ),
        serverlessV2MinCapacity: pick(halfSteps(0.5, 8), fc.option(numberAround(0, 256, [0.5]), { nil: undefined })),
        serverlessV2MaxCapacity: pick(halfSteps(8, 128), fc.option(numberAround(1, 256), { nil: undefined })),
        port: pick(fc.integer({ min: 1150, max: 65535 }), fc.option(numberAround(1150, 65535), { nil: undefined })),
        clusterIdentifier: pick(
          fc.stringMatching(/^[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,10}){0,3}$/),
          fc.option(fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9-]{0,66}$/), { nil: undefined }),
        ),
        preferredBackupWindow: pick(validWindows, fc.option(backupWindow, { nil: undefined })),
        preferredMaintenanceWindow: pick(validMaintenance, fc.option(maintenanceWindow, { nil: undefined })),
        monitoringInterval: pick(
          fc.constantFrom(1, 5, 60),
          fc.option(fc.constantFrom(0, 1, 3, 60), { nil: undefined }),
        ),
        enableWriteForwarding: fc.boolean(),
        withVpc: pick(fc.constant(true), fc.boolean()),
      });
    };
    const secondaryProps = fc.oneof(secondaryArbitrary(true), secondaryArbitrary(false));
    const build = (g: Generated) => {
      const app = new App();
      const primaryStack = testStack(app, 'Primary', { account: ACCOUNT, region: 'us-east-1' });
      const primary = new AuroraCluster(primaryStack, 'Db', {
        engine: ENGINES[5][1],
        vpc: testVpc(primaryStack),
        globalDatabasePrimary: true,
        writer: rds.ClusterInstance.provisioned('Writer', { instanceType: new ec2.InstanceType('r6g.large') }),
        readers: [],
      });
      const global = new AuroraGlobalDatabase(primaryStack, 'Global', { primary });
      const stack = testStack(app, 'P', { account: ACCOUNT, region: g.region });
      global.addSecondary(stack, 'Db', {
        vpc: g.withVpc ? testVpc(stack) : (undefined as unknown as ec2.IVpc),
        readers: (g.readers as InstanceSpec[]).map((r) => toInstance(r)),
        serverlessV2MinCapacity: g.serverlessV2MinCapacity,
        serverlessV2MaxCapacity: g.serverlessV2MaxCapacity,
        port: g.port,
        clusterIdentifier: g.clusterIdentifier,
        preferredBackupWindow: g.preferredBackupWindow,
        preferredMaintenanceWindow: g.preferredMaintenanceWindow,
        monitoringInterval: g.monitoringInterval === undefined ? undefined : Duration.seconds(g.monitoringInterval),
        enableWriteForwarding: g.enableWriteForwarding,
      });
      return { app, stack };
    };
    // WHEN
    const result = runProperty(secondaryProps, build, 'P/Db');
    report('AuroraSecondaryCluster', result);
    // THEN
    expect(result.total).toBe(RUNS);
    if (!lint) {
      // eslint-disable-next-line no-console
      console.log('CFN_LINT is not set to a cfn-lint binary: the cfn-lint part of the property is skipped');
      return;
    }
    expect(cfnLintErrors(lint, result.accepted.slice(0, LINT_SAMPLE))).toEqual([]);
  });
});
