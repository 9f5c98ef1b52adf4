/**
 * Compliance test helper: runs cdk-nag 3 (AwsSolutions, HIPAA Security, NIST 800-53 rev 4 and rev 5,
 * PCI DSS 3.2.1) and the Control Tower cfn-guard rules of `@cdklabs/cdk-validator-cfnguard` through
 * CDK's own policy-validation path (`Validations.of(app).addPlugins(...)` + `app.synth()`), then parses
 * `policy-validation-report.json` from the cloud assembly into flat {@link ComplianceFinding}s.
 *
 * Behaviour verified against aws-cdk-lib 2.262.0, cdk-nag 3.0.2, @cdklabs/cdk-validator-cfnguard 0.0.62:
 *
 * - aws-cdk-lib passes the construct tree (`appConstruct`) to validation plugins from 2.262.0 on; cdk-nag 3
 *   needs it (before 2.262.0 every pack fails with "NagPack requires a construct tree on the validation
 *   context" and checks nothing). A plugin that fails makes this helper throw instead of returning a
 *   misleadingly empty list.
 * - Synth does not throw on violations: it prints the report with `console.error`, sets
 *   `process.exitCode = 1` and returns. The helper mutes that output and restores `process.exitCode`
 *   (otherwise jest would exit 1). A `Validation failed` error, should a CDK version throw one, is caught too.
 *
 * Acknowledgement ids, i.e. `Validations.of(construct).acknowledge({ id, reason })`, as honoured by this path:
 *
 * - nag, plain id, e.g. `AwsSolutions-RDS2`, `HIPAA.Security-RDSLoggingEnabled[LogExport::postgresql]`:
 *   CDK stores it as `annotation::<id>`; cdk-nag strips that prefix and matches the exact rule id (including
 *   any granular `[...]` suffix) on the resource or any ancestor. SCOPED: only findings on that construct
 *   subtree are removed. This is the form to use.
 * - nag, prefixed id `<Pack>::<RuleId>`, e.g. `AwsSolutions::AwsSolutions-RDS2`: cdk-nag ignores it, but
 *   CDK's framework collects acknowledged ids from the WHOLE app and drops the entire violation
 *   `<pluginName>::<ruleName>`, i.e. every resource of every stack. APP-WIDE, whatever construct you call it on.
 *   Granular ids cannot be prefixed (`AwsSolutions::AwsSolutions-IAM5[Action::s3:*]` throws
 *   `InvalidValidationId`, since `::` may appear only once), and a granular id whose own text has two `::` (for
 *   example `...[Resource::arn:aws:s3:::bucket/*]`) cannot be acknowledged at all.
 * - nag rule errors (see {@link isRuleError}) are acknowledged with the un-suffixed rule id, e.g.
 *   `NIST.800.53.R5-EC2RestrictedCommonPorts`.
 * - guard: only `cdk-validator-cfnguard::<guard_rule_name>`, e.g.
 *   `cdk-validator-cfnguard::rds_cluster_storage_encrypted_check`. The bare rule name does nothing. It is
 *   APP-WIDE (same framework filter as above): it removes that rule for every resource in every stack of the
 *   app. cfn-guard's own `Metadata.guard.SuppressedRules` is not honoured by the bundled Control Tower rules.
 *   Put variant stacks that need a guard acknowledgement in their own app.
 * - Side effect (aws-cdk-lib 2.262.0): once any violation of a plugin is filtered out, CDK recomputes that
 *   report's `success` from the remaining violations' severities. Guard violations have no severity, so the
 *   guard report turns to "success" even though violations remain. This helper ignores `success` and returns
 *   every violation that is left.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, CfnElement, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { CDK_BUILT_IN_PLUGIN_NAME, GUARD_PLUGIN_NAME, registerCompliancePlugins } from '../tools/compliance-packs';

export { CDK_BUILT_IN_PLUGIN_NAME, GUARD_PLUGIN_NAME, registerCompliancePlugins } from '../tools/compliance-packs';

/** One unacknowledged violation of one rule on one resource. */
export interface ComplianceFinding {
  /**
   * Rule pack or plugin name: `AwsSolutions`, `HIPAA.Security`, `NIST.800.53.R4`, `NIST.800.53.R5`,
   * `PCI.DSS.321` or `cdk-validator-cfnguard`.
   */
  readonly pack: string;
  /**
   * Rule id as reported. For nag e.g. `AwsSolutions-RDS2` or `HIPAA.Security-RDSLoggingEnabled[LogExport::postgresql]`;
   * for guard the guard rule name, e.g. `rds_cluster_storage_encrypted_check`.
   */
  readonly ruleId: string;
  /** `stackName` of the deployable (top-level) stack the finding is in. */
  readonly stack: string;
  /** Construct path of the offending CfnResource (falls back to the logical id). */
  readonly resource: string;
  /** Rule description; guard findings append the rule's `[FIX]` text. */
  readonly message: string;
}

/**
 * Turns aws-cdk-lib's built-in `CloudFormation Validate` rules back on in this test file (test/setup.ts switches them
 * off with `CDK_VALIDATION=false`, which aws-cdk-lib 2.276+ honours), for tests that assert on {@link builtInFindings}.
 */
export function useBuiltInRules(): void {
  delete process.env.CDK_VALIDATION;
}

/** Prefix of the description cdk-nag 3 gives a finding whose rule threw (e.g. on an unresolvable token). */
export const RULE_ERROR_PREFIX = 'Rule threw an error during validation.';

/** The report file: `validation-report.json` from aws-cdk-lib 2.262, `policy-validation-report.json` before. */
const REPORT_FILES = ['validation-report.json', 'policy-validation-report.json'];

/**
 * Whether a finding is a cdk-nag rule error, i.e. the rule threw instead of deciding (typically because a
 * property is an intrinsic such as `Fn::GetAtt`). Such findings carry the un-suffixed rule id and the
 * description {@link RULE_ERROR_PREFIX}.
 */
export function isRuleError(finding: ComplianceFinding): boolean {
  return finding.message.startsWith(RULE_ERROR_PREFIX);
}

/**
 * The acknowledgement id that removes `finding`: the plain rule id for nag (scoped to the construct you
 * acknowledge on), `cdk-validator-cfnguard::<rule>` for guard (app-wide, see the module comment).
 */
export function acknowledgementId(finding: ComplianceFinding): string {
  return finding.pack === GUARD_PLUGIN_NAME ? `${GUARD_PLUGIN_NAME}::${finding.ruleId}` : finding.ruleId;
}

/**
 * Creates an `App` for compliance tests: a fresh temporary `outdir`, no version-reporting resource and no
 * asset bundling. Properties you pass win; `context` is merged.
 */
export function testApp(props: AppProps = {}): App {
  return new App({
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-aurora-baseline-')),
    analyticsReporting: false,
    ...props,
    context: {
      // Skip asset bundling (Docker / esbuild) for every stack: templates are all we check.
      'aws:cdk:bundling-stacks': [],
      ...props.context,
    },
  });
}

interface ReportViolatingConstruct {
  readonly constructPath?: string;
  readonly resourceLogicalId?: string;
  readonly templatePath?: string;
  readonly locations?: string[];
  readonly cloudFormationResource?: { readonly templatePath?: string; readonly logicalId?: string };
}

interface ReportViolation {
  readonly ruleName: string;
  readonly description: string;
  readonly fix?: string;
  readonly suggestedFix?: string;
  readonly severity?: string;
  readonly violatingConstructs?: ReportViolatingConstruct[];
  readonly violatingResources?: ReportViolatingConstruct[];
}

interface PluginReportJson {
  readonly pluginName?: string;
  readonly summary?: {
    readonly pluginName: string;
    readonly status: string;
    readonly metadata?: Record<string, string>;
  };
  readonly metadata?: Record<string, string>;
  readonly violations?: ReportViolation[];
}

const cache = new WeakMap<App, ComplianceFinding[]>();

/**
 * Registers AwsSolutions, HIPAA Security, NIST 800-53 rev 4, NIST 800-53 rev 5, PCI DSS 3.2.1 (cdk-nag 3) and
 * the Control Tower guard rules (`CfnGuardValidator`, `controlTowerRulesEnabled`) on the app, synthesizes it
 * ONCE, and returns every unacknowledged finding of every stack in the app, sorted by stack, pack, rule and
 * resource. Rule errors (a nag rule that threw, e.g. on an unresolvable token) count as findings; see
 * {@link isRuleError}. Warnings (e.g. `VPCDefaultSecurityGroupClosed`) count too.
 *
 * Results are cached per app: calling again (or {@link complianceFindingsByStack}) does not re-synthesize.
 * Add every stack and every acknowledgement before the first call, and do not synthesize the app before it
 * (`Template.fromStack` afterwards is fine: it reuses this synth).
 *
 * @throws if synthesis fails for any reason other than policy violations, or a validation plugin crashed.
 */
export function complianceFindings(app: App): ComplianceFinding[] {
  return allFindings(app).filter((f) => f.pack !== CDK_BUILT_IN_PLUGIN_NAME);
}

/** The findings of aws-cdk-lib's built-in `CloudFormation Validate` rules (same synth, same cache). */
export function builtInFindings(app: App): ComplianceFinding[] {
  return allFindings(app).filter((f) => f.pack === CDK_BUILT_IN_PLUGIN_NAME);
}

function allFindings(app: App): ComplianceFinding[] {
  const cached = cache.get(app);
  if (cached) {
    return [...cached];
  }
  const reportFiles = REPORT_FILES.map((f) => path.join(app.outdir, f));
  if (fs.existsSync(path.join(app.outdir, 'manifest.json')) || reportFiles.some((f) => fs.existsSync(f))) {
    throw new Error(
      `complianceFindings: ${app.outdir} already holds a cloud assembly. Use a fresh outdir (testApp()) and call ` +
        'complianceFindings() before anything else synthesizes the app.',
    );
  }
  registerCompliancePlugins(app);
  synthQuietly(app, reportFiles);
  const reportFile = reportFiles.find((f) => fs.existsSync(f));
  if (!reportFile) {
    throw new Error(`complianceFindings: synth wrote none of ${REPORT_FILES.join(', ')}; were the plugins run?`);
  }
  const findings = parseReport(app, JSON.parse(fs.readFileSync(reportFile, 'utf-8')));
  cache.set(app, findings);
  return [...findings];
}

/**
 * {@link complianceFindings} grouped by stack name. Every deployable stack of the app has an entry, so a clean
 * stack maps to `[]` rather than being absent.
 */
export function complianceFindingsByStack(app: App): Record<string, ComplianceFinding[]> {
  const byStack: Record<string, ComplianceFinding[]> = {};
  for (const stack of deployableStacks(app)) {
    byStack[stack.stackName] = [];
  }
  for (const finding of complianceFindings(app)) {
    (byStack[finding.stack] ??= []).push(finding);
  }
  return byStack;
}

/** Synthesizes with CDK's validation output muted and `process.exitCode` preserved. */
function synthQuietly(app: App, reportFiles: string[]): void {
  const exitCode = process.exitCode;
  const consoleError = console.error;
  const captured: unknown[][] = [];
  console.error = (...args: unknown[]) => {
    captured.push(args);
  };
  try {
    app.synth();
  } catch (e) {
    // aws-cdk-lib 2.262 throws `ValidationFailed` after writing the report; anything else is a real synth failure.
    const isValidationFailure =
      e instanceof Error &&
      /Validation ?failed/i.test(`${e.name} ${e.message}`) &&
      reportFiles.some((f) => fs.existsSync(f));
    if (!isValidationFailure) {
      throw e;
    }
  } finally {
    console.error = consoleError;
    process.exitCode = exitCode;
  }
}

function parseReport(app: App, report: { pluginReports?: PluginReportJson[] }): ComplianceFinding[] {
  const index = new AppIndex(app);
  const findings = new Map<string, ComplianceFinding>();
  const unlocated: ComplianceFinding[] = [];
  for (const pluginReport of report.pluginReports ?? []) {
    const pack = pluginReport.pluginName ?? pluginReport.summary?.pluginName ?? '';
    // A plugin that threw is reported with no violations and `metadata.error`: never pass silently.
    const error = pluginReport.summary?.metadata?.error ?? pluginReport.metadata?.error;
    if (error) {
      throw new Error(`complianceFindings: validation plugin ${pack} failed: ${error}`);
    }
    for (const violation of pluginReport.violations ?? []) {
      const fix = violation.fix ?? violation.suggestedFix;
      const message = fix ? `${violation.description} [FIX]: ${fix}` : violation.description;
      const targets = violation.violatingConstructs?.length
        ? violation.violatingConstructs
        : (violation.violatingResources ?? []);
      for (const target of targets) {
        const located = index.locate(target);
        const finding: ComplianceFinding = {
          pack,
          ruleId: violation.ruleName,
          stack: located.stack,
          resource: located.resource ?? target.locations?.[0] ?? '',
          message,
        };
        if (located.resource === undefined) {
          unlocated.push(finding);
        } else {
          findings.set(keyOf(finding), finding);
        }
      }
    }
  }
  // Guard sometimes adds a second, resource-less entry (location `/0`, or an empty construct path that names no
  // stack) to a rule that already names the resource; keep such an entry only if the rule has no located
  // finding in that stack (in any stack, when the entry names none).
  for (const finding of unlocated) {
    const covered = [...findings.values()].some(
      (f) =>
        f.pack === finding.pack && f.ruleId === finding.ruleId && (finding.stack === '' || f.stack === finding.stack),
    );
    if (!covered) {
      findings.set(keyOf(finding), finding);
    }
  }
  return [...findings.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

function keyOf(f: ComplianceFinding): string {
  return [f.stack, f.pack, f.ruleId, f.resource].join('\u0000');
}

/** Top-level (deployable) stacks of the app, including stacks inside nested stages; not nested stacks. */
function deployableStacks(app: App): Stack[] {
  return app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nestedStackParent);
}

function deployableStackOf(construct: IConstruct): Stack {
  let stack = Stack.of(construct);
  while (stack.nestedStackParent) {
    stack = stack.nestedStackParent;
  }
  return stack;
}

/** Maps report entries (construct paths, template paths, logical ids) back onto the app's constructs. */
class AppIndex {
  private readonly byPath = new Map<string, IConstruct>();
  private readonly byTemplate = new Map<string, Stack>();
  private readonly logicalIds = new Map<Stack, Map<string, string>>();

  constructor(private readonly app: App) {
    for (const construct of app.node.findAll()) {
      this.byPath.set(construct.node.path, construct);
    }
    for (const stack of deployableStacks(app)) {
      const outdir = Stage.of(stack)?.outdir ?? app.outdir;
      this.byTemplate.set(path.resolve(outdir, stack.templateFile), stack);
    }
  }

  public locate(target: ReportViolatingConstruct): { stack: string; resource?: string } {
    const construct = target.constructPath ? this.byPath.get(target.constructPath) : undefined;
    if (construct) {
      return { stack: deployableStackOf(construct).stackName, resource: construct.node.path };
    }
    const templatePath = target.templatePath ?? target.cloudFormationResource?.templatePath;
    const stack = templatePath ? this.byTemplate.get(path.resolve(this.app.outdir, templatePath)) : undefined;
    const rawLogicalId = target.resourceLogicalId ?? target.cloudFormationResource?.logicalId;
    const logicalId = rawLogicalId && rawLogicalId !== 'N/A' ? rawLogicalId : undefined;
    if (!stack) {
      const stackName = templatePath ? path.basename(templatePath).replace(/\.template\.json$/, '') : '';
      return { stack: stackName, resource: target.constructPath || logicalId };
    }
    const resource = logicalId ? (this.logicalIdsOf(stack).get(logicalId) ?? logicalId) : target.constructPath;
    return { stack: stack.stackName, resource };
  }

  private logicalIdsOf(stack: Stack): Map<string, string> {
    let ids = this.logicalIds.get(stack);
    if (!ids) {
      ids = new Map();
      for (const construct of stack.node.findAll()) {
        if (CfnElement.isCfnElement(construct) && construct.stack === stack) {
          ids.set(stack.resolve(construct.logicalId), construct.node.path);
        }
      }
      this.logicalIds.set(stack, ids);
    }
    return ids;
  }
}
