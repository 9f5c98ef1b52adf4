import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * A bucket, and optionally a key prefix in it, that the cluster may read from (`s3ImportLocations`) or write to
 * (`s3ExportLocations`).
 *
 * @example
 * declare const bucket: s3.IBucket;
 * const location: AuroraS3Location = { bucket, prefix: 'exports/' };
 */
export interface AuroraS3Location {
  /**
   * The bucket.
   *
   * When it is encrypted with a customer-managed key (`bucket.encryptionKey`), the cluster's role is granted the
   * key use the operation needs (decrypt to import; encrypt and decrypt to export).
   */
  readonly bucket: s3.IBucket;

  /**
   * Limits the access to object keys that start with this prefix, for example `exports/`.
   *
   * `ListBucket` is limited to the prefix by the `s3:prefix` condition.
   *
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/**
 * The VPC endpoints through which the cluster reaches the AWS services of its integrations.
 *
 * For each service an integration needs, the cluster's security group is allowed out on TCP 443 to the endpoint's
 * security group, and the endpoint's security group admits the cluster's (an ingress rule that admits this cluster
 * only). An interface endpoint must have private DNS on: Aurora calls the service's regional name and cannot be
 * pointed at an endpoint-specific name. The library creates no endpoint and adds no route: a new gateway endpoint on
 * the subnets' route tables, or a new interface endpoint with private DNS, would change how every workload in those
 * subnets reaches the service.
 *
 * A service without an endpoint here is reached through the subnets' NAT (egress on TCP 443); in isolated subnets
 * that is rejected at synth.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.Authorizing.Network.html
 */
export interface AuroraIntegrationEndpoints {
  /**
   * Your Amazon S3 endpoint: a gateway endpoint (`ec2.GatewayVpcEndpointAwsService.S3`) on the route tables of the
   * cluster's subnets, or an interface endpoint with private DNS.
   *
   * With a gateway endpoint the cluster's security group is allowed out on TCP 443 to any IPv4 address: S3's
   * addresses are an AWS-managed prefix list whose id CloudFormation cannot look up; in isolated subnets the
   * endpoint's route is the only one those packets can take.
   *
   * @default - through the subnets' NAT
   */
  readonly s3?: ec2.IVpcEndpoint;

  /**
   * Your AWS Lambda interface endpoint (`ec2.InterfaceVpcEndpointAwsService.LAMBDA`), with private DNS.
   *
   * @default - through the subnets' NAT
   */
  readonly lambda?: ec2.IInterfaceVpcEndpoint;

  /**
   * Your Amazon SageMaker Runtime interface endpoint (`ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME`), with
   * private DNS.
   *
   * @default - through the subnets' NAT
   */
  readonly sageMakerRuntime?: ec2.IInterfaceVpcEndpoint;

  /**
   * Your Amazon Comprehend interface endpoint (`ec2.InterfaceVpcEndpointAwsService.COMPREHEND`), with private DNS.
   *
   * @default - through the subnets' NAT
   */
  readonly comprehend?: ec2.IInterfaceVpcEndpoint;

  /**
   * Your Amazon Bedrock Runtime interface endpoint (`ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME`), with
   * private DNS.
   *
   * @default - through the subnets' NAT
   */
  readonly bedrockRuntime?: ec2.IInterfaceVpcEndpoint;
}
