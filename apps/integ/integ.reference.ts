/**
 * The reference architecture (apps/reference/reference-app.ts), deployable: integ-runner checks its snapshot in the test run,
 * and deploys it with an AWS account (`--update-on-failed`).
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { buildReferenceApp } from '../reference/reference-app';

const app = new App();
const reference = buildReferenceApp(app, { disposable: true });
new IntegTest(app, 'Reference', {
  testCases: reference.stacks,
  regions: [...new Set(reference.stacks.map((s) => s.region))],
  stackUpdateWorkflow: false,
});
app.synth();
