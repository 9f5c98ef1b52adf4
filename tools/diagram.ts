/**
 * `npx projen diagram`: the architecture picture of the reference architecture, generated from its synthesized
 * templates: Regions and stacks as boxes, the main resources as nodes, and their references (Ref, Fn::GetAtt,
 * Fn::ImportValue across stacks) as edges, followed through the plumbing it hides (subnet groups, secret
 * attachments, subnets). Security-group rules become edges between security groups, customer-managed policies
 * edges from the role to what they grant access to, and identifiers that stand for references (a secondary's global
 * cluster, reader autoscaling's cluster) edges too. A resource type appears once it has a style in NODE_STYLES.
 *
 * Writes docs/reference-architecture.dot, then renders docs/reference-architecture.png with Graphviz's `dot`
 * (`apt-get install graphviz`). `--dot-only` skips the rendering.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { cfnResources, deployableStack, synthQuietly } from './app-index';
import { buildReferenceApp } from '../apps/reference/reference-app';

const ROOT = path.resolve(__dirname, '..');
export const DIAGRAM_DOT = path.join('docs', 'reference-architecture.dot');
export const DIAGRAM_PNG = path.join('docs', 'reference-architecture.png');

interface NodeStyle {
  /** What the node is called, before its construct id. */
  readonly kind: string;
  readonly shape: string;
  readonly fill: string;
  /** Extra label lines from the resource's properties. */
  detail?(properties: Record<string, any>): string[];
}

/** The resource types drawn, and how. Every other resource is plumbing that edges pass through. */
const NODE_STYLES: Record<string, NodeStyle> = {
  'AWS::EC2::VPC': { kind: 'VPC', shape: 'box', fill: '#d5e8d4', detail: (p) => [`${p.CidrBlock}`] },
  'AWS::EC2::FlowLog': {
    kind: 'flow log',
    shape: 'box',
    fill: '#d5e8d4',
    detail: (p) => [`traffic: ${p.TrafficType}`],
  },
  'AWS::SSM::Association': {
    kind: 'SSM association',
    shape: 'box',
    fill: '#d5e8d4',
    detail: (p) => [String(p.Name), String(p.ScheduleExpression ?? '')],
  },
  'AWS::EC2::VPCEndpoint': {
    kind: 'VPC endpoint',
    shape: 'box',
    fill: '#d5e8d4',
    // ServiceName is a literal (com.amazonaws.<region>.rds) or, for S3, a Fn::Join ending in '.s3'.
    detail: (p) => [
      `${String(typeof p.ServiceName === 'string' ? p.ServiceName : p.ServiceName?.['Fn::Join']?.[1]?.slice(-1)[0])
        .split('.')
        .pop()} (${String(p.VpcEndpointType ?? 'Interface').toLowerCase()})`,
    ],
  },
  'AWS::EC2::SecurityGroup': { kind: 'security group', shape: 'box', fill: '#f8cecc' },
  'AWS::KMS::Key': {
    kind: 'KMS key',
    shape: 'box',
    fill: '#ffe6cc',
    detail: (p) => [p.EnableKeyRotation ? 'rotation on' : 'no rotation'],
  },
  'AWS::Logs::LogGroup': {
    kind: 'log group',
    shape: 'box',
    fill: '#f5f5f5',
    detail: (p) => [`${p.RetentionInDays} days`],
  },
  'AWS::RDS::DBCluster': {
    kind: 'Aurora cluster',
    shape: 'cylinder',
    fill: '#dae8fc',
    detail: (p) => [
      `${p.Engine} ${p.EngineVersion}, port ${p.Port}`,
      p.BacktrackWindow ? `backtrack ${p.BacktrackWindow / 3600} h` : '',
      p.GlobalClusterIdentifier ? 'Global Database secondary' : '',
      p.EnableGlobalWriteForwarding ? 'write forwarding' : '',
      p.ServerlessV2ScalingConfiguration
        ? `Serverless v2 ${p.ServerlessV2ScalingConfiguration.MinCapacity}-${p.ServerlessV2ScalingConfiguration.MaxCapacity} ACU`
        : '',
    ],
  },
  'AWS::RDS::DBInstance': {
    kind: 'instance',
    shape: 'box3d',
    fill: '#dae8fc',
    detail: (p) => [`${p.DBInstanceClass}, tier ${p.PromotionTier ?? '-'}`],
  },
  'AWS::RDS::DBClusterParameterGroup': { kind: 'cluster parameter group', shape: 'note', fill: '#dae8fc' },
  'AWS::RDS::DBClusterEndpoint': {
    kind: 'custom endpoint',
    shape: 'box',
    fill: '#dae8fc',
    detail: (p) => [
      String(p.CustomEndpointType),
      p.StaticMembers ? `${p.StaticMembers.length} static member(s)` : '',
      p.ExcludedMembers ? `all but ${p.ExcludedMembers.length} member(s)` : '',
    ],
  },
  'AWS::RDS::DBProxy': {
    kind: 'RDS Proxy',
    shape: 'box',
    fill: '#dae8fc',
    detail: (p) => [`TLS ${p.RequireTLS ? 'required' : 'optional'}`],
  },
  'AWS::RDS::DBProxyEndpoint': {
    kind: 'proxy endpoint',
    shape: 'box',
    fill: '#dae8fc',
    detail: (p) => [String(p.TargetRole)],
  },
  'AWS::RDS::GlobalCluster': {
    kind: 'Global Database',
    shape: 'cylinder',
    fill: '#e1d5e7',
    detail: (p) => [String(p.GlobalClusterIdentifier)],
  },
  'AWS::Lambda::Function': {
    kind: 'Lambda function',
    shape: 'box',
    fill: '#fff2cc',
    detail: (p) => [String(p.Runtime), 'in the VPC'],
  },
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    kind: 'reader autoscaling',
    shape: 'box',
    fill: '#dae8fc',
    detail: (p) => [`${p.MinCapacity}-${p.MaxCapacity} readers`],
  },
  'AWS::SecretsManager::Secret': { kind: 'master secret', shape: 'box', fill: '#ffe6cc' },
  'AWS::SecretsManager::RotationSchedule': {
    kind: 'secret rotation',
    shape: 'box',
    fill: '#ffe6cc',
    detail: (p) => [String(p.RotationRules?.ScheduleExpression ?? '')],
  },
  'AWS::IAM::Role': { kind: 'IAM role', shape: 'box', fill: '#fff2cc' },
};

/** Properties that only place a resource (in the VPC or its subnets): drawn for the cluster and network resources only. */
const PLACEMENT_PROPERTIES = new Set(['VpcId', 'SubnetIds', 'VpcSubnetIds', 'VpcSecurityGroupIds', 'SecurityGroupIds']);
const PLACED_TYPES = new Set([
  'AWS::RDS::DBCluster',
  'AWS::EC2::VPCEndpoint',
  'AWS::RDS::DBProxy',
  'AWS::EC2::FlowLog',
]);

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
}

interface Node {
  readonly id: string;
  readonly stack: string;
  readonly type: string;
  readonly label: string;
}

/** Builds the DOT text of a synthesized app. */
export function diagramDot(app: App): string {
  const stacks = app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nestedStackParent);
  const resources = cfnResources(app);
  const templates = new Map<string, { Resources: Record<string, TemplateResource>; Outputs?: Record<string, any> }>();
  const paths = new Map<string, string>(); // `${stack}/${logicalId}` -> construct path
  for (const stack of stacks) {
    templates.set(stack.stackName, JSON.parse(fs.readFileSync(path.join(app.outdir, stack.templateFile), 'utf-8')));
  }
  for (const { resource } of resources.values()) {
    paths.set(
      `${deployableStack(resource).stackName}/${Stack.of(resource).resolve(resource.logicalId)}`,
      resource.node.path,
    );
  }
  // Export name -> the resource that produces it.
  const exports = new Map<string, string>();
  for (const [stackName, template] of templates) {
    for (const output of Object.values(template.Outputs ?? {})) {
      const target = firstReference(output.Value);
      if (output.Export?.Name && target) exports.set(output.Export.Name, `${stackName}/${target}`);
    }
  }
  const key = (stack: string, logicalId: string) => `${stack}/${logicalId}`;
  const resourceOf = (k: string): TemplateResource | undefined => {
    const [stack, ...rest] = k.split('/');
    return templates.get(stack)?.Resources[rest.join('/')];
  };

  // Nodes: the drawn types, except IAM roles that are only plumbing (drawn when a customer-managed policy grants them
  // access to a drawn resource, or when they are not the library's).
  const nodes = new Map<string, Node>();
  for (const [stackName, template] of templates) {
    for (const [logicalId, r] of Object.entries(template.Resources)) {
      const style = NODE_STYLES[r.Type];
      if (!style) continue;
      const k = key(stackName, logicalId);
      const constructPath = paths.get(k) ?? k;
      const name = constructPath
        .split('/')
        .slice(1)
        .filter((p) => p !== 'Resource' && p !== 'Default')
        .join('/');
      const details = style.detail?.(r.Properties ?? {}).filter((d) => d) ?? [];
      nodes.set(k, {
        id: `n${nodes.size}`,
        stack: stackName,
        type: r.Type,
        label: [style.kind, name, ...details].join('\n'),
      });
    }
  }

  // Edges: references from a drawn resource to drawn ones, through undrawn plumbing.
  const edges = new Set<string>();
  const addEdge = (from: string, to: string, label?: string, style?: string) => {
    const a = nodes.get(from);
    const b = nodes.get(to);
    const attributes = [label ? `label="${escape(label)}"` : '', style ?? ''].filter((x) => x).join(', ');
    if (a && b && a !== b) edges.add(`  ${a.id} -> ${b.id}${attributes ? ` [${attributes}]` : ''};`);
  };
  // Relations by identifier, not by template reference (a secondary's global cluster): drawn apart.
  const IDENTIFIER_EDGE = 'style=dashed, color="#9673a6", fontcolor="#9673a6", penwidth=1.5';
  const referencesOf = (stack: string, value: unknown, skipPlacement: boolean): string[] => {
    const found: string[] = [];
    const visit = (v: unknown, property?: string) => {
      if (Array.isArray(v)) return v.forEach((x) => visit(x, property));
      if (!v || typeof v !== 'object') return;
      const o = v as Record<string, unknown>;
      if (typeof o.Ref === 'string' && !o.Ref.startsWith('AWS::')) {
        found.push(key(stack, o.Ref));
      } else if (Array.isArray(o['Fn::GetAtt'])) {
        found.push(key(stack, String(o['Fn::GetAtt'][0])));
      } else if (typeof o['Fn::ImportValue'] === 'string' && exports.has(o['Fn::ImportValue'])) {
        found.push(exports.get(o['Fn::ImportValue'])!);
      } else {
        for (const [p, x] of Object.entries(o)) {
          if (!(skipPlacement && property === undefined && PLACEMENT_PROPERTIES.has(p))) visit(x, property ?? p);
        }
      }
    };
    visit(value);
    return found;
  };
  // Follows references through undrawn resources (at most a few hops) to drawn ones.
  const drawnTargets = (from: string, seen = new Set<string>()): string[] => {
    const [stack] = from.split('/');
    const r = resourceOf(from);
    if (!r || seen.has(from)) return [];
    seen.add(from);
    const skip = !PLACED_TYPES.has(r.Type) && NODE_STYLES[r.Type] !== undefined;
    return referencesOf(stack, r.Properties ?? {}, skip).flatMap((t) =>
      nodes.has(t) ? [t] : resourceOf(t)?.Type === 'AWS::EC2::SecurityGroup' ? [] : drawnTargets(t, seen),
    );
  };
  for (const [k, node] of nodes) {
    if (node.type === 'AWS::IAM::Role') continue;
    for (const target of drawnTargets(k)) {
      if (nodes.get(target)?.type === 'AWS::IAM::Role') continue;
      addEdge(k, target);
    }
  }
  // Security-group rules and customer-managed policies.
  const drawnRoles = new Set<string>();
  for (const [stackName, template] of templates) {
    for (const r of Object.values(template.Resources)) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::EC2::SecurityGroupIngress' && p.SourceSecurityGroupId) {
        const [from] = referencesOf(stackName, p.SourceSecurityGroupId, false);
        const [to] = referencesOf(stackName, p.GroupId, false);
        if (from && to) addEdge(from, to, `tcp ${p.FromPort}`);
      } else if (r.Type === 'AWS::IAM::ManagedPolicy') {
        // One edge per role and granted resource, labelled with the actions of the statements that name it.
        const roles = referencesOf(stackName, p.Roles ?? [], false);
        const actionsByTarget = new Map<string, Set<string>>();
        for (const statement of p.PolicyDocument?.Statement ?? []) {
          for (const target of referencesOf(stackName, statement.Resource, false)) {
            if (nodes.get(target) === undefined || nodes.get(target)!.type === 'AWS::IAM::Role') continue;
            const actions = actionsByTarget.get(target) ?? new Set<string>();
            [statement.Action].flat().forEach((a: string) => actions.add(a));
            actionsByTarget.set(target, actions);
          }
        }
        for (const role of roles) {
          for (const [target, actions] of actionsByTarget) {
            addEdge(role, target, [...actions].join('\n'));
            drawnRoles.add(role);
          }
        }
      }
    }
  }
  for (const [k, node] of [...nodes]) {
    if (node.type === 'AWS::IAM::Role' && !drawnRoles.has(k)) nodes.delete(k);
  }
  // Secondary clusters name their global cluster literally (no cross-Region reference): join them by identifier.
  const globalClusters = new Map<string, string>();
  for (const [k, node] of nodes) {
    const identifier = resourceOf(k)?.Properties?.GlobalClusterIdentifier;
    if (node.type === 'AWS::RDS::GlobalCluster' && typeof identifier === 'string') globalClusters.set(identifier, k);
  }
  for (const [k, node] of nodes) {
    const identifier = resourceOf(k)?.Properties?.GlobalClusterIdentifier;
    const global = typeof identifier === 'string' ? globalClusters.get(identifier) : undefined;
    if (node.type === 'AWS::RDS::DBCluster' && global) addEdge(k, global, 'secondary of', IDENTIFIER_EDGE);
  }
  // Reader autoscaling names its cluster by identifier too (ResourceId cluster:<DBClusterIdentifier>).
  const clustersByIdentifier = new Map<string, string>();
  for (const [k, node] of nodes) {
    const identifier = resourceOf(k)?.Properties?.DBClusterIdentifier;
    if (node.type === 'AWS::RDS::DBCluster' && typeof identifier === 'string') clustersByIdentifier.set(identifier, k);
  }
  for (const [k, node] of nodes) {
    const resourceId = resourceOf(k)?.Properties?.ResourceId;
    const cluster =
      typeof resourceId === 'string' ? clustersByIdentifier.get(resourceId.replace(/^cluster:/, '')) : undefined;
    if (node.type === 'AWS::ApplicationAutoScaling::ScalableTarget' && cluster) {
      addEdge(k, cluster, 'replica count', IDENTIFIER_EDGE);
    }
  }

  // Regions, then stacks, as nested boxes.
  const lines = [
    'digraph ReferenceArchitecture {',
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.6, newrank=true];',
    '  node [fontname="Helvetica", fontsize=10, style="filled,rounded"];',
    '  edge [fontname="Helvetica", fontsize=9, color="#555555"];',
    '  labelloc=t;',
    '  label="cdk-aurora-baseline reference architecture (generated from the synthesized app by npx projen diagram)";',
  ];
  // In the app's order: the primary Region first.
  const regions = [...new Set(stacks.map((s) => s.region))];
  regions.forEach((region, i) => {
    lines.push(
      `  subgraph cluster_r${i} {`,
      `    label="Region ${escape(region)}"; style="rounded,dashed"; color="#888888";`,
    );
    stacks
      .filter((s) => s.region === region)
      .forEach((stack, j) => {
        lines.push(
          `    subgraph cluster_r${i}_s${j} {`,
          `      label="${escape(stack.stackName)}"; style="rounded"; color="#444444";`,
        );
        for (const node of [...nodes.values()].filter((n) => n.stack === stack.stackName)) {
          const style = NODE_STYLES[node.type];
          lines.push(
            `      ${node.id} [label="${escape(node.label)}", shape=${style.shape}, fillcolor="${style.fill}"${style.shape === 'cylinder' || style.shape === 'note' ? ', style=filled' : ''}];`,
          );
        }
        lines.push('    }');
      });
    lines.push('  }');
  });
  lines.push(...[...edges].sort(), '}', '');
  return lines.join('\n');
}

function firstReference(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if (typeof o.Ref === 'string') return o.Ref;
  if (Array.isArray(o['Fn::GetAtt'])) return String(o['Fn::GetAtt'][0]);
  return undefined;
}

function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function main(): void {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reference-diagram-'));
  try {
    const app = new App({ outdir, analyticsReporting: false, context: { 'aws:cdk:bundling-stacks': [] } });
    buildReferenceApp(app);
    synthQuietly(app);
    const dotFile = path.join(ROOT, DIAGRAM_DOT);
    fs.mkdirSync(path.dirname(dotFile), { recursive: true });
    fs.writeFileSync(dotFile, diagramDot(app));
    console.log(`wrote ${DIAGRAM_DOT}`);
    if (!process.argv.includes('--dot-only')) {
      execFileSync('dot', ['-Tpng', '-Gdpi=110', '-o', path.join(ROOT, DIAGRAM_PNG), dotFile], { stdio: 'inherit' });
      console.log(`wrote ${DIAGRAM_PNG}`);
    }
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main();
}
