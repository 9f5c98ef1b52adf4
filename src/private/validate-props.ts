import { Duration } from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { CfnRotationSchedule, ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { checkNumberAtSynth, isToken, warnUnchecked } from './deploy-time';
import { EngineFamily } from './engine-family';
import { ParsedVersion } from './engine-version';
import { capacityRules, portRules, Rule } from './validate';
import {
  callerRules,
  databaseNameRules,
  duplicateInstanceRules,
  featureGateRules,
  keySpecRules,
  monitoringRules,
  performanceInsightsRules,
  rotationIntervalRules,
  windowRules,
} from './validate-cluster';
import { MAX_AUTOSCALING_CAPACITY } from './validate-readers';
import type { AuroraClusterProps } from '../aurora-cluster';
import type { AuroraGlobalDatabaseProps } from '../global-database';
import type { AuroraSecondaryClusterProps } from '../secondary-cluster';

/** The ids of the instances a cluster is given (`rds.ClusterInstance.*(id)`), for the duplicate check. */
function instanceIds(props: AuroraClusterProps): string[] {
  const all = [props.writer, ...(props.readers ?? []), ...(props.analytics?.readers ?? [])];
  return all
    .map((i) => (i as unknown as { id?: unknown } | undefined)?.id)
    .filter((id): id is string => typeof id === 'string');
}

/**
 * The props of an `AuroraCluster` that a JavaScript or Python caller can get wrong in type, checked before anything
 * reads them. `props` itself may be missing.
 */
export function clusterCallerRules(props: AuroraClusterProps | undefined): Rule[] {
  const p = (props ?? {}) as Partial<AuroraClusterProps>;
  return callerRules({
    engine: p.engine,
    vpc: p.vpc,
    writer: p.writer,
    readers: p.readers,
    analyticsReaders: p.analytics ? (p.analytics.readers ?? []) : undefined,
    numbers: {
      port: p.port,
      serverlessV2MinCapacity: p.serverlessV2MinCapacity,
      serverlessV2MaxCapacity: p.serverlessV2MaxCapacity,
      'readerAutoScaling.minCapacity': p.readerAutoScaling?.minCapacity,
      'readerAutoScaling.maxCapacity': p.readerAutoScaling?.maxCapacity,
      'readerAutoScaling.targetCpuUtilization': p.readerAutoScaling?.targetCpuUtilization,
      'readerAutoScaling.targetDatabaseConnections': p.readerAutoScaling?.targetDatabaseConnections,
    },
    durations: {
      backupRetention: p.backupRetention,
      backtrackWindow: p.backtrackWindow,
      serverlessV2AutoPauseDuration: p.serverlessV2AutoPauseDuration,
      secretRotationInterval: p.secretRotationInterval,
      monitoringInterval: p.monitoringInterval,
      'readerAutoScaling.scaleInCooldown': p.readerAutoScaling?.scaleInCooldown,
      'readerAutoScaling.scaleOutCooldown': p.readerAutoScaling?.scaleOutCooldown,
    },
  });
}

/** The AWS rules on an `AuroraCluster`'s props that do not need the bound instances. */
export function clusterPropRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  props: AuroraClusterProps,
  region: string,
): Rule[] {
  return [
    ...windowRules(props.preferredBackupWindow, props.preferredMaintenanceWindow),
    ...monitoringRules(props.monitoringInterval),
    ...performanceInsightsRules(props.performanceInsightRetention, props.databaseInsightsMode),
    ...databaseNameRules(family, props.defaultDatabaseName),
    ...keySpecRules('encryptionKey', props.encryptionKey),
    ...featureGateRules({
      family,
      version,
      fullVersion: props.engine.engineVersion?.fullVersion,
      region,
      storageType: props.storageType,
      hasServerlessInstances: false,
    }),
    ...duplicateInstanceRules(instanceIds(props)),
    ...rotationIntervalRules(props.secretRotationInterval),
  ];
}

/**
 * Says which of an `AuroraCluster`'s props are deploy-time values that the library could not check, and checks the
 * numeric ones that resolve at synth (`Lazy`).
 */
export function reportDeployTimeProps(scope: IConstruct, props: AuroraClusterProps, port: number): void {
  const strings: [string, unknown, string][] = [
    ['clusterIdentifier', props.clusterIdentifier, 'its naming rules (1 to 63 letters, digits or hyphens)'],
    ['masterUsername', props.masterUsername, 'its naming and reserved-word rules'],
    ['defaultDatabaseName', props.defaultDatabaseName, 'its naming and reserved-word rules'],
    [
      'preferredBackupWindow',
      props.preferredBackupWindow,
      'its format, length and overlap with the maintenance window',
    ],
    [
      'preferredMaintenanceWindow',
      props.preferredMaintenanceWindow,
      'its format, length and overlap with the backup window',
    ],
  ];
  for (const [prop, value, what] of strings) {
    if (isToken(value)) warnUnchecked(scope, prop, what);
  }
  const durations: [string, Duration | undefined, string][] = [
    ['backupRetention', props.backupRetention, 'the 1 to 35 days range'],
    ['backtrackWindow', props.backtrackWindow, 'the 0 to 72 hours range'],
    ['monitoringInterval', props.monitoringInterval, 'the allowed intervals (1, 5, 10, 15, 30, 60 s)'],
    ['serverlessV2AutoPauseDuration', props.serverlessV2AutoPauseDuration, 'the 300 to 86400 seconds range'],
  ];
  for (const [prop, value, what] of durations) {
    if (isToken(value)) warnUnchecked(scope, prop, what);
  }
  checkNumberAtSynth(scope, 'port', port, (p) => portRules(p), 'the 1150 to 65535 range');
  const scaling = props.readerAutoScaling;
  if (scaling) {
    for (const [prop, value] of [
      ['readerAutoScaling.minCapacity', scaling.minCapacity],
      ['readerAutoScaling.maxCapacity', scaling.maxCapacity],
    ] as const) {
      checkNumberAtSynth(
        scope,
        prop,
        value,
        (n) => [
          {
            condition: !Number.isInteger(n) || n < 0 || n > MAX_AUTOSCALING_CAPACITY,
            prop,
            message: `must be a whole number of Aurora Replicas from 0 to ${MAX_AUTOSCALING_CAPACITY}, got ${n}`,
            doc: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html',
            fix: 'choose a value in that range',
          },
        ],
        `the 0 to ${MAX_AUTOSCALING_CAPACITY} replicas range`,
      );
    }
  }
}

/** Serverless v2 capacities that are deploy-time values: checked when a `Lazy` resolves, reported otherwise. */
export function checkCapacitiesAtSynth(scope: IConstruct, family: EngineFamily, min: number, max: number): void {
  const check = (prop: string) => (value: number) =>
    capacityRules({
      family,
      min: prop === 'serverlessV2MinCapacity' ? value : 0.5,
      max: prop === 'serverlessV2MaxCapacity' ? value : 256,
      hasServerlessInstances: false,
    }).filter((r) => r.prop === prop);
  checkNumberAtSynth(scope, 'serverlessV2MinCapacity', min, check('serverlessV2MinCapacity'), 'the 0 to 256 ACU range');
  checkNumberAtSynth(scope, 'serverlessV2MaxCapacity', max, check('serverlessV2MaxCapacity'), 'the 1 to 256 ACU range');
}

/**
 * Creates the aws-cdk-lib cluster, rephrasing an error aws-cdk-lib raises for one of the library's props with the
 * construct path and a fix (its own messages name neither).
 */
export function createAuroraL2(scope: Construct, id: string, props: rds.DatabaseClusterProps): rds.DatabaseCluster {
  try {
    return new rds.DatabaseCluster(scope, id, props);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith(scope.node.path)) throw e;
    const known: [RegExp, string, string][] = [
      [
        /promotionTier/,
        'readers',
        'choose a promotionTier from 0 to 15 (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html)',
      ],
      [/already a Construct with name/, 'writer/readers', 'give every rds.ClusterInstance its own id'],
      [
        /serverlessV2/,
        'serverlessV2MinCapacity/serverlessV2MaxCapacity',
        'choose capacities from 0 to 256 ACUs in steps of 0.5',
      ],
      [/monitoringInterval/, 'monitoringInterval', 'use 1, 5, 10, 15, 30 or 60 seconds'],
      [
        /performanceInsight|databaseInsights/i,
        'performanceInsightRetention',
        'use a rds.PerformanceInsightRetention member',
      ],
    ];
    const [, prop, fix] = known.find(([re]) => re.test(message)) ?? [undefined, 'props', 'check the props it names'];
    throw new Error(`${scope.node.path}: ${prop}: ${message} (raised by aws-cdk-lib's rds.DatabaseCluster); ${fix}`);
  }
}

/**
 * aws-cdk-lib drops the rotation schedule of a secret whose interval is a token (it computes on the token and gets no
 * positive number): put the schedule on the template as `rate(<token> <unit>)`, and say that its range could not be
 * checked.
 */
export function guardRotationInterval(scope: Construct, secret: ISecret, interval: Duration | undefined): void {
  if (interval === undefined || !interval.isUnresolved()) return;
  const schedules = secret.node.findAll().filter((c): c is CfnRotationSchedule => c instanceof CfnRotationSchedule);
  for (const schedule of schedules) {
    schedule.addPropertyOverride('RotationRules.ScheduleExpression', `rate(${interval.formatTokenToNumber()})`);
  }
  warnUnchecked(scope, 'secretRotationInterval', 'the 4 hours to 1000 days range of Secrets Manager rotation');
}

/** An `AuroraGlobalDatabase`'s props a JavaScript or Python caller can get wrong in type. */
export function globalCallerRules(props: AuroraGlobalDatabaseProps | undefined): Rule[] {
  const primary = (props as Partial<AuroraGlobalDatabaseProps> | undefined)?.primary;
  // An AuroraCluster or an imported IAuroraCluster: a construct; its engine and port are checked where they are used.
  const ok = typeof primary === 'object' && primary !== null && (primary as { node?: unknown }).node !== undefined;
  return [
    {
      condition: !ok,
      prop: 'primary',
      message:
        primary === undefined || primary === null
          ? 'is required'
          : `must be an AuroraCluster or an imported IAuroraCluster, got ${typeof primary}`,
      fix: 'pass the AuroraCluster that becomes the primary (created with globalDatabasePrimary: true)',
    },
  ];
}

/** An `AuroraSecondaryCluster`'s props a JavaScript or Python caller can get wrong in type. */
export function secondaryCallerRules(props: AuroraSecondaryClusterProps | undefined): Rule[] {
  const p = (props ?? {}) as Partial<AuroraSecondaryClusterProps>;
  const global = p.globalDatabase as unknown;
  return [
    {
      condition:
        typeof global !== 'object' || global === null || (global as { primary?: unknown }).primary === undefined,
      prop: 'globalDatabase',
      message:
        global === undefined || global === null
          ? 'is required'
          : `must be an AuroraGlobalDatabase, got ${typeof global}`,
      fix: "add the secondary with globalDatabase.addSecondary(stack, 'Eu', { vpc })",
    },
    ...callerRules({
      engineRequired: false,
      vpc: p.vpc,
      readers: p.readers,
      numbers: {
        port: p.port,
        serverlessV2MinCapacity: p.serverlessV2MinCapacity,
        serverlessV2MaxCapacity: p.serverlessV2MaxCapacity,
      },
      durations: { backupRetention: p.backupRetention, monitoringInterval: p.monitoringInterval },
    }),
  ];
}

/** The AWS rules on an `AuroraSecondaryCluster`'s own props that do not need the bound instances. */
export function secondaryPropRules(
  family: EngineFamily,
  version: ParsedVersion | undefined,
  props: AuroraSecondaryClusterProps,
  region: string,
): Rule[] {
  return [
    ...windowRules(props.preferredBackupWindow, props.preferredMaintenanceWindow),
    ...keySpecRules('encryptionKey', props.encryptionKey),
    ...featureGateRules({ family, version, region, storageType: props.storageType, hasServerlessInstances: false }),
  ];
}
