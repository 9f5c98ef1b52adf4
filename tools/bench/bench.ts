/**
 * `npx projen bench`: times the synthesis of the reference architecture built with the library against its
 * hand-written aws-cdk-lib twin (tools/bench/hand-written.ts, same topology and resource counts), without and with
 * every compliance pack, and prints medians and ratios. Writes nothing into the repository.
 *
 * Method: every run is a fresh `node` process, as `cdk synth` is, so that module loading counts (the library's
 * modules are part of its overhead) and no run warms the next. Both sides run JavaScript transpiled once into a
 * temporary directory beforehand, so TypeScript compilation is counted on neither. Runs alternate between the two
 * sides (and which side goes first), after one discarded warm-up run each, and the median of `--runs` (default 5)
 * is reported. Inside each process the script also times construct + synth alone, cold and warm (see
 * synth-once.ts).
 *
 * Usage: `npx projen bench [--runs N]`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');
type Variant = 'library' | 'hand-written';

interface Run {
  readonly processMs: number;
  readonly loadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  readonly warmMs: number;
}

/** Transpiles src/, the reference app and the tools to CommonJS in `outdir`, with node_modules and assets/ linked. */
function transpile(outdir: string): void {
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.join(dir, e.name);
      if (e.isDirectory()) return e.name.endsWith('.snapshot') || e.name.startsWith('__') ? [] : walk(rel);
      return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [rel] : [];
    });
  for (const file of [...walk('src'), ...walk('apps/reference'), ...walk('tools')]) {
    const output = ts.transpileModule(fs.readFileSync(path.join(ROOT, file), 'utf-8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        experimentalDecorators: true,
      },
    });
    const target = path.join(outdir, file.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, output.outputText);
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(outdir, 'node_modules'), 'dir');
  // The Lambda handlers' committed JavaScript (assets/), which both apps deploy.
  fs.symlinkSync(path.join(ROOT, 'assets'), path.join(outdir, 'assets'), 'dir');
}

function runOnce(script: string, variant: Variant, plugins: boolean): Run {
  const args = [script, variant, '--warm', '3', ...(plugins ? ['--plugins'] : [])];
  const child = spawnSync(process.execPath, args, { encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) {
    throw new Error(`bench: ${variant} run failed (exit ${child.status}):\n${child.stderr}`);
  }
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main(): void {
  const runsIndex = process.argv.indexOf('--runs');
  const runs = runsIndex >= 0 ? Number(process.argv[runsIndex + 1]) : 5;
  if (!(runs >= 1)) throw new Error('bench: --runs must be a positive number');

  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-aurora-baseline-bench-'));
  try {
    transpile(workdir);
    const script = path.join(workdir, 'tools', 'bench', 'synth-once.js');
    const rows: string[] = [];
    const summary: string[] = [];
    for (const plugins of [false, true]) {
      const results: Record<Variant, Run[]> = { library: [], 'hand-written': [] };
      for (let i = -1; i < runs; i++) {
        const order: Variant[] = i % 2 === 0 ? ['library', 'hand-written'] : ['hand-written', 'library'];
        for (const variant of order) {
          const run = runOnce(script, variant, plugins);
          if (i >= 0) results[variant].push(run);
          process.stderr.write('.');
        }
      }
      const m = (variant: Variant, key: keyof Run) => median(results[variant].map((r) => r[key]));
      const mode = plugins ? 'all packs' : 'no packs';
      for (const variant of ['library', 'hand-written'] as Variant[]) {
        rows.push(
          `| ${mode} | ${variant} | ${m(variant, 'processMs').toFixed(0)} | ${m(variant, 'loadMs').toFixed(0)} | ${(m(variant, 'constructMs') + m(variant, 'synthMs')).toFixed(0)} | ${m(variant, 'warmMs').toFixed(0)} |`,
        );
      }
      const ratio = (key: 'processMs' | 'warmMs') => (m('library', key) / m('hand-written', key)).toFixed(2);
      const cold = (v: Variant) => median(results[v].map((r) => r.constructMs + r.synthMs));
      summary.push(
        `| ${mode} | ${ratio('processMs')}× | ${(cold('library') / cold('hand-written')).toFixed(2)}× | ${ratio('warmMs')}× |`,
      );
    }
    process.stderr.write('\n');
    console.log(
      [
        `Synthesis of the reference architecture: library vs hand-written aws-cdk-lib (median of ${runs} fresh processes each, alternating; ms)`,
        `Node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, load average ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
        '',
        '| packs | app | process start to synthesized | module load | construct + synth (cold) | construct + synth (warm) |',
        '| --- | --- | ---: | ---: | ---: | ---: |',
        ...rows,
        '',
        '| packs | library / hand-written: process start to synthesized | construct + synth (cold) | construct + synth (warm) |',
        '| --- | ---: | ---: | ---: |',
        ...summary,
      ].join('\n'),
    );
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}

main();
