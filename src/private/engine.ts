import * as rds from 'aws-cdk-lib/aws-rds';
import { EngineFamily, engineFamilyOf } from './engine-family';
import { parseAuroraVersion, ParsedVersion } from './engine-version';
import { engineRules, throwIfBroken } from './validate';

/** An Aurora engine the library supports, resolved once: its family table and its parsed version. */
export interface ResolvedEngine {
  readonly engine: rds.IClusterEngine;
  readonly family: EngineFamily;
  /** Undefined when the version cannot be read at synth time (version-gated rules are then left to AWS). */
  readonly version?: ParsedVersion;
}

/**
 * Resolves an engine, or throws the library's error: an unknown engine (an imported cluster without `engine`),
 * an engine that is not Aurora MySQL or Aurora PostgreSQL, or one without a pinned version.
 */
export function resolveEngine(
  path: string,
  engine: rds.IClusterEngine | undefined,
  missingFix?: string,
): ResolvedEngine {
  if (engine === undefined) {
    throw new Error(
      `${path}: engine: the cluster's engine is unknown; ${missingFix ?? 'pass engine to AuroraCluster.fromAuroraClusterAttributes()'}`,
    );
  }
  const family = engineFamilyOf(engine.engineType);
  throwIfBroken(path, engineRules(engine.engineType, family, engine.engineVersion?.fullVersion));
  if (family === undefined) {
    // engineRules has reported it; this keeps the type narrow without an assertion.
    throw new Error(`${path}: engine: '${engine.engineType}' is not Aurora MySQL or Aurora PostgreSQL`);
  }
  return { engine, family, version: parseAuroraVersion(engine.engineVersion?.fullVersion) };
}
