import { createHash } from 'crypto';
import { CfnElement, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Physical names the library derives (cluster identifiers, custom endpoint identifiers, proxy names, the global
 * cluster identifier) and the descriptions it writes into create-only properties.
 *
 * Changing a create-only name replaces the resource (for a cluster: a new, empty cluster), so a derived name must
 * not move when users refactor their app while keeping logical ids, and must not collide when a destroyed stack is
 * deployed again while resources the library keeps on delete (a retained cluster, retained log groups) still hold
 * the old names.
 *
 * A derived name is `<stack name>-<logical id>-<stack suffix>`, lower case:
 * - the logical id is the one of the named resource (for a cluster: its `AWS::RDS::DBCluster`), read when the
 *   template is synthesized, so it honours `overrideLogicalId`: moving or renaming a construct while keeping its
 *   logical ids keeps every name, exactly as it keeps every other resource. The construct path is not used.
 * - the stack suffix is the first group of the stack's UUID (`AWS::StackId`,
 *   `arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>`): fixed for the life of a stack, new for every
 *   stack created, so a stack deployed again after `cdk destroy` never reuses a name, and two stacks of the same app
 *   in one account and Region never share one.
 *
 * The alternative, letting CloudFormation generate the names, would also survive refactors and redeploys, but the
 * log groups (which must exist before the cluster exports into them) and the key policy (which names the log groups)
 * would then depend on the cluster, and the key policy on a cluster that depends on the key is a cycle.
 *
 * The global cluster identifier is a literal (secondary stacks in other Regions use it, and a cross-Region reference
 * would need a Lambda-backed resource): `<stack name>-<logical id>-<8 hex digits of the Region, stack name and
 * logical id>`. The global cluster is deleted with its stack, so the redeploy case does not arise for it.
 *
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbcluster.html#cfn-rds-dbcluster-dbclusteridentifier
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html#cfn-pseudo-param-stackid
 */

/** Length of the stack suffix (the first group of a UUID). */
export const STACK_SUFFIX_LENGTH = 8;

/**
 * `AWS::StackId`'s UUID, first group: 8 lowercase hex digits, fixed for the life of the stack of `scope`.
 *
 * The stack's own `stackId` (a pseudo parameter scoped to that stack), not `Aws.STACK_ID`: a name used in another
 * stack (an app's stack, an integ test's assertion stack) then imports the right stack's id instead of silently
 * reading its own.
 */
export function stackSuffix(scope: IConstruct): string {
  return Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Stack.of(scope).stackId))));
}

/** The stack name (literal), or the stack's construct id where the name is a token (nested stacks). */
function stackLabel(stack: Stack): string {
  return Token.isUnresolved(stack.stackName) ? stack.node.id : stack.stackName;
}

/** The final logical id of a resource (after `overrideLogicalId`): call only while synthesizing. */
function finalLogicalId(resource: CfnElement): string {
  return Stack.of(resource).resolve(resource.logicalId);
}

/**
 * Lower-case letters, digits and single hyphens, starting with a letter, at most `maxLength` characters. Truncated
 * names end with 8 hex digits of the untruncated one, so that two long names do not collide.
 */
export function readableName(source: string, maxLength: number): string {
  let readable = source
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(readable)) readable = `db-${readable}`.replace(/-+$/, '');
  if (readable.length <= maxLength) return readable;
  const hash = createHash('sha256').update(readable).digest('hex').slice(0, 8);
  return `${readable.slice(0, maxLength - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}

/**
 * A physical name that survives refactors that keep logical ids, and redeploys: `<stack>-<logical id>-<stack
 * suffix>`, within `maxLength` (63 for DB cluster, custom endpoint and proxy names). A token; `resource` is called
 * at synthesis, so the resource may be created after the name.
 */
export function derivePhysicalName(scope: IConstruct, resource: () => CfnElement, maxLength = 63): string {
  return `${derivedNamePrefix(resource, maxLength)}-${stackSuffix(scope)}`;
}

/**
 * The part of `derivePhysicalName` known at synth (`<stack>-<logical id>`, without the stack suffix): a token that
 * resolves to a literal in every stack, so another Region's stack can search for the name.
 */
export function derivedNamePrefix(resource: () => CfnElement, maxLength = 63): string {
  return Lazy.string({
    produce: () => {
      const r = resource();
      return readableName(`${stackLabel(Stack.of(r))}-${finalLogicalId(r)}`, maxLength - STACK_SUFFIX_LENGTH - 1);
    },
  });
}

/**
 * A literal name (the global cluster identifier): `<stack>-<logical id>-<8 hex digits>` where the hash covers the
 * Region, the stack name and the logical id. A token that resolves to a literal in every stack.
 */
export function deriveLiteralName(resource: () => CfnElement, maxLength = 63): string {
  return Lazy.string({
    produce: () => {
      const r = resource();
      const stack = Stack.of(r);
      const parts = [stackLabel(stack), finalLogicalId(r)];
      const hash = createHash('sha256')
        .update([Token.isUnresolved(stack.region) ? '' : stack.region, ...parts].join('/'))
        .digest('hex')
        .slice(0, 8);
      return `${readableName(parts.join('-'), maxLength - hash.length - 1)}-${hash}`;
    },
  });
}

/**
 * A label for descriptions in create-only properties (parameter groups, security groups): `<stack>/<logical id>`,
 * which survives refactors that keep logical ids. A token.
 */
export function stableLabel(resource: () => CfnElement): string {
  return Lazy.string({
    produce: () => {
      const r = resource();
      return `${stackLabel(Stack.of(r))}/${finalLogicalId(r)}`;
    },
  });
}
