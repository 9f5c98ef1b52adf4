import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  integManifestIn,
  integTestFiles,
  snapshotDirectory,
  synthIntegTest,
  templatesIn,
} from '../tools/integ-snapshots';

/**
 * What integ-runner's snapshot check does, for as long as integ-runner cannot read aws-cdk-lib's cloud assemblies
 * (see tools/integ-snapshots.ts): every integ test synthesizes to exactly its committed snapshot.
 */
describe('integ test snapshots', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshots-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('there are integ tests', () => {
    expect(integTestFiles()).toEqual(
      expect.arrayContaining([
        'integ.reference.ts',
        'integ.mysql-backtrack.ts',
        'integ.postgres-serverless-zero.ts',
        'integ.proxy.ts',
        'integ.global-headless.ts',
      ]),
    );
  });

  test.each(integTestFiles())('%s matches its snapshot (update with `npx projen integ:update`)', (file) => {
    // GIVEN the committed snapshot
    const snapshot = snapshotDirectory(file);
    expect(fs.existsSync(snapshot)).toBe(true);

    // WHEN
    const actual = path.join(outdir, file);
    synthIntegTest(file, actual);

    // THEN
    expect(integManifestIn(actual)).toEqual(integManifestIn(snapshot));
    expect(templatesIn(actual)).toEqual(templatesIn(snapshot));
  });
});
