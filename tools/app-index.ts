/**
 * Helpers shared by the tools that read the synthesized reference architecture (compliance report, diagram).
 */
import { App, CfnResource, CloudFormationValidatePlugin, Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import * as library from '../src';
import { noBuiltInValidation } from './built-in-validation';

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

export { noBuiltInValidation } from './built-in-validation';

/**
 * Runs `fn` with aws-cdk-lib's built-in validation rules replaced by {@link noBuiltInValidation} in every App,
 * including Apps that `fn` creates and synthesizes itself (integ test files). Patches an internal of aws-cdk-lib
 * (`CloudFormationValidatePlugin._singletonInstance`); if it is gone, the built-in rules simply run.
 */
export function withoutBuiltInValidation<T>(fn: () => T): T {
  const cls = CloudFormationValidatePlugin as unknown as { _singletonInstance?: () => unknown };
  const original = cls._singletonInstance;
  if (typeof original !== 'function') return fn();
  const plugin = noBuiltInValidation();
  cls._singletonInstance = () => plugin;
  try {
    return fn();
  } finally {
    cls._singletonInstance = original;
  }
}

/**
 * Synthesizes without aws-cdk-lib's built-in `CloudFormation Validate` rules (see {@link noBuiltInValidation}), with
 * output muted and `process.exitCode` preserved.
 */
export function synthQuietly(app: App): void {
  Validations.of(app).addPlugins(noBuiltInValidation());
  const exitCode = process.exitCode;
  const consoleError = console.error;
  console.error = () => {};
  try {
    app.synth();
  } finally {
    console.error = consoleError;
    process.exitCode = exitCode;
  }
}
