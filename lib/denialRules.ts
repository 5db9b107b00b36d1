/**
 * The three rules every bus that sees denials needs, one per pattern, each to the same kind of target: the
 * default bus of the home region and the organization bus (to the queue), and a forwarder's default bus
 * (to the home or central bus). On a default bus the KMS rule must also see read-only management events;
 * on a custom bus, forwarded events are ordinary ones.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
 */
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { deniedKmsCallPattern, deniedS3WritePattern, KMS_RULE_STATE, refusedAtEndpointPattern } from './eventPatterns';

export interface DenialRulesProps {
  /** Before each rule's id: '' keeps the ids the default bus's rules have always had. */
  readonly idPrefix: string;
  /** A custom bus; the account's default bus when left out. */
  readonly eventBus?: events.IEventBus;
  readonly target: () => events.IRuleTarget;
}

export function denialRules(scope: Construct, props: DenialRulesProps): events.Rule[] {
  const rule = (id: string, eventPattern: events.EventPattern) =>
    new events.Rule(scope, `${props.idPrefix}${id}`, {
      ...(props.eventBus ? { eventBus: props.eventBus } : {}),
      eventPattern,
      targets: [props.target()],
    });
  const rules = [
    rule('DeniedS3Writes', deniedS3WritePattern),
    rule('DeniedKmsCalls', deniedKmsCallPattern),
    rule('RefusedAtEndpoints', refusedAtEndpointPattern),
  ];
  if (!props.eventBus) (rules[1]!.node.defaultChild as events.CfnRule).state = KMS_RULE_STATE;
  return rules;
}
