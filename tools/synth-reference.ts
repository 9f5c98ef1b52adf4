/**
 * `npx projen synth:reference`: synthesizes the reference architecture (apps/reference/reference-app.ts) into `cdk.out` with
 * every compliance pack registered through aws-cdk-lib's `Validations` API, as an app would, and prints a summary:
 * stacks and Regions, resources by type, and the result of each pack. Exits 1 when a pack has an unacknowledged
 * finding (and then prints CDK's validation report). Offline: no AWS account, no context lookups.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { CDK_BUILT_IN_PLUGIN_NAME, GUARD_PLUGIN_NAME } from './compliance-packs';
import { Evaluation, instrumentedNagPacks } from './compliance-report';
import { loadGuardRules } from './guard';
import { buildReferenceApp } from '../apps/reference/reference-app';

/** What `synth:reference` found. */
export interface ReferenceSynthSummary {
  readonly outdir: string;
  readonly stacks: { readonly name: string; readonly region: string; readonly resources: number }[];
  readonly resourcesByType: Record<string, number>;
  readonly packs: PackResult[];
  /** aws-cdk-lib's own rules: not a pack the library is held to, shown for information. */
  readonly builtIn: { readonly warnings: number; readonly rules: string[] };
}

export interface PackResult {
  readonly name: string;
  readonly rules: number;
  /** Findings no acknowledgement covers (rule errors included). */
  readonly unacknowledged: number;
  /** Rule-resource checks that passed, and that were acknowledged (cdk-nag only: guard reports failures alone). */
  readonly compliantChecks?: number;
  readonly acknowledgedChecks?: number;
}

interface ValidationReport {
  readonly pluginReports?: {
    readonly pluginName?: string;
    readonly summary?: { readonly pluginName?: string; readonly metadata?: Record<string, string> };
    readonly violations?: {
      readonly ruleName: string;
      readonly violatingResources?: unknown[];
      readonly violatingConstructs?: unknown[];
    }[];
  }[];
}

/** Synthesizes the reference architecture into `outdir` (emptied first) with every pack, and summarizes it. */
export function synthReference(outdir: string): { summary: ReferenceSynthSummary; cdkOutput: string } {
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, analyticsReporting: false, context: { 'aws:cdk:bundling-stacks': [] } });
  buildReferenceApp(app);
  const nag = instrumentedNagPacks(app);
  Validations.of(app).addPlugins(new CfnGuardValidator({ controlTowerRulesEnabled: true }), ...nag.packs);

  // CDK prints its validation report on stderr and sets process.exitCode when a plugin fails: keep both for later.
  const captured: string[] = [];
  const consoleError = console.error;
  const exitCode = process.exitCode;
  console.error = (...args: unknown[]) => captured.push(args.map(String).join(' '));
  try {
    app.synth();
  } catch (e) {
    if (!(e instanceof Error && /Validation ?failed/i.test(`${e.name} ${e.message}`))) throw e;
    captured.push(e.message);
  } finally {
    console.error = consoleError;
    process.exitCode = exitCode;
  }

  const reportFile = ['validation-report.json', 'policy-validation-report.json']
    .map((f) => path.join(outdir, f))
    .find((f) => fs.existsSync(f));
  if (!reportFile) throw new Error(`synth:reference: no validation report in ${outdir}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf-8')) as ValidationReport;
  const violationsOf = (plugin: string) => {
    const pluginReport = report.pluginReports?.find((r) => (r.pluginName ?? r.summary?.pluginName) === plugin);
    const error = pluginReport?.summary?.metadata?.error;
    if (error) throw new Error(`synth:reference: validation plugin ${plugin} failed: ${error}`);
    return pluginReport?.violations ?? [];
  };
  const count = (violations: ReturnType<typeof violationsOf>) =>
    violations.reduce((n, v) => n + Math.max(1, (v.violatingResources ?? v.violatingConstructs ?? []).length), 0);

  const byPack = (pack: string) => nag.evaluations.filter((e: Evaluation) => e.pack === pack);
  const packs: PackResult[] = nag.packInfos().map((p) => ({
    name: p.name,
    rules: p.rules.length,
    unacknowledged: count(violationsOf(p.name)),
    compliantChecks: byPack(p.name).filter((e) => e.result === 'compliant').length,
    acknowledgedChecks: byPack(p.name).filter((e) => e.result === 'acknowledged').length,
  }));
  packs.push({
    name: 'ControlTower',
    rules: loadGuardRules().length,
    unacknowledged: count(violationsOf(GUARD_PLUGIN_NAME)),
  });
  const builtIn = violationsOf(CDK_BUILT_IN_PLUGIN_NAME);

  const stacks: ReferenceSynthSummary['stacks'] = [];
  const resourcesByType: Record<string, number> = {};
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  for (const [id, artifact] of Object.entries(manifest.artifacts as Record<string, any>)) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const template = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf-8'));
    const resources = Object.values((template.Resources ?? {}) as Record<string, { Type: string }>);
    const region = String(artifact.environment).split('/').pop()!;
    stacks.push({ name: artifact.properties.stackName ?? id, region, resources: resources.length });
    for (const r of resources) resourcesByType[r.Type] = (resourcesByType[r.Type] ?? 0) + 1;
  }
  return {
    summary: {
      outdir,
      stacks,
      resourcesByType,
      packs,
      builtIn: { warnings: count(builtIn), rules: [...new Set(builtIn.map((v) => v.ruleName))].sort() },
    },
    cdkOutput: captured.join('\n'),
  };
}

/** The summary as printed by `synth:reference`. */
export function formatSummary(summary: ReferenceSynthSummary): string {
  const regions = [...new Set(summary.stacks.map((s) => s.region))];
  const total = Object.values(summary.resourcesByType).reduce((a, b) => a + b, 0);
  const width = (values: string[]) => Math.max(...values.map((v) => v.length));
  const nameWidth = width(summary.stacks.map((s) => s.name));
  const lines = [
    `Reference architecture synthesized to ${path.relative(process.cwd(), summary.outdir) || '.'}`,
    '',
    `Stacks: ${summary.stacks.length} in ${regions.length} Region${regions.length === 1 ? '' : 's'} (${regions.join(', ')})`,
    ...summary.stacks.map(
      (s) => `  ${s.name.padEnd(nameWidth)}  ${s.region.padEnd(14)}  ${String(s.resources).padStart(4)} resources`,
    ),
    '',
    `Resources by type: ${total}`,
    ...Object.entries(summary.resourcesByType)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([type, n]) => `  ${String(n).padStart(4)}  ${type}`),
    '',
    'Compliance (all packs registered with Validations.of(app).addPlugins)',
    `  ${'pack'.padEnd(16)}  ${'result'.padEnd(6)}  ${'rules'.padStart(5)}  ${'unacknowledged'.padStart(14)}  ${'checks passed'.padStart(13)}  ${'acknowledged'.padStart(12)}`,
    ...summary.packs.map(
      (p) =>
        `  ${p.name.padEnd(16)}  ${(p.unacknowledged === 0 ? 'PASS' : 'FAIL').padEnd(6)}  ${String(p.rules).padStart(5)}  ${String(p.unacknowledged).padStart(14)}  ${String(p.compliantChecks ?? '-').padStart(13)}  ${String(p.acknowledgedChecks ?? '-').padStart(12)}`,
    ),
    `  aws-cdk-lib's built-in ${CDK_BUILT_IN_PLUGIN_NAME} rules (not a pack; informational): ${summary.builtIn.warnings} warning(s)${summary.builtIn.rules.length ? ` (${summary.builtIn.rules.join(', ')})` : ''}`,
  ];
  return lines.join('\n');
}

function main(): void {
  const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
  const { summary, cdkOutput } = synthReference(outdir);
  const failed = summary.packs.some((p) => p.unacknowledged > 0);
  if (failed) console.error(cdkOutput);
  console.log(formatSummary(summary));
  if (failed) {
    console.error('\nsynth:reference: unacknowledged compliance findings (see the report above)');
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main();
}
