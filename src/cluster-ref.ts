import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { IConstruct } from 'constructs';

/**
 * An Aurora cluster, created by this library (`AuroraCluster`) or imported (`AuroraCluster.fromAuroraClusterAttributes`).
 *
 * It is an `rds.IDatabaseCluster`, so every aws-cdk-lib API that takes a cluster accepts it. The library's RDS Proxy,
 * custom endpoints and Global Database take this interface.
 *
 * On an imported cluster, reading a member whose attribute was not given throws an error that names the attribute.
 */
export interface IAuroraCluster extends rds.IDatabaseCluster {
  /** The port the cluster listens on. */
  readonly port: number;

  /** The VPC the cluster is in. */
  readonly vpc: ec2.IVpc;

  /** The subnets the cluster is in. */
  readonly vpcSubnets: ec2.SubnetSelection;

  /** The master user secret (username, password, host, port). */
  readonly secret: secretsmanager.ISecret;

  /** The KMS key that encrypts the cluster's storage and master secret. */
  readonly encryptionKey: kms.IKey;

  /** The master user name. */
  readonly masterUsername: string;
}

/**
 * What the library needs to know about an existing Aurora cluster, for `AuroraCluster.fromAuroraClusterAttributes`.
 *
 * Only the identifier is required; each feature says which further attributes it needs (an RDS Proxy needs `engine`,
 * `vpc`, `port` and `securityGroups`, a Global Database `engine` and `port`), and fails with an error naming the
 * missing one.
 */
export interface AuroraClusterAttributes {
  /** The DB cluster identifier. */
  readonly clusterIdentifier: string;

  /**
   * The cluster resource id (`cluster-…`), used in `rds-db:connect` ARNs (`grantConnect`, a proxy with
   * end-to-end IAM authentication).
   *
   * @default - unknown: `grantConnect` and IAM authentication through a proxy fail with an error naming it
   */
  readonly clusterResourceIdentifier?: string;

  /**
   * The cluster's engine, with its version.
   *
   * @default - unknown: the proxy and the Global Database fail with an error naming it
   */
  readonly engine?: rds.IClusterEngine;

  /**
   * The port the cluster listens on.
   *
   * @default - unknown: `connections` has no default port, and the proxy and endpoints fail with an error naming it
   */
  readonly port?: number;

  /**
   * The cluster's security groups: a proxy is admitted through them.
   *
   * @default - none: a proxy fails with an error naming it
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The VPC the cluster is in.
   *
   * @default - unknown: a proxy fails with an error naming it
   */
  readonly vpc?: ec2.IVpc;

  /**
   * The subnets the cluster is in (a proxy is placed in them unless told otherwise).
   *
   * @default - the VPC's isolated subnets if it has any, otherwise its private subnets with egress
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The writer endpoint address.
   *
   * @default - unknown: reading `clusterEndpoint` fails with an error naming it
   */
  readonly clusterEndpointAddress?: string;

  /**
   * The reader endpoint address.
   *
   * @default - unknown: reading `clusterReadEndpoint` fails with an error naming it
   */
  readonly readerEndpointAddress?: string;

  /**
   * The DB instance identifiers, writer first.
   *
   * Custom endpoints check their members against them; a proxy creates a read-only endpoint when there is more than
   * one.
   *
   * @default - unknown: custom endpoint members are passed to AWS unchecked, and a proxy gets no read-only endpoint
   * unless asked for one
   */
  readonly instanceIdentifiers?: string[];

  /**
   * The master user secret.
   *
   * A proxy that reads it is allowed to decrypt it with the secret's `encryptionKey`: import a secret under a
   * customer-managed key with its key (`secretsmanager.Secret.fromSecretAttributes(scope, id, { secretCompleteArn,
   * encryptionKey })`).
   *
   * @default - unknown: a proxy with `AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET` fails with an error naming it
   */
  readonly secret?: secretsmanager.ISecret;

  /**
   * The KMS key that encrypts the cluster (storage, master secret), exposed as `encryptionKey`.
   *
   * @default - the secret's key, if it has one; otherwise unknown, and reading `encryptionKey` fails with an error
   * naming it
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The master user name.
   *
   * @default - unknown: a proxy with `AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET` fails with an error naming it
   */
  readonly masterUsername?: string;
}

/**
 * A Global Database secondary cluster, as a custom endpoint sees it.
 */
export interface IAuroraSecondaryCluster extends IConstruct {
  /** The secondary DB cluster. */
  readonly cluster: rds.IDatabaseCluster;
  /** The DB cluster identifier. */
  readonly clusterIdentifier: string;
  /** The port the secondary listens on. */
  readonly port: number;
}

/**
 * An Aurora Global Database, as its secondary clusters see it.
 */
export interface IAuroraGlobalDatabase extends IConstruct {
  /** The primary cluster. */
  readonly primary: IAuroraCluster;
  /** The global cluster identifier (a literal). */
  readonly globalClusterIdentifier: string;
  /** The ARN of the global cluster. */
  readonly globalClusterArn: string;
}
