import { CfnResource, Duration, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { EngineFamily } from './engine-family';

export interface RotationOptions {
  readonly secret: secretsmanager.ISecret;
  readonly family: EngineFamily;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** The database's connections, with its literal port as the default port. */
  readonly database: ec2.Connections;
  readonly interval: Duration;
  readonly excludeCharacters: string;
  /** Create an interface endpoint for Secrets Manager in `subnets` (needed when they have no route out). */
  readonly createEndpoint: boolean;
  /** The user's security group for the function (its egress is theirs); default: a new group, egress-restricted. */
  readonly securityGroup?: ec2.ISecurityGroup;
  /** Rotate as soon as the schedule is created or changed (aws-cdk-lib's default: true). */
  readonly rotateImmediately?: boolean;
}

export interface Rotation {
  readonly rotation: secretsmanager.SecretRotation;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly endpoint?: ec2.InterfaceVpcEndpoint;
}

/**
 * Rotates the master secret with AWS's single-user rotation function (Serverless Application Repository) placed
 * in the cluster's own subnets. The function reaches the database on its literal port, and Secrets Manager either
 * through an interface endpoint created here (isolated subnets have no other way out) or through the subnets' NAT.
 *
 * The endpoint has private DNS off: the function calls it by its own DNS name, so the VPC's resolution of
 * `secretsmanager.<region>.amazonaws.com` — and every other workload or endpoint in the VPC — is left alone, and
 * several clusters can share a VPC.
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot_rotation.html
 */
export function configureRotation(scope: Construct, options: RotationOptions): Rotation {
  const securityGroup =
    options.securityGroup ??
    new ec2.SecurityGroup(scope, 'RotationSecurityGroup', {
      vpc: options.vpc,
      description: 'Master secret rotation function: egress to the database and Secrets Manager only',
      allowAllOutbound: false,
    });

  let endpoint: ec2.InterfaceVpcEndpoint | undefined;
  if (options.createEndpoint) {
    const endpointSecurityGroup = new ec2.SecurityGroup(scope, 'SecretsManagerEndpointSecurityGroup', {
      vpc: options.vpc,
      description: 'Secrets Manager interface endpoint: HTTPS from the rotation function only',
      allowAllOutbound: false,
    });
    endpoint = new ec2.InterfaceVpcEndpoint(scope, 'SecretsManagerEndpoint', {
      vpc: options.vpc,
      service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: options.subnets,
      privateDnsEnabled: false,
      open: false,
      securityGroups: [endpointSecurityGroup],
    });
    securityGroup.connections.allowTo(endpointSecurityGroup, ec2.Port.tcp(443), 'Call the Secrets Manager API');
  } else if (!options.securityGroup) {
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Call the Secrets Manager API');
  }

  // Also opens the database's literal port to the function (target.connections.allowDefaultPortFrom).
  const rotation = new secretsmanager.SecretRotation(scope, 'SecretRotation', {
    application: options.family.rotationApplication,
    secret: options.secret,
    target: { connections: options.database },
    vpc: options.vpc,
    vpcSubnets: options.subnets,
    securityGroup,
    endpoint,
    excludeCharacters: options.excludeCharacters,
    automaticallyAfter: options.interval,
    rotateImmediatelyOnUpdate: options.rotateImmediately,
  });
  if (endpoint) {
    // SecretRotation hands the function https://<vpce-id>.secretsmanager.<region>.<suffix>, which no DNS record
    // answers. An interface endpoint with private DNS off is called by its endpoint-specific DNS name,
    // <vpce-id>-<suffix>.secretsmanager.<region>.vpce.amazonaws.com: the first of its DnsEntries ("<hosted zone>:<name>",
    // the Regional name first).
    // https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#access-aws-services-endpoint-specific
    // https://docs.aws.amazon.com/secretsmanager/latest/userguide/vpc-endpoint-overview.html
    const application = rotation.node.defaultChild as CfnResource;
    application.addPropertyOverride(
      'Parameters.endpoint',
      `https://${Fn.select(1, Fn.split(':', Fn.select(0, endpoint.vpcEndpointDnsEntries)))}`,
    );
  }
  return { rotation, securityGroup, endpoint };
}
