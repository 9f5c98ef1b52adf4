import * as fs from 'fs';
import * as path from 'path';
import * as rds from 'aws-cdk-lib/aws-rds';
import { AuroraCluster } from '../src';
import { testApp } from './compliance';
import { POSTGRES_16_4 } from './util';
import { networkStack } from '../apps/reference/reference-app';
import {
  COMPLIANCE_REPORT_FILE,
  ComplianceEvaluation,
  evaluateCompliance,
  evaluateReferenceApp,
  README_FILE,
  renderAcknowledgementTable,
  renderComplianceReport,
  withAcknowledgementTable,
} from '../tools/compliance-report';

describe('COMPLIANCE.md', () => {
  let evaluation: ComplianceEvaluation;
  let rendered: string;

  beforeAll(() => {
    evaluation = evaluateReferenceApp();
    rendered = renderComplianceReport(evaluation);
  });

  test('the committed report is up to date (regenerate it with `npx projen compliance:report`)', () => {
    // GIVEN the report rendered from the reference architecture (beforeAll)
    // WHEN
    const committed = fs.readFileSync(path.join(__dirname, '..', COMPLIANCE_REPORT_FILE), 'utf-8');
    // THEN
    if (committed !== rendered) {
      const a = committed.split('\n');
      const b = rendered.split('\n');
      const line = Array.from({ length: Math.max(a.length, b.length) }, (_, i) => i).find((i) => a[i] !== b[i]) ?? 0;
      throw new Error(
        `${COMPLIANCE_REPORT_FILE} is stale: run \`npx projen compliance:report\` and commit the result.\n` +
          `First difference at line ${line + 1}:\n- ${a[line] ?? '(end of file)'}\n+ ${b[line] ?? '(end of file)'}`,
      );
    }
  });

  test('the acknowledgement table in the README is up to date (regenerate it with `npx projen compliance:report`)', () => {
    // GIVEN
    const readme = fs.readFileSync(path.join(__dirname, '..', README_FILE), 'utf-8');
    // WHEN
    const regenerated = withAcknowledgementTable(readme, renderAcknowledgementTable(evaluation));
    // THEN
    expect(regenerated === readme).toBe(true);
  });

  test('the acknowledgement table names each finding, the resource type and library construct, and the reason', () => {
    const table = renderAcknowledgementTable(evaluation);
    expect(table).toMatch(
      /\| `HIPAA\.Security-RDSInBackupPlan`, `NIST\.800\.53\.R4-RDSInBackupPlan`, `NIST\.800\.53\.R5-RDSInBackupPlan` \| `AWS::RDS::DBInstance` of `AuroraCluster` \| Aurora DB instances hold no data of their own/,
    );
    // Granular ARN ids without partition, Region and account: one row for every Region's monitoring policy.
    expect(table.match(/log-group:RDSOSMetrics/g)?.length).toBeGreaterThanOrEqual(1);
    expect(table).not.toMatch(/us-east-1|eu-west-1|us-west-2|<AWS::/);
  });

  test('every rule of every pack is evaluated: the cdk-nag packs and the 237 Control Tower rules', () => {
    expect(Object.fromEntries(evaluation.packs.map((p) => [p.name, p.rules.length]))).toEqual({
      AwsSolutions: 131,
      'HIPAA.Security': 90,
      'NIST.800.53.R4': 70,
      'NIST.800.53.R5': 85,
      'PCI.DSS.321': 69,
      ControlTower: 237,
    });
  });

  test('the library acknowledgements appear with their reasons', () => {
    expect(rendered).toMatch(
      /\| HIPAA\.Security-RDSInBackupPlan \| Error \| .* \| `AWS::RDS::DBInstance` \| acknowledged \| Aurora DB instances hold no data of their own/,
    );
    expect(rendered).toMatch(
      /\| AwsSolutions-IAM5 \| .* \| acknowledged \| .*`\[Resource::arn:<AWS::Partition>:logs:.*RDSOSMetrics/,
    );
  });

  test('Control Tower results are attributed to resource types, with rules skipped by the engine not applicable', () => {
    const ct = evaluation.evaluations.filter((e) => e.pack === 'ControlTower' && e.library);
    const result = (rule: string, type: string) => [
      ...new Set(ct.filter((e) => e.ruleId === rule && e.resourceType === type).map((e) => e.result)),
    ];
    expect(result('CT.RDS.PR.16', 'AWS::RDS::DBCluster')).toEqual(['compliant']);
    expect(result('CT.RDS.PR.23', 'AWS::RDS::DBInstance')).toEqual(['compliant']);
    expect(result('CT.KMS.PR.3', 'AWS::KMS::Key')).toEqual(['compliant']);
    // Backtrack: compliant on the MySQL cluster, not applicable to the PostgreSQL one.
    expect(result('CT.RDS.PR.6', 'AWS::RDS::DBCluster').sort()).toEqual(['compliant', 'not applicable']);
  });

  test("the proxy's, the Global Database's, the secondaries' and reader autoscaling's resources count as the library's", () => {
    // GIVEN the reference app's resources (beforeAll) WHEN grouping them by type THEN each has its library class
    const createdBy = (type: string) =>
      [...new Set(evaluation.resources.filter((r) => r.type === type).map((r) => r.createdBy))].sort();
    expect(createdBy('AWS::RDS::DBProxy')).toEqual(['AuroraProxy']);
    expect(createdBy('AWS::RDS::DBProxyTargetGroup')).toEqual(['AuroraProxy']);
    expect(createdBy('AWS::RDS::DBProxyEndpoint')).toEqual(['AuroraProxyEndpoint']);
    expect(createdBy('AWS::RDS::GlobalCluster')).toEqual(['AuroraGlobalDatabase']);
    expect(createdBy('AWS::RDS::DBCluster')).toEqual(['AuroraCluster', 'AuroraSecondaryCluster']);
    expect(createdBy('AWS::RDS::DBClusterEndpoint')).toEqual(['AuroraCustomEndpoint']);
    expect(createdBy('AWS::ApplicationAutoScaling::ScalableTarget')).toEqual(['AuroraCluster']);
    expect(createdBy('AWS::Lambda::Function')).toEqual(['AuroraCluster']);
    expect(createdBy('Custom::AuroraAutoscaledReplicaCleanup')).toEqual(['AuroraCluster']);
    // The secondaries' own parts (key, log group, monitoring role) too, and nothing of the networks.
    const secondaryTypes = evaluation.resources
      .filter((r) => r.createdBy === 'AuroraSecondaryCluster')
      .map((r) => r.type);
    expect(secondaryTypes).toEqual(
      expect.arrayContaining(['AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::RDS::DBInstance']),
    );
    expect(evaluation.resources.filter((r) => r.path.includes('/Network/')).every((r) => !r.createdBy)).toBe(true);
  });

  test('the report lists only resources the library creates; the app acknowledges its own findings', () => {
    const types = new Set(evaluation.resources.filter((r) => r.createdBy).map((r) => r.type));
    expect(types).not.toContain('AWS::EC2::VPC');
    expect(types).not.toContain('AWS::SSM::Association');
    expect(rendered).toMatch(
      /`PCI\.DSS\.321-VPCDefaultSecurityGroupClosed` \| `AuroraRef-Orders-us-east-1\/Network\/Vpc\/Resource`/,
    );
  });
});

describe('renderComplianceReport', () => {
  test('refuses to render a non-compliant result, from cdk-nag or Control Tower', () => {
    // GIVEN a library cluster whose storage encryption an escape hatch turned off
    const app = testApp();
    const { stack, vpc } = networkStack(app, 'us-east-1');
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc });
    (db.cluster.node.defaultChild as rds.CfnDBCluster).storageEncrypted = false;

    // WHEN
    const evaluation = evaluateCompliance(app);

    // THEN
    const failing = evaluation.evaluations.filter((e) => e.result === 'NON-COMPLIANT').map((e) => e.ruleId);
    expect(failing).toEqual(
      expect.arrayContaining(['AwsSolutions-RDS2', 'PCI.DSS.321-RDSStorageEncrypted', 'CT.RDS.PR.16']),
    );
    expect(() => renderComplianceReport(evaluation)).toThrow(
      /unacknowledged finding.*\n.*AwsSolutions-RDS2 on .*\/Db\/Cluster\/Resource/,
    );
  });
});
