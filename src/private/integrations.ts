import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { acknowledge, Acknowledgement } from './acknowledgements';
import { EngineFamily } from './engine-family';
import { describeFloor, meetsFloor, ParsedVersion, VersionFloor } from './engine-version';
import { Rule } from './validate';
import { AuroraIntegrationEndpoints, AuroraS3Location } from '../integrations';

/**
 * The role associations of Aurora's integrations with other AWS services (S3 import and export, Lambda, SageMaker,
 * Comprehend, Bedrock): a least-privilege role per feature, assumed by RDS for this cluster only, its engine wiring
 * (Aurora MySQL: a cluster parameter naming the role; Aurora PostgreSQL: the association's FeatureName), key grants
 * and the network path.
 */

const DOC_NETWORK =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.Authorizing.Network.html';
const DOC_LIMITS = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html';

/** At most five IAM roles can be associated with an Aurora DB cluster. */
export const MAX_ASSOCIATED_ROLES = 5;

/** An Aurora feature that calls another AWS service with an associated role. */
export interface IntegrationFeature {
  /** The property that turns it on. */
  readonly prop: string;
  /** The construct id of its role (the policy is `<id>Policy`). */
  readonly roleId: string;
  /** Human name for descriptions and messages. */
  readonly name: string;
  /** The service the cluster calls, for the network path. */
  readonly service: keyof AuroraIntegrationEndpoints;
  /** Aurora MySQL: the cluster parameter that names the role (undefined: aws-cdk-lib sets it). */
  readonly mysqlParameter?: string;
  /** Aurora PostgreSQL: the FeatureName of the association. */
  readonly postgresFeatureName: string;
  /** Engine versions that offer the feature, per engine type; engines not listed: every version. */
  readonly floors: { readonly [engineType: string]: VersionFloor };
  /** The AWS page that lists the versions of each floor, per engine type (default: `doc`). */
  readonly floorDocs?: { readonly [engineType: string]: string };
  /** The AWS page of the feature. */
  readonly doc: string;
}

/** https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Aurora_ML.html */
const DOC_ML_VERSIONS =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Aurora_ML.html';

export const S3_IMPORT: IntegrationFeature = {
  prop: 's3ImportLocations',
  roleId: 'S3ImportRole',
  name: 'S3 import',
  service: 's3',
  postgresFeatureName: 's3Import',
  floors: {},
  doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.LoadFromS3.html',
};
export const S3_EXPORT: IntegrationFeature = {
  prop: 's3ExportLocations',
  roleId: 'S3ExportRole',
  name: 'S3 export',
  service: 's3',
  postgresFeatureName: 's3Export',
  floors: {},
  doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/postgresql-s3-export.html',
};
/** Aurora MySQL 3 names one role for import and export (`aws_default_s3_role`). */
export const S3_MYSQL3: IntegrationFeature = {
  ...S3_IMPORT,
  prop: 's3ImportLocations/s3ExportLocations',
  roleId: 'S3Role',
  name: 'S3 import and export',
};
export const LAMBDA: IntegrationFeature = {
  prop: 'lambdaFunctions',
  roleId: 'LambdaRole',
  name: 'Lambda invocation',
  service: 'lambda',
  mysqlParameter: 'aws_default_lambda_role',
  postgresFeatureName: 'Lambda',
  // Aurora PostgreSQL 11.9 and higher (Aurora PostgreSQL 12 starts at 12.4):
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/PostgreSQL-Lambda.html
  floors: { 'aurora-postgresql': { 11: [9, 0], 12: [4, 0] } },
  floorDocs: {
    'aurora-postgresql': 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/PostgreSQL-Lambda.html',
  },
  doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.LambdaAccess.html',
};
export const SAGEMAKER: IntegrationFeature = {
  prop: 'sageMakerEndpointNames',
  roleId: 'SageMakerRole',
  name: 'SageMaker inference',
  service: 'sageMakerRuntime',
  mysqlParameter: 'aws_default_sagemaker_role',
  postgresFeatureName: 'SageMaker',
  // Aurora MySQL 2.07 and higher, 3.01.0 and higher: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Aurora_ML.html
  floors: { 'aurora-mysql': { 2: [7, 0], 3: [1, 0] } },
  floorDocs: { 'aurora-mysql': DOC_ML_VERSIONS },
  doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-ml.html',
};
export const COMPREHEND: IntegrationFeature = {
  prop: 'comprehendAccess',
  roleId: 'ComprehendRole',
  name: 'Comprehend sentiment analysis',
  service: 'comprehend',
  mysqlParameter: 'aws_default_comprehend_role',
  postgresFeatureName: 'Comprehend',
  // Aurora MySQL 2.07 and higher, 3.01.0 and higher: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Aurora_ML.html
  floors: { 'aurora-mysql': { 2: [7, 0], 3: [1, 0] } },
  floorDocs: { 'aurora-mysql': DOC_ML_VERSIONS },
  doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-ml.html',
};
export const BEDROCK: IntegrationFeature = {
  prop: 'bedrockModels',
  roleId: 'BedrockRole',
  name: 'Bedrock inference',
  service: 'bedrockRuntime',
  mysqlParameter: 'aws_default_bedrock_role',
  postgresFeatureName: 'Bedrock',
  // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/mysql-ml.html (Aurora MySQL 3.06 and higher)
  floors: { 'aurora-mysql': { 3: [6, 0] } },
  floorDocs: { 'aurora-mysql': 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/mysql-ml.html' },
  doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-ml.html',
};

/** What the user asked for. */
export interface IntegrationProps {
  readonly s3ImportLocations?: AuroraS3Location[];
  readonly s3ExportLocations?: AuroraS3Location[];
  readonly lambdaFunctions?: lambda.IFunction[];
  readonly sageMakerEndpointNames?: string[];
  readonly comprehendAccess?: boolean;
  readonly bedrockModels?: bedrock.IModel[];
  readonly integrationEndpoints?: AuroraIntegrationEndpoints;
}

/** The features a set of props turns on, for this engine (Aurora MySQL 3 shares one S3 role). */
export function featuresOf(
  props: IntegrationProps,
  family: EngineFamily,
  version?: ParsedVersion,
): IntegrationFeature[] {
  const features: IntegrationFeature[] = [];
  const hasImports = (props.s3ImportLocations ?? []).length > 0;
  const hasExports = (props.s3ExportLocations ?? []).length > 0;
  if (family.engineType === 'aurora-mysql' && (version?.line ?? 3) >= 3 && hasImports && hasExports) {
    features.push(S3_MYSQL3);
  } else {
    if (hasImports) features.push(S3_IMPORT);
    if (hasExports) features.push(S3_EXPORT);
  }
  if ((props.lambdaFunctions ?? []).length > 0) features.push(LAMBDA);
  if ((props.sageMakerEndpointNames ?? []).length > 0) features.push(SAGEMAKER);
  if (props.comprehendAccess) features.push(COMPREHEND);
  if ((props.bedrockModels ?? []).length > 0) features.push(BEDROCK);
  return features;
}

/** Feature by engine version, and the per-cluster limit of associated roles. */
export function integrationRules(
  features: IntegrationFeature[],
  family: EngineFamily,
  version?: ParsedVersion,
): Rule[] {
  const rules: Rule[] = features.map((feature) => {
    const floor = feature.floors[family.engineType];
    const doc = feature.floorDocs?.[family.engineType] ?? feature.doc;
    return {
      condition: floor !== undefined && version !== undefined && !meetsFloor(version, floor),
      prop: feature.prop,
      message: `${family.displayName} ${version?.label} does not support ${feature.name}; it needs ${floor ? describeFloor(floor, family.mysqlStyleVersions) : ''} (${doc}). Choose a newer engine version`,
    };
  });
  rules.push({
    condition: features.length > MAX_ASSOCIATED_ROLES,
    prop: features.map((f) => f.prop).join(', '),
    message: `these integrations need ${features.length} IAM roles, but at most ${MAX_ASSOCIATED_ROLES} can be associated with an Aurora DB cluster (${DOC_LIMITS}); drop one integration`,
  });
  return rules;
}

/** The roles created for a cluster: S3 roles go to rds.DatabaseCluster, the others are associated afterwards. */
export interface IntegrationRoles {
  readonly s3ImportRole?: iam.IRole;
  readonly s3ExportRole?: iam.IRole;
  /** Every role, by feature. */
  readonly roles: ReadonlyArray<{ readonly feature: IntegrationFeature; readonly role: iam.Role }>;
}

export interface CreateRolesInput {
  readonly scope: Construct;
  readonly props: IntegrationProps;
  readonly features: IntegrationFeature[];
  readonly family: EngineFamily;
  readonly clusterIdentifier: string;
  readonly parameterGroup: rds.ParameterGroup;
}

/**
 * Creates one role per feature (construct ids `<Feature>Role` and `<Feature>RolePolicy`): trusted by
 * `rds.amazonaws.com` for this cluster only (`aws:SourceArn`, `aws:SourceAccount`), with a customer-managed policy
 * that names the resources it may touch. On Aurora MySQL, the cluster parameters of Lambda and machine learning name
 * their roles; aws-cdk-lib sets the S3 parameters from `s3ImportRole`/`s3ExportRole`.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.Authorizing.IAM.CreateRole.html
 */
export function createIntegrationRoles(input: CreateRolesInput): IntegrationRoles {
  const { scope, props, family } = input;
  const stack = Stack.of(scope);
  const clusterArn = stack.formatArn({
    service: 'rds',
    resource: 'cluster',
    resourceName: input.clusterIdentifier,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const roles: Array<{ feature: IntegrationFeature; role: iam.Role }> = [];
  let s3ImportRole: iam.Role | undefined;
  let s3ExportRole: iam.Role | undefined;

  for (const feature of input.features) {
    const role = new iam.Role(scope, feature.roleId, {
      description: `Aurora ${feature.name} for the cluster ${scope.node.path}`,
      assumedBy: new iam.ServicePrincipal('rds.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': clusterArn },
      }),
    });
    const statements = statementsOf(stack, feature, props);
    const policy = new iam.ManagedPolicy(scope, `${feature.roleId}Policy`, {
      description: `Least privilege of Aurora ${feature.name} for the cluster ${scope.node.path}`,
      roles: [role],
      statements,
    });
    acknowledge(policy, wildcardAcknowledgements(stack, feature, statements));
    roles.push({ feature, role });

    if (feature === S3_IMPORT || feature === S3_MYSQL3) s3ImportRole = role;
    if (feature === S3_EXPORT || feature === S3_MYSQL3) s3ExportRole = role;
    if (family.engineType === 'aurora-mysql' && feature.mysqlParameter) {
      input.parameterGroup.addParameter(feature.mysqlParameter, role.roleArn);
    }
  }
  return { s3ImportRole, s3ExportRole, roles };
}

/**
 * Associates the roles that aws-cdk-lib does not (all but S3) with the cluster: with their FeatureName on Aurora
 * PostgreSQL, without one on Aurora MySQL (the cluster parameter names the role there).
 */
export function associateRoles(cluster: rds.DatabaseCluster, family: EngineFamily, roles: IntegrationRoles): void {
  const cfn = cluster.node.defaultChild as rds.CfnDBCluster;
  const existing = (cfn.associatedRoles ?? []) as rds.CfnDBCluster.DBClusterRoleProperty[];
  const added = roles.roles
    .filter((r) => r.feature.mysqlParameter !== undefined)
    .map((r) => ({
      roleArn: r.role.roleArn,
      featureName: family.engineType === 'aurora-postgresql' ? r.feature.postgresFeatureName : undefined,
    }));
  if (added.length > 0) cfn.associatedRoles = [...existing, ...added];
}

function statementsOf(stack: Stack, feature: IntegrationFeature, props: IntegrationProps): iam.PolicyStatement[] {
  switch (feature) {
    case S3_IMPORT:
      return s3Statements(props.s3ImportLocations ?? [], false);
    case S3_EXPORT:
      return s3Statements(props.s3ExportLocations ?? [], true);
    case S3_MYSQL3:
      return [
        ...s3Statements(props.s3ImportLocations ?? [], false),
        ...s3Statements(props.s3ExportLocations ?? [], true),
      ];
    case LAMBDA:
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.Authorizing.IAM.LambdaCreatePolicy.html
      return [
        new iam.PolicyStatement({
          actions: ['lambda:InvokeFunction'],
          resources: (props.lambdaFunctions ?? []).map((f) => f.functionArn),
        }),
      ];
    case SAGEMAKER:
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/mysql-ml.html#aurora-ml-sql-privileges
      return [
        new iam.PolicyStatement({
          actions: ['sagemaker:InvokeEndpoint'],
          resources: (props.sageMakerEndpointNames ?? []).map((name) => sageMakerEndpointArn(stack, name)),
        }),
      ];
    case COMPREHEND:
      // Comprehend's detection actions have no resource type: "*" is the only resource they accept.
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html
      return [
        new iam.PolicyStatement({
          actions: ['comprehend:DetectSentiment', 'comprehend:BatchDetectSentiment'],
          resources: ['*'],
        }),
      ];
    case BEDROCK:
      return [
        new iam.PolicyStatement({
          actions: ['bedrock:InvokeModel'],
          resources: (props.bedrockModels ?? []).map((m) => m.modelArn),
        }),
      ];
    default:
      throw new Error(`unknown integration ${feature.roleId}`);
  }
}

/** SageMaker endpoint ARNs are in lower case; a token name is passed through untouched. */
function sageMakerEndpointArn(stack: Stack, name: string): string {
  return stack.formatArn({
    service: 'sagemaker',
    resource: 'endpoint',
    resourceName: Token.isUnresolved(name) ? name : name.toLowerCase(),
  });
}

/**
 * The S3 permissions Aurora needs: `ListBucket` (limited to the prefix), and on the objects under the prefix
 * `GetObject`/`GetObjectVersion` to import, plus `PutObject`, `AbortMultipartUpload`, `ListMultipartUploadParts`
 * and `DeleteObject` to export; the bucket's customer-managed key for decryption (import) or encryption (export).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Integrating.Authorizing.IAM.S3CreatePolicy.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/postgresql-s3-export-access-bucket.html
 */
function s3Statements(locations: AuroraS3Location[], write: boolean): iam.PolicyStatement[] {
  const objectActions = write
    ? ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts', 's3:DeleteObject']
    : ['s3:GetObject', 's3:GetObjectVersion'];
  const statements: iam.PolicyStatement[] = [];
  for (const location of locations) {
    const prefix = location.prefix ?? '';
    statements.push(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [location.bucket.bucketArn],
        conditions: prefix ? { StringLike: { 's3:prefix': `${prefix}*` } } : undefined,
      }),
      new iam.PolicyStatement({
        actions: objectActions,
        resources: [location.bucket.arnForObjects(`${prefix}*`)],
      }),
    );
    const key = location.bucket.encryptionKey;
    if (key) {
      statements.push(
        new iam.PolicyStatement({
          actions: write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
          resources: [key.keyArn],
        }),
      );
    }
  }
  return statements;
}

/**
 * The wildcards of an integration policy that cannot be narrowed, each acknowledged on that policy alone:
 * object keys under a bucket (prefix) are not known at synth, and Comprehend's actions take no resource.
 * The ids spell the resources as cdk-nag renders them.
 */
function wildcardAcknowledgements(
  stack: Stack,
  feature: IntegrationFeature,
  statements: iam.PolicyStatement[],
): Acknowledgement[] {
  const acks: Acknowledgement[] = [];
  for (const statement of statements) {
    for (const resource of statement.resources) {
      const rendered = flattenForNag(stack.resolve(resource));
      if (!rendered.includes('*')) continue;
      acks.push({
        id: `AwsSolutions-IAM5[Resource::${rendered}]`,
        reason:
          feature === COMPREHEND
            ? 'Amazon Comprehend\'s DetectSentiment and BatchDetectSentiment have no resource type: "*" is the only resource they accept (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncomprehend.html). The role is assumed only by RDS for this cluster.'
            : `Aurora ${feature.name} reads or writes objects whose keys the SQL chooses at run time: the statement is limited to the objects of one bucket under the configured prefix, and the role is assumed only by RDS for this cluster.`,
      });
    }
  }
  return [...new Map(acks.map((a) => [a.id, a])).values()];
}

/** A resolved CloudFormation value as cdk-nag prints it in finding ids (`<Logical.Arn>`, `<AWS::Partition>`). */
export function flattenForNag(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const n = node as Record<string, any>;
  if (n['Fn::Join']) {
    const [delimiter, items] = n['Fn::Join'];
    return (items as unknown[]).map(flattenForNag).join(delimiter);
  }
  if (n['Fn::Sub']) return flattenForNag(n['Fn::Sub']);
  if (n['Fn::GetAtt']) {
    const [resource, attribute] = n['Fn::GetAtt'];
    return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
  }
  if (n['Fn::ImportValue']) return flattenForNag(n['Fn::ImportValue']);
  if (n.Ref) return `<${flattenForNag(n.Ref)}>`;
  return JSON.stringify(node);
}

export interface NetworkRulesInput {
  readonly features: IntegrationFeature[];
  readonly endpoints?: AuroraIntegrationEndpoints;
  /** Whether the cluster's subnets route to a NAT (private subnets with egress). */
  readonly hasEgress: boolean;
}

export interface NetworkInput {
  readonly features: IntegrationFeature[];
  readonly endpoints?: AuroraIntegrationEndpoints;
  readonly connections: ec2.Connections;
  readonly securityGroup: ec2.ISecurityGroup;
}

const SERVICE_NAMES: { readonly [service in keyof AuroraIntegrationEndpoints]-?: string } = {
  s3: 'Amazon S3',
  lambda: 'AWS Lambda',
  sageMakerRuntime: 'Amazon SageMaker Runtime',
  comprehend: 'Amazon Comprehend',
  bedrockRuntime: 'Amazon Bedrock Runtime',
};

/**
 * The network path from the cluster to each service it calls, without changing what other workloads reach: the
 * cluster's security group is allowed out on TCP 443 to the user's interface endpoints (whose security groups admit
 * this cluster's), to any IPv4 address for an S3 gateway endpoint or a NAT. Isolated subnets without an endpoint for a
 * service are rejected.
 */
export function networkRules(input: NetworkRulesInput): Rule[] {
  const services = [...new Set(input.features.map((f) => f.service))];
  return services.map((service) => ({
    condition: !input.hasEgress && input.endpoints?.[service] === undefined,
    prop: `integrationEndpoints.${service}`,
    message: `the cluster's subnets are isolated, so ${SERVICE_NAMES[service]} (${input.features
      .filter((f) => f.service === service)
      .map((f) => f.prop)
      .join(
        ', ',
      )}) is unreachable (${DOC_NETWORK}); pass your endpoint for it in integrationEndpoints (the library does not create one: a gateway endpoint on the subnets' route tables or an interface endpoint with private DNS would change how every workload in those subnets reaches the service), or place the cluster in private subnets with egress`,
  }));
}

export function configureNetwork(input: NetworkInput): void {
  const services = [...new Set(input.features.map((f) => f.service))];
  let anyIpv4 = false;
  for (const service of services) {
    const endpoint = input.endpoints?.[service];
    if (endpoint && isInterfaceEndpoint(endpoint)) {
      input.connections.allowTo(endpoint, ec2.Port.tcp(443), `Aurora integrations: ${SERVICE_NAMES[service]} endpoint`);
    } else {
      anyIpv4 = true;
    }
  }
  if (anyIpv4) {
    input.securityGroup.addEgressRule(
      ec2.Peer.anyIpv4(),
      ec2.Port.tcp(443),
      `Aurora integrations: ${services
        .filter((s) => !(input.endpoints?.[s] && isInterfaceEndpoint(input.endpoints[s]!)))
        .map((s) => SERVICE_NAMES[s])
        .join(', ')} over HTTPS (S3 gateway endpoint or NAT)`,
    );
  }
}

function isInterfaceEndpoint(endpoint: ec2.IVpcEndpoint): endpoint is ec2.IInterfaceVpcEndpoint {
  return (endpoint as ec2.IInterfaceVpcEndpoint).connections !== undefined;
}
