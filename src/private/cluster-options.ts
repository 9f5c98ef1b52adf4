import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { EngineFamily } from './engine-family';
import { describeFloor, meetsFloor, ParsedVersion, VersionFloor } from './engine-version';
import { Rule } from './validate';

/**
 * Local (in-cluster) write forwarding: Aurora MySQL 3.04+, Aurora PostgreSQL 14.13+, 15.8+ and 16.4+.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-mysql-write-forwarding.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-postgresql-write-forwarding.html
 */
const LOCAL_WRITE_FORWARDING_FLOORS: { readonly [engineType: string]: VersionFloor } = {
  'aurora-mysql': { 3: [4, 0] },
  'aurora-postgresql': { 14: [13, 0], 15: [8, 0], 16: [4, 0] },
};

export function localWriteForwardingRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  enabled: boolean,
): Rule[] {
  const floor = LOCAL_WRITE_FORWARDING_FLOORS[family.engineType];
  const url =
    family.engineType === 'aurora-mysql'
      ? 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-mysql-write-forwarding.html'
      : 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-postgresql-write-forwarding.html';
  return [
    {
      condition: enabled && version !== undefined && floor !== undefined && !meetsFloor(version, floor),
      prop: 'enableLocalWriteForwarding',
      message: `${family.displayName} ${version?.label} does not support local write forwarding; it needs ${floor ? describeFloor(floor, family.mysqlStyleVersions) : ''} (${url}). Choose a newer engine version or leave enableLocalWriteForwarding off`,
    },
  ];
}

/** A cluster needs at least one security group when the user names them. */
export function securityGroupsRules(groups: readonly ec2.ISecurityGroup[] | undefined): Rule[] {
  return [
    {
      condition: groups !== undefined && groups.length === 0,
      prop: 'securityGroups',
      message:
        'is empty; give at least one security group, or leave securityGroups out to get a new group with no ingress',
    },
  ];
}

/**
 * Kerberos authentication: the cluster joins an AWS Managed Microsoft AD directory through a role that RDS assumes.
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/kerberos-authentication.html
 */
export function domainRules(domain: string | undefined, domainRole: iam.IRole | undefined): Rule[] {
  return [
    {
      condition: domain !== undefined && domainRole === undefined,
      prop: 'domainRole',
      message:
        'is needed with domain: RDS calls AWS Directory Service through it (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/postgresql-kerberos-setting-up.html); pass a role trusted by rds.amazonaws.com and directoryservice.rds.amazonaws.com with the permissions of AmazonRDSDirectoryServiceAccess',
    },
    {
      condition: domain === undefined && domainRole !== undefined,
      prop: 'domainRole',
      message: 'has no effect without domain; pass the directory id as domain, or remove domainRole',
    },
    {
      condition: domain !== undefined && !Token.isUnresolved(domain) && !/^d-[0-9a-z]{10}$/.test(domain),
      prop: 'domain',
      message: `'${domain}' is not a directory id (d- and 10 letters or digits, https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html); pass the id of the AWS Managed Microsoft AD directory`,
    },
  ];
}
