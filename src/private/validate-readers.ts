import { Token } from 'aws-cdk-lib';
import { known, MAX_READERS, Rule } from './validate';
import { ReaderAutoScalingOptions } from '../reader-autoscaling';

/** Aurora Auto Scaling range: 0 to 15 replicas (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html#Aurora.Integrating.AutoScaling.Concepts.Capacity). */
export const MAX_AUTOSCALING_CAPACITY = 15;
/** Custom endpoints per cluster (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html). */
export const MAX_CUSTOM_ENDPOINTS = 5;

const AUTOSCALING_DOC =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html';

/** What the autoscaling rules need to know about the cluster. */
export interface AutoScalingInput {
  readonly options: ReaderAutoScalingOptions;
  /** The effective minimum (the default applied). */
  readonly minCapacity: number;
  /** Whether the writer is a Serverless v2 instance. */
  readonly serverlessWriter: boolean;
  /** Readers declared in `readers` and `analytics`. */
  readonly declaredReaders: number;
}

function capacityRule(prop: string, value: number | undefined): Rule {
  return {
    condition:
      value !== undefined &&
      known(value) &&
      (!Number.isInteger(value) || value < 0 || value > MAX_AUTOSCALING_CAPACITY),
    prop,
    message: `must be a whole number of Aurora Replicas from 0 to ${MAX_AUTOSCALING_CAPACITY}, got ${value} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html); choose a value in that range`,
  };
}

/**
 * Aurora Auto Scaling of readers.
 * - Range 0–15, min ≤ max: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html#Aurora.Integrating.AutoScaling.Concepts.Capacity
 * - Not for Serverless v2: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.requirements.html#aurora-serverless-v2.limitations
 * - A reader must exist for the metric; min 0 without readers never scales: Aurora.Integrating.AutoScaling.html
 * - Predefined metrics, one policy per metric: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html
 * - Scheduled action names: https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScheduledAction.html
 */
export function readerAutoScalingRules(input: AutoScalingInput): Rule[] {
  const o = input.options;
  const min = input.minCapacity;
  const max = o.maxCapacity;
  const schedules = o.schedules ?? [];
  const names = schedules.map((s) => s.name);
  const cpu = o.targetCpuUtilization;
  const connections = o.targetDatabaseConnections;
  const noReaderYet = input.declaredReaders === 0;
  return [
    {
      condition: input.serverlessWriter,
      prop: 'readerAutoScaling',
      message:
        'Aurora Auto Scaling is not supported with a Serverless v2 writer (' +
        'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.requirements.html#aurora-serverless-v2.limitations); ' +
        "either give the cluster a provisioned writer (writer: rds.ClusterInstance.provisioned('Writer', { instanceType })), " +
        "or drop readerAutoScaling and pre-create Serverless v2 readers in promotion tiers 2-15, which scale their capacity on their own (readers: [rds.ClusterInstance.serverlessV2('Reader1'), rds.ClusterInstance.serverlessV2('Reader2')])",
    },
    capacityRule('readerAutoScaling.minCapacity', min),
    capacityRule('readerAutoScaling.maxCapacity', max),
    {
      condition: known(min) && known(max) && min > max,
      prop: 'readerAutoScaling.minCapacity',
      message: `${min} is greater than maxCapacity ${max} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html#Aurora.Integrating.AutoScaling.Concepts.Capacity); lower minCapacity or raise maxCapacity`,
    },
    {
      condition: known(min) && min === 0 && noReaderYet,
      prop: 'readerAutoScaling.minCapacity',
      message: `0 with no reader in the cluster: the reader metrics cannot be computed and, per AWS, "if the DB cluster has no reader instance, and you set the minimum capacity to 0, then Aurora Auto Scaling won't work" (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html, ${AUTOSCALING_DOC}); set minCapacity to 1 or more, or declare a reader`,
    },
    {
      condition: cpu === undefined && connections === undefined && schedules.length === 0,
      prop: 'readerAutoScaling',
      message:
        'sets no target metric and no schedule, so the readers would never scale (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html); set targetCpuUtilization (e.g. 70), targetDatabaseConnections, or schedules',
    },
    {
      condition: cpu !== undefined && known(cpu) && !(cpu > 0 && cpu < 100),
      prop: 'readerAutoScaling.targetCpuUtilization',
      message: `must be a percentage greater than 0 and less than 100, got ${cpu} (an average CPU can never exceed 100%, so such a target never scales out; https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html); choose e.g. 70`,
    },
    {
      condition: connections !== undefined && known(connections) && !(connections > 0),
      prop: 'readerAutoScaling.targetDatabaseConnections',
      message: `must be greater than 0, got ${connections} (https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PredefinedMetricSpecification.html); choose the average number of connections per reader to keep`,
    },
    ...schedules.flatMap((s, i): Rule[] => {
      const prop = `readerAutoScaling.schedules[${i}]`;
      return [
        {
          condition:
            !Token.isUnresolved(s.name) &&
            !/^(?!((^[ ]+.*)|(.*([\u0000-\u001f]|[\u007f-\u009f]|[:/|])+.*)|(.*[ ]+$))).{1,256}$/.test(s.name),
          prop: `${prop}.name`,
          message: `'${s.name}' must be 1 to 256 characters without ':', '/', '|', control characters or leading/trailing spaces (PutScheduledAction ScheduledActionName); rename it`,
        },
        {
          condition: names.indexOf(s.name) !== i,
          prop: `${prop}.name`,
          message: `'${s.name}' is used by another schedule; scheduled action names must be unique on the scalable target`,
        },
        {
          condition: s.minCapacity === undefined && s.maxCapacity === undefined,
          prop,
          message: 'changes neither minCapacity nor maxCapacity; set at least one',
        },
        capacityRule(`${prop}.minCapacity`, s.minCapacity),
        capacityRule(`${prop}.maxCapacity`, s.maxCapacity),
        {
          condition:
            s.minCapacity !== undefined &&
            s.maxCapacity !== undefined &&
            known(s.minCapacity) &&
            known(s.maxCapacity) &&
            s.minCapacity > s.maxCapacity,
          prop: `${prop}.minCapacity`,
          message: `${s.minCapacity} is greater than maxCapacity ${s.maxCapacity} (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html#Aurora.Integrating.AutoScaling.Concepts.Capacity); lower minCapacity or raise maxCapacity`,
        },
        {
          condition: s.minCapacity === 0 && noReaderYet,
          prop: `${prop}.minCapacity`,
          message: `0 with no declared reader lets autoscaling remove every reader, after which nothing can be measured and Aurora Auto Scaling stops working (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html, ${AUTOSCALING_DOC}); use 1 or more, or declare a reader`,
        },
      ];
    }),
  ];
}

/** What the custom endpoint rules need to know. */
export interface CustomEndpointInput {
  readonly type: string;
  readonly staticMembers: string[];
  readonly excludedMembers: string[];
  readonly identifier?: string;
  /** Custom endpoints of the cluster, this one included. */
  readonly count: number;
  /** Members that name no instance of the cluster. */
  readonly unknownMembers: string[];
  /** The member names the cluster offers, for the message. */
  readonly knownMembers: string[];
  /** Whether another endpoint of this app already uses the identifier. */
  readonly duplicateIdentifier: boolean;
}

/**
 * Custom endpoints.
 * - At most 5 per cluster: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html
 * - READER or ANY, one kind of member list:
 *   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html
 * - Identifier 1–63 letters, digits, hyphens, starting with a letter, unique per Region:
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbclusterendpoint.html
 */
export function customEndpointRules(input: CustomEndpointInput): Rule[] {
  const id = input.identifier;
  return [
    {
      condition: input.count > MAX_CUSTOM_ENDPOINTS,
      prop: 'addCustomEndpoint',
      message: `a cluster has at most ${MAX_CUSTOM_ENDPOINTS} custom endpoints, this would be number ${input.count} (the analytics pattern uses 2) (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.html); remove an endpoint`,
    },
    {
      condition: input.type !== 'READER' && input.type !== 'ANY',
      prop: 'type',
      message: `'${input.type}' is not a custom endpoint type; Aurora custom endpoints are READER or ANY (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Properties); use CustomEndpointType.READER or CustomEndpointType.ANY`,
    },
    {
      condition: input.staticMembers.length > 0 && input.excludedMembers.length > 0,
      prop: 'staticMembers/excludedMembers',
      message:
        'only one of staticMembers or excludedMembers may be specified: an endpoint holds one kind of list, and RDS ignores the exclusion list when static members are given (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Membership); keep one',
    },
    {
      condition: input.unknownMembers.length > 0,
      prop: input.staticMembers.length > 0 ? 'staticMembers' : 'excludedMembers',
      message: `${input.unknownMembers.map((m) => `'${m}'`).join(', ')} ${input.unknownMembers.length > 1 ? 'are' : 'is'} not an instance of this cluster; name instances by the id given to rds.ClusterInstance (${input.knownMembers.map((m) => `'${m}'`).join(', ')}) or by their instanceIdentifier`,
    },
    {
      condition: id !== undefined && !Token.isUnresolved(id) && !/^[a-zA-Z](?:-?[a-zA-Z0-9]){0,62}$/.test(id),
      prop: 'endpointIdentifier',
      message: `'${id}' must be 1 to 63 letters, digits or hyphens, start with a letter, and contain no '--' or trailing hyphen (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Properties); choose a valid identifier`,
    },
    {
      condition: input.duplicateIdentifier,
      prop: 'endpointIdentifier',
      message: `'${id}' is already used by another custom endpoint of this app in the same account and Region; endpoint identifiers are unique per Region and account (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Endpoints.Custom.Considerations.html#Aurora.Endpoints.Custom.Properties); choose another`,
    },
  ];
}

/** What the analytics rules need to know. */
export interface AnalyticsInput {
  readonly analyticsReaders: number;
  readonly readers: number;
  readonly hasWriter: boolean;
}

/**
 * The analytics pattern: dedicated readers behind their own endpoint.
 * - A cluster has at most 15 Aurora Replicas: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-replicas-adding.html
 * - Readers replicate from a writer; a cluster without one serves no reads:
 *   https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attach.console.headless.html
 */
export function analyticsRules(input: AnalyticsInput): Rule[] {
  return [
    {
      condition: input.analyticsReaders === 0,
      prop: 'analytics.readers',
      message: "lists no reader; give at least one, e.g. [rds.ClusterInstance.provisioned('Bi', { instanceType })]",
    },
    {
      condition: !input.hasWriter,
      prop: 'analytics',
      message:
        'the cluster has no writer, and analytics readers need one to replicate from (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-attach.console.headless.html); add a writer or remove analytics',
    },
    {
      condition: input.readers + input.analyticsReaders > MAX_READERS,
      prop: 'analytics.readers',
      message: `readers (${input.readers}) plus analytics readers (${input.analyticsReaders}) exceed the ${MAX_READERS} Aurora Replicas a cluster can have (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-replicas-adding.html); remove readers`,
    },
  ];
}
