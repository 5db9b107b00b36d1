/**
 * SCPs bind principals of member accounts (not the management account, not service-linked roles).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
import { evaluateOrgLevels } from './evaluateOrgLevels';
import { notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const scp: LayerCheck = (input) => {
  const reason = unseenReason(input, 'scp');
  if (reason) return notVisible('scp', input, reason);
  const organization = input.snapshot.organization;
  if (!organization) return notApplicable('scp', input, 'the account is not in an organization');
  const account = input.request.caller.accountId;
  if (organization.memberAccountIds && !organization.memberAccountIds.includes(account)) {
    return notApplicable('scp', input, `the caller's account ${account} is outside the organization`);
  }
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
  if (account === organization.managementAccountId) {
    return notApplicable('scp', input, `SCPs do not restrict the management account (${account})`);
  }
  if (input.request.caller.arn?.includes(':role/aws-service-role/')) {
    return notApplicable('scp', input, 'SCPs do not restrict service-linked roles');
  }
  // SCPs enabled hold at least one policy at every level (the last cannot be detached): no level at all is an
  // organization that has not enabled them, and then they restrict nothing. Levels not read are `unseen`.
  // https://docs.aws.amazon.com/organizations/latest/userguide/disable-policy-type.html
  if (!organization.scpLevels) return notVisible('scp', input, 'the snapshot holds no SCP levels for the organization');
  if (organization.scpLevels.length === 0) return notApplicable('scp', input, 'SCPs are not enabled in the organization');
  const levels = organization.scpLevels;
  return evaluateOrgLevels('scp', levels, input);
};
