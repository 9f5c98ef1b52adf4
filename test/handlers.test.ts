import * as fs from 'fs';
import * as path from 'path';
import { committedHandler, HANDLERS, transpileHandler } from '../projenrc/handlers';

describe('Lambda handler assets', () => {
  test.each(HANDLERS.map((h) => [h.output, h.source]))(
    '%s is the transpilation of %s (regenerate with `npx projen handlers`)',
    (output, source) => {
      expect(committedHandler(output)).toEqual(transpileHandler(source));
    },
  );

  test('the asset directories hold only the JavaScript the Lambda runtime loads', () => {
    for (const { output } of HANDLERS) {
      expect(fs.readdirSync(path.join(__dirname, '..', path.dirname(output)))).toEqual(['index.js']);
    }
  });
});
