import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import { ComplianceFinding, complianceFindingsByStack, testApp } from './compliance';
import { buildReferenceApp, REFERENCE_REGIONS, ReferenceApp } from '../apps/reference/reference-app';
import { REMOVE_DEFAULT_SG_RULES_RUNBOOK } from '../apps/reference/reference-network';
import { integRunnerContext } from '../tools/integ-snapshots';

describe('reference architecture', () => {
  // One app per configuration, each synthesized once under every pack; the tests below share the default one.
  // aws-cdk-lib's built-in rules (not a pack; seconds to start) are left out: test/compliance.test.ts pins them.
  const app: App = testApp();
  const ref: ReferenceApp = buildReferenceApp(app);
  // The feature flags a new CDK project enables (cdk.json of `cdk init`), as integ-runner synthesizes with them.
  const flagsApp: App = testApp({ context: integRunnerContext() });
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
    expect(ref.ordersStack.region).toEqual(REFERENCE_REGIONS.primary);
    expect(ref.inventoryStack.region).toEqual(REFERENCE_REGIONS.primary);
    expect([ref.secondary.networkStack.region, ref.secondary.stack.region]).toEqual([
      REFERENCE_REGIONS.secondary,
      REFERENCE_REGIONS.secondary,
    ]);
    expect([ref.headlessSecondary.networkStack.region, ref.headlessSecondary.stack.region]).toEqual([
      REFERENCE_REGIONS.headlessSecondary,
      REFERENCE_REGIONS.headlessSecondary,
    ]);
    for (const stack of ref.stacks) {
      expect(Object.values(REFERENCE_REGIONS)).toContain(stack.region);
      expect(stack.resolve(stack.account)).toEqual({ Ref: 'AWS::AccountId' });
    }
  });

  describe('network', () => {
    // One network per Region: in the Orders stack in the primary Region, in a stack of its own elsewhere.
    const networkTemplates = () => [
      Template.fromStack(ref.ordersStack),
      Template.fromStack(ref.secondary.networkStack),
      Template.fromStack(ref.headlessSecondary.networkStack),
    ];

    test('isolated subnets only: no internet gateway, no NAT, no public IPs', () => {
      for (const template of networkTemplates()) {
        template.resourceCountIs('AWS::EC2::VPC', 1);
        template.resourceCountIs('AWS::EC2::InternetGateway', 0);
        template.resourceCountIs('AWS::EC2::NatGateway', 0);
        template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
      }
    });

    test('flow logs of all traffic go to a log group encrypted with a rotated key and kept a year', () => {
      for (const template of networkTemplates()) {
        template.hasResourceProperties('AWS::EC2::FlowLog', {
          ResourceType: 'VPC',
          TrafficType: 'ALL',
          LogDestinationType: 'cloud-watch-logs',
        });
        template.hasResourceProperties('AWS::Logs::LogGroup', {
          RetentionInDays: 365,
          KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('FlowLogKey'), 'Arn'] },
        });
      }
    });

    test('no inline policy and no Lambda function: the default security group is emptied by an SSM runbook', () => {
      for (const template of networkTemplates()) {
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
      }
      for (const stack of [ref.secondary.networkStack, ref.headlessSecondary.networkStack]) {
        Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
        Template.fromStack(stack).resourceCountIs('AWS::Lambda::Function', 0);
      }
      const primaryNetworkTypes = ref.network.node
        .findAll()
        .filter(CfnResource.isCfnResource)
        .map((r) => r.cfnResourceType);
      expect(primaryNetworkTypes).not.toContain('AWS::IAM::Policy');
      expect(primaryNetworkTypes).not.toContain('AWS::Lambda::Function');
    });

    test('the reader-autoscaling cleanup function is in subnets of its own template (Control Tower CT.LAMBDA.PR.3 rejects imported subnet ids)', () => {
      // GIVEN the Orders template WHEN reading the function's subnets THEN each is a Ref to a subnet of the template
      const template = Template.fromStack(ref.ordersStack).toJSON();
      const functions = Object.values(template.Resources as Record<string, any>).filter(
        (r) => r.Type === 'AWS::Lambda::Function',
      );
      expect(functions).toHaveLength(1);
      const subnetIds = functions[0].Properties.VpcConfig.SubnetIds as { Ref: string }[];
      expect(subnetIds.length).toBeGreaterThanOrEqual(2);
      for (const id of subnetIds) {
        expect(template.Resources[id.Ref]?.Type).toEqual('AWS::EC2::Subnet');
      }
    });
  });

  describe('databases', () => {
    test('Orders: Aurora PostgreSQL with a provisioned writer, Serverless v2 readers and a provisioned analytics reader', () => {
      const template = Template.fromStack(ref.ordersStack);
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-postgresql',
        ServerlessV2ScalingConfiguration: { MinCapacity: 8, MaxCapacity: 16 },
      });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PromotionTier: 0 });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large', PromotionTier: 15 });
      expect(
        Object.keys(
          template.findResources('AWS::RDS::DBInstance', { Properties: { DBInstanceClass: 'db.serverless' } }),
        ),
      ).toHaveLength(2);
    });

    test('Orders: reader autoscaling from 1 to 5 replicas on a CPU target', () => {
      const template = Template.fromStack(ref.ordersStack);
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        ServiceNamespace: 'rds',
        ScalableDimension: 'rds:cluster:ReadReplicaCount',
        ResourceId: ref.ordersStack.resolve(`cluster:${ref.orders.clusterIdentifier}`),
        MinCapacity: 1,
        MaxCapacity: 5,
      });
      template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
        TargetTrackingScalingPolicyConfiguration: Match.objectLike({
          PredefinedMetricSpecification: { PredefinedMetricType: 'RDSReaderAverageCPUUtilization' },
          TargetValue: 60,
        }),
      });
    });

    test('Orders: an analytics endpoint over the analytics reader, and an application reader endpoint without it', () => {
      const template = Template.fromStack(ref.ordersStack);
      const analytics = { Ref: Match.stringLikeRegexp('OrdersClusterAnalytics') };
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        CustomEndpointType: 'READER',
        StaticMembers: [analytics],
      });
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        CustomEndpointType: 'READER',
        ExcludedMembers: [analytics],
      });
    });

    test('Orders: an RDS Proxy with end-to-end IAM authentication and TLS, reached from the application', () => {
      const template = Template.fromStack(ref.ordersStack);
      template.hasResourceProperties('AWS::RDS::DBProxy', {
        EngineFamily: 'POSTGRESQL',
        RequireTLS: true,
        DefaultAuthScheme: 'IAM_AUTH',
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 5432,
        ToPort: 5432,
        GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OrdersProxySecurityGroup'), 'GroupId'] },
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AppSecurityGroup'), 'GroupId'] },
      });
    });

    test("Inventory: Aurora MySQL with a 24-hour Backtrack window, in the primary Region's VPC", () => {
      Template.fromStack(ref.inventoryStack).hasResourceProperties('AWS::RDS::DBCluster', {
        Engine: 'aurora-mysql',
        BacktrackWindow: 86400,
      });
      expect(ref.inventory.vpc).toBe(ref.network.vpc);
    });

    test('the application role gets rds-db:connect on the cluster and the proxy from a customer-managed policy', () => {
      const template = Template.fromStack(ref.ordersStack);
      const appPolicies = template.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Roles: [{ Ref: Match.stringLikeRegexp('AppRole') }] },
      });
      expect(Object.keys(appPolicies)).toHaveLength(1);
      const statements = Object.values(appPolicies)[0].Properties.PolicyDocument.Statement as any[];
      expect(statements.map((st) => st.Action)).toEqual(['rds-db:connect', 'rds-db:connect']);
      const resources = JSON.stringify(statements.map((st) => st.Resource));
      expect(resources).toContain('ClusterResourceId');
      expect(resources).toContain('DBProxyArn');
      expect(resources.match(/\/app_user/g)).toHaveLength(2);
      // No inline policy anywhere in the stack: the role refuses policy updates and the library uses managed ones.
      template.resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('the application security group reaches the cluster on its literal port', () => {
      Template.fromStack(ref.ordersStack).hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: ref.orders.port,
        ToPort: ref.orders.port,
        SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AppSecurityGroup'), 'GroupId'] },
      });
    });
  });

  describe('Global Database', () => {
    test('the global cluster is created from Orders, with deletion protection', () => {
      Template.fromStack(ref.ordersStack).hasResourceProperties('AWS::RDS::GlobalCluster', {
        GlobalClusterIdentifier: ref.ordersStack.resolve(ref.global.globalClusterIdentifier),
        SourceDBClusterIdentifier: ref.ordersStack.resolve(ref.orders.cluster.clusterArn),
        DeletionProtection: true,
      });
    });

    test('the secondary in eu-west-1 has two Serverless v2 readers, write forwarding and a custom endpoint', () => {
      const template = Template.fromStack(ref.secondary.stack);
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        GlobalClusterIdentifier: ref.ordersStack.resolve(ref.global.globalClusterIdentifier),
        EnableGlobalWriteForwarding: true,
      });
      template.resourceCountIs('AWS::RDS::DBInstance', 2);
      template.allResourcesProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
      template.hasResourceProperties('AWS::RDS::DBClusterEndpoint', {
        CustomEndpointType: 'READER',
        StaticMembers: [Match.anyValue()],
      });
    });

    test('the secondary in us-west-2 is headless', () => {
      const template = Template.fromStack(ref.headlessSecondary.stack);
      template.hasResourceProperties('AWS::RDS::DBCluster', {
        GlobalClusterIdentifier: ref.ordersStack.resolve(ref.global.globalClusterIdentifier),
      });
      template.resourceCountIs('AWS::RDS::DBInstance', 0);
    });

    test("each secondary stack deploys after the primary and uses its own Region's VPC, with no cross-Region reference", () => {
      for (const region of [ref.secondary, ref.headlessSecondary]) {
        expect(region.stack.dependencies).toEqual(expect.arrayContaining([ref.ordersStack, region.networkStack]));
        expect(region.cluster.vpc).toBe(region.network.vpc);
        expect(JSON.stringify(Template.fromStack(region.stack).toJSON())).not.toContain(ref.ordersStack.stackName);
      }
    });

    test('the replica budget (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attaching.html): the most primary readers autoscaling allows, plus the secondaries, stays within 15', () => {
      const scaling = ref.orders.readerScalableTarget!.node.defaultChild as appscaling.CfnScalableTarget;
      const declaredReaders = ref.orders.cluster.instanceIdentifiers.length - 1;
      expect(scaling.maxCapacity).toBeGreaterThan(declaredReaders);
      expect(Math.max(declaredReaders, scaling.maxCapacity) + ref.global.secondaries.length).toBeLessThanOrEqual(15);
      expect(ref.global.secondaries).toEqual([ref.secondary.cluster, ref.headlessSecondary.cluster]);
    });
  });

  test("no warning but aws-cdk-lib's own: the library's warnings that describe the chosen topology are acknowledged", () => {
    const warnings = ref.stacks.flatMap((stack) =>
      stack.node
        .findAll()
        .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data))),
    );
    expect(warnings.filter((w) => w.includes('cdk-aurora-baseline:'))).toEqual([]);
  });
});

describe('reference architecture, disposable (integ tests)', () => {
  test('turns deletion protection off and destroys every resource with its stack', () => {
    // GIVEN
    const app = new App();
    // WHEN
    const ref = buildReferenceApp(app, { disposable: true });
    // THEN
    for (const stack of ref.stacks) {
      const template = Template.fromStack(stack).toJSON();
      for (const resource of Object.values(template.Resources as Record<string, any>)) {
        expect(resource.DeletionPolicy ?? 'Delete').toEqual('Delete');
        if (resource.Type === 'AWS::RDS::DBCluster' || resource.Type === 'AWS::RDS::GlobalCluster') {
          expect(resource.Properties.DeletionProtection).toBe(false);
        }
      }
    }
  });
});
