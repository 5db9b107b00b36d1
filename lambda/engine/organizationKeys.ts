/**
 * The organization's condition keys, as AWS puts them in a request: aws:PrincipalOrgID and
 * aws:PrincipalOrgPaths for a caller in a member account, aws:ResourceOrgID and aws:ResourceOrgPaths for a
 * resource owned by one. Data-perimeter policies test them ("deny unless aws:ResourceOrgID is ours"); left
 * out, a negated condition on them matches every request and the perimeter is blamed for what it allows.
 * A path is the organization, the root and each OU down to the account: `o-…/r-…/ou-…/`.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
 */
import { levelsAbove } from '../model/levelsAbove';
import type { OrganizationSnapshot, OrgLevel } from '../model/snapshot';
import type { RequestContext } from '../policy/types';

function pathFrom(organizationId: string, levels: OrgLevel[] | undefined): string | null {
  const above = levelsAbove(levels);
  return above[0]?.startsWith('r-') ? `${organizationId}/${above.join('/')}/` : null;
}

/** Worked out once per organization: every authorization of a diagnosis, and every replay of a fix, asks. */
const paths = new WeakMap<OrganizationSnapshot, { scp: string | null; rcp: string | null }>();

function pathOf(organization: OrganizationSnapshot & { id: string }, layer: 'scp' | 'rcp'): string | null {
  let known = paths.get(organization);
  if (!known) {
    known = { scp: pathFrom(organization.id, organization.scpLevels), rcp: pathFrom(organization.id, organization.rcpLevels) };
    paths.set(organization, known);
  }
  return known[layer];
}

function isMember(
  organization: OrganizationSnapshot | null | undefined,
  account: string,
): organization is OrganizationSnapshot & { id: string } {
  return Boolean(organization?.id && organization.memberAccountIds?.includes(account));
}

/** The caller's keys: its account's organization, and the path to it (read from the SCP levels above it). */
export function principalOrganizationKeys(organization: OrganizationSnapshot | null | undefined, callerAccount: string): RequestContext {
  if (!isMember(organization, callerAccount)) return {};
  const path = pathOf(organization, 'scp');
  return { 'aws:PrincipalOrgID': organization.id, ...(path ? { 'aws:PrincipalOrgPaths': [path] } : {}) };
}

/**
 * The resource's keys, for the account that owns it: the path from the RCP levels above it (`rcpLevels`, as
 * rcpLevelsAbove finds them for that account), or, in the caller's own account, from the SCP levels (the same
 * hierarchy) when RCPs are not enabled.
 */
export function resourceOrganizationKeys(
  organization: OrganizationSnapshot | null | undefined,
  ownerAccount: string,
  callerAccount: string,
  rcpLevels: OrgLevel[] | undefined,
): RequestContext {
  if (!isMember(organization, ownerAccount)) return {};
  const rcpPath = rcpLevels === organization.rcpLevels ? pathOf(organization, 'rcp') : pathFrom(organization.id, rcpLevels);
  const path = rcpPath ?? (ownerAccount === callerAccount ? pathOf(organization, 'scp') : null);
  return { 'aws:ResourceOrgID': organization.id, ...(path ? { 'aws:ResourceOrgPaths': [path] } : {}) };
}
