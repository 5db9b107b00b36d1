/**
 * In a region other than the home one, or in a member account of an organization: the same rules,
 * forwarding matching CloudTrail events to the home region's default event bus (or the central account's
 * organization bus), where why-denied's own rules pick them up. A multi-region trail delivers
 * data events in the region of the bucket, and rules see only their own region.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
 */
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { denialRules } from './denialRules';

export interface DenialForwarderProps {
  /** The region why-denied is deployed in. */
  readonly homeRegion: string;
  /**
   * The bus to forward to: another account's (an organization's central why-denied) or, by default, this
   * account's default bus in the home region.
   */
  readonly targetBusArn?: string;
}

export class DenialForwarder extends Construct {
  public readonly rules: events.Rule[];
  public readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DenialForwarderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const homeBus = events.EventBus.fromEventBusArn(
      this,
      'HomeBus',
      props.targetBusArn ?? `arn:${stack.partition}:events:${props.homeRegion}:${stack.account}:event-bus/default`,
    );
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the forwarding rules; its depth is the signal.',
    });
    const target = () => new targets.EventBus(homeBus, { deadLetterQueue: this.deadLetterQueue });
    this.rules = denialRules(this, { idPrefix: '', target });
  }
}
