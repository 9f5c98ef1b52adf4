import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EngineFamily } from './engine-family';
import { describeFloor, meetsFloor, ParsedVersion, VersionFloor } from './engine-version';
import { Rule } from './validate';
import type { ZeroEtlIntegrationOptions } from '../zero-etl';

const DOC_SETUP = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.setting-up.html';
const DOC_VERSIONS =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Zero-ETL.html';

/** The name and target ARN. */
export function integrationPropsRules(props: ZeroEtlIntegrationOptions, region: string): Rule[] {
  const name = props.integrationName;
  const target = props.targetArn;
  const knownTarget = !Token.isUnresolved(target);
  const parts = knownTarget ? target.split(':') : [];
  const isRedshiftNamespace =
    knownTarget &&
    ((parts[2] === 'redshift-serverless' && /^namespace\/.+/.test(parts.slice(5).join(':'))) ||
      (parts[2] === 'redshift' && parts[5] === 'namespace' && parts.length === 7));
  return [
    {
      condition: name !== undefined && !Token.isUnresolved(name) && !/^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/.test(name),
      prop: 'integrationName',
      message: `'${name}' is not a valid integration name: 1 to 63 letters, digits or hyphens, starting with a letter (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-integration.html); choose another name`,
    },
    {
      condition: knownTarget && !isRedshiftNamespace,
      prop: 'targetArn',
      message: `'${target}' is not an Amazon Redshift namespace ARN (arn:<partition>:redshift-serverless:<region>:<account>:namespace/<uuid> or arn:<partition>:redshift:<region>:<account>:namespace:<uuid>) (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.creating.html); pass the namespace ARN of the workgroup or cluster`,
    },
    {
      condition: isRedshiftNamespace && !Token.isUnresolved(region) && parts[3] !== '' && parts[3] !== region,
      prop: 'targetArn',
      message: `the namespace is in ${parts[3]}, but the cluster is in ${region}: a zero-ETL integration replicates within one Region (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.html#zero-etl.reqs-lims); use a namespace in ${region}`,
    },
  ];
}

/**
 * The source cluster parameters a zero-ETL integration needs, per engine.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/zero-etl.setting-up.html#zero-etl.parameters
 */
const ZERO_ETL_PARAMETERS: { readonly [engineType: string]: { readonly [name: string]: string } } = {
  'aurora-mysql': {
    aurora_enhanced_binlog: '1',
    binlog_backup: '0',
    binlog_format: 'ROW',
    binlog_replication_globaldb: '0',
    binlog_row_image: 'full',
    binlog_row_metadata: 'full',
  },
  'aurora-postgresql': {
    'rds.logical_replication': '1',
    'aurora.enhanced_logical_replication': '1',
    'aurora.logical_replication_backup': '0',
    'aurora.logical_replication_globaldb': '0',
  },
};

/** Values AWS forbids next to the required ones (Aurora MySQL). */
const ZERO_ETL_FORBIDDEN: { readonly [name: string]: string } = {
  binlog_transaction_compression: 'ON',
  binlog_row_value_options: 'PARTIAL_JSON',
};

/**
 * Versions that can be the source of a zero-ETL integration with Amazon Redshift: Aurora MySQL 3.05.2+, Aurora
 * PostgreSQL 16.4+.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.Zero-ETL.html
 */
const ZERO_ETL_FLOORS: { readonly [engineType: string]: VersionFloor } = {
  'aurora-mysql': { 3: [5, 2] },
  'aurora-postgresql': { 16: [4, 0] },
};

/** The parameters the source cluster needs. */
export function zeroEtlParameters(family: EngineFamily): { readonly [name: string]: string } {
  return ZERO_ETL_PARAMETERS[family.engineType] ?? {};
}

export interface ZeroEtlSourceInput {
  readonly family: EngineFamily;
  readonly version?: ParsedVersion;
  /** The user's cluster parameters. */
  readonly parameters?: { readonly [name: string]: string };
}

/** The source cluster must run a supported version and keep the required parameter values. */
export function zeroEtlSourceRules(input: ZeroEtlSourceInput): Rule[] {
  const floor = ZERO_ETL_FLOORS[input.family.engineType];
  const v = input.version;
  const required = zeroEtlParameters(input.family);
  const user = input.parameters ?? {};
  const rules: Rule[] = [
    {
      condition: floor !== undefined && v !== undefined && !meetsFloor(v, floor),
      prop: 'engine',
      message: `${input.family.displayName} ${v?.label} cannot be the source of a zero-ETL integration; it needs ${floor ? describeFloor(floor, input.family.mysqlStyleVersions) : ''} (${DOC_VERSIONS}). Choose a newer engine version`,
    },
  ];
  for (const [name, value] of Object.entries(required)) {
    const given = user[name];
    rules.push({
      condition: given !== undefined && !Token.isUnresolved(given) && given.toLowerCase() !== value.toLowerCase(),
      prop: `parameters.${name}`,
      message: `a zero-ETL integration needs ${name}=${value}, got '${given}' (${DOC_SETUP}); remove it from parameters`,
    });
  }
  if (input.family.engineType === 'aurora-mysql') {
    for (const [name, value] of Object.entries(ZERO_ETL_FORBIDDEN)) {
      const given = user[name];
      rules.push({
        condition: given !== undefined && !Token.isUnresolved(given) && given.toUpperCase() === value,
        prop: `parameters.${name}`,
        message: `a zero-ETL integration cannot replicate with ${name}=${value} (${DOC_SETUP}); remove it from parameters`,
      });
    }
  }
  return rules;
}

/** The source cluster ARN from its literal identifier. */
export function clusterArnOf(scope: Construct, clusterIdentifier: string): string {
  return Stack.of(scope).formatArn({
    service: 'rds',
    resource: 'cluster',
    resourceName: clusterIdentifier,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
