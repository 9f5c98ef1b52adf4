/**
 * Day-2 changes: each case deploys an app (`after`) over another (`before`) and checks, from the CloudFormation
 * diff the CDK CLI computes, what it does to the deployed database. A stateful replacement or a one-way step is
 * allowed only where the library documents it, and warns at synth where the configuration tells.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import { LIFECYCLE_CASES, LifecycleCase, lifecycleTable } from './lifecycle-cases';
import { classify, Outcome } from './lifecycle-diff';
import { POSTGRES_15_4, POSTGRES_16_4, R6G_LARGE, testStack, testVpc } from './util';
import { AuroraCluster, AuroraGlobalDatabase } from '../src';

interface Synthesized {
  readonly templates: Map<string, any>;
  readonly warnings: string[];
}

const cache = new Map<(app: App) => void, Synthesized>();

function synth(build: (app: App) => void): Synthesized {
  const cached = cache.get(build);
  if (cached) return cached;
  const app = new App();
  build(app);
  const assembly = app.synth();
  const result = {
    templates: new Map(assembly.stacks.map((s) => [s.stackName, s.template])),
    warnings: assembly.stacks.flatMap((s) =>
      s.messages.filter((m) => m.level === 'warning').map((m) => String(m.entry.data)),
    ),
  };
  cache.set(build, result);
  return result;
}

/** The TSDoc comment of `Interface.prop` (or of a class) in src/. */
function tsdocOf(symbol: string): string {
  const [owner, prop] = symbol.split('.');
  const src = fs
    .readdirSync(path.join(__dirname, '..', 'src'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(__dirname, '..', 'src', f), 'utf-8'))
    .join('\n');
  const ownerAt = src.search(new RegExp(`export (interface|class) ${owner}\\b`));
  if (ownerAt < 0) throw new Error(`no ${owner} in src/`);
  if (!prop) {
    const start = src.lastIndexOf('/**', ownerAt);
    return src.slice(start, ownerAt);
  }
  const match = new RegExp(`readonly ${prop}\\??:`).exec(src.slice(ownerAt));
  if (!match) throw new Error(`no ${symbol} in src/`);
  const propAt = ownerAt + match.index;
  return src.slice(src.lastIndexOf('/**', propAt), propAt);
}

describe('lifecycle: what a change does to a deployed app', () => {
  test('covers at least 30 changes across every construct', () => {
    expect(LIFECYCLE_CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(LIFECYCLE_CASES.map((c) => c.construct))).toEqual(
      new Set([
        'AuroraCluster',
        'AuroraProxy',
        'AuroraCustomEndpoint',
        'AuroraGlobalDatabase',
        'AuroraSecondaryCluster',
      ]),
    );
    expect(new Set(LIFECYCLE_CASES.map((c) => `${c.construct}: ${c.change}`)).size).toBe(LIFECYCLE_CASES.length);
  });

  test.each(LIFECYCLE_CASES.map((c): [string, LifecycleCase] => [`${c.construct}: ${c.change}`, c]))('%s', (_, c) => {
    // GIVEN
    const before = synth(c.before);
    // WHEN
    const after = synth(c.after);
    const result = classify(before.templates, after.templates);
    // THEN
    expect({ outcome: result.outcome, changes: result.changes.filter((x) => x.outcome === result.outcome) }).toEqual(
      expect.objectContaining({ outcome: c.outcome }),
    );
    if (c.changedStacks) expect(result.changedStacks).toEqual(c.changedStacks);
    if (c.warning) expect(after.warnings.join('\n')).toContain(c.warning);
    if (c.warnedBefore) expect(before.warnings.join('\n')).toContain(c.warnedBefore);
    // Nothing irreversible or data-replacing happens silently: the TSDoc says it, and a warning where it can.
    const drastic = [Outcome.STATEFUL_REPLACEMENT, Outcome.DESTROYED, Outcome.REFUSED, Outcome.KEPT_ON_REMOVAL];
    if (c.oneWay || drastic.includes(c.outcome)) {
      expect(c.documentedIn).toBeDefined();
      expect(tsdocOf(c.documentedIn!)).toMatch(/replace|cannot be undone|permanent|for good|refuses|retained/i);
    }
    if (c.oneWay) expect(c.warning).toBeDefined();
    if (c.documentedIn) expect(tsdocOf(c.documentedIn)).not.toEqual('');
  });

  test('no change destroys data', () => {
    expect(LIFECYCLE_CASES.filter((c) => c.outcome === Outcome.DESTROYED)).toEqual([]);
  });

  test('a major upgrade of a Global Database member on its own is refused at synth', () => {
    const app = new App();
    const stack = testStack(app, 'Primary');
    const primary = new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: testVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      allowMajorVersionUpgrade: true,
    });
    expect(() => new AuroraGlobalDatabase(stack, 'Global', { primary })).toThrow(
      /Primary\/Global: primary: a Global Database member cannot be upgraded to a new major version on its own: the global cluster is upgraded, all members at once \(https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraUserGuide\/aurora-global-database-upgrade\.html\)/,
    );
  });
});

describe('lifecycle: upgrade rules', () => {
  function primaryStack() {
    const app = new App();
    const stack = testStack(app, 'Primary');
    const eu = testStack(app, 'Eu', { account: '123456789012', region: 'eu-west-1' });
    return { stack, eu };
  }

  test("allowMajorVersionUpgrade passes the instances' shared parameter group to the upgrade", () => {
    // GIVEN
    const stack = testStack();
    const group = new rds.ParameterGroup(stack, 'InstanceParams', {
      engine: POSTGRES_16_4,
      parameters: { log_min_duration_statement: '1000' },
    });
    // WHEN
    new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc: testVpc(stack),
      writer: rds.ClusterInstance.serverlessV2('Writer', { parameterGroup: group }),
      readers: [rds.ClusterInstance.serverlessV2('Reader', { parameterGroup: group, scaleWithWriter: true })],
      allowMajorVersionUpgrade: true,
    });
    // THEN
    const template = Template.fromStack(stack);
    const groupId = Object.keys(template.findResources('AWS::RDS::DBParameterGroup'))[0];
    template.hasResourceProperties('AWS::RDS::DBCluster', { DBInstanceParameterGroupName: { Ref: groupId } });
    Annotations.fromStack(stack).hasWarning('/TestStack/Db', Match.stringLikeRegexp('cannot be undone'));
  });

  test('without it, the cluster names no instance parameter group', () => {
    const stack = testStack();
    new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', {
      DBInstanceParameterGroupName: Match.absent(),
    });
  });

  test('an instance parameter group of another family than the engine is rejected', () => {
    const stack = testStack();
    const group = new rds.ParameterGroup(stack, 'OldParams', { engine: POSTGRES_15_4, parameters: { a: 'b' } });
    expect(
      () =>
        new AuroraCluster(stack, 'Db', {
          engine: POSTGRES_16_4,
          vpc: testVpc(stack),
          writer: rds.ClusterInstance.serverlessV2('Writer', { parameterGroup: group }),
        }),
    ).toThrow(
      /TestStack\/Db: writer\/readers: the instance Writer uses the DB parameter group TestStack\/OldParams of family aurora-postgresql15, but the engine's family is aurora-postgresql16/,
    );
  });

  test('a secondary older than the primary is rejected: minor upgrades go secondaries first', () => {
    const { stack, eu } = primaryStack();
    const primary = new AuroraCluster(stack, 'Db', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
      vpc: testVpc(stack),
    });
    const global = new AuroraGlobalDatabase(stack, 'Global', { primary });
    expect(() => global.addSecondary(eu, 'Db', { vpc: testVpc(eu), engine: POSTGRES_16_4 })).toThrow(
      /Eu\/Db: engine: the secondary's version 16.4 is older than the primary's 16.6: in a minor upgrade of a Global Database the secondaries are upgraded first/,
    );
  });

  test("a secondary of another major version than the primary's is rejected", () => {
    const { stack, eu } = primaryStack();
    const primary = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const global = new AuroraGlobalDatabase(stack, 'Global', { primary });
    expect(() => global.addSecondary(eu, 'Db', { vpc: testVpc(eu), engine: POSTGRES_15_4 })).toThrow(
      /Eu\/Db: engine: a secondary runs the primary's major version \(16.4\), got 15.4: a major upgrade is done on the global cluster/,
    );
  });

  test('a secondary ahead of the primary (mid-upgrade) runs its own version', () => {
    const { stack, eu } = primaryStack();
    const primary = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const global = new AuroraGlobalDatabase(stack, 'Global', { primary });
    const newer = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 });
    global.addSecondary(eu, 'Db', { vpc: testVpc(eu), engine: newer });
    Template.fromStack(eu).hasResourceProperties('AWS::RDS::DBCluster', { EngineVersion: '16.6' });
    Template.fromStack(stack).hasResourceProperties('AWS::RDS::DBCluster', { EngineVersion: '16.4' });
  });
});

describe('lifecycle: the README table', () => {
  test('"Changing a deployed database" lists every case with its outcome, and nothing else', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
    const start = readme.indexOf('<!-- lifecycle-table:start -->');
    const end = readme.indexOf('<!-- lifecycle-table:end -->');
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start, end).trim().split('\n').slice(1).join('\n')).toEqual(lifecycleTable());
  });
});
