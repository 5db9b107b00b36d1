/**
 * RCPs bind resources of member accounts: here the bucket or the key, whoever calls.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 */
import { evaluateOrgLevels } from './evaluateOrgLevels';
import { notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const rcp: LayerCheck = (input) => {
  const reason = unseenReason(input, 'rcp');
  if (reason) return notVisible('rcp', input, reason);
  const organization = input.snapshot.organization;
  if (!organization) return notApplicable('rcp', input, 'the account is not in an organization');
  const account = input.authorization.resourceAccount;
  if (organization.memberAccountIds && !organization.memberAccountIds.includes(account)) {
    return notApplicable('rcp', input, `the resource's account ${account} is outside the organization`);
  }
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
  if (account === organization.managementAccountId) {
    return notApplicable('rcp', input, `RCPs do not restrict the management account's resources (${account})`);
  }
  const levels = organization.rcpLevels ?? [];
  if (levels.length === 0) return notApplicable('rcp', input, 'no RCPs are attached');
  return evaluateOrgLevels('rcp', levels, input);
};
