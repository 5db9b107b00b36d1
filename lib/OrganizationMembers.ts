/**
 * Every member account of an organization, now and to come, gets WhyDeniedMember: a service-managed StackSet
 * with automatic deployment, deployed from the management account (or a delegated administrator, `callAs`).
 * aws-cdk-lib's own CfnStackSet with the template inline, rather than cdk-stacksets' StackSetStack: the
 * member template holds no asset, so it needs no asset bucket in every target region and no extra package;
 * it is small beside the 51,200-byte TemplateBody limit (checked). Service-managed StackSets never deploy to
 * the management account itself: the app also makes the same member stack to deploy there directly.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnStackSet } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ROOT_OR_OU_ID } from '../lambda/settings/organizationIds';
import { type WhyDeniedMemberProps, WhyDeniedMemberStack } from './WhyDeniedMember';

export interface OrganizationMembersProps extends WhyDeniedMemberProps {
  /** The root (`r-…`) or OUs (`ou-…`) whose accounts get the member stack. */
  readonly organizationalUnitIds: readonly string[];
  /** Every region whose denials should reach the central account. */
  readonly regions: readonly string[];
  /** `DELEGATED_ADMIN` when deployed from a delegated administrator for StackSets. */
  readonly callAs: 'SELF' | 'DELEGATED_ADMIN';
}

/** TemplateBody's limit. */
const MAX_TEMPLATE_BODY = 51_200;

/** The member stack's template, synthesized apart (its own app, its own folder) to be sent inline. */
export function memberTemplate(props: WhyDeniedMemberProps): string {
  const outdir = mkdtempSync(join(tmpdir(), 'why-denied-member-'));
  try {
    const app = new App({ outdir });
    const stack = new WhyDeniedMemberStack(app, 'WhyDeniedMember', props);
    return JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export class OrganizationMembers extends Construct {
  public readonly stackSet: CfnStackSet;

  constructor(scope: Construct, id: string, props: OrganizationMembersProps) {
    super(scope, id);
    if (props.organizationalUnitIds.length === 0) throw new Error('OrganizationMembers needs the root or OUs to deploy to (r-… or ou-…)');
    const bad = props.organizationalUnitIds.filter((unit) => !ROOT_OR_OU_ID.test(unit));
    if (bad.length > 0) throw new Error(`OrganizationMembers: ${bad.join(', ')} is not a root or OU id`);
    const templateBody = memberTemplate(props);
    if (templateBody.length > MAX_TEMPLATE_BODY)
      throw new Error(`the member template is ${templateBody.length} bytes, over TemplateBody's ${MAX_TEMPLATE_BODY}`);
    this.stackSet = new CfnStackSet(this, 'StackSet', {
      stackSetName: 'why-denied-members',
      description: 'why-denied: forward denied S3 uploads to the central account, and let it read the policy layers',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      callAs: props.callAs,
      managedExecution: { Active: true },
      operationPreferences: { regionConcurrencyType: 'PARALLEL', maxConcurrentPercentage: 25, failureTolerancePercentage: 10 },
      stackInstancesGroup: [
        { deploymentTargets: { organizationalUnitIds: [...props.organizationalUnitIds] }, regions: [...props.regions] },
      ],
      templateBody,
    });
  }
}
