/**
 * Runs the Control Tower guard rules bundled with `@cdklabs/cdk-validator-cfnguard` (the same cfn-guard binary and
 * rule files its plugin uses) directly, to learn what the plugin does not report: which rules PASS, which are SKIPped
 * (not applicable), and, by masking resources, for which resource types.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const GUARD_PACKAGE_DIR = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
/** The Control Tower rules the plugin runs with `controlTowerRulesEnabled: true`. */
export const GUARD_RULES_DIR = path.join(GUARD_PACKAGE_DIR, 'rules', 'control-tower', 'cfn-guard');
const GUARD_METADATA_DIR = path.join(GUARD_PACKAGE_DIR, 'rules', 'control-tower', 'metadata');
/** The cfn-guard binary the plugin runs on this platform (same choice as `CfnGuardValidator`). */
export const GUARD_BINARY = path.join(
  GUARD_PACKAGE_DIR,
  'bin',
  { linux: 'ubuntu', darwin: 'macos' }[os.platform() as string] ?? os.platform(),
  { x64: 'x86_64', arm64: 'aarch64' }[os.arch() as string] ?? os.arch(),
  'cfn-guard',
);

/** One Control Tower guard rule. */
export interface GuardRule {
  /** The guard rule name, e.g. `rds_cluster_storage_encrypted_check` (what the plugin reports and acknowledges). */
  readonly name: string;
  /** The Control Tower control id, e.g. `CT.RDS.PR.16`. */
  readonly controlId: string;
  /** The control's title. */
  readonly displayName: string;
  /** The control's severity, e.g. `HIGH`. */
  readonly severity: string;
  /** The resource types the rule evaluates. */
  readonly resourceTypes: readonly string[];
  /** The rule file. */
  readonly file: string;
}

/** Every Control Tower guard rule, from the rule files and their metadata, sorted by control id. */
export function loadGuardRules(): GuardRule[] {
  const rules: GuardRule[] = [];
  for (const service of fs.readdirSync(GUARD_RULES_DIR).sort()) {
    for (const file of fs.readdirSync(path.join(GUARD_RULES_DIR, service)).sort()) {
      if (!file.endsWith('.guard')) continue;
      const text = fs.readFileSync(path.join(GUARD_RULES_DIR, service, file), 'utf-8');
      const name = /^rule\s+(\w+)\s+when/m.exec(text)?.[1];
      if (!name) throw new Error(`guard: no rule in ${file}`);
      const metadataFile = path.join(GUARD_METADATA_DIR, service, file.replace(/\.guard$/, '.metadata.json'));
      const metadata = JSON.parse(fs.readFileSync(metadataFile, 'utf-8'));
      rules.push({
        name,
        controlId: metadata.Id,
        displayName: metadata.DisplayName,
        severity: metadata.Severity,
        resourceTypes: [...metadata.EvaluatedResourceTypes].sort(),
        file: path.join(GUARD_RULES_DIR, service, file),
      });
    }
  }
  return rules.sort((a, b) => compareControlIds(a.controlId, b.controlId));
}

/** Orders `CT.RDS.PR.2` before `CT.RDS.PR.10`. */
export function compareControlIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** cfn-guard's verdict on one data file. */
export interface GuardFileResult {
  readonly file: string;
  /** Rules with at least one applicable resource, all compliant. */
  readonly pass: Set<string>;
  /** Rules with no applicable resource. */
  readonly skip: Set<string>;
  /** Failed rules, with the logical ids of the resources named in the failure. */
  readonly fail: Map<string, Set<string>>;
}

interface GuardJsonResult {
  readonly name: string;
  readonly compliant?: string[];
  readonly not_applicable?: string[];
  readonly not_compliant?: unknown[];
}

/**
 * Runs the rules on each data file, in one cfn-guard process. Rules whose resource types are absent from a file SKIP
 * anyway: passing only the relevant rule files saves most of the time on large templates.
 */
export function runGuard(files: string[], rules: readonly GuardRule[]): GuardFileResult[] {
  if (files.length === 0 || rules.length === 0) return [];
  const args = ['validate', ...rules.flatMap((r) => ['--rules', r.file]), ...files.flatMap((f) => ['--data', f])];
  args.push('--output-format', 'json', '--show-summary', 'none', '--structured');
  let stdout: string;
  try {
    stdout = execFileSync(GUARD_BINARY, args, { encoding: 'utf-8', maxBuffer: 1024 * 1024 * 1024 });
  } catch (e) {
    // cfn-guard exits 19 when a rule fails; its report is still on stdout.
    const error = e as { status?: number; stdout?: string; stderr?: string };
    if (error.status !== 19 || !error.stdout) {
      throw new Error(`cfn-guard failed (exit ${error.status}): ${error.stderr ?? e}`);
    }
    stdout = error.stdout;
  }
  const results = JSON.parse(stdout) as GuardJsonResult[];
  return results.map((r) => {
    const fail = new Map<string, Set<string>>();
    for (const entry of r.not_compliant ?? []) {
      const rule = (entry as { Rule?: { name?: string } }).Rule?.name ?? 'unknown';
      const ids = fail.get(rule) ?? new Set<string>();
      for (const match of JSON.stringify(entry).matchAll(/\/Resources\/([A-Za-z0-9]+)/g)) {
        ids.add(match[1]);
      }
      fail.set(rule, ids);
    }
    return {
      file: path.resolve(r.name),
      pass: new Set(r.compliant ?? []),
      skip: new Set(r.not_applicable ?? []),
      fail,
    };
  });
}
