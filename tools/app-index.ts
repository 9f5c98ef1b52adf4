/**
 * Helpers shared by the tools that read the synthesized reference architecture (compliance report, diagram).
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as library from '../src';

/** A CfnResource of the reference app. */
export interface ResourceInfo {
  readonly path: string;
  readonly type: string;
  readonly stack: string;
  /** The library construct class that created it, e.g. `AuroraCluster`; undefined for the app's own resources. */
  readonly createdBy?: string;
}

/** A CfnResource and what is known about it. */
export interface IndexedResource {
  readonly resource: CfnResource;
  readonly info: ResourceInfo;
}

/** Every CfnResource of the app by construct path, with the library construct that created it, if any. */
export function cfnResources(app: App): Map<string, IndexedResource> {
  const libraryClasses = Object.values(library).filter((v) => typeof v === 'function') as unknown as Array<
    abstract new (...args: never[]) => unknown
  >;
  const result = new Map<string, IndexedResource>();
  for (const construct of app.node.findAll()) {
    if (!CfnResource.isCfnResource(construct)) continue;
    let createdBy: string | undefined;
    for (let scope: IConstruct | undefined = construct; scope && !createdBy; scope = scope.node.scope) {
      createdBy = libraryClasses.find((cls) => scope instanceof cls)?.name;
    }
    result.set(construct.node.path, {
      resource: construct,
      info: {
        path: construct.node.path,
        type: construct.cfnResourceType,
        stack: deployableStack(construct).stackName,
        createdBy,
      },
    });
  }
  return result;
}

export function deployableStack(construct: IConstruct): Stack {
  let stack = Stack.of(construct);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}

/**
 * Runs `fn` with aws-cdk-lib's built-in validation rules switched off in every App it synthesizes, including Apps
 * that `fn` creates itself (integ test files), through aws-cdk-lib's supported switch `CDK_VALIDATION=false`
 * (2.276+; older releases have none and run the rules, which only costs time here).
 */
export function withoutBuiltInValidation<T>(fn: () => T): T {
  const saved = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = saved;
  }
}

/**
 * Synthesizes without aws-cdk-lib's built-in `CloudFormation Validate` rules (see {@link withoutBuiltInValidation}),
 * with output muted and `process.exitCode` preserved.
 */
export function synthQuietly(app: App): void {
  const exitCode = process.exitCode;
  const consoleError = console.error;
  console.error = () => {};
  try {
    withoutBuiltInValidation(() => app.synth());
  } finally {
    console.error = consoleError;
    process.exitCode = exitCode;
  }
}
