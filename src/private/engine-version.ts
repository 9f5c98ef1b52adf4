/**
 * Engine-version arithmetic for the version-gated Aurora rules (Serverless v2 ranges, auto-pause,
 * RDS Proxy, Global Database, write forwarding). Version tables are data: keep them here, easy to update.
 */

/** A parsed Aurora engine version: `line` is the Aurora MySQL major (2, 3, …) or the PostgreSQL major. */
export interface ParsedVersion {
  readonly line: number;
  readonly minor: number;
  readonly patch: number;
  /** The version as AWS writes it, for messages (`3.08.0`, `16.4`). */
  readonly label: string;
}

/**
 * Parses `8.0.mysql_aurora.3.08.0` to 3.8.0 and `16.4` to 16.4.0. Returns undefined for a version
 * this library cannot read (a token, or a format AWS has not published yet).
 */
export function parseAuroraVersion(fullVersion: string | undefined): ParsedVersion | undefined {
  if (!fullVersion) return undefined;
  const mysql = /mysql_aurora\.(\d+)\.(\d+)\.(\d+)/.exec(fullVersion);
  if (mysql) {
    const [line, minor, patch] = mysql.slice(1).map(Number);
    return { line, minor, patch, label: `${mysql[1]}.${mysql[2]}.${mysql[3]}` };
  }
  const pg = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(fullVersion);
  if (pg) {
    return { line: Number(pg[1]), minor: Number(pg[2]), patch: Number(pg[3] ?? 0), label: fullVersion };
  }
  return undefined;
}

/**
 * Minimum versions per line: `{ 3: [8, 0] }` means 3.08.0 or later on the 3.x line. Lines newer than the
 * newest listed line are supported; older lines, and lines missing between listed ones, are not.
 */
export type VersionFloor = { readonly [line: number]: readonly [number, number] };

/** Whether `v` meets the floor table. */
export function meetsFloor(v: ParsedVersion, floor: VersionFloor): boolean {
  const lines = Object.keys(floor).map(Number);
  const newest = Math.max(...lines);
  if (v.line > newest) return true;
  const min = floor[v.line];
  if (!min) return false;
  const [minMinor, minPatch] = min;
  return v.minor > minMinor || (v.minor === minMinor && v.patch >= minPatch);
}

/** Renders a floor table for error messages: `3.08.0+` or `13.15+, 14.12+`. */
export function describeFloor(floor: VersionFloor, mysqlStyle: boolean): string {
  return Object.entries(floor)
    .map(([line, [minor, patch]]) =>
      mysqlStyle ? `${line}.${String(minor).padStart(2, '0')}.${patch}+` : `${line}.${minor}+`,
    )
    .join(', ');
}

/**
 * Supported minor versions per line, as inclusive `[fromMinor, toMinor]` ranges: `{ 2: [[7, 7], [11, Infinity]] }`
 * means 2.07.x and 2.11 or later on the 2.x line. Unlike a {@link VersionFloor}, a table of ranges can leave gaps
 * inside a line (RDS Proxy supports Aurora MySQL 2.07 and 2.11+, but not 2.08 to 2.10). Lines newer than the
 * newest listed line are supported; older lines, and lines missing between listed ones, are not.
 */
export type VersionRanges = { readonly [line: number]: ReadonlyArray<readonly [number, number]> };

/** Whether `v` falls in one of the ranges of its line. */
export function inRanges(v: ParsedVersion, ranges: VersionRanges): boolean {
  const newest = Math.max(...Object.keys(ranges).map(Number));
  if (v.line > newest) return true;
  return (ranges[v.line] ?? []).some(([from, to]) => v.minor >= from && v.minor <= to);
}

/** Renders a range table for error messages: `2.07, 2.11+, 3.01+` or `11.9, 11.13+, 12.8+`. */
export function describeRanges(ranges: VersionRanges, mysqlStyle: boolean): string {
  const minor = (m: number) => (mysqlStyle ? String(m).padStart(2, '0') : String(m));
  return Object.entries(ranges)
    .flatMap(([line, list]) =>
      list.map(([from, to]) => {
        if (to === Infinity) return `${line}.${minor(from)}+`;
        return from === to ? `${line}.${minor(from)}` : `${line}.${minor(from)}-${line}.${minor(to)}`;
      }),
    )
    .join(', ');
}
