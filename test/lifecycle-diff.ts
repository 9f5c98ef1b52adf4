/**
 * Classifies what deploying `after` over `before` does, from the CloudFormation diff the CDK CLI computes
 * (`@aws-cdk/cloudformation-diff`): per stack, every resource difference and its `changeImpact`.
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';

/** What a change does to a deployed app, from the mildest to the worst. */
export enum Outcome {
  /** The templates are equal: nothing is deployed. */
  NO_CHANGE = 'no change',
  /** Resources are updated in place, or resources without data are added or removed. */
  IN_PLACE = 'in place',
  /** A resource without data (parameter group, security group, proxy, endpoint, function) is replaced. */
  STATELESS_REPLACEMENT = 'stateless replacement',
  /** A resource with data leaves the stack and its data is kept (snapshot or retained resource). */
  KEPT_ON_REMOVAL = 'removed, data kept',
  /**
   * A resource with data is replaced by a new, empty one (the old one is snapshotted or retained by its policy).
   */
  STATEFUL_REPLACEMENT = 'stateful replacement',
  /** A resource with data is deleted with its data. */
  DESTROYED = 'destroyed',
  /**
   * CloudFormation cannot carry it out: a replacement needs a new resource under a name the old one still holds, so
   * the update fails and rolls back, and nothing is lost.
   */
  REFUSED = 'refused by CloudFormation, rolled back',
}

const SEVERITY: Outcome[] = [
  Outcome.NO_CHANGE,
  Outcome.IN_PLACE,
  Outcome.STATELESS_REPLACEMENT,
  Outcome.KEPT_ON_REMOVAL,
  Outcome.STATEFUL_REPLACEMENT,
  Outcome.DESTROYED,
  Outcome.REFUSED,
];

/** Resource types that hold data (Aurora instances hold none: the storage belongs to the cluster). */
export const STATEFUL_TYPES = new Set([
  'AWS::RDS::DBCluster',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::SecretsManager::Secret',
]);

/** The property that names a resource of a type, for the types whose names the library sets. */
const NAME_PROPERTY: { [type: string]: string } = {
  'AWS::RDS::DBCluster': 'DBClusterIdentifier',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::RDS::GlobalCluster': 'GlobalClusterIdentifier',
  'AWS::RDS::DBClusterEndpoint': 'DBClusterEndpointIdentifier',
  'AWS::RDS::DBProxy': 'DBProxyName',
  'AWS::RDS::DBProxyEndpoint': 'DBProxyEndpointName',
};

/**
 * Create-only properties of resource types the diff engine's resource specification does not know (it reports their
 * property changes with the impact NO_CHANGE): from the CloudFormation resource reference.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbclusterendpoint.html
 */
const CREATE_ONLY_FALLBACK: { [type: string]: string[] } = {
  'AWS::RDS::DBClusterEndpoint': ['DBClusterEndpointIdentifier', 'DBClusterIdentifier'],
};

type Template = { Resources?: { [id: string]: { Type: string; Properties?: any; DeletionPolicy?: string } } };

/** One resource's part in the outcome. */
export interface ResourceChange {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly impact: string;
  readonly outcome: Outcome;
}

export interface Classification {
  readonly outcome: Outcome;
  /** The stacks whose template changes. */
  readonly changedStacks: string[];
  readonly changes: ResourceChange[];
}

function worst(outcomes: Outcome[]): Outcome {
  return outcomes.reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a), Outcome.NO_CHANGE);
}

function nameOf(resource: { Type: string; Properties?: any } | undefined): string | undefined {
  const prop = resource ? NAME_PROPERTY[resource.Type] : undefined;
  const value = prop ? resource?.Properties?.[prop] : undefined;
  return value === undefined ? undefined : JSON.stringify(value);
}

/** Classifies a change of one app (templates by stack name) into another. */
export function classify(before: Map<string, Template>, after: Map<string, Template>): Classification {
  const changes: ResourceChange[] = [];
  const changedStacks: string[] = [];
  for (const stack of new Set([...before.keys(), ...after.keys()])) {
    const oldTemplate = before.get(stack) ?? {};
    const newTemplate = after.get(stack) ?? {};
    const diff = fullDiff(oldTemplate, newTemplate);
    if (diff.isEmpty) continue;
    changedStacks.push(stack);
    const oldResources = oldTemplate.Resources ?? {};
    const newResources = newTemplate.Resources ?? {};
    // Names still held by resources the update removes (removal happens after creation, in the cleanup phase).
    const removedNames = new Set<string>();
    const removedTypes = new Set<string>();
    const addedTypes = new Set<string>();
    diff.resources.forEachDifference((id, change) => {
      if (change.isRemoval) {
        const name = nameOf(oldResources[id]);
        if (name) removedNames.add(`${oldResources[id].Type} ${name}`);
        removedTypes.add(oldResources[id].Type);
      }
      if (change.isAddition) addedTypes.add(newResources[id].Type);
    });
    diff.resources.forEachDifference((id, change) => {
      const type = (newResources[id] ?? oldResources[id]).Type;
      const stateful = STATEFUL_TYPES.has(type);
      let impact = change.changeImpact;
      if (impact === ResourceImpact.NO_CHANGE && change.isDifferent) {
        // A difference the diff engine cannot rate: rate it from the fallback table, never as "no change".
        const createOnly = CREATE_ONLY_FALLBACK[type] ?? [];
        const changed = Object.keys(change.propertyUpdates);
        impact = changed.some((p) => createOnly.includes(p)) ? ResourceImpact.WILL_REPLACE : ResourceImpact.WILL_UPDATE;
      }
      let outcome: Outcome;
      switch (impact) {
        case ResourceImpact.NO_CHANGE:
          outcome = Outcome.NO_CHANGE;
          break;
        case ResourceImpact.WILL_UPDATE:
          outcome = Outcome.IN_PLACE;
          break;
        case ResourceImpact.WILL_CREATE: {
          const name = nameOf(newResources[id]);
          if (name && removedNames.has(`${type} ${name}`)) {
            outcome = Outcome.REFUSED;
          } else if (removedTypes.has(type)) {
            outcome = stateful ? Outcome.STATEFUL_REPLACEMENT : Outcome.STATELESS_REPLACEMENT;
          } else {
            outcome = Outcome.IN_PLACE;
          }
          break;
        }
        case ResourceImpact.WILL_REPLACE:
        case ResourceImpact.MAY_REPLACE: {
          const oldName = nameOf(oldResources[id]);
          if (oldName && oldName === nameOf(newResources[id])) {
            outcome = Outcome.REFUSED;
          } else if (!stateful) {
            outcome = Outcome.STATELESS_REPLACEMENT;
          } else if (((oldResources[id] as any).UpdateReplacePolicy ?? 'Delete') === 'Delete') {
            outcome = Outcome.DESTROYED;
          } else {
            outcome = Outcome.STATEFUL_REPLACEMENT;
          }
          break;
        }
        case ResourceImpact.WILL_DESTROY:
        case ResourceImpact.WILL_ORPHAN: {
          const policy = oldResources[id].DeletionPolicy ?? 'Delete';
          if (!stateful) outcome = addedTypes.has(type) ? Outcome.STATELESS_REPLACEMENT : Outcome.IN_PLACE;
          else if (policy === 'Delete') outcome = Outcome.DESTROYED;
          else outcome = addedTypes.has(type) ? Outcome.STATEFUL_REPLACEMENT : Outcome.KEPT_ON_REMOVAL;
          break;
        }
        default:
          outcome = Outcome.IN_PLACE;
      }
      changes.push({ stack, logicalId: id, type, impact, outcome });
    });
    if (changes.filter((c) => c.stack === stack).length === 0) {
      // Only template-level differences (outputs, parameters, metadata).
      changes.push({ stack, logicalId: '(template)', type: '', impact: 'WILL_UPDATE', outcome: Outcome.IN_PLACE });
    }
  }
  return { outcome: worst(changes.map((c) => c.outcome)), changedStacks, changes };
}
