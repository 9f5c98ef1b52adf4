import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster } from '../src';
import { testStack, testVpc } from './util';
import { versionHasFalsePositives } from '../src/private/built-in-rules';
import { engineLifecycle } from '../src/private/engine-lifecycle';

describe('engine version lifecycle table', () => {
  test.each([
    ['16.4', false, true],
    ['16.6', false, true],
    ['15.4', false, true],
    ['16.9', false, false],
    ['17.4', false, false],
    ['8.0.mysql_aurora.3.05.2', true, true],
    ['8.0.mysql_aurora.3.04.0', true, false],
    ['8.0.mysql_aurora.3.08.0', true, false],
  ])('%s: not offered for new clusters is %s', (version, mysql, expected) => {
    expect(engineLifecycle(version, mysql, new Date('2026-11-29'))?.notForNewClusters).toBe(expected);
  });

  test.each([
    ['12.22', false, '2025-02-28'],
    ['13.20', false, '2026-02-28'],
    ['5.7.mysql_aurora.2.12.4', true, '2024-10-31'],
  ])('%s: standard support ended on %s', (version, mysql, end) => {
    expect(engineLifecycle(version, mysql, new Date('2026-11-29'))?.standardSupportEnded).toBe(end);
  });

  test('a date before the end of standard support is not reported', () => {
    expect(engineLifecycle('13.20', false, new Date('2026-01-01'))?.standardSupportEnded).toBeUndefined();
  });

  test('a version the library cannot read (a token) says nothing', () => {
    expect(engineLifecycle('${Token[TOKEN.1]}', false)).toBeUndefined();
    expect(engineLifecycle(undefined, true)).toBeUndefined();
  });
});

describe('AuroraCluster engine version warnings', () => {
  test('warns at synth when the pinned version is no longer offered for new clusters', () => {
    // GIVEN a cluster pinned to Aurora PostgreSQL 16.4
    const stack = testStack();
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 });
    new AuroraCluster(stack, 'Db', { engine, vpc: testVpc(stack) });
    // THEN a warning names the version, the AWS source and the fix
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Db',
      Match.stringLikeRegexp(
        'engine: Aurora PostgreSQL 16.4 is no longer offered for new clusters \\(https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html\\).*Pin a current minor version',
      ),
    );
  });

  test('warns when the major version is past the end of standard support', () => {
    const stack = testStack();
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_13_20 });
    new AuroraCluster(stack, 'Db', { engine, vpc: testVpc(stack) });
    Annotations.fromStack(stack).hasWarning(
      '/TestStack/Db',
      Match.stringLikeRegexp("Aurora standard support of Aurora PostgreSQL 13.20's major version ended on 2026-02-28"),
    );
  });

  test('a current version gets no lifecycle warning', () => {
    const stack = testStack();
    const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_9 });
    new AuroraCluster(stack, 'Db', { engine, vpc: testVpc(stack) });
    Annotations.fromStack(stack).hasNoWarning('/TestStack/Db', Match.stringLikeRegexp('new clusters|standard support'));
  });
});

describe("aws-cdk-lib's built-in rules false positives", () => {
  test.each([
    [[2, 262], true],
    [[2, 275], true],
    [[2, 276], false],
    [[2, 300], false],
    [[3, 0], false],
  ] as [[number, number], boolean][])('aws-cdk-lib %j has them: %s', (version, expected) => {
    expect(versionHasFalsePositives(version)).toBe(expected);
  });

  test('an unreadable aws-cdk-lib version is assumed to have none', () => {
    expect(versionHasFalsePositives(undefined)).toBe(false);
  });
});
