/**
 * What tells operators the service itself is failing: alarms on dead letters, function errors, throttles
 * and failed publications, sent to a topic CloudWatch is allowed to publish to, and a dashboard of the
 * metrics the code emits.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmOnAny } from './alarmOnAny';
import { SERVICE_METRICS } from '../lambda/handler/serviceMetrics';
import { serviceCount } from './serviceCount';

export interface ServiceAlarmsProps {
  readonly key: kms.Key;
  readonly function: lambda.IFunction;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

export class ServiceAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[];
  public readonly dashboard: cloudwatch.Dashboard;
  /** The service's own metrics the dashboard graphs, by name and dimensions. */
  public readonly serviceMetrics: cloudwatch.Metric[];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = new sns.Topic(this, 'Topic', { masterKey: props.key, enforceSSL: true });
    this.allowCloudWatchToPublish(props.key);

    this.serviceMetrics = Object.values(SERVICE_METRICS).map(serviceCount);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) =>
      alarmOnAny(this, alarmId, metric, this.topic, description);
    this.alarms = [
      alarm(
        'DeadLetters',
        props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
        'Denials that could not be diagnosed or published are waiting in the dead-letter queue.',
      ),
      alarm('Errors', props.function.metricErrors({ period: Duration.minutes(5) }), 'The why-denied function failed.'),
      alarm('Throttles', props.function.metricThrottles({ period: Duration.minutes(5) }), 'The why-denied function was throttled.'),
      alarm('PublishFailures', serviceCount(SERVICE_METRICS.publishFailures), 'A diagnosis could not be delivered to SNS or Slack.'),
    ];
    // Named after the stack and region, so two deployments in one account do not collide.
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { dashboardName: `${stack.stackName}-${stack.region}` });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Denials', left: this.serviceMetrics }),
      new cloudwatch.GraphWidget({
        title: 'Queue',
        left: [props.queue.metricApproximateNumberOfMessagesVisible(), props.deadLetterQueue.metricApproximateNumberOfMessagesVisible()],
      }),
    );
  }

  /**
   * A topic policy of only the enforceSSL Deny lets no service publish, and an encrypted topic needs the key
   * too: both allow CloudWatch, for this account's alarms alone.
   * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  private allowCloudWatchToPublish(key: kms.Key): void {
    const stack = Stack.of(this);
    const cloudwatchService = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const conditions = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
    };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatchService],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions,
      }),
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsUseKey',
        principals: [cloudwatchService],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions,
      }),
    );
  }
}
