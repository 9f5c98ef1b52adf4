import { App, ArnFormat, Aws, CfnResource, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { REFERENCE_PREFIX } from './reference-config';

/**
 * The SSM Automation runbook that removes every rule from a VPC's default security group.
 * https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-remove-default-secg-rules.html
 */
export const REMOVE_DEFAULT_SG_RULES_RUNBOOK = 'AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules';

/** Properties of a {@link ReferenceNetwork}. */
export interface ReferenceNetworkProps {
  /**
   * Number of Availability Zones. Environment-agnostic accounts give CDK two AZ tokens at most.
   *
   * @default 2
   */
  readonly maxAzs?: number;
}

/**
 * The network a platform team ships under its databases, clean under every compliance pack without a
 * Lambda-backed custom resource:
 *
 * - isolated subnets only (no internet gateway, no NAT): the databases and their secret-rotation functions
 *   reach AWS APIs through interface endpoints;
 * - VPC flow logs (all traffic) to a CloudWatch log group encrypted with a customer-managed key with rotation
 *   and a key policy that denies grants not made for AWS resources (Control Tower CT.KMS.PR.3), kept a year
 *   (CT.CLOUDWATCH.PR.2) and retained; the flow-logs role gets its rights from a customer-managed policy
 *   (HIPAA/NIST/PCI IAMNoInlinePolicy), scoped to that one log group;
 * - the default security group emptied by a State Manager association that runs AWS's
 *   `AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules` runbook at creation and every day after
 *   (drift), instead of aws-cdk-lib's `restrictDefaultSecurityGroup`, which deploys a Lambda function that is
 *   outside the VPC (LambdaInsideVPC, CT.LAMBDA.PR.3) and uses an AWS-managed policy (AwsSolutions-IAM4).
 */
export class ReferenceNetwork extends Construct {
  public readonly vpc: ec2.Vpc;
  public readonly flowLogKey: kms.Key;
  public readonly flowLogGroup: logs.LogGroup;
  public readonly flowLog: ec2.FlowLog;
  public readonly defaultSecurityGroupRemediation: ssm.CfnAssociation;

  constructor(scope: Construct, id: string, props: ReferenceNetworkProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: props.maxAzs ?? 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 }],
      // The default security group is emptied by the SSM association below, without a Lambda function.
      restrictDefaultSecurityGroup: false,
    });

    // Flow logs: encrypted, kept a year, written by a role with a customer-managed policy.
    this.flowLogKey = new kms.Key(this, 'FlowLogKey', {
      description: `VPC flow logs of ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const logGroupName = `/vpc/flow-logs/${stack.stackName}`;
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.flowLogKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsNotForAwsResources',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
    this.flowLogKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForTheFlowLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
      }),
    );
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
      logGroupName,
      encryptionKey: this.flowLogKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
    const flowLogRole = new iam.Role(this, 'FlowLogRole', {
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `Delivers the VPC flow logs of ${this.node.path}`,
    });
    new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: 'Lets VPC Flow Logs write to its one log group',
      roles: [flowLogRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn],
        }),
      ],
    });
    this.flowLog = this.vpc.addFlowLog('FlowLog', {
      // The L2 would add the same statement to an inline policy: give it a role it cannot change.
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, flowLogRole.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    // The default security group: every rule removed at creation and daily, by an AWS-owned runbook.
    const remediationRole = new iam.Role(this, 'DefaultSecurityGroupRemediationRole', {
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `Lets Systems Manager Automation empty the default security group of ${this.node.path}`,
    });
    const remediationPolicy = new iam.ManagedPolicy(this, 'DefaultSecurityGroupRemediationPolicy', {
      description: `Rights of the ${REMOVE_DEFAULT_SG_RULES_RUNBOOK} runbook, on one security group`,
      roles: [remediationRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
          resources: [
            stack.formatArn({
              service: 'ec2',
              resource: 'security-group',
              resourceName: this.vpc.vpcDefaultSecurityGroup,
            }),
          ],
        }),
        new iam.PolicyStatement({ actions: ['ec2:DescribeSecurityGroups'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['ssm:StartAutomationExecution'],
          resources: [
            stack.formatArn({
              service: 'ssm',
              resource: 'automation-definition',
              resourceName: `${REMOVE_DEFAULT_SG_RULES_RUNBOOK}:*`,
            }),
          ],
        }),
        new iam.PolicyStatement({
          actions: ['ssm:GetAutomationExecution'],
          resources: [stack.formatArn({ service: 'ssm', resource: 'automation-execution', resourceName: '*' })],
        }),
      ],
    });
    // As cdk-nag renders ARNs in finding ids: tokens as <AWS::...>, literals (partition literals included) as such.
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const account = Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account;
    acknowledge(remediationPolicy, [
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ec2:DescribeSecurityGroups supports no resource-level permissions (Service Authorization Reference, Amazon EC2); the policy can only read security groups, the revoke actions are scoped to the one default security group.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:ssm:${region}:${account}:automation-definition/${REMOVE_DEFAULT_SG_RULES_RUNBOOK}:*]`,
        reason:
          'Any version of the one AWS-owned runbook that empties the default security group (State Manager runs its default version).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:ssm:${region}:${account}:automation-execution/*]`,
        reason:
          'The runbook reads the status of its own automation executions, whose ids are generated at run time; the statement is limited to reading automation executions in this account and Region.',
      },
    ]);
    this.defaultSecurityGroupRemediation = new ssm.CfnAssociation(this, 'DefaultSecurityGroupRemediation', {
      name: REMOVE_DEFAULT_SG_RULES_RUNBOOK,
      associationName: `${stack.stackName}-restrict-default-sg`,
      scheduleExpression: 'rate(1 day)',
      parameters: {
        GroupId: [this.vpc.vpcDefaultSecurityGroup],
        AutomationAssumeRole: [remediationRole.roleArn],
      },
    });
    this.defaultSecurityGroupRemediation.node.addDependency(remediationPolicy);
    acknowledge(this.vpc, [
      ...['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({
        id: `${pack}-VPCDefaultSecurityGroupClosed`,
        reason: `The default security group is emptied by the State Manager association ${this.defaultSecurityGroupRemediation.node.path}, which runs AWS's ${REMOVE_DEFAULT_SG_RULES_RUNBOOK} runbook at creation and daily; cdk-nag only recognizes aws-cdk-lib's Lambda-backed custom resource.`,
      })),
    ]);
  }
}

/** A network stack for one Region of the reference architecture: `AuroraRef-Network-<region>`. */
export function networkStack(app: App, region: string): { stack: Stack; vpc: ec2.IVpc; network: ReferenceNetwork } {
  const stack = new Stack(app, `${REFERENCE_PREFIX}-Network-${region}`, {
    env: { region },
    description: `cdk-aurora-baseline reference architecture: network (${region})`,
  });
  const network = new ReferenceNetwork(stack, 'Network');
  return { stack, vpc: network.vpc, network };
}

/**
 * Records acknowledgements on one CloudFormation resource (the construct's default child), as the README recommends:
 * in the `Annotation` namespace, which cdk-nag matches on that resource and aws-cdk-lib's validation framework never
 * applies elsewhere (it matches granular ids such as `AwsSolutions-IAM5[Resource::*]` app-wide before 2.276).
 */
function acknowledge(construct: IConstruct, acks: { id: string; reason: string }[]): void {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild!;
  for (const ack of acks) {
    resource.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`Annotation::${ack.id}`]: ack.reason });
  }
}
