/**
 * The reference architecture as a CDK app: `cdk synth --app "npx ts-node --transpile-only apps/reference/main.ts"`
 * (or `npx projen synth:reference`, which also prints a summary). It registers every compliance pack the library is
 * held to, as the README tells an app to, so a synthesis with an unacknowledged finding fails.
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
import { buildReferenceApp } from './reference-app';

const app = new App();
buildReferenceApp(app);
Validations.of(app).addPlugins(
  new CfnGuardValidator({ controlTowerRulesEnabled: true }),
  new AwsSolutionsChecks(app),
  new HIPAASecurityChecks(app),
  new NIST80053R4Checks(app),
  new NIST80053R5Checks(app),
  new PCIDSS321Checks(app),
);
app.synth();
