import { Annotations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ParsedVersion, parseAuroraVersion } from './engine-version';

/**
 * The one table of Aurora engine versions that AWS no longer offers for new clusters, and of the major versions past
 * the end of Aurora standard support (after which AWS enrolls clusters in paid RDS Extended Support). Data only:
 * update it from its sources.
 *
 * Sources (checked 2026-11-29):
 * - Aurora PostgreSQL release calendars (major and minor versions):
 *   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html
 * - Aurora MySQL release calendars:
 *   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html
 * - Minor versions not offered for new clusters: those RDS's DescribeDBEngineVersions API no longer lists as
 *   available for creation (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DescribeDBEngineVersions.html),
 *   as of 2026-10-20 (the same list cfn-lint's W3690 checks).
 */
export const ENGINE_LIFECYCLE_SOURCES = {
  postgres:
    'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html',
  mysql: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html',
  checked: '2026-11-29',
};

/** Engine version lists by engine: PostgreSQL as `major.minor`, MySQL as the Aurora version `3.05.2`. */
interface EngineTable {
  /** Versions AWS no longer offers for new clusters. */
  readonly notForNewClusters: readonly string[];
  /** End of Aurora standard support per major line (`2` for Aurora MySQL 2 / MySQL 5.7), ISO dates. */
  readonly endOfStandardSupport: { readonly [line: number]: string };
}

const POSTGRES: EngineTable = {
  notForNewClusters: [
    ...['3', '4', '5', '6', '7', '8', '10', '11', '12', '13', '14', '15', '16', '18', '20', '21', '22'].map(
      (m) => `13.${m}`,
    ),
    ...['3', '4', '5', '7', '8', '9', '10', '11', '12', '13', '15'].map((m) => `14.${m}`),
    ...['2', '3', '4', '5', '6', '7', '8'].map((m) => `15.${m}`),
    ...['1', '2', '3', '4', '6'].map((m) => `16.${m}`),
  ],
  endOfStandardSupport: { 11: '2024-02-29', 12: '2025-02-28', 13: '2026-02-28' },
};

const MYSQL: EngineTable = {
  notForNewClusters: [
    '3.01.0',
    '3.01.1',
    '3.02.0',
    '3.02.1',
    '3.02.2',
    '3.02.3',
    '3.03.0',
    '3.03.1',
    '3.03.2',
    '3.03.3',
    '3.05.0',
    '3.05.1',
    '3.05.2',
    '3.06.0',
    '3.06.1',
    '3.07.0',
    '3.07.1',
    '3.11.0',
  ],
  endOfStandardSupport: { 2: '2024-10-31' },
};

/** What the table says about one pinned version. */
export interface EngineLifecycle {
  /** The version is no longer offered for new clusters. */
  readonly notForNewClusters: boolean;
  /** The end of standard support of its major line, if that date is past `today`. */
  readonly standardSupportEnded?: string;
  readonly version: ParsedVersion;
}

/**
 * Looks a full engine version (`16.4`, `8.0.mysql_aurora.3.05.2`) up in the table. Undefined for a version the library
 * cannot read (a token, or a new format): nothing to say then.
 */
export function engineLifecycle(
  fullVersion: string | undefined,
  mysql: boolean,
  today: Date = new Date(),
): EngineLifecycle | undefined {
  const version = parseAuroraVersion(fullVersion);
  if (!version) return undefined;
  const table = mysql ? MYSQL : POSTGRES;
  const key = mysql
    ? `${version.line}.${String(version.minor).padStart(2, '0')}.${version.patch}`
    : `${version.line}.${version.minor}`;
  const end = table.endOfStandardSupport[version.line];
  return {
    version,
    notForNewClusters: table.notForNewClusters.includes(key),
    standardSupportEnded: end !== undefined && new Date(`${end}T00:00:00Z`) <= today ? end : undefined,
  };
}

/**
 * Warns (synth-time annotations on `scope`) when the pinned engine version is no longer offered for new clusters, or
 * its major version is past the end of Aurora standard support. A cluster that already runs the version keeps running.
 */
export function warnOnEngineLifecycle(
  scope: IConstruct,
  family: { readonly displayName: string; readonly mysqlStyleVersions: boolean },
  fullVersion: string | undefined,
  today: Date = new Date(),
): void {
  const lifecycle = engineLifecycle(fullVersion, family.mysqlStyleVersions, today);
  if (!lifecycle) return;
  const source = family.mysqlStyleVersions ? ENGINE_LIFECYCLE_SOURCES.mysql : ENGINE_LIFECYCLE_SOURCES.postgres;
  const label = `${family.displayName} ${lifecycle.version.label}`;
  if (lifecycle.notForNewClusters) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:engineVersionNotForNewClusters',
      `engine: ${label} is no longer offered for new clusters (${source}); a deployment that creates a cluster with it fails. Pin a current minor version of the same major version (an existing cluster is upgraded in place, without replacement)`,
    );
  }
  if (lifecycle.standardSupportEnded) {
    Annotations.of(scope).addWarningV2(
      'cdk-aurora-baseline:engineVersionPastStandardSupport',
      `engine: Aurora standard support of ${label}'s major version ended on ${lifecycle.standardSupportEnded} (${source}); AWS enrolls such clusters in paid RDS Extended Support. Plan a major version upgrade`,
    );
  }
}
