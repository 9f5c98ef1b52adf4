import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ClusterMember, createRecommendedAlarms } from './private/alarm-builder';
import { operationsTopic } from './private/operations-topic';
import { throwIfBroken } from './private/validate';
import type { RecommendedAlarmsOptions } from './recommended-alarms';
import type { AuroraSecondaryCluster } from './secondary-cluster';

/** The Aurora Global Database page on failover and RPO, which names the lag metric of each engine version. */
const GLOBAL_LAG_URL =
  'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html';

/**
 * Options of `AuroraSecondaryCluster.addRecommendedAlarms()`: the instance alarms of
 * {@link RecommendedAlarmsOptions} for the secondary's readers, and the Global Database lag alarm.
 *
 * A secondary has no writer and its cluster volume is a replica of the primary's, so the writer, reader-role and
 * volume options have no effect here: the primary's alarms cover them.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html
 */
export interface SecondaryRecommendedAlarmsOptions extends RecommendedAlarmsOptions {
  /**
   * How far the secondary may lag behind the primary, 5 minutes in a row, before it alarms.
   *
   * The alarm watches `AuroraGlobalDBRPOLag` (maximum), the time that committed transactions take to be stored in
   * the secondary's Region: what a failover to it would lose. Aurora MySQL versions before 3.04.0 and 2.12.0 do not
   * publish it, so on them the alarm watches `AuroraGlobalDBReplicationLag`. AWS publishes no recommended threshold:
   * set your recovery point objective.
   *
   * @default Duration.seconds(30) - the example threshold of the AWS Observability Best Practices guide
   * (https://aws-observability.github.io/observability-best-practices/guides/operational/business/key-performance-indicators/)
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html
   */
  readonly globalLagThreshold?: Duration;
}

/** Properties of {@link AuroraSecondaryRecommendedAlarms}. */
export interface AuroraSecondaryRecommendedAlarmsProps extends SecondaryRecommendedAlarmsOptions {
  /** The secondary cluster to watch. */
  readonly secondaryCluster: AuroraSecondaryCluster;
}

/**
 * The recommended alarms of a Global Database secondary cluster, in its own stack and Region (CloudWatch alarms and
 * their SNS topic must be in the Region of the metrics): the instance alarms of its readers, and the alarm on its lag
 * behind the primary (`AuroraGlobalDBRPOLag`, or `AuroraGlobalDBReplicationLag` on older Aurora MySQL versions),
 * which only a secondary publishes.
 *
 * Created by `AuroraSecondaryCluster.addRecommendedAlarms()`.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-monitoring.html
 */
export class AuroraSecondaryRecommendedAlarms extends Construct {
  /** Every alarm created. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The topic the alarms notify. */
  public readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: AuroraSecondaryRecommendedAlarmsProps) {
    super(scope, id);
    const secondary = props.secondaryCluster;
    const threshold = props.globalLagThreshold;
    throwIfBroken(this.node.path, [
      {
        condition: threshold !== undefined && !threshold.isUnresolved() && threshold.toMilliseconds() <= 0,
        prop: 'globalLagThreshold',
        message: `must be longer than 0 ms, got ${threshold?.toHumanString()} (${GLOBAL_LAG_URL}); set the recovery point objective you can accept, for example Duration.seconds(30)`,
      },
    ]);
    this.topic = operationsTopic(secondary, props.topic);
    this.alarms.push(
      ...createRecommendedAlarms(
        this,
        {
          path: secondary.node.path,
          clusterIdentifier: secondary.clusterIdentifier,
          engine: secondary.engine,
          serverlessV2MaxCapacity: secondary.serverlessV2MaxCapacity,
          dbCluster: secondary.cluster,
          withReaderAutoScaling: false,
          member: ClusterMember.GLOBAL_SECONDARY,
        },
        props,
        new cwActions.SnsAction(this.topic),
      ),
    );
  }
}
