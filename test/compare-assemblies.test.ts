import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { differences, templatesOf } from '../tools/compare-assemblies';

/** The cross-language check (`npx projen languages`) fails when a Python or Java app synthesizes other templates. */
describe('compare-assemblies', () => {
  const template = { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } } };

  test('finds no difference between equal templates', () => {
    expect(differences(template, JSON.parse(JSON.stringify(template)))).toEqual([]);
  });

  test('names a changed value, a missing and an unexpected key, and a list of another length', () => {
    // GIVEN
    const actual = {
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: false } },
        Extra: { Type: 'AWS::SNS::Topic' },
      },
      Outputs: [1, 2],
    };

    // WHEN
    const diffs = differences({ ...template, Outputs: [1], Conditions: {} }, actual);

    // THEN
    expect(diffs).toEqual([
      '.Resources.Key.Properties.EnableKeyRotation: expected true, found false',
      '.Resources.Extra: unexpected',
      '.Outputs: 1 items expected, 2 found',
      '.Conditions: missing',
    ]);
  });

  test('reads the templates of a cloud assembly, and refuses a directory without any', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compare-assemblies-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{}');

    // THEN
    expect(() => templatesOf(dir)).toThrow(/no \*\.template\.json/);

    // WHEN
    fs.writeFileSync(path.join(dir, 'Stack.template.json'), JSON.stringify(template));

    // THEN
    expect(templatesOf(dir)).toEqual({ 'Stack.template.json': template });
  });
});
