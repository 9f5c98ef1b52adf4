/**
 * `ts-node tools/compare-assemblies.ts <expected cloud assembly> <actual cloud assembly> [label]`: exits 1 unless both
 * assemblies hold the same stacks with the same CloudFormation templates, and prints the first differences. Used by
 * `npx projen languages` to hold the Python and Java apps (apps/python, apps/java) to the TypeScript ones
 * (apps/typescript).
 */
import * as fs from 'fs';
import * as path from 'path';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The templates of a cloud assembly, by file name. */
export function templatesOf(dir: string): Record<string, Json> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json'));
  if (files.length === 0) throw new Error(`${dir}: no *.template.json: not a synthesized cloud assembly`);
  return Object.fromEntries(files.sort().map((f) => [f, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf-8'))]));
}

/** Differences between two JSON values, as `path: expected ... actual ...` lines (at most `limit`). */
export function differences(expected: Json, actual: Json, at = '', limit = 20, out: string[] = []): string[] {
  if (out.length >= limit) return out;
  const isObject = (v: Json): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      out.push(`${at}: ${expected.length} items expected, ${actual.length} found`);
    }
    for (let i = 0; i < Math.min(expected.length, actual.length); i++) {
      differences(expected[i], actual[i], `${at}[${i}]`, limit, out);
    }
  } else if (isObject(expected) && isObject(actual)) {
    for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
      if (!(key in actual)) out.push(`${at}.${key}: missing`);
      else if (!(key in expected)) out.push(`${at}.${key}: unexpected`);
      else differences(expected[key], actual[key], `${at}.${key}`, limit, out);
    }
  } else if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    out.push(`${at}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
  }
  return out.slice(0, limit);
}

function main(): void {
  const [expectedDir, actualDir, label = actualDir] = process.argv.slice(2);
  if (!expectedDir || !actualDir) {
    console.error('usage: compare-assemblies.ts <expected cloud assembly> <actual cloud assembly> [label]');
    process.exit(2);
  }
  const expected = templatesOf(expectedDir);
  const actual = templatesOf(actualDir);
  const diffs = differences(expected, actual);
  if (diffs.length > 0) {
    console.error(`${label}: the templates differ from ${expectedDir}:\n  ${diffs.join('\n  ')}`);
    process.exit(1);
  }
  const resources = Object.values(actual).reduce<number>(
    (n, t) => n + Object.keys((t as { Resources?: object }).Resources ?? {}).length,
    0,
  );
  console.log(
    `${label}: same templates as ${expectedDir} (${Object.keys(actual).length} stacks, ${resources} resources)`,
  );
}

if (require.main === module) main();
