import { App, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  acknowledgementId,
  ComplianceFinding,
  complianceFindings,
  complianceFindingsByStack,
  GUARD_PLUGIN_NAME,
  isRuleError,
  testApp,
} from './compliance';
import { createClusterKey } from '../src/encryption';

/** A plain L2 Aurora cluster with defaults: unencrypted, no IAM auth, no deletion protection, ... */
function defaultCluster(stack: Stack): rds.DatabaseCluster {
  return new rds.DatabaseCluster(stack, 'Cluster', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    vpc: new ec2.Vpc(stack, 'Vpc'),
  });
}

/** Findings without stack name and stack prefix, so findings of two identical stacks compare equal. */
function relative(findings: ComplianceFinding[], stack: string): ComplianceFinding[] {
  return findings.map((f) => ({ ...f, stack: '', resource: f.resource.replace(`${stack}/`, '') }));
}

function ruleIds(findings: ComplianceFinding[] = []): string[] {
  return findings.map((f) => `${f.pack}:${f.ruleId}`);
}

describe('complianceFindings', () => {
  // One app, one synth, for all the variants below.
  let byStack: Record<string, ComplianceFinding[]>;
  let all: ComplianceFinding[];
  let exitCodeBefore: typeof process.exitCode;
  let exitCodeAfter: typeof process.exitCode;

  beforeAll(() => {
    const app = testApp();

    defaultCluster(new Stack(app, 'NonCompliant'));

    const acked = defaultCluster(new Stack(app, 'NonCompliantAcked'));
    Validations.of(acked).acknowledge({ id: 'AwsSolutions-RDS2', reason: 'test: prove a scoped acknowledgement' });

    const compliant = new Stack(app, 'Compliant');
    // The library's own key: rotation on and the CT.KMS.PR.3 grant restriction.
    createClusterKey(compliant, 'Key', 'compliant key');

    const ruleError = new Stack(app, 'RuleError');
    const cfnCluster = new rds.CfnDBCluster(ruleError, 'Cluster', { engine: 'aurora-postgresql' });
    const vpc = ec2.Vpc.fromVpcAttributes(ruleError, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['az-a'] });
    const sg = new ec2.SecurityGroup(ruleError, 'Sg', { vpc, description: 'token port' });
    sg.addIngressRule(ec2.Peer.ipv4('10.0.0.0/16'), ec2.Port.tcp(Token.asNumber(cfnCluster.attrEndpointPort)));

    exitCodeBefore = process.exitCode;
    all = complianceFindings(app);
    exitCodeAfter = process.exitCode;
    byStack = complianceFindingsByStack(app);
  });

  test('a default DatabaseCluster yields nag and guard findings', () => {
    // GIVEN a plain rds.DatabaseCluster in a new ec2.Vpc (beforeAll)
    // WHEN
    const found = ruleIds(byStack.NonCompliant);

    // THEN
    expect(found).toEqual(
      expect.arrayContaining([
        'AwsSolutions:AwsSolutions-RDS2',
        'HIPAA.Security:HIPAA.Security-RDSInstanceDeletionProtectionEnabled',
        'NIST.800.53.R4:NIST.800.53.R4-RDSStorageEncrypted',
        'NIST.800.53.R5:NIST.800.53.R5-RDSStorageEncrypted',
        'PCI.DSS.321:PCI.DSS.321-RDSStorageEncrypted',
        `${GUARD_PLUGIN_NAME}:rds_cluster_storage_encrypted_check`,
      ]),
    );
    expect(byStack.NonCompliant).toContainEqual({
      pack: 'AwsSolutions',
      ruleId: 'AwsSolutions-RDS2',
      stack: 'NonCompliant',
      resource: 'NonCompliant/Cluster/Resource',
      message: expect.stringContaining('storage encryption'),
    });
    expect(byStack.NonCompliant).toContainEqual(
      expect.objectContaining({
        pack: GUARD_PLUGIN_NAME,
        ruleId: 'rds_cluster_storage_encrypted_check',
        resource: 'NonCompliant/Cluster/Resource',
        message: expect.stringContaining('CT.RDS.PR.16'),
      }),
    );
    // CDK sets process.exitCode = 1 on violations; the helper must not leak that into jest.
    expect(exitCodeAfter).toBe(exitCodeBefore);
  });

  test('acknowledging one finding on its resource removes exactly that finding', () => {
    // GIVEN the same cluster twice, one acknowledged with 'AwsSolutions-RDS2' (beforeAll)
    // WHEN
    const baseline = relative(byStack.NonCompliant, 'NonCompliant');
    const acked = relative(byStack.NonCompliantAcked, 'NonCompliantAcked');

    // THEN
    const expected = baseline.filter((f) => f.ruleId !== 'AwsSolutions-RDS2');
    expect(expected).toHaveLength(baseline.length - 1);
    expect(acked).toEqual(expected);
  });

  test('a compliant KMS key yields zero findings', () => {
    // GIVEN a rotated key with the CT.KMS.PR.3 CreateGrant deny statement (beforeAll)
    // WHEN
    const found = byStack.Compliant;

    // THEN
    expect(found).toEqual([]);
  });

  test('a nag rule that throws on a token port is a finding', () => {
    // GIVEN an ingress rule whose port is Fn::GetAtt Cluster.Endpoint.Port (beforeAll)
    // WHEN
    const errors = (byStack.RuleError ?? []).filter(isRuleError);

    // THEN
    expect(ruleIds(errors)).toEqual(
      expect.arrayContaining([
        'HIPAA.Security:HIPAA.Security-EC2RestrictedCommonPorts',
        'NIST.800.53.R5:NIST.800.53.R5-EC2RestrictedSSH',
        'PCI.DSS.321:PCI.DSS.321-EC2RestrictedCommonPorts',
      ]),
    );
    expect(errors.every((f) => f.resource.startsWith('RuleError/Sg/'))).toBe(true);
  });

  test('byStack covers every finding, and the result is cached', () => {
    // GIVEN the synthesized app (beforeAll)
    // WHEN
    const flattened = Object.values(byStack).flat();

    // THEN
    expect(Object.keys(byStack).sort()).toEqual(['Compliant', 'NonCompliant', 'NonCompliantAcked', 'RuleError']);
    expect(flattened).toHaveLength(all.length);
  });
});

describe('acknowledgement id formats', () => {
  let byStack: Record<string, ComplianceFinding[]>;

  beforeAll(() => {
    const app = testApp();
    const acked = new rds.CfnDBCluster(new Stack(app, 'Acked'), 'Cluster', { engine: 'aurora-postgresql' });
    new rds.CfnDBCluster(new Stack(app, 'Other'), 'Cluster', { engine: 'aurora-postgresql' });
    Validations.of(acked).acknowledge(
      { id: `${GUARD_PLUGIN_NAME}::rds_cluster_storage_encrypted_check`, reason: 'test: guard prefixed id' },
      { id: 'rds_cluster_iam_authentication_enabled_check', reason: 'test: bare guard id (ignored)' },
      { id: 'AwsSolutions::AwsSolutions-RDS6', reason: 'test: prefixed nag id' },
    );
    byStack = complianceFindingsByStack(app);
  });

  test('guard needs cdk-validator-cfnguard::<rule>, and it applies app-wide', () => {
    // GIVEN two identical L1 clusters, only one acknowledged (beforeAll)
    // WHEN
    const acked = ruleIds(byStack.Acked);
    const other = ruleIds(byStack.Other);

    // THEN the prefixed guard id removed the rule from BOTH stacks
    expect(acked).not.toContain(`${GUARD_PLUGIN_NAME}:rds_cluster_storage_encrypted_check`);
    expect(other).not.toContain(`${GUARD_PLUGIN_NAME}:rds_cluster_storage_encrypted_check`);
    // and the bare guard rule name did nothing
    expect(acked).toContain(`${GUARD_PLUGIN_NAME}:rds_cluster_iam_authentication_enabled_check`);
    expect(acknowledgementId(byStack.Acked.find((f) => f.pack === GUARD_PLUGIN_NAME)!)).toMatch(
      /^cdk-validator-cfnguard::[a-z0-9_]+$/,
    );
  });

  test('nag <Pack>::<RuleId> applies app-wide, unlike the plain id', () => {
    // GIVEN 'AwsSolutions::AwsSolutions-RDS6' acknowledged on one cluster (beforeAll)
    // WHEN
    const acked = ruleIds(byStack.Acked);
    const other = ruleIds(byStack.Other);

    // THEN
    expect(acked).not.toContain('AwsSolutions:AwsSolutions-RDS6');
    expect(other).not.toContain('AwsSolutions:AwsSolutions-RDS6');
    expect(acked).toContain('AwsSolutions:AwsSolutions-RDS2');
    expect(other).toContain('AwsSolutions:AwsSolutions-RDS2');
  });
});

describe('synth failures', () => {
  test('a synth error that is not a policy violation is rethrown', () => {
    // GIVEN
    const app = testApp();
    new Stack(app, 'Broken').node.addValidation({ validate: () => ['deliberately broken'] });

    // WHEN / THEN
    expect(() => complianceFindings(app)).toThrow(/deliberately broken/);
  });

  test('an app that was already synthesized is refused', () => {
    // GIVEN
    const app: App = testApp();
    new Stack(app, 'Empty');
    app.synth();

    // WHEN / THEN
    expect(() => complianceFindings(app)).toThrow(/already holds a cloud assembly/);
  });
});
