/** A thin stack around the construct; its settings come from cdk.json context. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { WhyDenied, type WhyDeniedProps } from './WhyDenied';

export class WhyDeniedStack extends Stack {
  public readonly whyDenied: WhyDenied;

  constructor(scope: Construct, id: string, props: StackProps & { readonly whyDenied?: WhyDeniedProps } = {}) {
    super(scope, id, props);
    this.whyDenied = new WhyDenied(this, 'WhyDenied', props.whyDenied);
  }
}
