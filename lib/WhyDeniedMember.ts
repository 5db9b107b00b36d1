/**
 * What every member account of an organization holds: rules forwarding its denials (which an organization
 * trail delivers to the member's own bus, in the call's region) to the central account's organization bus,
 * and the read-only role the central diagnoser assumes. Deployed by a StackSet in each listed region, so the
 * role (IAM is global) is created in the central region's instance only.
 * The template is synthesized without CDK's bootstrap version check: StackSets deploy to accounts where CDK
 * was never bootstrapped, and nothing here is an asset.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-concepts.html
 */
import { Aws, BootstraplessSynthesizer, CfnCondition, type CfnResource, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DenialForwarder } from './DenialForwarder';
import { ORGANIZATION_BUS_NAME } from './WhyDenied';
import { WhyDeniedReadRole } from './WhyDeniedReadRole';

export interface WhyDeniedMemberProps {
  readonly centralAccount: string;
  readonly centralRegion: string;
  /** The central diagnoser's role, which the read-only role trusts. */
  readonly diagnoserRoleName: string;
  /** The central deployment's `crossAccountRoleName` and `crossAccountExternalId`. */
  readonly roleName: string;
  readonly externalId: string;
}

export class WhyDeniedMemberStack extends Stack {
  constructor(scope: Construct, id: string, props: WhyDeniedMemberProps & Omit<StackProps, 'synthesizer'>) {
    super(scope, id, { ...props, synthesizer: new BootstraplessSynthesizer() });
    new DenialForwarder(this, 'Forwarder', {
      homeRegion: props.centralRegion,
      targetBusArn: `arn:${Aws.PARTITION}:events:${props.centralRegion}:${props.centralAccount}:event-bus/${ORGANIZATION_BUS_NAME}`,
    });
    const readRole = new WhyDeniedReadRole(this, 'ReadRole', {
      homeAccountId: props.centralAccount,
      diagnoserRoleName: props.diagnoserRoleName,
      roleName: props.roleName,
      externalId: props.externalId,
    });
    const inCentralRegion = new CfnCondition(this, 'InCentralRegion', { expression: Fn.conditionEquals(Aws.REGION, props.centralRegion) });
    (readRole.role.node.defaultChild as CfnResource).cfnOptions.condition = inCentralRegion;
  }
}
