/**
 * How the database sessions hand activity events to the stream.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.html#DBActivityStreams.Overview.sync-mode
 */
export enum ActivityStreamMode {
  /**
   * A session goes on at once and the event is made durable in the background; an RDS event reports the time windows
   * in which records may have been lost. Favours database performance. Aurora MySQL and Aurora PostgreSQL.
   */
  ASYNC = 'async',
  /**
   * A session waits until its event is durable (if it cannot be, the session goes on and an RDS event says records
   * may be lost). Favours the completeness of the audit trail over performance. Aurora PostgreSQL only.
   */
  SYNC = 'sync',
}

/**
 * Database Activity Streams: Aurora pushes every database activity (connections, SQL statements, with the full SQL
 * text) to an Amazon Kinesis data stream that it creates, named `aws-rds-das-<cluster resource id>`, encrypted with
 * a KMS key of the cluster's own. DBAs have no access to its collection, transmission or storage.
 *
 * CloudFormation has no resource for activity streams: a small custom resource in the cluster's subnets starts the
 * stream when the cluster is created and stops it when the cluster, or this option, goes.
 *
 * Not available with Serverless v2 instances, burstable (db.t*) instance classes, Babelfish, Aurora MySQL before
 * 2.11, synchronous mode on Aurora MySQL, and in some Regions: the library rejects these at synth.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.html
 */
export interface ActivityStreamOptions {
  /**
   * Whether sessions wait until their activity event is durable (SYNC, Aurora PostgreSQL only) or not (ASYNC).
   *
   * Changing the mode of a deployed stream stops it and starts it again (AWS has no call to change it): activity in
   * between is not recorded, and the cluster may restart.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.html#DBActivityStreams.Overview.sync-mode
   * @default ActivityStreamMode.ASYNC - the only mode Aurora MySQL supports
   */
  readonly mode?: ActivityStreamMode;

  /**
   * Start the stream at once rather than in the next maintenance window.
   *
   * Starting the stream restarts the DB cluster. With `false` the deployment does not wait for the stream: it starts
   * in the next maintenance window, and the Kinesis stream exists only from then on.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/DBActivityStreams.Enabling.html
   * @default true
   */
  readonly applyImmediately?: boolean;

  /**
   * Give the function that starts and stops the stream interface endpoints of its own for the RDS API and Amazon S3
   * (the CloudFormation response), reachable from that function only, with private DNS off.
   *
   * Nothing changes for other workloads in the VPC (no route, DNS name or security group of theirs). With `false`
   * the function reaches the public RDS and S3 endpoints over HTTPS through whatever path its subnets have (a NAT
   * gateway, or endpoints you created).
   *
   * @see https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html
   * @default true
   */
  readonly createVpcEndpoints?: boolean;
}
