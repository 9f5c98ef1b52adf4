import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { integRunnerContext } from './integ-snapshots';
import { noBuiltInValidation } from './reference/app-index';
import { buildReferenceApp, REFERENCE_REGIONS, ReferenceApp } from './reference-app';
import { REMOVE_DEFAULT_SG_RULES_RUNBOOK } from './reference-network';

describe('reference architecture', () => {
  // One app per configuration, each synthesized once under every pack; the tests below share the default one.
  // aws-cdk-lib's built-in rules (not a pack; seconds to start) are left out: test/compliance.test.ts pins them.
  const app: App = testApp();
  Validations.of(app).addPlugins(noBuiltInValidation());
  const ref: ReferenceApp = buildReferenceApp(app);
  // The feature flags a new CDK project enables (cdk.json of `cdk init`), as integ-runner synthesizes with them.
  const flagsApp: App = testApp({ context: integRunnerContext() });
  Validations.of(flagsApp).addPlugins(noBuiltInValidation());
  const flagsRef: ReferenceApp = buildReferenceApp(flagsApp);
  let byStack: Record<string, ComplianceFinding[]>;
  let flagsByStack: Record<string, ComplianceFinding[]>;

  beforeAll(() => {
    byStack = complianceFindingsByStack(app);
    flagsByStack = complianceFindingsByStack(flagsApp);
  });

  test.each(ref.stacks.map((s) => s.stackName))('%s has no unacknowledged finding in any pack', (name) => {
    expect(byStack[name]).toEqual([]);
  });

  test.each(flagsRef.stacks.map((s) => s.stackName))(
    '%s has no unacknowledged finding in any pack with the recommended feature flags',
    (name) => {
      expect(flagsByStack[name]).toEqual([]);
    },
  );

  test('every stack of the app is checked', () => {
    // GIVEN the app (above) WHEN listing its stacks THEN they are exactly the ones the reference app returns
    const stacks = app.node.children.filter((c): c is Stack => Stack.isStack(c)).map((s) => s.stackName);
    expect(Object.keys(byStack).sort()).toEqual(stacks.sort());
    expect(ref.stacks.map((s) => s.stackName).sort()).toEqual(stacks.sort());
  });

  test('every stack is pinned to one of the reference Regions and to no account (deployable anywhere)', () => {
    expect(ref.network.region).toEqual(REFERENCE_REGIONS.primary);
    for (const stack of ref.stacks) {
      expect(Object.values(REFERENCE_REGIONS)).toContain(stack.region);
      expect(stack.resolve(stack.account)).toEqual({ Ref: 'AWS::AccountId' });
    }
  });

  describe('network', () => {
    test('isolated subnets only: no internet gateway, no NAT, no public IPs', () => {
      const template = Template.fromStack(ref.network);
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    });

    test('flow logs of all traffic go to a log group encrypted with a rotated key and kept a year', () => {
      const template = Template.fromStack(ref.network);
      template.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FlowLogKey'), 'Arn'] },
      });
      template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    });

    test('no inline policy and no Lambda function: the default security group is emptied by an SSM runbook', () => {
      const template = Template.fromStack(ref.network);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.resourceCountIs('AWS::Lambda::Function', 0);
      template.hasResourceProperties('AWS::SSM::Association', {
        Name: REMOVE_DEFAULT_SG_RULES_RUNBOOK,
        ScheduleExpression: 'rate(1 day)',
        Parameters: {
          GroupId: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('Vpc'), 'DefaultSecurityGroup'] }],
          AutomationAssumeRole: [
            { 'Fn::GetAtt': [Match.stringLikeRegexp('DefaultSecurityGroupRemediationRole'), 'Arn'] },
          ],
        },
      });
    });
  });

  describe('databases', () => {
    test('Orders: Aurora PostgreSQL with a provisioned writer and Serverless v2 readers', () => {
      const template = Template.fromStack(ref.ordersStack);
      template.hasResourceProperties('AWS::RDS::DBCluster', { Engine: 'aurora-postgresql' });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PromotionTier: 0 });
      expect(
        Object.keys(
          template.findResources('AWS::RDS::DBInstance', { Properties: { DBInstanceClass: 'db.serverless' } }),
        ),
      ).toHaveLength(2);
    });

    test('Inventory: Aurora MySQL with a 24-hour Backtrack window', () => {
      Template.fromStack(ref.inventoryStack).hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-mysql',
        BacktrackWindow: 86400,
      });
    });

    test('the application role gets rds-db:connect from a customer-managed policy, not an inline one', () => {
      const template = Template.fromStack(ref.ordersStack);
      template.resourceCountIs('AWS::IAM::Policy', 0);
      template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
        Roles: [{ Ref: Match.stringLikeRegexp('AppRole') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: 'rds-db:connect',
              Resource: {
                'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':rds-db:'), ':dbuser:', '/app_user'])],
              },
            }),
          ],
        },
      });
    });

    test('the application security group reaches the cluster on its literal port', () => {
      Template.fromStack(ref.ordersStack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: ref.orders.port,
        ToPort: ref.orders.port,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AppSecurityGroup'), 'GroupId'] },
      });
    });
  });
});

describe('reference architecture, disposable (integ tests)', () => {
  test('turns deletion protection off and destroys every resource with its stack', () => {
    // GIVEN
    const app = new App();
    Validations.of(app).addPlugins(noBuiltInValidation());
    // WHEN
    const ref = buildReferenceApp(app, { disposable: true });
    // THEN
    for (const stack of ref.stacks) {
      const template = Template.fromStack(stack).toJSON();
      for (const resource of Object.values(template.Resources as Record<string, any>)) {
        expect(resource.DeletionPolicy ?? 'Delete').toEqual('Delete');
        if (resource.Type === 'AWS::RDS::DBCluster') {
          expect(resource.Properties.DeletionProtection).toBe(false);
        }
      }
    }
  });
});
