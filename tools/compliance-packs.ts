/**
 * The compliance packs the library is held to, registered the way an app registers them: the Control Tower cfn-guard
 * rules of `@cdklabs/cdk-validator-cfnguard` and the five cdk-nag 3 packs, through aws-cdk-lib's `Validations` API.
 * Shared by the tools (compliance report, reference synth, benchmark) and the compliance tests (test/compliance.ts).
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  HIPAASecurityChecks,
  NIST80053R4Checks,
  NIST80053R5Checks,
  PCIDSS321Checks,
} from 'cdk-nag';

/**
 * aws-cdk-lib's own built-in rule set, which CDK registers on every app. It is not one of the packs the library
 * is held to; the compliance tests return its findings separately so they can pin them.
 */
export const CDK_BUILT_IN_PLUGIN_NAME = 'CloudFormation Validate';

/** Name under which `@cdklabs/cdk-validator-cfnguard` reports (and the prefix its acknowledgements need). */
export const GUARD_PLUGIN_NAME = 'cdk-validator-cfnguard';

/** Registers the guard plugin (Control Tower rules) and the five cdk-nag packs on `app`. */
export function registerCompliancePlugins(app: App): void {
  Validations.of(app).addPlugins(
    new CfnGuardValidator({ controlTowerRulesEnabled: true }),
    new AwsSolutionsChecks(app),
    new HIPAASecurityChecks(app),
    new NIST80053R4Checks(app),
    new NIST80053R5Checks(app),
    new PCIDSS321Checks(app),
  );
}
