import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildReferenceApp } from '../reference-app';
import { buildHandWrittenApp } from './hand-written';

/** The benchmark compares like with like: the hand-written app synthesizes to the library's templates. */
describe('hand-written aws-cdk-lib equivalent of the reference architecture', () => {
  test('synthesizes to the same stacks and templates', () => {
    // GIVEN
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => {}); // built-in W9008 warnings
    const library = buildReferenceApp(new App()).stacks;
    const handWritten = buildHandWrittenApp(new App());

    // WHEN
    const templates = (stacks: typeof library) =>
      Object.fromEntries(stacks.map((s) => [s.stackName, Template.fromStack(s).toJSON()]));

    // THEN
    expect(templates(handWritten)).toEqual(templates(library));
    consoleError.mockRestore();
  });
});
