import { CfnResource, Stack } from 'aws-cdk-lib';

/**
 * Leaves out of a resource's `DependsOn` the resources its properties already reference with `Ref` or
 * `Fn::GetAtt`: CloudFormation orders those anyway, and cfn-lint reports the duplicate (W3005).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
 *
 * aws-cdk-lib turns construct dependencies (`node.addDependency`, including the ones its own constructs add, such as
 * a Lambda function's on its role) into resource dependencies when it prepares the app; this runs after that, as a
 * validation of the resource, before the template is written. Only `DependsOn` changes, which CloudFormation applies
 * without touching the resource.
 */
export function omitDependsOnImpliedByReferences(source: CfnResource): void {
  source.node.addValidation({
    validate: () => {
      const stack = Stack.of(source);
      const referenced = new Set<string>();
      collectReferences(
        stack.resolve((source as unknown as { _toCloudFormation(): unknown })._toCloudFormation()),
        referenced,
      );
      for (const target of source.obtainDependencies()) {
        if (
          CfnResource.isCfnResource(target) &&
          Stack.of(target) === stack &&
          referenced.has(stack.resolve(target.logicalId))
        ) {
          source.removeResourceDependency(target);
        }
      }
      return [];
    },
  });
}

/** The logical ids that `Ref` and `Fn::GetAtt` name anywhere in a resolved template fragment (but not DependsOn). */
function collectReferences(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach((v) => collectReferences(v, into));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'Ref' && typeof v === 'string') {
        into.add(v);
      } else if (key === 'Fn::GetAtt' && Array.isArray(v) && typeof v[0] === 'string') {
        into.add(v[0]);
      } else if (key === 'Fn::GetAtt' && typeof v === 'string') {
        into.add(v.split('.')[0]);
      } else if (key !== 'DependsOn') {
        collectReferences(v, into);
      }
    }
  }
}
