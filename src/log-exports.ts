/**
 * A log type an Aurora cluster exports to CloudWatch Logs beyond the ones the library always exports (which are
 * exactly those the compliance packs require).
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html
 */
export class AuroraLogExport {
  /**
   * The instance log (Aurora MySQL and Aurora PostgreSQL): the engine's instance-level messages.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_LogAccess.html
   */
  public static readonly INSTANCE = new AuroraLogExport('instance');

  /**
   * The IAM database authentication error log (Aurora MySQL and Aurora PostgreSQL): why IAM authentication failed.
   *
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.Troubleshooting.html
   */
  public static readonly IAM_DB_AUTH_ERROR = new AuroraLogExport('iam-db-auth-error');

  /**
   * A log type by its `EnableCloudwatchLogsExports` name, for types newer than this library. Checked against the
   * engine at synth (a token is passed through with a warning).
   */
  public static of(name: string): AuroraLogExport {
    return new AuroraLogExport(name);
  }

  /** The log type as `EnableCloudwatchLogsExports` names it. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}
