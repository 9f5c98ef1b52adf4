import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { selectPrivateSubnets } from './subnets';
import { AuroraClusterAttributes, IAuroraCluster } from '../cluster-ref';

/**
 * An existing Aurora cluster, from `AuroraCluster.fromAuroraClusterAttributes`: aws-cdk-lib's `DatabaseClusterBase`
 * (ARN, grants, metrics, `addProxy`) with the library's members. Every member whose attribute was not given throws
 * an error naming the attribute, in the library's message form, instead of a `TypeError` further on.
 */
export class ImportedAuroraCluster extends rds.DatabaseClusterBase implements IAuroraCluster {
  public readonly clusterIdentifier: string;
  public readonly engine?: rds.IClusterEngine;
  public readonly connections: ec2.Connections;
  public readonly instanceIdentifiers: string[];
  public readonly instanceEndpoints: rds.Endpoint[] = [];
  /** The library cannot tell whether the Data API is on: `grantDataApiAccess` throws. */
  protected readonly enableDataApi?: boolean = false;
  private readonly attrs: AuroraClusterAttributes;

  constructor(scope: Construct, id: string, attrs: AuroraClusterAttributes) {
    super(scope, id);
    this.attrs = attrs;
    this.clusterIdentifier = attrs.clusterIdentifier;
    this.engine = attrs.engine;
    this.instanceIdentifiers = [...(attrs.instanceIdentifiers ?? [])];
    this.connections = new ec2.Connections({
      securityGroups: attrs.securityGroups,
      defaultPort: attrs.port !== undefined ? ec2.Port.tcp(attrs.port) : undefined,
    });
  }

  public get clusterResourceIdentifier(): string {
    return this.required('clusterResourceIdentifier', this.attrs.clusterResourceIdentifier);
  }

  public get port(): number {
    return this.required('port', this.attrs.port);
  }

  public get vpc(): ec2.IVpc {
    return this.required('vpc', this.attrs.vpc);
  }

  public get vpcSubnets(): ec2.SubnetSelection {
    return this.attrs.vpcSubnets ?? selectPrivateSubnets(this.node.path, this.vpc).selection;
  }

  public get secret(): secretsmanager.ISecret {
    return this.required('secret', this.attrs.secret);
  }

  public get encryptionKey(): kms.IKey {
    return this.required('encryptionKey', this.attrs.encryptionKey ?? this.attrs.secret?.encryptionKey);
  }

  public get masterUsername(): string {
    return this.required('masterUsername', this.attrs.masterUsername);
  }

  public get clusterEndpoint(): rds.Endpoint {
    return new rds.Endpoint(this.required('clusterEndpointAddress', this.attrs.clusterEndpointAddress), this.port);
  }

  public get clusterReadEndpoint(): rds.Endpoint {
    return new rds.Endpoint(this.required('readerEndpointAddress', this.attrs.readerEndpointAddress), this.port);
  }

  public applyRemovalPolicy(): void {
    throw new Error(
      `${this.node.path}: applyRemovalPolicy: an imported cluster is not managed by this stack; set the removal policy where the cluster is defined`,
    );
  }

  private required<T>(attribute: string, value: T | undefined): T {
    if (value === undefined) {
      throw new Error(
        `${this.node.path}: ${attribute}: the imported cluster has no ${attribute}, which this feature needs; pass ${attribute} to AuroraCluster.fromAuroraClusterAttributes()`,
      );
    }
    return value;
  }
}
