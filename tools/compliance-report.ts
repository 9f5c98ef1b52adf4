/**
 * COMPLIANCE.md: for every rule of every pack (cdk-nag AwsSolutions, HIPAA Security, NIST 800-53 rev 4 and rev 5,
 * PCI DSS 3.2.1, and the Control Tower guard rules) and every resource type the library creates in the reference
 * architecture: compliant, acknowledged (with the reason the library ships) or not applicable.
 *
 * - cdk-nag: every pack calls `applyRule` for every rule on every CfnResource. The packs are instrumented to record
 *   each call's outcome (compliant, non-compliant, not applicable, granular findings, or the error a rule threw) and
 *   whether cdk-nag considers the finding acknowledged; the reason comes from the acknowledged-rules metadata.
 * - Control Tower: the guard plugin reports failures only. The bundled cfn-guard binary is run on each synthesized
 *   template (PASS / FAIL / SKIP per rule) and on variants of it in which every resource a rule could look at,
 *   except the library's resources of one type, is masked (retyped): that attributes PASS and SKIP to resource types.
 *
 * `npx projen compliance:report` writes the file; test/compliance-report.test.ts fails when it is stale. Rendering
 * throws when anything is non-compliant: a non-compliant report is never written.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NagPack,
  NagRuleCompliance,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';
import { IConstruct } from 'constructs';
import { cfnResources, deployableStack, IndexedResource, ResourceInfo, synthQuietly } from './app-index';
import { GUARD_PLUGIN_NAME } from './compliance-packs';
import { compareControlIds, GuardRule, loadGuardRules, runGuard } from './guard';
import { buildReferenceApp } from '../apps/reference/reference-app';
import { renderAlarmTable } from '../src/private/alarm-specs';
import { renderProxyAlarmTable } from '../src/private/proxy-alarm-specs';

export type { ResourceInfo } from './app-index';

/** The committed report, relative to the repository root. */
export const COMPLIANCE_REPORT_FILE = 'COMPLIANCE.md';

export type Result = 'compliant' | 'acknowledged' | 'not applicable' | 'NON-COMPLIANT';

/** A rule of a pack. */
export interface RuleInfo {
  /** As reported: `AwsSolutions-RDS2`, `CT.RDS.PR.16`. */
  readonly id: string;
  /** The guard rule name (`rds_cluster_storage_encrypted_check`), for Control Tower rules. */
  readonly guardName?: string;
  /** cdk-nag: Error / Warning; Control Tower: the control's severity. */
  readonly level: string;
  /** What the rule checks. */
  readonly description: string;
}

/** A pack and all its rules. */
export interface PackInfo {
  /** `AwsSolutions`, `HIPAA.Security`, ..., `ControlTower`. */
  readonly name: string;
  readonly title: string;
  readonly rules: RuleInfo[];
}

/** An acknowledgement that removed a finding. */
export interface AcknowledgementUse {
  /** The acknowledged id (rule id, possibly with a granular `[...]` suffix). */
  readonly id: string;
  readonly reason: string;
}

/** The outcome of one rule on one resource (cdk-nag) or on one resource type of one stack (Control Tower). */
export interface Evaluation {
  readonly pack: string;
  readonly ruleId: string;
  readonly resourceType: string;
  /** Construct path (cdk-nag) or `<stack>/*` (Control Tower, all resources of the type in the stack). */
  readonly resource: string;
  /** Whether the library created the resource (it is inside one of the library's constructs). */
  readonly library: boolean;
  readonly result: Result;
  readonly acknowledgements: AcknowledgementUse[];
  /** Failing finding ids, or the error a rule threw. */
  readonly detail?: string;
}

export interface ComplianceEvaluation {
  readonly packs: PackInfo[];
  readonly evaluations: Evaluation[];
  readonly resources: ResourceInfo[];
  /** Versions of the tools the report depends on. */
  readonly versions: Record<string, string>;
}

const NAG_PACK_TITLES: Record<string, string> = {
  AwsSolutions: 'cdk-nag AwsSolutions',
  'HIPAA.Security': 'cdk-nag HIPAA Security',
  'NIST.800.53.R4': 'cdk-nag NIST 800-53 rev 4',
  'NIST.800.53.R5': 'cdk-nag NIST 800-53 rev 5',
  'PCI.DSS.321': 'cdk-nag PCI DSS 3.2.1',
};
const CONTROL_TOWER = 'ControlTower';
const MASKED_TYPE = 'Custom::ComplianceReportMasked';

/** Builds the reference architecture in a fresh app and evaluates it. */
export function evaluateReferenceApp(): ComplianceEvaluation {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-report-'));
  try {
    const app = new App({ outdir, analyticsReporting: false, context: { 'aws:cdk:bundling-stacks': [] } });
    buildReferenceApp(app);
    return evaluateCompliance(app);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Synthesizes `app` (which must not have been synthesized) and evaluates every rule of every pack on it. */
export function evaluateCompliance(app: App): ComplianceEvaluation {
  synthQuietly(app);
  const resources = cfnResources(app);
  const appWideAcks = collectAppWideAcknowledgements(app);

  // cdk-nag: every pack, instrumented.
  const nag = instrumentedNagPacks(app);
  for (const pack of nag.packs) {
    pack.validateScope(app);
  }
  const evaluations = [...nag.evaluations];
  const packs = nag.packInfos();

  // Control Tower guard rules.
  const guardRules = loadGuardRules();
  packs.push({
    name: CONTROL_TOWER,
    title: 'AWS Control Tower proactive controls (cfn-guard)',
    rules: guardRules.map((r) => ({
      id: r.controlId,
      guardName: r.name,
      level: r.severity,
      description: r.displayName,
    })),
  });
  evaluations.push(...evaluateGuard(app, resources, guardRules, appWideAcks));

  return {
    packs,
    evaluations: evaluations.sort(compareEvaluations),
    resources: [...resources.values()].map((r) => r.info).sort((a, b) => a.path.localeCompare(b.path)),
    versions: toolVersions(),
  };
}

interface NagApplyRuleParams {
  readonly ruleSuffixOverride?: string;
  readonly info: string;
  readonly level: string;
  readonly node: CfnResource;
  rule(node: CfnResource): NagRuleCompliance | string[];
}

interface InstrumentablePack {
  applyRule(params: NagApplyRuleParams): void;
  isAcknowledged(resource: CfnResource, ruleId: string): boolean;
}

/** The five cdk-nag packs, instrumented, and what they record once they have run. */
export interface InstrumentedNagPacks {
  /** Register them with `Validations.of(app).addPlugins(...)`, or call their `validateScope(app)`. */
  readonly packs: NagPack[];
  /** One entry per rule and resource, appended as the packs run. */
  readonly evaluations: Evaluation[];
  /** Every pack with every rule it applied. */
  packInfos(): PackInfo[];
}

/**
 * AwsSolutions, HIPAA Security, NIST 800-53 rev 4 and rev 5 and PCI DSS 3.2.1, instrumented to record the outcome of
 * every rule on every resource of `app`. Behaves exactly like the plain packs otherwise.
 */
export function instrumentedNagPacks(app: App): InstrumentedNagPacks {
  const packs: NagPack[] = [
    new AwsSolutionsChecks(),
    new HIPAASecurityChecks(),
    new NIST80053R4Checks(),
    new NIST80053R5Checks(),
    new PCIDSS321Checks(),
  ];
  // The tree is complete only once synthesis has started (aspects may add resources): index it on first use.
  let resources: Map<string, IndexedResource> | undefined;
  let appWideAcks: Map<string, string> | undefined;
  const context = {
    resource: (p: string) => (resources ??= cfnResources(app)).get(p)?.info,
    appWideAcknowledgement: (id: string) => (appWideAcks ??= collectAppWideAcknowledgements(app)).get(id),
  };
  const evaluations: Evaluation[] = [];
  const rulesByPack = new Map<NagPack, Map<string, RuleInfo>>();
  for (const pack of packs) {
    const rules = new Map<string, RuleInfo>();
    rulesByPack.set(pack, rules);
    instrument(pack, context, rules, evaluations);
  }
  return {
    packs,
    evaluations,
    packInfos: () =>
      packs.map((pack) => ({
        name: pack.readPackName,
        title: NAG_PACK_TITLES[pack.readPackName],
        rules: sortRules([...rulesByPack.get(pack)!.values()]),
      })),
  };
}

interface InstrumentationContext {
  resource(path: string): ResourceInfo | undefined;
  appWideAcknowledgement(id: string): string | undefined;
}

/** Records the outcome of every `applyRule` call of `pack`, then lets cdk-nag proceed as usual. */
function instrument(
  pack: NagPack,
  context: InstrumentationContext,
  rules: Map<string, RuleInfo>,
  evaluations: Evaluation[],
): void {
  const target = pack as unknown as InstrumentablePack;
  const applyRule = target.applyRule.bind(target);
  target.applyRule = (params) => {
    const ruleId = `${pack.readPackName}-${params.ruleSuffixOverride ?? params.rule.name}`;
    rules.set(ruleId, { id: ruleId, level: params.level, description: params.info });
    let outcome: { result?: NagRuleCompliance | string[]; error?: string } = {};
    const rule = params.rule;
    const recordingRule = (node: CfnResource) => {
      try {
        const result = rule(node);
        outcome = { result };
        return result;
      } catch (e) {
        outcome = { error: e instanceof Error ? e.message : String(e) };
        throw e;
      }
    };
    Object.defineProperty(recordingRule, 'name', { value: rule.name });
    applyRule({ ...params, rule: recordingRule });

    const node = params.node;
    const info = context.resource(node.node.path);
    const base = {
      pack: pack.readPackName,
      ruleId,
      resourceType: node.cfnResourceType,
      resource: node.node.path,
      library: info?.createdBy !== undefined,
    };
    const acknowledgement = (id: string): AcknowledgementUse | undefined => {
      if (target.isAcknowledged(node, id)) return { id, reason: acknowledgementReason(node, id) };
      const appWide = context.appWideAcknowledgement(`${pack.readPackName}::${id}`);
      return appWide === undefined ? undefined : { id: `${pack.readPackName}::${id}`, reason: `${appWide} (app-wide)` };
    };
    const failed = (ids: string[], detail?: string): Evaluation => {
      const acks = ids.map(acknowledgement);
      if (acks.every((a): a is AcknowledgementUse => a !== undefined)) {
        return { ...base, result: 'acknowledged', acknowledgements: acks, detail };
      }
      return { ...base, result: 'NON-COMPLIANT', acknowledgements: [], detail: detail ?? ids.join(', ') };
    };
    if (outcome.error !== undefined) {
      evaluations.push(failed([ruleId], `rule error: ${outcome.error}`));
    } else if (Array.isArray(outcome.result)) {
      evaluations.push(
        outcome.result.length === 0
          ? { ...base, result: 'compliant', acknowledgements: [] }
          : failed(outcome.result.map((finding) => `${ruleId}[${finding}]`)),
      );
    } else if (outcome.result === NagRuleCompliance.NON_COMPLIANT) {
      evaluations.push(failed([ruleId]));
    } else {
      const result = outcome.result === NagRuleCompliance.COMPLIANT ? 'compliant' : 'not applicable';
      evaluations.push({ ...base, result, acknowledgements: [] });
    }
  };
}

/** The reason recorded for an acknowledged id on the construct or its nearest ancestor. */
function acknowledgementReason(construct: IConstruct, id: string): string {
  for (let scope: IConstruct | undefined = construct; scope; scope = scope.node.scope) {
    for (const entry of scope.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        if (key.replace(/^annotation::/i, '') === id) return reason;
      }
    }
  }
  return '(no reason recorded)';
}

/**
 * Acknowledgements that the validation framework applies to the whole app: `<plugin>::<rule>` (the plugin-prefixed
 * form, and every guard acknowledgement), wherever they are recorded.
 */
function collectAppWideAcknowledgements(app: App): Map<string, string> {
  const acks = new Map<string, string>();
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        // aws-cdk-lib's built-in rules are not a compliance pack: their acknowledgements are in the README.
        if (/^(annotation|CloudFormation-Validate)::/i.test(key)) continue;
        if (key.split('::').length === 2) acks.set(key, reason);
      }
    }
  }
  return acks;
}

/**
 * Runs the guard rules on each template, then on one variant per (template, library resource type T) in which every
 * other resource of a type that T's rules evaluate is retyped, so that the rule's verdict is about the library's
 * resources of type T alone.
 */
function evaluateGuard(
  app: App,
  resources: Map<string, IndexedResource>,
  rules: GuardRule[],
  appWideAcks: Map<string, string>,
): Evaluation[] {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nestedStackParent);
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'compliance-guard-'));
  const evaluations: Evaluation[] = [];
  try {
    interface Variant {
      readonly file: string;
      readonly stack: Stack;
      /** The library resource type the variant isolates; undefined for the unmodified template. */
      readonly type?: string;
      readonly pathsByLogicalId: Map<string, string>;
      /** The rules to run: those that evaluate a resource type present in the file (or the isolated type). */
      readonly rules: GuardRule[];
    }
    const variants: Variant[] = [];
    for (const stack of stacks) {
      const template = JSON.parse(fs.readFileSync(path.join(app.outdir, stack.templateFile), 'utf-8'));
      const pathsByLogicalId = new Map<string, string>();
      for (const { resource } of resources.values()) {
        if (deployableStack(resource) === stack && Stack.of(resource) === stack) {
          pathsByLogicalId.set(stack.resolve(resource.logicalId), resource.node.path);
        }
      }
      const isLibrary = (logicalId: string) => {
        const p = pathsByLogicalId.get(logicalId);
        return p !== undefined && resources.get(p)?.info.createdBy !== undefined;
      };
      const presentTypes = new Set(Object.values(template.Resources ?? {}).map((r) => (r as { Type: string }).Type));
      variants.push({
        file: path.join(app.outdir, stack.templateFile),
        stack,
        pathsByLogicalId,
        rules: rules.filter((r) => r.resourceTypes.some((t) => presentTypes.has(t))),
      });
      const libraryTypes = new Set(
        Object.entries(template.Resources ?? {})
          .filter(([id]) => isLibrary(id))
          .map(([, r]) => (r as { Type: string }).Type),
      );
      for (const type of [...libraryTypes].sort()) {
        const typeRules = rules.filter((r) => r.resourceTypes.includes(type));
        const masked = new Set(typeRules.flatMap((r) => r.resourceTypes));
        if (masked.size === 0) continue;
        const variant = JSON.parse(JSON.stringify(template));
        for (const [id, r] of Object.entries(variant.Resources as Record<string, { Type: string }>)) {
          if (masked.has(r.Type) && !(r.Type === type && isLibrary(id))) r.Type = MASKED_TYPE;
        }
        const file = path.join(workdir, `${stack.artifactId}--${type.replace(/::/g, '-')}.json`);
        fs.writeFileSync(file, JSON.stringify(variant));
        variants.push({ file, stack, type, pathsByLogicalId, rules: typeRules });
      }
    }

    // One cfn-guard process per distinct rule set.
    const jobs = new Map<string, { rules: GuardRule[]; files: string[] }>();
    for (const variant of variants) {
      const key = variant.rules.map((r) => r.name).join(',');
      const job = jobs.get(key) ?? { rules: variant.rules, files: [] };
      job.files.push(variant.file);
      jobs.set(key, job);
    }
    const results = new Map(
      [...jobs.values()].flatMap((job) => runGuard(job.files, job.rules)).map((r) => [r.file, r] as const),
    );
    for (const variant of variants) {
      if (variant.rules.length === 0) continue;
      const result = results.get(path.resolve(variant.file));
      if (!result) throw new Error(`cfn-guard returned no result for ${variant.file}`);
      for (const rule of variant.rules) {
        const appWide = appWideAcks.get(`${GUARD_PLUGIN_NAME}::${rule.name}`);
        const acknowledgements =
          appWide === undefined ? [] : [{ id: `${GUARD_PLUGIN_NAME}::${rule.name}`, reason: `${appWide} (app-wide)` }];
        const failedIds = result.fail.get(rule.name);
        if (variant.type === undefined) {
          // The unmodified template: failures of the app's own resources (the library's show in the variants too).
          for (const logicalId of [...(failedIds ?? [])].sort()) {
            const resourcePath = variant.pathsByLogicalId.get(logicalId) ?? `${variant.stack.stackName}/${logicalId}`;
            const info = resources.get(resourcePath)?.info;
            if (info?.createdBy !== undefined) continue;
            evaluations.push({
              pack: CONTROL_TOWER,
              ruleId: rule.controlId,
              resourceType: info?.type ?? 'unknown',
              resource: resourcePath,
              library: false,
              result: appWide === undefined ? 'NON-COMPLIANT' : 'acknowledged',
              acknowledgements,
              detail: rule.name,
            });
          }
          continue;
        }
        if (!rule.resourceTypes.includes(variant.type)) continue;
        const base = {
          pack: CONTROL_TOWER,
          ruleId: rule.controlId,
          resourceType: variant.type,
          resource: `${variant.stack.stackName}/*`,
          library: true,
        };
        if (failedIds !== undefined) {
          evaluations.push({
            ...base,
            result: appWide === undefined ? 'NON-COMPLIANT' : 'acknowledged',
            acknowledgements,
            detail: `${rule.name}: ${[...failedIds]
              .sort()
              .map((id) => variant.pathsByLogicalId.get(id) ?? id)
              .join(', ')}`,
          });
        } else {
          const result_: Result = result.pass.has(rule.name) ? 'compliant' : 'not applicable';
          evaluations.push({ ...base, result: result_, acknowledgements: [] });
        }
      }
    }
  } finally {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
  return evaluations;
}

function toolVersions(): Record<string, string> {
  const version = (pkg: string) => JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), 'utf-8')).version;
  const guardPackage = path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'));
  return {
    'aws-cdk-lib': version('aws-cdk-lib'),
    'cdk-nag': version('cdk-nag'),
    '@cdklabs/cdk-validator-cfnguard': version('@cdklabs/cdk-validator-cfnguard'),
    'cfn-guard': JSON.parse(fs.readFileSync(path.join(guardPackage, 'guard-version.json'), 'utf-8')).version,
  };
}

function sortRules(rules: RuleInfo[]): RuleInfo[] {
  return rules.sort((a, b) => compareControlIds(a.id, b.id));
}

function compareEvaluations(a: Evaluation, b: Evaluation): number {
  return (
    a.pack.localeCompare(b.pack) ||
    compareControlIds(a.ruleId, b.ruleId) ||
    a.resourceType.localeCompare(b.resourceType) ||
    a.resource.localeCompare(b.resource)
  );
}

/** Rows of a pack's table: one per rule and group of resource types with the same result and reasons. */
interface Row {
  readonly rule: RuleInfo;
  readonly types: string[];
  readonly result: Result;
  readonly notes: string[];
}

/**
 * Renders COMPLIANCE.md. Throws when any resource of the reference app (the library's or the app's own) has a
 * finding that is not acknowledged.
 */
export function renderComplianceReport(evaluation: ComplianceEvaluation): string {
  const nonCompliant = evaluation.evaluations.filter((e) => e.result === 'NON-COMPLIANT');
  if (nonCompliant.length > 0) {
    throw new Error(
      `The reference architecture has ${nonCompliant.length} unacknowledged finding(s); fix them (or acknowledge them with a reason) before regenerating ${COMPLIANCE_REPORT_FILE}:\n` +
        nonCompliant.map((e) => `  ${e.ruleId} on ${e.resource}: ${e.detail ?? ''}`).join('\n'),
    );
  }
  const ours = evaluation.evaluations.filter((e) => e.library);
  const libraryResources = evaluation.resources.filter((r) => r.createdBy !== undefined);
  const lines: string[] = [];
  const v = evaluation.versions;
  lines.push(
    '# Compliance report',
    '',
    '<!-- Generated by `npx projen compliance:report` from apps/reference/reference-app.ts. Do not edit: a test fails when this file is stale. -->',
    '',
    'For every rule of every compliance pack the library is held to, and every resource type the library creates in the',
    '[reference architecture](apps/reference/reference-app.ts), the result of synthesizing it: **compliant** (the rule applies and',
    'passes), **acknowledged** (the rule applies, and the library ships an acknowledgement scoped to the resource, with the',
    'reason given here) or **not applicable** (the rule does not evaluate that resource type, or not in the configuration the',
    'library produces). A non-compliant result cannot appear: the report is not generated then, and the test suite fails.',
    '',
    `Packs: cdk-nag ${v['cdk-nag']} (AwsSolutions, HIPAA Security, NIST 800-53 rev 4, NIST 800-53 rev 5, PCI DSS 3.2.1) and the`,
    `AWS Control Tower proactive controls bundled with @cdklabs/cdk-validator-cfnguard ${v['@cdklabs/cdk-validator-cfnguard']}`,
    `(cfn-guard ${v['cfn-guard']}), on aws-cdk-lib ${v['aws-cdk-lib']}.`,
    '',
    '## Summary',
    '',
    "| pack | rules | apply to the library's resources | compliant | acknowledged | apply to none |",
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  const packRows = new Map<string, Row[]>();
  for (const pack of evaluation.packs) {
    const rows = packTableRows(
      pack,
      ours.filter((e) => e.pack === pack.name),
    );
    packRows.set(pack.name, rows);
    const applying = new Set(rows.map((r) => r.rule.id));
    const acknowledged = new Set(rows.filter((r) => r.result === 'acknowledged').map((r) => r.rule.id));
    lines.push(
      `| [${pack.title}](#${anchor(pack.title)}) | ${pack.rules.length} | ${applying.size} | ${applying.size - acknowledged.size} | ${acknowledged.size} | ${pack.rules.length - applying.size} |`,
    );
  }
  lines.push(
    '',
    'In this summary a rule counts as acknowledged when any of its rows below is; all its other rows are compliant.',
    '',
    '## Snapshots and backups',
    '',
    'No pack checks snapshots themselves. What the library states for them, on every cluster it creates:',
    '',
    "- Snapshots (automated, final and manual) are encrypted with the cluster's customer-managed key: Aurora encrypts a",
    "  cluster's snapshots with the cluster's key (`StorageEncrypted: true`, `KmsKeyId`).",
    "- Snapshots carry the cluster's tags (`CopyTagsToSnapshot: true`).",
    '- Deleting or replacing a cluster takes a final snapshot (`DeletionPolicy` and `UpdateReplacePolicy` `Snapshot`),',
    '  and deletion protection refuses the deletion until it is turned off.',
    '- Automated backups are kept for their retention period after the cluster is deleted (`DeleteAutomatedBackups: false`).',
    '',
    '## Resource types the library creates',
    '',
    '| resource type | created by | in the reference architecture |',
    '| --- | --- | ---: |',
  );
  const byType = new Map<string, { createdBy: Set<string>; count: number }>();
  for (const r of libraryResources) {
    const entry = byType.get(r.type) ?? { createdBy: new Set<string>(), count: 0 };
    entry.createdBy.add(r.createdBy!);
    entry.count++;
    byType.set(r.type, entry);
  }
  for (const [type, { createdBy, count }] of [...byType.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| \`${type}\` | ${[...createdBy].sort().join(', ')} | ${count} |`);
  }

  for (const pack of evaluation.packs) {
    const rows = packRows.get(pack.name)!;
    lines.push('', `## ${pack.title}`, '');
    if (rows.length > 0) {
      lines.push(
        '| rule | level | checks | resource types | result | reason |',
        '| --- | --- | --- | --- | --- | --- |',
      );
      for (const row of rows) {
        lines.push(
          `| ${ruleLabel(row.rule)} | ${row.rule.level} | ${cell(row.rule.description)} | ${row.types.map((t) => `\`${t}\``).join(', ')} | ${row.result} | ${row.notes.map(cell).join('<br>')} |`,
        );
      }
    }
    const applying = new Set(rows.map((r) => r.rule.id));
    const none = pack.rules.filter((r) => !applying.has(r.id));
    lines.push(
      '',
      `Not applicable to any resource type the library creates (${none.length}): ${none.map((r) => `\`${r.id}\``).join(', ')}.`,
    );
  }

  lines.push(...scannerSection());

  // The reference app's own resources (network, application role): acknowledged by the app, not the library.
  const appAcks = evaluation.evaluations.filter((e) => !e.library && e.result === 'acknowledged');
  lines.push(
    '',
    "## The reference architecture's own resources",
    '',
    "The network (VPC, flow logs, default security group) and the application's role and security group are the",
    "app's, not the library's. They pass every pack too (the test suite checks every stack); these findings are",
    'acknowledged by the app itself:',
    '',
    '| rule | resource | reason |',
    '| --- | --- | --- |',
  );
  const appAckRows = new Set<string>();
  for (const e of appAcks) {
    for (const ack of e.acknowledgements) {
      appAckRows.add(`| \`${ack.id}\` | \`${e.resource}\` | ${cell(ack.reason)} |`);
    }
  }
  lines.push(...[...appAckRows].sort(), '');
  return lines.join('\n');
}

/** The committed results of `npx projen scan` (tools/scan-results.json). */
export const SCAN_RESULTS_FILE = path.join(__dirname, 'scan-results.json');

/** The cfn-lint and checkov section, from {@link SCAN_RESULTS_FILE}. */
function scannerSection(): string[] {
  if (!fs.existsSync(SCAN_RESULTS_FILE)) return [];
  const results = JSON.parse(fs.readFileSync(SCAN_RESULTS_FILE, 'utf-8')) as {
    templates: string[];
    findings: { scanner: string; level: string; rule: string; template: string; resource: string; message: string }[];
    acknowledgements: { scanner: string; rule: string; template: string; resource: string; reason: string }[];
  };
  const count = (scanner: string, level: string) =>
    results.findings.filter((f) => f.scanner === scanner && f.level === level).length;
  const acknowledged = (scanner: string) => results.acknowledgements.filter((a) => a.scanner === scanner).length;
  const lines = [
    '',
    '## cfn-lint and checkov',
    '',
    '<!-- From tools/scan-results.json, which `npx projen scan` writes; CI runs the newest cfn-lint and checkov from PyPI. -->',
    '',
    `[cfn-lint](https://github.com/aws-cloudformation/cfn-lint) and [checkov](https://www.checkov.io/) on every template the`,
    `examples synthesize (${results.templates.length}: the reference architecture, the integ test snapshots in apps/integ and`,
    'variants with resource shapes those lack; tools/scan-templates.ts). A finding that remains is a false positive',
    "acknowledged on the resource itself, in the template (cfn-lint's `Metadata.cfn-lint.config.ignore_checks`, checkov's",
    '`Metadata.checkov.skip`), with its reason.',
    '',
    '| scanner | errors | warnings | failed checks | acknowledged on the resource |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| cfn-lint | ${count('cfn-lint', 'error')} | ${count('cfn-lint', 'warning')} | - | ${acknowledged('cfn-lint')} |`,
    `| checkov | - | - | ${count('checkov', 'failed')} | ${acknowledged('checkov')} |`,
  ];
  if (results.findings.length > 0) {
    lines.push('', 'Open findings (CI fails on them):', '', '| scanner | rule | template | resource | message |');
    lines.push('| --- | --- | --- | --- | --- |');
    for (const f of results.findings) {
      lines.push(`| ${f.scanner} | ${f.rule} | ${f.template} | \`${f.resource}\` | ${cell(f.message)} |`);
    }
  }
  const acks = new Map<string, string>();
  for (const a of results.acknowledgements) {
    acks.set(`| ${a.scanner} | ${a.rule} | \`${a.resource}\` | ${cell(a.reason)} |`, a.template);
  }
  if (acks.size > 0) {
    lines.push('', 'Acknowledged (each resource and rule once, whichever templates hold it):', '');
    lines.push('| scanner | rule | resource | reason |', '| --- | --- | --- | --- |', ...[...acks.keys()].sort());
  }
  return lines;
}

/** Groups a pack's evaluations of library resources into table rows, omitting rules that apply to none. */
function packTableRows(pack: PackInfo, evaluations: Evaluation[]): Row[] {
  const rows: Row[] = [];
  for (const rule of pack.rules) {
    const byType = new Map<string, Evaluation[]>();
    for (const e of evaluations.filter((x) => x.ruleId === rule.id && x.result !== 'not applicable')) {
      byType.set(e.resourceType, [...(byType.get(e.resourceType) ?? []), e]);
    }
    const groups = new Map<string, Row>();
    for (const [type, es] of [...byType.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const acked = es.filter((e) => e.result === 'acknowledged');
      const result: Result = acked.length > 0 ? 'acknowledged' : 'compliant';
      const notes = [
        ...new Set(
          acked.flatMap((e) =>
            e.acknowledgements.map((a) => {
              const granular = a.id.startsWith(`${rule.id}[`) ? `\`${a.id.slice(rule.id.length)}\`: ` : '';
              return `${granular}${a.reason}`;
            }),
          ),
        ),
      ].sort();
      const key = `${result}\u0000${notes.join('\u0000')}`;
      const group = groups.get(key);
      if (group) {
        group.types.push(type);
      } else {
        groups.set(key, { rule, types: [type], result, notes });
      }
    }
    rows.push(...groups.values());
  }
  return rows;
}

function ruleLabel(rule: RuleInfo): string {
  return rule.guardName ? `${rule.id} (\`${rule.guardName}\`)` : rule.id;
}

/** Makes text safe for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

/** GitHub's heading anchor. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

/** The README, whose acknowledgement table {@link renderAcknowledgementTable} writes between the markers below. */
export const README_FILE = 'README.md';
export const ACKNOWLEDGEMENTS_START = '<!-- acknowledgements:start (generated by `npx projen compliance:report`) -->';
export const ACKNOWLEDGEMENTS_END = '<!-- acknowledgements:end -->';

/**
 * The acknowledgements the library records in the reference architecture, one row per resource type, library
 * construct and reason, with the finding ids it covers. Granular ids of ARNs show `<partition>`, `<region>` and
 * `<account>`, which vary by stack.
 */
export function renderAcknowledgementTable(evaluation: ComplianceEvaluation): string {
  const createdBy = new Map(evaluation.resources.map((r) => [r.path, r.createdBy]));
  const rows = new Map<string, { type: string; construct: string; reason: string; ids: Set<string> }>();
  const generic = (id: string) =>
    id.replace(
      /arn:(?:<AWS::Partition>|[a-z-]+):([a-z0-9-]+):(?:<AWS::Region>|[a-z0-9-]+):(?:<AWS::AccountId>|\d{12}):/g,
      'arn:<partition>:$1:<region>:<account>:',
    );
  for (const e of evaluation.evaluations) {
    if (!e.library || e.result !== 'acknowledged') continue;
    const construct = createdBy.get(e.resource) ?? 'the library';
    for (const ack of e.acknowledgements) {
      const key = [e.resourceType, construct, ack.reason].join('\u0000');
      const row = rows.get(key) ?? { type: e.resourceType, construct, reason: ack.reason, ids: new Set<string>() };
      row.ids.add(generic(ack.id));
      rows.set(key, row);
    }
  }
  const sorted = [...rows.values()].sort(
    (a, b) =>
      a.construct.localeCompare(b.construct) || a.type.localeCompare(b.type) || a.reason.localeCompare(b.reason),
  );
  return [
    '| finding | resource | reason |',
    '| --- | --- | --- |',
    ...sorted.map(
      (r) =>
        `| ${[...r.ids]
          .sort()
          .map((id) => `\`${id}\``)
          .join(', ')} | \`${r.type}\` of \`${r.construct}\` | ${cell(r.reason)} |`,
    ),
  ].join('\n');
}

/** `readme` with the text between the acknowledgement markers replaced by `table`. */
export function withAcknowledgementTable(readme: string, table: string): string {
  const start = readme.indexOf(ACKNOWLEDGEMENTS_START);
  const end = readme.indexOf(ACKNOWLEDGEMENTS_END);
  if (start < 0 || end < start) {
    throw new Error(`${README_FILE}: the markers ${ACKNOWLEDGEMENTS_START} and ${ACKNOWLEDGEMENTS_END} are missing`);
  }
  return `${readme.slice(0, start + ACKNOWLEDGEMENTS_START.length)}\n${table}\n${readme.slice(end)}`;
}

/** Writes COMPLIANCE.md and the README's acknowledgement table (`npx projen compliance:report`). */
function main(): void {
  const evaluation = evaluateReferenceApp();
  const file = path.join(__dirname, '..', COMPLIANCE_REPORT_FILE);
  fs.writeFileSync(file, renderComplianceReport(evaluation));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
  const readme = path.join(__dirname, '..', README_FILE);
  fs.writeFileSync(
    readme,
    withAcknowledgementTable(fs.readFileSync(readme, 'utf-8'), renderAcknowledgementTable(evaluation)),
  );
  console.log(`wrote the acknowledgement table of ${path.relative(process.cwd(), readme)}`);
  fs.writeFileSync(readme, withAlarmTable(fs.readFileSync(readme, 'utf-8'), renderAlarmTable()));
  console.log(`wrote the alarm table of ${path.relative(process.cwd(), readme)}`);
  fs.writeFileSync(
    readme,
    withAlarmTable(
      fs.readFileSync(readme, 'utf-8'),
      renderProxyAlarmTable(),
      PROXY_ALARM_TABLE_START,
      PROXY_ALARM_TABLE_END,
    ),
  );
  console.log(`wrote the proxy alarm table of ${path.relative(process.cwd(), readme)}`);
}

export const ALARM_TABLE_START = '<!-- alarm-table:start (generated by `npx projen compliance:report`) -->';
export const ALARM_TABLE_END = '<!-- alarm-table:end -->';
export const PROXY_ALARM_TABLE_START = '<!-- proxy-alarm-table:start (generated by `npx projen compliance:report`) -->';
export const PROXY_ALARM_TABLE_END = '<!-- proxy-alarm-table:end -->';

/**
 * `readme` with the text between two markers replaced by `table`: the recommended alarms (the default markers) or
 * the RDS Proxy alarms.
 */
export function withAlarmTable(
  readme: string,
  table: string,
  startMarker: string = ALARM_TABLE_START,
  endMarker: string = ALARM_TABLE_END,
): string {
  const start = readme.indexOf(startMarker);
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < start) {
    throw new Error(`${README_FILE}: the markers ${startMarker} and ${endMarker} are missing`);
  }
  return `${readme.slice(0, start + startMarker.length)}\n${table}\n${readme.slice(end)}`;
}

if (require.main === module) {
  main();
}
