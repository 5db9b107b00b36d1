/**
 * RCPs bind resources of member accounts: here the bucket or the key, whoever calls, each under the levels
 * above its own account.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
import { rcpLevelsAbove } from '../model/rcpLevelsAbove';
import { evaluateOrgLevels } from './evaluateOrgLevels';
import { notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const rcp: LayerCheck = (input) => {
  const reason = unseenReason(input, 'rcp');
  if (reason) return notVisible('rcp', input, reason);
  const organization = input.snapshot.organization;
  if (!organization) return notApplicable('rcp', input, 'the account is not in an organization');
  const { resourceAccount: account, resource, key } = input.authorization;
  const levels = rcpLevelsAbove(input.snapshot, input.request.service, account, key);
  if (!levels) {
    return notVisible('rcp', input, `the RCPs above account ${account}, which owns ${resource}, were not read`);
  }
  if (organization.memberAccountIds && !organization.memberAccountIds.includes(account)) {
    return notApplicable('rcp', input, `the resource's account ${account} is outside the organization`);
  }
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
  if (account === organization.managementAccountId) {
    return notApplicable('rcp', input, `RCPs do not restrict the management account's resources (${account})`);
  }
  if (levels.length === 0) return notApplicable('rcp', input, 'no RCPs are attached');
  return evaluateOrgLevels('rcp', levels, input);
};
