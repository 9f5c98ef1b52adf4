import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AuroraCluster } from '../src';
import { MYSQL_3_08, POSTGRES_16_4, testStack, testVpc } from './util';

const R6G_LARGE = ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE);

describe('AuroraCluster.addEventSubscriptions', () => {
  describe('defaults', () => {
    // GIVEN a cluster with a writer and a reader WHEN subscribing
    const stack = testStack();
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const subscriptions = db.addEventSubscriptions();
    const template = Template.fromStack(stack);
    const topicRef = { Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] };

    test('the cluster: source type db-cluster, its identifier, the categories of CT.RDS.PR.12 and more, enabled', () => {
      template.hasResourceProperties('AWS::RDS::EventSubscription', {
        SourceType: 'db-cluster',
        SourceIds: [stack.resolve(db.clusterIdentifier)],
        EventCategories: ['configuration change', 'deletion', 'failover', 'failure', 'maintenance', 'notification'],
        Enabled: true,
        SnsTopicArn: topicRef,
      });
    });

    test('the instances: source type db-instance, every instance of the template, the categories of CT.RDS.PR.17', () => {
      const instances = Object.keys(template.findResources('AWS::RDS::DBInstance')).map((id) => ({ Ref: id }));
      expect(instances).toHaveLength(2);
      template.hasResourceProperties('AWS::RDS::EventSubscription', {
        SourceType: 'db-instance',
        SourceIds: Match.arrayEquals(instances),
        EventCategories: Match.arrayWith(['configuration change', 'failover', 'failure', 'low storage', 'maintenance']),
        Enabled: true,
        SnsTopicArn: topicRef,
      });
    });

    test('no parameter group subscription when the instances have no DB parameter group of their own', () => {
      template.resourceCountIs('AWS::RDS::EventSubscription', 2);
      expect(subscriptions.subscriptions).toHaveLength(2);
    });

    test('the topic lets events.rds.amazonaws.com of this account publish, and the subscriptions wait for that policy', () => {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: 'AllowThisAccountsRdsEvents',
              Principal: { Service: 'events.rds.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: {
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:123456789012:*']],
                  },
                },
                StringEquals: { 'aws:SourceAccount': '123456789012' },
              },
            }),
          ]),
        },
      });
      const policyId = Object.keys(template.findResources('AWS::SNS::TopicPolicy'))[0];
      for (const subscription of Object.values(template.findResources('AWS::RDS::EventSubscription'))) {
        expect(subscription.DependsOn).toContain(policyId);
      }
    });
  });

  test("instances' DB parameter groups: source type db-parameter-group with configuration change (CT.RDS.PR.18)", () => {
    // GIVEN instances with a DB parameter group of the user
    const stack = testStack();
    const parameterGroup = new rds.ParameterGroup(stack, 'InstanceParams', {
      engine: MYSQL_3_08,
      parameters: { long_query_time: '2' },
    });
    const db = new AuroraCluster(stack, 'Db', {
      engine: MYSQL_3_08,
      vpc: testVpc(stack),
      writer: rds.ClusterInstance.provisioned('Writer', { instanceType: R6G_LARGE, parameterGroup }),
      readers: [rds.ClusterInstance.provisioned('Reader', { instanceType: R6G_LARGE, parameterGroup })],
    });
    // WHEN
    db.addEventSubscriptions();
    // THEN one subscription for the group, named once
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RDS::EventSubscription', {
      SourceType: 'db-parameter-group',
      SourceIds: [{ Ref: Object.keys(template.findResources('AWS::RDS::DBParameterGroup'))[0] }],
      EventCategories: ['configuration change'],
      Enabled: true,
    });
  });

  test('alarms and subscriptions share one topic', () => {
    const stack = testStack();
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    const alarms = db.addRecommendedAlarms();
    const subscriptions = db.addEventSubscriptions();
    expect(subscriptions.topic).toBe(alarms.topic);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test("the user's topic", () => {
    const stack = testStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:us-east-1:123456789012:ops');
    const db = new AuroraCluster(stack, 'Db', { engine: POSTGRES_16_4, vpc: testVpc(stack) });
    db.addEventSubscriptions({ topic });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.allResourcesProperties('AWS::RDS::EventSubscription', {
      SnsTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
    });
  });
});
