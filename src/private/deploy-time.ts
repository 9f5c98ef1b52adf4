import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { renderRule, Rule } from './validate';

/**
 * Values known only at deploy time (CfnParameters, imports, `Lazy` values). The library never lower-cases,
 * compares or computes on an unresolved token: it passes the token through and says at synth which rule it could
 * not check. A `Lazy` value that resolves to a literal at synth is checked then, when the app synthesizes.
 */

/** A string the library would lower-case: lower-cased when literal, passed through untouched when a token. */
export function lowerIfLiteral(value: string): string {
  return Token.isUnresolved(value) ? value : value.toLowerCase();
}

/** Whether a value is (or contains) an unresolved token. */
export function isToken(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'object' && typeof (value as Duration).toSeconds === 'function') {
    return (value as Duration).isUnresolved();
  }
  return Token.isUnresolved(value);
}

/** Says at synth that `prop` is a deploy-time value, so that `what` could not be checked. */
export function warnUnchecked(scope: IConstruct, prop: string, what: string): void {
  Annotations.of(scope).addWarningV2(
    `cdk-aurora-baseline:unchecked:${prop}`,
    `${prop} is a deploy-time value (a token), so ${what} could not be checked at synth; AWS checks it at deploy time`,
  );
}

/**
 * Checks a numeric prop when the app synthesizes: a `Lazy` that resolves to a number is checked by `rules` (an error
 * that names the prop fails the synth), a value that stays a CloudFormation expression (a parameter, an import) is
 * reported as unchecked.
 */
export function checkNumberAtSynth(
  scope: IConstruct,
  prop: string,
  value: unknown,
  rules: (resolved: number) => Rule[],
  what: string,
): void {
  if (!isToken(value)) return;
  let warned = false;
  scope.node.addValidation({
    validate: () => {
      let resolved: unknown;
      try {
        resolved = Stack.of(scope).resolve(value);
      } catch {
        resolved = undefined;
      }
      if (typeof resolved === 'number') {
        return rules(resolved)
          .filter((r) => r.condition)
          .map((r) => renderRule(scope.node.path, r));
      }
      if (!warned) {
        warned = true;
        warnUnchecked(scope, prop, what);
      }
      return [];
    },
  });
}
