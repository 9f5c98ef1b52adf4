/**
 * The event categories of each source type, including those Control Tower requires: CT.RDS.PR.12 (`db-cluster`:
 * maintenance and failure), CT.RDS.PR.17 (`db-instance`: maintenance, failure and configuration change) and
 * CT.RDS.PR.18 (`db-parameter-group`: configuration change).
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.Messages.html
 * https://docs.aws.amazon.com/controltower/latest/controlreference/rds-rules.html
 */
export const EVENT_CATEGORIES_BY_SOURCE: { readonly [sourceType: string]: string[] } = {
  'db-cluster': ['configuration change', 'deletion', 'failover', 'failure', 'maintenance', 'notification'],
  'db-instance': [
    'availability',
    'configuration change',
    'deletion',
    'failover',
    'failure',
    'low storage',
    'maintenance',
    'notification',
    'recovery',
  ],
  'db-parameter-group': ['configuration change'],
};
