/**
 * Every example synthesized the way an app made by `cdk init` synthesizes it: aws-cdk-lib's built-in
 * `CloudFormation Validate` rules on, the feature flags `cdk init` writes into cdk.json (aws-cdk-lib's
 * recommended-feature-flags.json, which sets `@aws-cdk/core:validateAgainstDefaultRules`, so that their errors fail
 * the synth). Zero errors and zero warnings from those rules, on every aws-cdk-lib release the library accepts (the
 * test run covers the peer floor and CI runs it again on the newest release).
 *
 * The library acknowledges the built-in rules' false positives of releases before 2.276 on its own resources
 * (src/private/built-in-rules.ts): the last test checks that nothing else is acknowledged.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { useBuiltInRules } from './compliance';
import { buildReferenceApp } from '../apps/reference/reference-app';
import { builtInRulesHaveFalsePositives } from '../src/private/built-in-rules';
import { INTEG_DIRECTORY, integTestFiles } from '../tools/integ-snapshots';

useBuiltInRules();

const BUILT_IN_PLUGIN = 'CloudFormation Validate';

/** What `cdk init` puts in cdk.json's context: the installed aws-cdk-lib's recommended feature flags. */
function cdkInitContext(): Record<string, unknown> {
  const flags = JSON.parse(
    fs.readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf-8'),
  ) as Record<string, unknown>;
  expect(flags['@aws-cdk/core:validateAgainstDefaultRules']).toBe(true);
  return flags;
}

interface BuiltInResult {
  /** `<severity> <rule> <construct path>` of every unacknowledged finding. */
  readonly findings: string[];
  /** `<rule> <construct path>` of every acknowledged finding. */
  readonly acknowledged: string[];
}

interface ReportViolation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly description?: string;
  readonly violatingConstructs?: { readonly constructPath?: string }[];
}

function readBuiltInResult(outdir: string): BuiltInResult {
  const reportFile = path.join(outdir, 'validation-report.json');
  if (!fs.existsSync(reportFile)) throw new Error(`no validation report in ${outdir}: did the built-in rules run?`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf-8')) as {
    pluginReports: { pluginName: string; violations?: ReportViolation[]; suppressedViolations?: ReportViolation[] }[];
  };
  // aws-cdk-lib 2.276 leaves a plugin without findings out of the report; the canary test shows the rules run.
  const plugin = report.pluginReports.find((r) => r.pluginName === BUILT_IN_PLUGIN) ?? {
    violations: [],
    suppressedViolations: [],
  };
  const flat = (violations: ReportViolation[] = [], withSeverity: boolean) =>
    violations.flatMap((v) =>
      (v.violatingConstructs ?? [{}]).map(
        (c) =>
          `${withSeverity ? `${v.severity} ` : ''}${v.ruleName} ${c.constructPath ?? '<template>'}${withSeverity ? `: ${v.description}` : ''}`,
      ),
    );
  return {
    // integ-tests-alpha's assertion stacks (`<test>/DefaultTest/DeployAssert`, or named `<stack>-Assertions`) are empty until an assertion is added
    // (F0001 "Resources section must exist"): they are the integ test harness, not part of the example.
    findings: flat(plugin.violations, true)
      .filter((f) => !/ (\S+\/DefaultTest\/DeployAssert|\S+-Assertions)[:/]/.test(f))
      .filter((f) => !(builtInRulesHaveFalsePositives() && isStackOutputDuplicate(f))),
    acknowledged: flat(plugin.suppressedViolations, false),
  };
}

/**
 * W9007 "Array property 'SubnetIds' contains duplicate values" from the rules of aws-cdk-lib before 2.276 on a list of
 * distinct `Fn::GetStackOutput` references (cross-stack references with `@aws-cdk/core:defaultCrossStackReferences`
 * "weak", which `cdk init` sets): those rules cannot tell the references apart; 2.276's do. A warning, on subnets the
 * app passes in; not acknowledged by the library (these releases would silence W9007 for the whole app).
 */
function isStackOutputDuplicate(finding: string): boolean {
  return /^warning W9007 \S+: SubnetIds: Array property 'SubnetIds' contains duplicate values$/.test(finding);
}

/** Synthesizes `build` as a `cdk init` app would, quietly; a failed validation is read from the report too. */
function synthLikeCdkInit(build: (app: App) => void): BuiltInResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-init-'));
  const app = new App({ outdir, context: { ...cdkInitContext(), 'aws:cdk:bundling-stacks': [] } });
  build(app);
  quietly(() => app.synth());
  return readBuiltInResult(outdir);
}

/** Synthesizes an integ test file (a script that calls `app.synth()`) as a `cdk init` app would. */
function synthIntegLikeCdkInit(file: string): BuiltInResult {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-init-integ-'));
  const saved = { ...process.env };
  Object.assign(process.env, {
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify({ ...cdkInitContext(), 'aws:cdk:bundling-stacks': [] }),
  });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    quietly(() => require(path.join(INTEG_DIRECTORY, file)));
  } finally {
    for (const key of ['CDK_OUTDIR', 'CDK_CONTEXT_JSON']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  return readBuiltInResult(outdir);
}

function quietly(fn: () => void): void {
  const consoleError = console.error;
  const exitCode = process.exitCode;
  console.error = () => {};
  try {
    fn();
  } catch (e) {
    // With validateAgainstDefaultRules, an error of the built-in rules fails the synth: the report says which.
    if (!(e instanceof Error && /ValidationFailed|Validation failed/.test(`${e.name} ${e.message}`))) throw e;
  } finally {
    console.error = consoleError;
    process.exitCode = exitCode;
  }
}

describe('every example in a `cdk init` app (built-in rules on, validateAgainstDefaultRules)', () => {
  const results: Record<string, BuiltInResult> = {};

  beforeAll(() => {
    results['the reference app'] = synthLikeCdkInit((app) => buildReferenceApp(app));
    for (const file of integTestFiles()) {
      results[file] = synthIntegLikeCdkInit(file);
    }
  });

  test('canary: the built-in rules run in this configuration (W9008 on a non-Aurora DB instance of the app)', () => {
    // GIVEN an app with an unencrypted RDS for MySQL instance of its own WHEN synthesized like the examples
    const result = synthLikeCdkInit((app) => {
      new CfnResource(new Stack(app, 'Canary'), 'MySql', {
        type: 'AWS::RDS::DBInstance',
        properties: { Engine: 'mysql', DBInstanceClass: 'db.t3.micro', AllocatedStorage: '20' },
      });
    });
    // THEN the built-in rules report it
    expect(result.findings).toEqual([expect.stringMatching(/^warning W9008 Canary\/MySql: /)]);
  });

  test('covers the reference app and every integ test', () => {
    expect(Object.keys(results)).toEqual(['the reference app', ...integTestFiles()]);
  });

  test.each(['the reference app', ...integTestFiles()])(
    '%s: zero errors and zero warnings from the built-in rules',
    (name) => {
      expect(results[name].findings).toEqual([]);
    },
  );

  test("the only acknowledged built-in findings are the library's false positives of aws-cdk-lib before 2.276", () => {
    const all = Object.values(results).flatMap((r) => r.acknowledged);
    // On every release: the restored clusters' MasterUserPassword (F3021, and W3689 on a clone), which CloudFormation
    // applies right after the restore.
    const restored = all.filter((f) => /^(F3021|W3689) /.test(f));
    expect([...new Set(restored)].sort()).toEqual([
      'F3021 AuroraBaselineInteg-Clone/Clone/Cluster/Resource',
      'F3021 AuroraBaselineInteg-ClusterSnapshot/Restored/Cluster/Resource',
      'W3689 AuroraBaselineInteg-Clone/Clone/Cluster/Resource',
    ]);
    const acknowledged = all.filter((f) => !restored.includes(f));
    if (!builtInRulesHaveFalsePositives()) {
      // 2.276+: its rules know AWS::RDS::DBClusterEndpoint and skip Aurora in W9008.
      expect(acknowledged).toEqual([]);
      return;
    }
    // F3006 on the custom endpoints and cluster snapshots, W9008 on the Aurora DB instances: nothing of the apps' own.
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const finding of acknowledged) {
      expect(finding).toMatch(
        /^(F3006 \S+\/(CustomEndpoints\/\w+|AnalyticsEndpoint|AppReaderEndpoint|Snapshot)\/Resource|W9008 \S+\/(Cluster|Db|Secondary)\/\w+\/Resource)$/,
      );
    }
  });
});
