import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { EngineFamily } from './engine-family';
import { describeFloor, meetsFloor, ParsedVersion, VersionFloor } from './engine-version';
import { Rule } from './validate';

/** https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Data_API.html */
export const DATA_API_DOC =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Data_API.html';

/**
 * Engine versions that offer the RDS Data API on Aurora Serverless v2 and provisioned clusters: Aurora PostgreSQL
 * 13.11+, 14.8+, 15.3+, 16.1+, 17.4+ and 18.3+; Aurora MySQL 3.07+ (Aurora MySQL version 2 offers it only on the
 * retired Aurora Serverless v1).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Data_API.html
 */
const DATA_API_FLOORS: { readonly [engineType: string]: VersionFloor } = {
  'aurora-postgresql': { 13: [11, 0], 14: [8, 0], 15: [3, 0], 16: [1, 0], 17: [4, 0], 18: [3, 0] },
  'aurora-mysql': { 3: [7, 0] },
};

/**
 * Regions without the Data API for Aurora Serverless v2 and provisioned clusters (the page lists them as "Not
 * available" for every engine version): Asia Pacific (Hyderabad), Asia Pacific (Melbourne) and Asia Pacific (New
 * Zealand).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Data_API.html
 */
const DATA_API_UNAVAILABLE_REGIONS: readonly string[] = ['ap-south-2', 'ap-southeast-4', 'ap-southeast-6'];

/** The actions of the RDS Data API a caller needs to run SQL, as aws-cdk-lib grants them. */
export const DATA_API_ACTIONS = [
  'rds-data:BatchExecuteStatement',
  'rds-data:BeginTransaction',
  'rds-data:CommitTransaction',
  'rds-data:ExecuteStatement',
  'rds-data:RollbackTransaction',
];

/** The engine version and Region must offer the Data API. */
export function dataApiRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  region: string,
  enabled: boolean,
): Rule[] {
  const floor = DATA_API_FLOORS[family.engineType];
  return [
    {
      condition: enabled && version !== undefined && floor !== undefined && !meetsFloor(version, floor),
      prop: 'enableDataApi',
      message: `${family.displayName} ${version?.label} does not offer the RDS Data API on Serverless v2 or provisioned clusters; it needs ${describeFloor(floor, family.mysqlStyleVersions)} (${DATA_API_DOC}). Choose a newer engine version or leave enableDataApi off`,
    },
    {
      condition: enabled && DATA_API_UNAVAILABLE_REGIONS.includes(region),
      prop: 'enableDataApi',
      message: `the RDS Data API is not available in ${region} (${DATA_API_DOC}); leave enableDataApi off`,
    },
  ];
}

export interface DataApiGrantInput {
  readonly grantee: iam.IGrantable;
  readonly clusterArn: string;
  readonly secret: secretsmanager.ISecret;
  readonly key: kms.IKey;
}

/**
 * The least a Data API caller needs: the `rds-data` statement actions on this cluster, `GetSecretValue` on the
 * secret it passes as `secretArn`, and `kms:Decrypt` on the key that encrypts that secret, only through Secrets
 * Manager. https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/data-api.access.html
 */
export function grantDataApi(input: DataApiGrantInput): iam.Grant {
  const grant = iam.Grant.addToPrincipal({
    grantee: input.grantee,
    actions: DATA_API_ACTIONS,
    resourceArns: [input.clusterArn],
  });
  const secret = iam.Grant.addToPrincipal({
    grantee: input.grantee,
    actions: ['secretsmanager:GetSecretValue'],
    resourceArns: [input.secret.secretArn],
  });
  // In the caller's policy, not the key policy: the key policy lets the account's IAM policies use the key, and
  // stays the same whoever is granted (no cross-stack reference from the key to a caller).
  const key = iam.Grant.addToPrincipal({
    grantee: input.grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [input.key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(input.key).region}.amazonaws.com` } },
  });
  // One grant with every statement, so that a caller can put them in a managed policy
  // (`grantDataApiAccess(role.withoutPolicyUpdates()).principalStatements`).
  return grant.combine(secret).combine(key);
}
