import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ackMonitoringLogStreams, acknowledge } from './private/acknowledgements';

/**
 * The Enhanced Monitoring role: a customer-managed policy with the rights of AWS's
 * AmazonRDSEnhancedMonitoringRole, narrowed to the RDSOSMetrics log group of this account and Region
 * (AwsSolutions-IAM4 rejects the AWS-managed policy; HIPAA/NIST/PCI IAMNoInlinePolicy rejects inline ones).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Monitoring.OS.Enabling.html
 */
export function createMonitoringRole(scope: Construct, id: string): iam.Role {
  const stack = Stack.of(scope);
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: 'RDSOSMetrics',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const role = new iam.Role(scope, id, {
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
    description: 'Enhanced Monitoring for Aurora instances',
  });
  const policy = new iam.ManagedPolicy(scope, `${id}Policy`, {
    description: 'Lets RDS Enhanced Monitoring write OS metrics to the RDSOSMetrics log group',
    statements: [
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy'],
        resources: [logGroupArn],
      }),
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'logs:GetLogEvents'],
        resources: [`${logGroupArn}:log-stream:*`],
      }),
    ],
  });
  role.addManagedPolicy(policy);
  acknowledge(policy, [ackMonitoringLogStreams(stack)]);
  return role;
}
