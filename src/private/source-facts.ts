import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { EngineFamily } from './engine-family';
import { ParsedVersion } from './engine-version';

/**
 * What the library knows about a cluster it created, so that a restore, clone or replica of it can be checked at
 * synth time (engine, Region, retention window, Backtrack, credentials).
 */
export interface SourceFacts {
  readonly path: string;
  readonly family: EngineFamily;
  readonly version?: ParsedVersion;
  /** The stack's Region and account (may be tokens). */
  readonly region: string;
  readonly account: string;
  readonly clusterIdentifier: string;
  readonly backupRetention: Duration;
  /** Whether the cluster was created with a Backtrack window above zero. */
  readonly backtrack: boolean;
  readonly port: number;
  readonly masterUsername: string;
  readonly encryptionKey: kms.IKey;
  /** Whether the cluster is the primary of a Global Database. */
  readonly globalDatabasePrimary: boolean;
  readonly engine: rds.IClusterEngine;
  /** The cluster parameters the user set (a replica may add `binlog_format`). */
  readonly parameters: { [name: string]: string };
  readonly parameterGroup: rds.IParameterGroup;
  readonly cfnCluster: rds.CfnDBCluster;
}

const FACTS = new WeakMap<IConstruct, SourceFacts>();

/** Records the facts of a library cluster under each of the constructs that stand for it. */
export function recordSourceFacts(facts: SourceFacts, ...constructs: IConstruct[]): void {
  for (const c of constructs) FACTS.set(c, facts);
}

/** The facts of a cluster the library created, if `construct` is one (or its underlying rds.DatabaseCluster). */
export function sourceFactsOf(construct: IConstruct | undefined): SourceFacts | undefined {
  if (!construct) return undefined;
  return FACTS.get(construct);
}
