import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { AuroraCluster, AuroraProxyAuthentication, AuroraProxyEndpointRole } from '../src';
import {
  builtInFindings,
  ComplianceFinding,
  complianceFindingsByStack,
  isRuleError,
  testApp,
  useBuiltInRules,
} from './compliance';
import { MYSQL_3_08, POSTGRES_16_4, R6G_LARGE, TEST_ENV, variantsApp } from './util';

// The test below pins aws-cdk-lib's built-in rules (test/setup.ts turns them off elsewhere).
useBuiltInRules();

/**
 * An application identity whose permissions go to a customer-managed policy, so that the grants the proxy makes
 * are checked by the packs without the app's own inline DefaultPolicy (IAMNoInlinePolicy) in the way.
 */
function appPrincipal(scope: Construct): iam.IGrantable {
  // Empty until the proxy's grant adds its statement (a ManagedPolicy is validated at synth).
  const policy = new iam.ManagedPolicy(scope, 'AppPolicy');
  const role = new iam.Role(scope, 'AppRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [policy],
  });
  const principal: iam.IPrincipal = {
    grantPrincipal: undefined as unknown as iam.IPrincipal,
    assumeRoleAction: role.assumeRoleAction,
    policyFragment: role.policyFragment,
    principalAccount: role.principalAccount,
    addToPrincipalPolicy: (statement) => {
      policy.addStatements(statement);
      return { statementAdded: true, policyDependable: policy };
    },
    addToPolicy: (statement) => {
      policy.addStatements(statement);
      return true;
    },
  };
  (principal as { grantPrincipal: iam.IPrincipal }).grantPrincipal = principal;
  return principal;
}

/**
 * Every proxy variant, each in its own stack of one app, under AwsSolutions, HIPAA Security, NIST 800-53 rev 4
 * and rev 5, PCI DSS 3.2.1 and the Control Tower guard rules (CT.RDS.PR.26 checks RequireTLS).
 */
const VARIANTS: Record<string, (stack: Stack, vpc: ec2.IVpc) => void> = {
  MysqlProxy: (stack, vpc) => {
    const db = new AuroraCluster(stack, 'Db', { engine: MYSQL_3_08, vpc });
    db.addAuroraProxy('Proxy').grantConnect(appPrincipal(stack), 'app_user');
  },
  PostgresProxy: (stack, vpc) => {
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc });
    db.addAuroraProxy('Proxy').grantConnect(appPrincipal(stack), 'app_user');
  },
  MysqlProxySecret: (stack, vpc) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc,
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE }),
      readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE })],
    });
    const proxy = db.addAuroraProxy('Proxy', {
      authentication: AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET,
      sessionPinningFilters: [rds.SessionPinningFilter.EXCLUDE_VARIABLE_SETS],
    });
    proxy.grantConnect(appPrincipal(stack), db.masterUsername);
    proxy.addEndpoint('Writes', { targetRole: AuroraProxyEndpointRole.READ_WRITE });
  },
  PostgresProxySecretPrivateEgress: (stack, vpc) => {
    const db = new AuroraCluster(stack, 'Db', {
      engine: POSTGRES_16_4,
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      readers: [],
    });
    db.addAuroraProxy('Proxy', { authentication: AuroraProxyAuthentication.IAM_WITH_MASTER_SECRET }).grantConnect(
      appPrincipal(stack),
      db.masterUsername,
    );
  },
};

describe('AuroraProxy compliance', () => {
  let app: App;
  let byStack: Record<string, ComplianceFinding[]>;

  beforeAll(() => {
    const variants = variantsApp(testApp(), VARIANTS);
    app = variants.app;
    const vpc = variants.vpc;
    // Negative control: what the library avoids is reported, so the clean results above mean something.
    const control = new Stack(app, 'NegativeControl', { env: TEST_ENV });
    const proxy = new AuroraCluster(control, 'Db', { engine: POSTGRES_16_4, vpc }).addAuroraProxy('Proxy');
    proxy.resource.requireTls = false;
    proxy.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['rds-db:connect'], resources: ['*'] }));
    // Why the library does not build on aws-cdk-lib's rds.DatabaseProxy: the same cluster behind the L2 proxy.
    const l2 = new Stack(app, 'L2Proxy', { env: TEST_ENV });
    const l2Db = new AuroraCluster(l2, 'Db', { engine: POSTGRES_16_4, vpc });
    new rds.DatabaseProxy(l2, 'Proxy', {
      proxyTarget: rds.ProxyTarget.fromCluster(l2Db.cluster),
      secrets: [l2Db.secret],
      vpc,
      vpcSubnets: l2Db.vpcSubnets,
      iamAuth: true,
    });
    byStack = complianceFindingsByStack(app);
  });

  test.each(Object.keys(VARIANTS))('%s has no unacknowledged finding in any pack', (name) => {
    expect(byStack[name]).toEqual([]);
  });

  test('the checks ran: the VPC stack, which the library does not harden, has findings', () => {
    expect(byStack.Network.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['AwsSolutions-VPC7']));
  });

  test('the negative control is reported: RequireTLS off (CT.RDS.PR.26), inline policy, wildcard resource', () => {
    const ids = byStack.NegativeControl.map((f) => f.ruleId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'rds_proxy_tls_check',
        'HIPAA.Security-IAMNoInlinePolicy',
        'NIST.800.53.R5-IAMNoInlinePolicy',
        'PCI.DSS.321-IAMNoInlinePolicy',
        'AwsSolutions-IAM5[Resource::*]',
      ]),
    );
  });

  test("aws-cdk-lib's rds.DatabaseProxy would fail the packs: token port rule, inline DefaultPolicy", () => {
    const ids = byStack.L2Proxy.map((f) => f.ruleId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'HIPAA.Security-EC2RestrictedCommonPorts',
        'HIPAA.Security-IAMNoInlinePolicy',
        'PCI.DSS.321-IAMNoInlinePolicy',
      ]),
    );
    // The port rule cannot even evaluate: the L2 writes the cluster's Endpoint.Port token into the ingress.
    expect(byStack.L2Proxy.filter((f) => f.ruleId.endsWith('EC2RestrictedCommonPorts')).every(isRuleError)).toBe(true);
  });

  test("aws-cdk-lib's built-in rules report nothing on the proxy", () => {
    const onProxy = builtInFindings(app).filter((f) => /\/Proxy\//.test(f.resource));
    expect(onProxy).toEqual([]);
  });
});
