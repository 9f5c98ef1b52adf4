/**
 * Snapshots of the integ tests (apps/integ/integ.*.ts), in integ-runner's layout (`test/integ.<name>.ts.snapshot/`) and
 * synthesized the way integ-runner synthesizes them (its recommended feature flags, no version reporting, no path or
 * asset metadata, no stack traces), so that `integ-runner --update-on-failed` can deploy them with an AWS account.
 *
 * Why not integ-runner itself in the test run: @aws-cdk/integ-runner 2.197.10 (the latest) embeds CDK CLI 2.1115.1,
 * which reads cloud assembly schema 53, while aws-cdk-lib 2.262.0 writes schema 54 (it needs CLI 2.1144.0). The test
 * run therefore compares the snapshots with test/integ-snapshots.test.ts, and runs integ-runner as well once
 * `integRunnerSupportsAssemblies()` is true (see the `integ` projen task).
 *
 * `npx projen integ:update` rewrites the snapshots: `ts-node tools/integ-snapshots.ts --update [integ.<name>.ts ...]`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { withoutBuiltInValidation } from './app-index';

/** The directory integ-runner searches (`--directory apps/integ`). */
export const INTEG_DIRECTORY = path.join(__dirname, '..', 'apps', 'integ');

/** integ-runner's TypeScript test file pattern. */
const INTEG_FILE_PATTERN = /^integ\.(?!.*\.d\.ts$).*\.ts$/;

/** The integ test files, by file name, sorted. */
export function integTestFiles(): string[] {
  return fs
    .readdirSync(INTEG_DIRECTORY)
    .filter((f) => INTEG_FILE_PATTERN.test(f))
    .sort();
}

/** integ-runner's snapshot directory of an integ test file. */
export function snapshotDirectory(file: string): string {
  return path.join(INTEG_DIRECTORY, `${file}.snapshot`);
}

/** The context integ-runner synthesizes integ tests with (integ-runner 2.197: runner-base `getContext`, toolkit-lib engine). */
export function integRunnerContext(): Record<string, unknown> {
  const flags = JSON.parse(
    fs.readFileSync(require.resolve('@aws-cdk/integ-runner/lib/recommended-feature-flags.json'), 'utf-8'),
  );
  const context: Record<string, unknown> = {
    ...flags,
    'aws:cdk:version-reporting': false,
    'aws:cdk:enable-path-metadata': false,
    'aws:cdk:enable-asset-metadata': false,
    'aws:cdk:disable-stack-trace': true,
    'aws:cdk:disable-creation-stack-traces': true,
  };
  delete context['@aws-cdk/core:target-partitions'];
  return context;
}

/**
 * Synthesizes one integ test file into `outdir` in this process (the file calls `app.synth()`; the App takes its
 * output directory and context from `CDK_OUTDIR` and `CDK_CONTEXT_JSON`). A file can be synthesized once per process
 * (module cache). aws-cdk-lib's validation output is muted and `process.exitCode` preserved.
 */
export function synthIntegTest(file: string, outdir: string): void {
  fs.rmSync(outdir, { recursive: true, force: true });
  const saved = { ...process.env };
  const exitCode = process.exitCode;
  const consoleError = console.error;
  Object.assign(process.env, {
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(integRunnerContext()),
    CDK_INTEG_ACCOUNT: '12345678',
    CDK_INTEG_REGION: 'test-region',
  });
  console.error = () => {};
  try {
    // The integ test is a script: loading it synthesizes it. aws-cdk-lib's built-in rules write only the
    // validation report, which is not part of the snapshot: skip their slow engine.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    withoutBuiltInValidation(() => require(path.join(INTEG_DIRECTORY, file)));
  } finally {
    console.error = consoleError;
    process.exitCode = exitCode;
    for (const key of ['CDK_OUTDIR', 'CDK_CONTEXT_JSON', 'CDK_INTEG_ACCOUNT', 'CDK_INTEG_REGION']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
  // The validation report names local paths; integ-runner does not compare it.
  fs.rmSync(path.join(outdir, 'validation-report.json'), { force: true });
}

/**
 * The CloudFormation templates of a cloud assembly directory, by file name. integ-runner compares the test-case stacks
 * only; the assertion stacks (integ-tests-alpha's `DeployAssert`) are compared here too, without the `salt` that
 * integ-tests-alpha sets to the synthesis time so that every deployment runs the assertions again.
 */
export function templatesIn(directory: string): Record<string, unknown> {
  if (!fs.existsSync(directory)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(directory)
      .filter((f) => f.endsWith('.template.json'))
      .sort()
      .map((f) => [f, withoutAssertionSalt(JSON.parse(fs.readFileSync(path.join(directory, f), 'utf-8')))]),
  );
}

function withoutAssertionSalt(template: { Resources?: Record<string, { Type?: string; Properties?: any }> }) {
  for (const resource of Object.values(template.Resources ?? {})) {
    if (resource.Type?.startsWith('Custom::DeployAssert') && resource.Properties?.salt !== undefined) {
      resource.Properties.salt = '<synthesis time>';
    }
  }
  return template;
}

/** The integ manifest (test cases and their options) of a cloud assembly directory. */
export function integManifestIn(directory: string): unknown {
  const file = path.join(directory, 'integ.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf-8')) : undefined;
}

/**
 * Whether the installed integ-runner can read what aws-cdk-lib writes: the CDK CLI it embeds is at least the CLI
 * version aws-cdk-lib's cloud assembly schema requires.
 */
export function integRunnerSupportsAssemblies(): { supported: boolean; reason: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Manifest } = require('aws-cdk-lib/cloud-assembly-schema');
  const required: string = Manifest.cliVersion();
  const runner = JSON.parse(fs.readFileSync(require.resolve('@aws-cdk/integ-runner/package.json'), 'utf-8'));
  const embedded: string = runner.dependencies['aws-cdk'];
  const supported = compareVersions(embedded, required) >= 0;
  return {
    supported,
    reason: `@aws-cdk/integ-runner ${runner.version} embeds CDK CLI ${embedded}; aws-cdk-lib's cloud assembly schema ${Manifest.version()} needs CLI ${required} or later`,
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a
    .replace(/^[^\d]*/, '')
    .split('.')
    .map(Number);
  const pb = b
    .replace(/^[^\d]*/, '')
    .split('.')
    .map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function main(args: string[]): void {
  if (args[0] === '--integ-runner-supported') {
    // Exit status for the `integ` task's condition.
    const { supported, reason } = integRunnerSupportsAssemblies();
    if (!supported) {
      console.error(`Skipping integ-runner: ${reason}. test/integ-snapshots.test.ts checks the snapshots.`);
    }
    process.exitCode = supported ? 0 : 1;
    return;
  }
  if (args[0] !== '--update') {
    throw new Error('usage: integ-snapshots.ts --update [integ.<name>.ts ...] | --integ-runner-supported');
  }
  const files = args.length > 1 ? args.slice(1).map((f) => path.basename(f)) : integTestFiles();
  for (const file of files) {
    synthIntegTest(file, snapshotDirectory(file));
    console.log(`wrote ${path.relative(process.cwd(), snapshotDirectory(file))}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
