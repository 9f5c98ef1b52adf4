import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildReferenceApp } from '../apps/reference/reference-app';
import { noBuiltInValidation } from '../tools/app-index';
import { buildHandWrittenApp } from '../tools/bench/hand-written';

/** The benchmark compares like with like: the hand-written app synthesizes to the library's templates. */
describe('hand-written aws-cdk-lib equivalent of the reference architecture', () => {
  test('synthesizes to the same stacks and templates', () => {
    // GIVEN two apps, without aws-cdk-lib's built-in rules (slow to start, and not what is compared here)
    const app = () => {
      const a = new App();
      Validations.of(a).addPlugins(noBuiltInValidation());
      return a;
    };
    const library = buildReferenceApp(app()).stacks;
    const handWritten = buildHandWrittenApp(app());

    // WHEN
    const templates = (stacks: typeof library) =>
      Object.fromEntries(stacks.map((s) => [s.stackName, Template.fromStack(s).toJSON()]));

    // THEN
    expect(templates(handWritten)).toEqual(templates(library));
  });
});
