/**
 * One benchmark run, in a fresh Node process started by tools/bench/bench.ts (from JavaScript it transpiled):
 * `node synth-once.js <library|hand-written> [--plugins] [--warm <n>]`. Prints one JSON line of timings:
 *
 * - `processMs`: from the start of the process to the end of the first synth (what `cdk synth` waits for);
 * - `loadMs`: loading aws-cdk-lib and the app's modules (the library's own modules on the library side);
 * - `constructMs` + `synthMs`: building the app and synthesizing it (with every compliance pack when `--plugins`);
 * - `warmMs`: the median of `n` more construct + synth rounds in the same process, with fresh Apps (JIT warm,
 *   aws-cdk-lib's built-in validation engine started): the library's own overhead with the constant costs removed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

function main(): void {
  const started = performance.now();
  const args = process.argv.slice(2);
  const variant = args[0];
  const plugins = args.includes('--plugins');
  const warmIndex = args.indexOf('--warm');
  const warmRounds = warmIndex >= 0 ? Number(args[warmIndex + 1]) : 0;
  if (variant !== 'library' && variant !== 'hand-written') {
    throw new Error('usage: synth-once <library|hand-written> [--plugins] [--warm <n>]');
  }

  /* eslint-disable @typescript-eslint/no-require-imports */
  const { App } = require('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const build: (app: InstanceType<typeof App>) => unknown =
    variant === 'library'
      ? require('../../apps/reference/reference-app').buildReferenceApp
      : require('./hand-written').buildHandWrittenApp;
  const register: ((app: InstanceType<typeof App>) => void) | undefined = plugins
    ? require('../compliance-packs').registerCompliancePlugins
    : undefined;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const loaded = performance.now();

  const round = () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));
    const t0 = performance.now();
    const app = new App({ outdir, analyticsReporting: false, context: { 'aws:cdk:bundling-stacks': [] } });
    build(app);
    register?.(app);
    const t1 = performance.now();
    const consoleError = console.error;
    const exitCode = process.exitCode;
    console.error = () => {};
    try {
      app.synth();
    } catch (e) {
      // With violations some aws-cdk-lib versions throw after writing the report; the synth work is done.
      if (!(e instanceof Error && /Validation ?failed/i.test(`${e.name} ${e.message}`))) throw e;
    } finally {
      console.error = consoleError;
      process.exitCode = exitCode;
    }
    const t2 = performance.now();
    fs.rmSync(outdir, { recursive: true, force: true });
    return { constructMs: t1 - t0, synthMs: t2 - t1 };
  };

  const cold = round();
  const done = performance.now();
  const warm = Array.from({ length: warmRounds }, () => {
    const r = round();
    return r.constructMs + r.synthMs;
  }).sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      // performance.now() counts from the start of the process.
      processMs: done,
      loadMs: loaded - started,
      constructMs: cold.constructMs,
      synthMs: cold.synthMs,
      warmMs: warm.length ? warm[Math.floor(warm.length / 2)] : undefined,
    }),
  );
}

main();
