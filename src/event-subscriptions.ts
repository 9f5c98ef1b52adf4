import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { AuroraCluster } from './aurora-cluster';
import { cfnInstancesOf } from './private/cluster-parts';
import { EVENT_CATEGORIES_BY_SOURCE } from './private/event-categories';
import { operationsTarget } from './private/operations-target';
import { operationsTopic } from './private/operations-topic';
import type { AuroraSecondaryCluster } from './secondary-cluster';

/**
 * Options of `AuroraCluster.addEventSubscriptions()`.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.html
 */
export interface EventSubscriptionsOptions {
  /**
   * The SNS topic RDS notifies.
   *
   * An encrypted topic of yours must let `events.rds.amazonaws.com` use its key (`kms:GenerateDataKey*`,
   * `kms:Decrypt`) and publish to the topic.
   *
   * @default - the topic of the cluster (`OperationsTopic`) that `addRecommendedAlarms()` also notifies, created
   * encrypted and TLS-only if it does not exist yet
   * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.GrantingPermissions.html
   */
  readonly topic?: sns.ITopic;
}

/** Properties of {@link AuroraEventSubscriptions}: give `cluster` or `secondaryCluster`. */
export interface AuroraEventSubscriptionsProps extends EventSubscriptionsOptions {
  /**
   * The cluster whose events are sent.
   *
   * @default - none: give `secondaryCluster`
   */
  readonly cluster?: AuroraCluster;

  /**
   * The Global Database secondary whose events are sent (the subscriptions and the topic are in its Region).
   *
   * @default - none: give `cluster`
   */
  readonly secondaryCluster?: AuroraSecondaryCluster;
}

/**
 * RDS event notifications (native `AWS::RDS::EventSubscription`) for a cluster, the DB instances of its template
 * and their DB parameter groups, to an SNS topic: failovers, failures, maintenance, configuration changes and more.
 *
 * Created by `AuroraCluster.addEventSubscriptions()` and `AuroraSecondaryCluster.addEventSubscriptions()`.
 *
 * @see https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.html
 */
export class AuroraEventSubscriptions extends Construct {
  /** The subscriptions: the cluster's, its instances', and (when instances have DB parameter groups) theirs. */
  public readonly subscriptions: rds.CfnEventSubscription[] = [];
  /** The topic RDS notifies. */
  public readonly topic: sns.ITopic;

  constructor(scope: Construct, id: string, props: AuroraEventSubscriptionsProps) {
    super(scope, id);
    const cluster = operationsTarget(
      this.node.path,
      props,
      'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_Events.html',
      'addEventSubscriptions',
    );
    this.topic = operationsTopic(cluster, props.topic);
    const instances = cfnInstancesOf(cluster.cluster);
    const parameterGroups = [
      ...new Set(instances.map((i) => i.dbParameterGroupName).filter((name): name is string => name !== undefined)),
    ];
    const subscribe = (subscriptionId: string, sourceType: string, sourceIds: string[]) => {
      const subscription = new rds.CfnEventSubscription(this, subscriptionId, {
        snsTopicArn: this.topic.topicArn,
        sourceType,
        sourceIds,
        eventCategories: EVENT_CATEGORIES_BY_SOURCE[sourceType],
        enabled: true,
      });
      // The topic policy and key policy that let RDS publish exist before RDS validates the subscription.
      const topicPolicy = this.topic.node.tryFindChild('Policy');
      if (topicPolicy) subscription.node.addDependency(topicPolicy);
      this.subscriptions.push(subscription);
    };
    subscribe('Cluster', 'db-cluster', [cluster.clusterIdentifier]);
    if (instances.length > 0) {
      subscribe(
        'Instances',
        'db-instance',
        instances.map((i) => i.ref),
      );
    }
    if (parameterGroups.length > 0) {
      subscribe('ParameterGroups', 'db-parameter-group', parameterGroups);
    }
  }
}
