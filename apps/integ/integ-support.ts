/**
 * Shared set-up of the integ tests (apps/integ/integ.*.ts): integ-runner synthesizes each of them in the test run and
 * compares it with its committed snapshot (test/integ.<name>.ts.snapshot/); with an AWS account,
 * `npx integ-runner --language typescript --directory test --update-on-failed` deploys, tests and destroys them.
 *
 * A new integ test is one file:
 *
 * ```ts
 * const { app, stack, vpc } = integStack('Proxy');
 * const db = new AuroraCluster(stack, 'Db', { engine, vpc });
 * db.addAuroraProxy('Proxy');
 * integTest(app, 'Proxy', stack);
 * ```
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { makeDisposable, REFERENCE_REGIONS } from '../reference/reference-app';
import { ReferenceNetwork } from '../reference/reference-network';

/** Prefix of the integ tests' stack names. */
export const INTEG_PREFIX = 'AuroraBaselineInteg';

/** An app with one stack holding the reference network, in the primary Region and any account. */
export function integStack(
  name: string,
  region: string = REFERENCE_REGIONS.primary,
): { app: App; stack: Stack; vpc: ec2.IVpc } {
  const app = new App();
  return { app, ...integStackIn(app, name, region) };
}

/** Another stack of an integ test's app, with its own reference network, e.g. in a secondary Region. */
export function integStackIn(app: App, name: string, region: string): { stack: Stack; vpc: ec2.IVpc } {
  const stack = new Stack(app, `${INTEG_PREFIX}-${name}`, {
    env: { region },
    description: `cdk-aurora-baseline integ test: ${name}`,
  });
  const vpc = new ReferenceNetwork(stack, 'Network').vpc;
  return { stack, vpc };
}

/**
 * Declares the integ test of `stacks` and makes them disposable (deletion protection off, everything destroyed with
 * the stack), so that integ-runner can deploy and clean up.
 */
export function integTest(app: App, name: string, ...stacks: Stack[]): IntegTest {
  makeDisposable(...stacks);
  return new IntegTest(app, name, {
    testCases: stacks,
    // In the first stack's Region: the names the library derives contain their stack's id, which another stack
    // imports, and CloudFormation imports only within one Region.
    assertionStack: new Stack(app, `${INTEG_PREFIX}-${name}-Assertions`, { env: { region: stacks[0].region } }),
    regions: [...new Set(stacks.map((s) => s.region))],
    // The update workflow first deploys the committed snapshot; clusters take long enough to create once.
    stackUpdateWorkflow: false,
  });
}
