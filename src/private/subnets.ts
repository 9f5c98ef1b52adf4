import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';

/** At most 20 subnets in a DB subnet group (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html). */
export const MAX_SUBNETS_PER_GROUP = 20;

export interface PrivateSubnets {
  /** A selection naming the chosen subnets. */
  readonly selection: ec2.SubnetSelection;
  /** Whether every chosen subnet is known to route out through a NAT (private with egress). */
  readonly hasEgress: boolean;
}

/**
 * Chooses the private subnets for a database: the user's selection if given (never public), otherwise the
 * VPC's isolated subnets, otherwise its private subnets with egress. The subnets must span two or more
 * Availability Zones (DB subnet groups need at least two: https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html).
 * https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
 */
export function selectPrivateSubnets(
  path: string,
  vpc: ec2.IVpc,
  requested?: ec2.SubnetSelection,
  scope?: IConstruct,
  prop = 'vpcSubnets',
): PrivateSubnets {
  let selection: ec2.SubnetSelection;
  if (requested) {
    selection = requested;
  } else if (vpc.isolatedSubnets.length > 0) {
    selection = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  } else if (vpc.privateSubnets.length > 0) {
    selection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  } else {
    throw new Error(
      `${path}: vpc: the VPC has no private subnets (isolated or with egress); a database must never be in a public subnet. Add private subnets to the VPC`,
    );
  }
  if (selection.subnetType === ec2.SubnetType.PUBLIC) {
    throw new Error(
      `${path}: ${prop}: public subnets are not allowed for a database; select ec2.SubnetType.PRIVATE_ISOLATED or PRIVATE_WITH_EGRESS subnets`,
    );
  }
  const selected = vpc.selectSubnets(selection);
  const publicIds = new Set(vpc.publicSubnets.map((s) => s.subnetId));
  const publicChosen = selected.subnets.filter((s) => publicIds.has(s.subnetId));
  if (publicChosen.length > 0) {
    throw new Error(
      `${path}: ${prop}: selects public subnet(s) ${publicChosen.map((s) => s.node.path).join(', ')}; a database must never be in a public subnet. Select private subnets`,
    );
  }
  if (selected.subnets.length > MAX_SUBNETS_PER_GROUP) {
    throw new Error(
      `${path}: ${prop}: selects ${selected.subnets.length} subnets; a DB subnet group holds at most ${MAX_SUBNETS_PER_GROUP} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html); select fewer subnets, e.g. with subnetGroupName or onePerAz`,
    );
  }
  const azList = selected.subnets.map((s) => s.availabilityZone);
  const azs = new Set(azList);
  if (azs.size < 2 && azList.some((az) => Token.isUnresolved(az))) {
    // Subnets imported with deploy-time lists (Fn::Split of an import or parameter): their AZs are unknown.
    Annotations.of(scope ?? vpc).addWarningV2(
      'cdk-aurora-baseline:unchecked:vpcSubnets',
      'the subnets are deploy-time values, so whether they span at least two Availability Zones could not be checked at synth (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html); AWS checks it at deploy time',
    );
  } else if (azs.size < 2) {
    throw new Error(
      `${path}: ${prop}: the selected subnets span ${azs.size} Availability Zone(s); Aurora needs subnets in at least two (DBSubnetGroupDoesNotCoverEnoughAZs). Select subnets in two or more AZs`,
    );
  }
  const egressIds = new Set(vpc.privateSubnets.map((s) => s.subnetId));
  return {
    selection: { subnets: selected.subnets },
    hasEgress: selected.subnets.every((s) => egressIds.has(s.subnetId)),
  };
}
