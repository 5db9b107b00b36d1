/** Every stack the CDK app makes from its context, with cdk-nag attached: bin/app.ts, and the tests. */
import { type App, BootstraplessSynthesizer, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DenialForwarder } from '../lib/DenialForwarder';
import { diagnoserRoleNameOf } from '../lib/WhyDenied';
import { WhyDeniedReadRole } from '../lib/WhyDeniedReadRole';
import { WhyDeniedStack } from '../lib/WhyDeniedStack';
import { listFromSetting } from '../lambda/settings/listFromSetting';
import { athenaTableFrom, DEFAULT_READ_ROLE_NAME, whyDeniedPropsFrom } from './appContext';
import { organizationStacks } from './organizationStacks';
import { CloudTrailTable } from '../lib/CloudTrailTable';

export interface AppEnvironment {
  account: string | undefined;
  region: string | undefined;
}

export function buildApp(app: App, env: AppEnvironment): Stack[] {
  const context = (key: string): string | undefined => (app.node.tryGetContext(key) as string | undefined) || undefined;
  const stackName = context('stackName') ?? 'WhyDenied';
  const props = whyDeniedPropsFrom(context);
  const stacks: Stack[] = [new WhyDeniedStack(app, stackName, { env, whyDenied: props })];

  // A multi-region trail delivers denials in every region; these stacks forward them to the home region.
  const regions = listFromSetting(context('regions'));
  const unknown = regions.filter((region) => !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region));
  if (unknown.length > 0) throw new Error(`context regions: ${unknown.join(', ')} is not an AWS region name (like eu-west-1)`);
  const otherRegions = regions.filter((region) => region !== env.region);
  if (otherRegions.length > 0 && !env.region) {
    throw new Error('context regions needs a home region: set AWS_REGION or a profile with a region before cdk deploy.');
  }
  for (const region of otherRegions) {
    const forwarder = new Stack(app, `${stackName}-Forwarder-${region}`, { env: { account: env.account, region } });
    new DenialForwarder(forwarder, 'Forwarder', { homeRegion: env.region ?? '' });
    stacks.push(forwarder);
  }

  // An organization, deployed once: every member forwards its denials here and lets the diagnoser read it.
  if (props.organizationId) stacks.push(...organizationStacks(app, context, { stackName, env, props, regions }));

  // The read-only role for other accounts, to synthesize for StackSets: -c readRoleHomeAccount=<account>.
  const homeAccount = context('readRoleHomeAccount');
  if (homeAccount) {
    const homeRegion = context('readRoleHomeRegion') ?? env.region;
    if (!homeRegion && !props.diagnoserRoleName) {
      throw new Error('context readRoleHomeAccount needs readRoleHomeRegion (or diagnoserRoleName) to name the role it trusts.');
    }
    // For StackSets, into accounts where CDK was never bootstrapped: no bootstrap version check.
    const readRoleStack = new Stack(app, 'WhyDeniedReadRole', { env, synthesizer: new BootstraplessSynthesizer() });
    new WhyDeniedReadRole(readRoleStack, 'ReadRole', {
      homeAccountId: homeAccount,
      diagnoserRoleName: props.diagnoserRoleName ?? diagnoserRoleNameOf(stackName, homeRegion ?? ''),
      roleName: props.crossAccountRoleName ?? DEFAULT_READ_ROLE_NAME,
      externalId: props.crossAccountExternalId ?? `why-denied-${homeAccount}`,
    });
    stacks.push(readRoleStack);
  }
  // The Glue table `replay --athena` queries, over a trail's bucket: -c athenaTrailBucket=<bucket> and the rest.
  const athena = athenaTableFrom(
    context,
    [env.region, ...regions].filter((r): r is string => Boolean(r)),
  );
  if (athena) {
    const tableStack = new Stack(app, `${stackName}-AthenaTable`, { env });
    new CloudTrailTable(tableStack, 'CloudTrailTable', athena);
    stacks.push(tableStack);
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stacks;
}
