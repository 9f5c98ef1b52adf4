import { Duration, TimeZone } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';

/**
 * Aurora Auto Scaling of the cluster's readers: Application Auto Scaling on `rds:cluster:ReadReplicaCount`.
 *
 * Needs a provisioned writer: AWS does not support Aurora Auto Scaling for a Serverless v2 writer (there, give the
 * cluster Serverless v2 readers in promotion tiers 2–15, which scale their capacity on their own).
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html
 */
export interface ReaderAutoScalingOptions {
  /**
   * The fewest Aurora Replicas (readers) the cluster may have: 0 to 15.
   *
   * Application Auto Scaling counts every reader of the cluster, including the ones you declare in `readers` and
   * `analytics`, but it only ever removes the replicas it created. A cluster without declared readers needs at
   * least 1: with 0 no reader exists to measure, and AWS states that Aurora Auto Scaling then does not work.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Integrating.AutoScaling.html#Aurora.Integrating.AutoScaling.Concepts.Capacity
   * @default 1
   */
  readonly minCapacity?: number;

  /**
   * The most Aurora Replicas (readers) the cluster may have: 0 to 15, at least `minCapacity`.
   *
   * Counts the readers you declare: with 2 declared readers and a maximum of 5, autoscaling adds up to 3.
   */
  readonly maxCapacity: number;

  /**
   * Keep the average CPU utilization of the readers near this percentage (`RDSReaderAverageCPUUtilization`).
   *
   * Greater than 0 and less than 100.
   *
   * @default - no CPU policy; set this or `targetDatabaseConnections` (both is allowed: one policy per metric)
   */
  readonly targetCpuUtilization?: number;

  /**
   * Keep the average number of database connections per reader near this value
   * (`RDSReaderAverageDatabaseConnections`).
   *
   * Greater than 0.
   *
   * @default - no connections policy
   */
  readonly targetDatabaseConnections?: number;

  /**
   * How long after a scale-in before the next scale-in may start.
   *
   * @default Duration.minutes(5) - the Application Auto Scaling default
   */
  readonly scaleInCooldown?: Duration;

  /**
   * How long after a scale-out before the next scale-out may start.
   *
   * @default Duration.minutes(5) - the Application Auto Scaling default
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * Whether the target-tracking policies may only add replicas, never remove them.
   *
   * @default false
   */
  readonly disableScaleIn?: boolean;

  /**
   * Scheduled changes of the minimum and maximum, e.g. more readers during business hours.
   *
   * @see https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-scheduled-scaling.html
   * @default - none
   */
  readonly schedules?: ReaderAutoScalingSchedule[];

  /**
   * Whether to create the VPC endpoints the replica-cleanup function calls: interface endpoints for the RDS API and
   * for Amazon S3 (where it uploads its answer to CloudFormation), with private DNS off and a security group that
   * admits HTTPS from that function only. The function's egress then goes to those endpoints and nowhere else.
   *
   * The endpoints change nothing for other workloads in the VPC: no route table, no DNS name, no existing endpoint
   * is touched, and the S3 endpoint's policy admits only uploads to CloudFormation's response buckets. Set it to
   * false when the subnets reach the public RDS and S3 endpoints on their own (a NAT, or endpoints of your VPC):
   * the function's egress is then HTTPS to anywhere, through that path.
   *
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-vpce-bucketnames.html
   * @default true
   */
  readonly createVpcEndpoints?: boolean;
}

/**
 * A scheduled change of the reader autoscaling range.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-applicationautoscaling-scalabletarget-scheduledaction.html
 */
export interface ReaderAutoScalingSchedule {
  /**
   * The name of the scheduled action, unique within the cluster's schedules.
   *
   * 1 to 256 characters, without `:`, `/`, `|`, control characters or leading and trailing spaces.
   */
  readonly name: string;

  /** When the action runs: `appscaling.Schedule.cron(...)`, `.rate(...)` or `.at(...)`. */
  readonly schedule: appscaling.Schedule;

  /**
   * The new minimum number of readers, 0 to 15.
   *
   * @default - unchanged
   */
  readonly minCapacity?: number;

  /**
   * The new maximum number of readers, 0 to 15.
   *
   * @default - unchanged
   */
  readonly maxCapacity?: number;

  /**
   * The time zone of the cron expression.
   *
   * @default - UTC
   */
  readonly timeZone?: TimeZone;

  /**
   * When the schedule starts to apply.
   *
   * @default - now
   */
  readonly startTime?: Date;

  /**
   * When the schedule stops applying.
   *
   * @default - never
   */
  readonly endTime?: Date;
}
