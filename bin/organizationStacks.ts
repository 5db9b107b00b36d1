/**
 * `-c organizationId=o-… -c organizationUnits=r-…`: the stacks an organization needs beside the central one.
 *  - `<stack>-Members`, for the management account (or a delegated administrator, `-c stackSetCallAs=DELEGATED_ADMIN`):
 *    the StackSet that gives every member account, now and to come, the member stack in every region;
 *  - `<stack>-Member-<region>`, the same member stack for the management account itself, which
 *    service-managed StackSets skip.
 */
import { type App, Stack } from 'aws-cdk-lib';
import { OrganizationMembers } from '../lib/OrganizationMembers';
import { diagnoserRoleNameOf, type WhyDeniedProps } from '../lib/WhyDenied';
import { WhyDeniedMemberStack } from '../lib/WhyDeniedMember';
import { listFromSetting } from '../lambda/settings/listFromSetting';
import { DEFAULT_READ_ROLE_NAME } from './appContext';
import type { AppEnvironment } from './buildApp';

interface Central {
  stackName: string;
  env: AppEnvironment;
  props: WhyDeniedProps;
  /** Regions forwarded home besides the central one (`-c regions`). */
  regions: string[];
}

export function organizationStacks(app: App, context: (key: string) => string | undefined, central: Central): Stack[] {
  const { stackName, env, props } = central;
  if (!env.account || !env.region) {
    throw new Error(
      'context organizationId needs the central account and region: run with a profile (or CDK_DEFAULT_ACCOUNT and AWS_REGION) of the central account.',
    );
  }
  const callAs = context('stackSetCallAs') ?? 'SELF';
  if (callAs !== 'SELF' && callAs !== 'DELEGATED_ADMIN')
    throw new Error(`context stackSetCallAs must be SELF or DELEGATED_ADMIN, not ${JSON.stringify(callAs)}`);
  const managementAccount = context('managementAccount');
  if (managementAccount && !/^\d{12}$/.test(managementAccount)) throw new Error('context managementAccount: a 12-digit account id');
  const member = {
    centralAccount: env.account,
    centralRegion: env.region,
    diagnoserRoleName: props.diagnoserRoleName ?? diagnoserRoleNameOf(stackName, env.region),
    roleName: props.crossAccountRoleName ?? DEFAULT_READ_ROLE_NAME,
    externalId: props.crossAccountExternalId ?? `why-denied-${env.account}`,
  };
  const regions = [env.region, ...central.regions.filter((region) => region !== env.region)];
  const stackSet = new Stack(app, `${stackName}-Members`, { env: { account: managementAccount, region: env.region } });
  new OrganizationMembers(stackSet, 'Members', {
    ...member,
    organizationalUnitIds: listFromSetting(context('organizationUnits')),
    regions,
    callAs,
  });
  const managementCopies = regions.map(
    (region) => new WhyDeniedMemberStack(app, `${stackName}-Member-${region}`, { ...member, env: { account: managementAccount, region } }),
  );
  return [stackSet, ...managementCopies];
}
