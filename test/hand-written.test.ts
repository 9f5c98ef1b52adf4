import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildReferenceApp } from '../apps/reference/reference-app';
import { buildHandWrittenApp } from '../tools/bench/hand-written';

/**
 * The benchmark compares like with like: the hand-written app has the library's topology — the same stacks in the
 * same Regions, and in each the same number of resources of every CloudFormation type. It is not a byte-identical
 * re-typing of the library's templates (property values may differ), so that a change to the library's output only
 * needs the twin to follow when it adds or removes resources.
 */
describe('hand-written aws-cdk-lib equivalent of the reference architecture', () => {
  // GIVEN two apps, without aws-cdk-lib's built-in rules (slow to start, and not what is compared here)
  // test/setup.ts switches aws-cdk-lib's built-in rules off where it can: not what is compared here.
  const app = () => new App();
  const library = buildReferenceApp(app()).stacks;
  const handWritten = buildHandWrittenApp(app());

  const topology = (stacks: Stack[]) =>
    Object.fromEntries(
      stacks.map((s) => {
        const resources = Object.values(Template.fromStack(s).toJSON().Resources ?? {}) as { Type: string }[];
        const byType: Record<string, number> = {};
        for (const r of resources) byType[r.Type] = (byType[r.Type] ?? 0) + 1;
        return [s.stackName, { region: s.region, resources: resources.length, byType }];
      }),
    );

  test('has the same stacks, Regions and resource counts by type', () => {
    // WHEN
    const expected = topology(library);
    const actual = topology(handWritten);

    // THEN
    expect(actual).toEqual(expected);
  });

  test('is not empty: the comparison covers the whole reference architecture', () => {
    const total = Object.values(topology(library)).reduce((n, s) => n + s.resources, 0);
    expect(library.length).toBeGreaterThanOrEqual(6);
    expect(total).toBeGreaterThan(100);
  });
});
