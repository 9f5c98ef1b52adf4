/**
 * aws-cdk-lib's built-in `CloudFormation Validate` rules, which CDK registers on every App: not one of the compliance
 * packs, and slow (they run on every synthesis, `Template.fromStack` included: 5 to 10 s per test file on 2 cores).
 *
 * test/setup.ts turns them off in every test file; a file that pins their findings (`builtInFindings`) calls
 * {@link useBuiltInValidation} first.
 */
import { CloudFormationValidatePlugin } from 'aws-cdk-lib';

/** The internal of aws-cdk-lib 2.262 that hands every App its built-in plugin. */
const pluginClass = CloudFormationValidatePlugin as unknown as { _singletonInstance?: () => unknown };
const builtIn = pluginClass._singletonInstance;

/**
 * A validation plugin that stands in for aws-cdk-lib's built-in `CloudFormation Validate` rules and checks nothing.
 * Registering an instance of their class with `Validations.of(app).addPlugins()` replaces the default one.
 */
export function noBuiltInValidation(): CloudFormationValidatePlugin {
  const plugin = Object.create(CloudFormationValidatePlugin.prototype);
  Object.defineProperties(plugin, {
    name: { value: CloudFormationValidatePlugin.PLUGIN_NAME },
    version: { value: undefined },
    ruleIds: { value: [] },
    validate: { value: () => ({ success: true, violations: [] }) },
  });
  return plugin;
}

/**
 * Every App created from now on (in this module registry: one jest test file) gets {@link noBuiltInValidation}
 * instead of the built-in rules. If aws-cdk-lib drops the internal this patches, the built-in rules simply run.
 */
export function disableBuiltInValidation(): void {
  if (typeof builtIn !== 'function') return;
  const plugin = noBuiltInValidation();
  pluginClass._singletonInstance = () => plugin;
}

/** Undoes {@link disableBuiltInValidation}: Apps get aws-cdk-lib's built-in rules again. */
export function useBuiltInValidation(): void {
  if (typeof builtIn === 'function') pluginClass._singletonInstance = builtIn;
}
