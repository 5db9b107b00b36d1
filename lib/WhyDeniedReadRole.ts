/**
 * The read-only role why-denied assumes in another account (a partner's principal, a bucket or key held
 * elsewhere). Deploy it in each such account, for example with CloudFormation StackSets from
 * `npx cdk synth WhyDeniedReadRole -c readRoleHomeAccount=<account>`. It grants exactly the collectors'
 * read actions, and trusts only the diagnoser role of the home account, with the external id.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html
 */
import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { COLLECTOR_ACTIONS } from '../lambda/collect/permissions';

/** Organizations is read from the home account only; the other accounts need the rest. */
export const READ_ROLE_ACTIONS = COLLECTOR_ACTIONS.filter((action) => !action.startsWith('organizations:'));

export interface WhyDeniedReadRoleProps {
  /** The account why-denied is deployed in. */
  readonly homeAccountId: string;
  /** Name of the diagnoser's role in the home account (`WhyDenied.diagnoserRoleName`). */
  readonly diagnoserRoleName: string;
  /** Must match the home deployment's `crossAccountRoleName`. */
  readonly roleName: string;
  /** Must match the home deployment's `crossAccountExternalId`. */
  readonly externalId: string;
}

export class WhyDeniedReadRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: WhyDeniedReadRoleProps) {
    super(scope, id);
    const partition = Stack.of(this).partition;
    // The account principal with aws:PrincipalArn, not the role ARN itself: IAM refuses a trust policy that
    // names a role which does not exist yet, and StackSets may run before the home stack.
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      description: 'why-denied: read-only access to the policy layers of denied S3 uploads',
      assumedBy: new iam.AccountPrincipal(props.homeAccountId).withConditions({
        StringEquals: {
          'sts:ExternalId': props.externalId,
          'aws:PrincipalArn': `arn:${partition}:iam::${props.homeAccountId}:role/${props.diagnoserRoleName}`,
        },
      }),
      inlinePolicies: {
        ReadPolicyLayers: new iam.PolicyDocument({
          statements: [new iam.PolicyStatement({ actions: [...READ_ROLE_ACTIONS], resources: ['*'] })],
        }),
      },
    });
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'why-denied reads whichever role, user, bucket, key or endpoint a denied request names; the actions are a fixed list of read-only Get/List/Describe/LookupEvents calls.',
    });
  }
}
