/**
 * `npx projen scan`: runs cfn-lint and checkov, the scanners reviewers run on CloudFormation, on every template the
 * library's examples synthesize:
 *
 * - the reference architecture (apps/reference),
 * - every integ test snapshot (apps/integ/integ.*.ts.snapshot),
 * - variants that add resource shapes the two above do not have (Serverless v2 MySQL defaults, a proxy on the master
 *   secret with an extra read-only endpoint, private subnets with egress, custom endpoints by exclusion, reader
 *   autoscaling on connections),
 *
 * and fails on any cfn-lint error or warning and any failed checkov check. What remains is a false positive
 * acknowledged on the resource itself, with its reason: cfn-lint's `Metadata.cfn-lint.config.ignore_checks`, checkov's
 * `Metadata.checkov.skip`.
 *
 * The scanners come from a Python virtual environment (`.venv-scan`, created by .ci/run; override with SCAN_VENV).
 * `--json <file>` also writes the counts (used by tools/compliance-report.ts for COMPLIANCE.md).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { synthQuietly } from './app-index';
import { integTestFiles, snapshotDirectory } from './integ-snapshots';
import { buildReferenceApp, REFERENCE_REGIONS, WRITER_INSTANCE_TYPE } from '../apps/reference/reference-app';
import { ReferenceNetwork } from '../apps/reference/reference-network';
import { AuroraCluster, CustomEndpointType } from '../src';

// Region only, as the reference app: the Availability Zones stay `Fn::GetAZs` (no hard-coded AZ, cfn-lint W3010).
const VARIANT_ENV = { region: REFERENCE_REGIONS.primary };

/** The variants: each one stack with its own reference network, so that every finding is about the library. */
function buildVariants(app: App): void {
  const variant = (name: string, build: (stack: Stack, vpc: ec2.IVpc) => void) => {
    const stack = new Stack(app, `ScanVariant-${name}`, { env: VARIANT_ENV });
    build(stack, new ReferenceNetwork(stack, 'Network').vpc);
  };
  const mysql = rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.VER_3_08_0 });
  const postgres = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 });
  const provisioned = (id: string) => rds.ClusterInstance.provisioned(id, { instanceType: WRITER_INSTANCE_TYPE });

  variant('MysqlServerless', (stack, vpc) => new AuroraCluster(stack, 'Db', { engine: mysql, vpc }));
  variant('PostgresProxyMasterSecret', (stack, vpc) => {
    const db = new AuroraCluster(stack, 'Db', { engine: postgres, vpc, writer: provisioned('Writer') });
    db.addAuroraProxy('Proxy');
  });
  variant('MysqlEndpointsByExclusion', (stack, vpc) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: mysql,
      vpc,
      writer: provisioned('Writer'),
      readers: [provisioned('R1'), provisioned('R2')],
      readerAutoScaling: { minCapacity: 0, maxCapacity: 2, targetDatabaseConnections: 200 },
      backtrackWindow: Duration.hours(12),
    });
    db.addCustomEndpoint('Everything', { type: CustomEndpointType.ANY, excludedMembers: ['R2'] });
  });
}

interface Template {
  readonly file: string;
  readonly source: string;
}

function synthInto(outdir: string, build: (app: App) => void): void {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  build(app);
  synthQuietly(app);
}

/**
 * The templates of a cloud assembly. integ-tests-alpha's assertion stacks (`*DeployAssert*`, or named
 * `<test>-Assertions` by apps/integ/integ-support.ts) are the integ harness, not part of an example: left out.
 */
function templatesOf(directory: string, source: string): Template[] {
  return fs
    .readdirSync(directory)
    .filter(
      (f) => f.endsWith('.template.json') && !f.includes('DeployAssert') && !f.endsWith('-Assertions.template.json'),
    )
    .sort()
    .map((f) => ({ file: path.join(directory, f), source: `${source}/${f}` }));
}

/** Every template to scan, synthesized into `workdir`. */
export function collectTemplates(workdir: string): Template[] {
  const reference = path.join(workdir, 'reference');
  synthInto(reference, (app) => buildReferenceApp(app));
  const variants = path.join(workdir, 'variants');
  synthInto(variants, buildVariants);
  return [
    ...templatesOf(reference, 'reference'),
    ...integTestFiles().flatMap((f) => templatesOf(snapshotDirectory(f), `apps/integ/${f}.snapshot`)),
    ...templatesOf(variants, 'variants'),
  ];
}

/** One scanner finding. */
export interface ScanFinding {
  readonly scanner: 'cfn-lint' | 'checkov';
  readonly level: 'error' | 'warning' | 'failed';
  readonly rule: string;
  readonly template: string;
  readonly resource: string;
  readonly message: string;
}

/** A finding acknowledged in the resource's metadata (cfn-lint `ignore_checks`, checkov `skip`), with its reason. */
export interface ScanAcknowledgement {
  readonly scanner: 'cfn-lint' | 'checkov';
  readonly rule: string;
  readonly template: string;
  readonly resource: string;
  readonly reason: string;
}

export interface ScanResult {
  /** The scanned templates, by source. */
  readonly templates: string[];
  readonly cfnLintVersion: string;
  readonly checkovVersion: string;
  readonly findings: ScanFinding[];
  readonly acknowledgements: ScanAcknowledgement[];
  /** checkov's passed checks. */
  readonly checkovPassed: number;
}

/** The acknowledgements recorded in the templates' resource metadata. */
function acknowledgementsIn(templates: Template[]): ScanAcknowledgement[] {
  const result: ScanAcknowledgement[] = [];
  for (const t of templates) {
    const resources = JSON.parse(fs.readFileSync(t.file, 'utf-8')).Resources ?? {};
    for (const [logicalId, resource] of Object.entries<any>(resources)) {
      const ignored: string[] = resource.Metadata?.['cfn-lint']?.config?.ignore_checks ?? [];
      for (const rule of ignored) {
        const reason = resource.Metadata?.['cfn-lint']?.config?.reasons?.[rule] ?? '(no reason recorded)';
        result.push({ scanner: 'cfn-lint', rule, template: t.source, resource: logicalId, reason });
      }
      for (const skip of resource.Metadata?.checkov?.skip ?? []) {
        result.push({
          scanner: 'checkov',
          rule: skip.id,
          template: t.source,
          resource: logicalId,
          reason: skip.comment ?? '(no reason recorded)',
        });
      }
    }
  }
  return result;
}

function venvBin(tool: string): string {
  const venv = process.env.SCAN_VENV ?? path.join(__dirname, '..', '.venv-scan');
  const bin = path.join(venv, 'bin', tool);
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} not found: create the scanners' virtual environment as .ci/run does`);
  }
  return bin;
}

function run(tool: string, args: string[]): { stdout: string; status: number | null } {
  const result = spawnSync(venvBin(tool), args, { encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { stdout: result.stdout, status: result.status };
}

function cfnLint(templates: Template[]): ScanFinding[] {
  const bySource = new Map(templates.map((t) => [t.file, t.source]));
  const regions = [...new Set(Object.values(REFERENCE_REGIONS))];
  const { stdout } = run('cfn-lint', [
    '--format',
    'json',
    '--regions',
    ...regions,
    '--',
    ...templates.map((t) => t.file),
  ]);
  const matches = JSON.parse(stdout || '[]') as {
    Rule: { Id: string };
    Level: string;
    Message: string;
    Filename: string;
    Location?: { Path?: (string | number)[] };
  }[];
  return matches
    .filter((m) => m.Level === 'Error' || m.Level === 'Warning')
    .map((m) => ({
      scanner: 'cfn-lint' as const,
      level: m.Level === 'Error' ? ('error' as const) : ('warning' as const),
      rule: m.Rule.Id,
      template: bySource.get(m.Filename) ?? m.Filename,
      resource: String(m.Location?.Path?.[0] === 'Resources' ? m.Location.Path[1] : (m.Location?.Path ?? []).join('/')),
      message: m.Message,
    }));
}

function checkov(templates: Template[]): { findings: ScanFinding[]; passed: number } {
  const bySource = new Map(templates.map((t) => [t.file, t.source]));
  const args = ['--framework', 'cloudformation', '--output', 'json', '--compact', '--skip-download'];
  const { stdout } = run('checkov', [...args, ...templates.flatMap((t) => ['--file', t.file])]);
  const parsed = JSON.parse(stdout || '[]');
  const reports: { results?: { failed_checks?: any[]; passed_checks?: any[]; skipped_checks?: any[] } }[] =
    Array.isArray(parsed) ? parsed : [parsed];
  const findings: ScanFinding[] = [];
  let passed = 0;
  for (const report of reports) {
    passed += report.results?.passed_checks?.length ?? 0;
    for (const c of report.results?.failed_checks ?? []) {
      const file = templates.find((t) => t.file.endsWith(String(c.file_path).replace(/^\//, '')))?.file ?? c.file_path;
      findings.push({
        scanner: 'checkov',
        level: 'failed',
        rule: c.check_id,
        template: bySource.get(file) ?? String(c.file_path),
        resource: String(c.resource).replace(/^AWS::[^.]+::[^.]+\./, ''),
        message: c.check_name,
      });
    }
  }
  return { findings, passed };
}

function version(tool: string, args: string[]): string {
  return run(tool, args)
    .stdout.trim()
    .replace(/^cfn-lint /, '');
}

/** Synthesizes every template and scans it. */
export function scanTemplates(workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scan-'))): ScanResult {
  const templates = collectTemplates(workdir);
  const lint = cfnLint(templates);
  const check = checkov(templates);
  const order = (a: { template: string; resource: string; rule: string }, b: typeof a) =>
    a.template.localeCompare(b.template) || a.resource.localeCompare(b.resource) || a.rule.localeCompare(b.rule);
  return {
    templates: templates.map((t) => t.source),
    cfnLintVersion: version('cfn-lint', ['--version']),
    checkovVersion: version('checkov', ['--version']),
    findings: [...lint, ...check.findings].sort(order),
    acknowledgements: acknowledgementsIn(templates).sort(order),
    checkovPassed: check.passed,
  };
}

function main(args: string[]): void {
  const result = scanTemplates();
  const count = (scanner: string, level: string) =>
    result.findings.filter((f) => f.scanner === scanner && f.level === level).length;
  for (const f of result.findings) {
    console.log(`${f.scanner} ${f.level} ${f.rule} ${f.template} ${f.resource}: ${f.message}`);
  }
  const acknowledged = (scanner: string) => result.acknowledgements.filter((a) => a.scanner === scanner).length;
  console.log(
    `${result.templates.length} templates. cfn-lint ${result.cfnLintVersion}: ${count('cfn-lint', 'error')} errors, ` +
      `${count('cfn-lint', 'warning')} warnings, ${acknowledged('cfn-lint')} acknowledged. checkov ${result.checkovVersion}: ` +
      `${count('checkov', 'failed')} failed, ${result.checkovPassed} passed, ${acknowledged('checkov')} skipped with a reason.`,
  );
  const jsonIndex = args.indexOf('--json');
  if (jsonIndex >= 0) {
    // Committed and summarized in COMPLIANCE.md: only what the repository decides (no tool versions, no counts of
    // passed checks, which move with each release of the scanners).
    const committed = {
      templates: result.templates,
      findings: result.findings,
      acknowledgements: result.acknowledgements,
    };
    fs.writeFileSync(args[jsonIndex + 1], JSON.stringify(committed, undefined, 2) + '\n');
  }
  if (result.findings.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main(process.argv.slice(2));
}
