/**
 * SCPs at every level above the caller's account and RCPs above the resource's account, root first.
 * Only the management account or a delegated administrator may read them; anything else is `unseen`.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  type OrganizationsClient,
  type PolicyType,
  paginateListPoliciesForTarget,
} from '@aws-sdk/client-organizations';
import type { OrganizationSnapshot, OrgLevel } from '../model/snapshot';
import { MalformedDocumentError, parsePolicyDocument } from './policyDocument';
import type { Reading } from './Reading';

type OrgLayer = 'scp' | 'rcp';
const FILTER: Record<OrgLayer, PolicyType> = { scp: 'SERVICE_CONTROL_POLICY', rcp: 'RESOURCE_CONTROL_POLICY' };

/**
 * The account's ancestors, root first, then the account itself; null when the account is not a member
 * (AWS answers ChildNotFoundException), undefined when the hierarchy cannot be read.
 */
async function hierarchyOf(
  org: OrganizationsClient,
  accountId: string,
  layer: OrgLayer,
  reading: Reading,
): Promise<{ id: string; label: string }[] | null | undefined> {
  const chain = [{ id: accountId, label: `${accountId} (account)` }];
  let child = accountId;
  for (let depth = 0; depth < 7; depth += 1) {
    const parents = await reading.attempt(layer, 'organizations:ListParents', child, () =>
      org.send(new ListParentsCommand({ ChildId: child })),
    );
    if (parents === null && depth === 0) return null;
    const parent = parents?.Parents?.[0];
    if (!parent?.Id) return parents === undefined ? undefined : chain;
    chain.unshift({ id: parent.Id, label: `${parent.Id} (${parent.Type === 'ROOT' ? 'Root' : 'OU'})` });
    if (parent.Type === 'ROOT') return chain;
    child = parent.Id;
  }
  return chain;
}

/** One level's policies of a layer: undefined when they cannot be read, null when the layer is not enabled. */
async function levelAt(
  org: OrganizationsClient,
  target: { id: string; label: string },
  layer: OrgLayer,
  reading: Reading,
): Promise<OrgLevel | null | undefined> {
  const summaries = await reading.attempt(layer, 'organizations:ListPoliciesForTarget', `${FILTER[layer]}|${target.id}`, async () => {
    const all = [];
    for await (const page of paginateListPoliciesForTarget({ client: org }, { TargetId: target.id, Filter: FILTER[layer] }))
      all.push(...(page.Policies ?? []));
    return all;
  });
  if (summaries === undefined || summaries === null) return summaries;
  const policies = await Promise.all(
    summaries.map(async (summary) => {
      const described = await reading.attempt(layer, 'organizations:DescribePolicy', summary.Id ?? '', () =>
        org.send(new DescribePolicyCommand({ PolicyId: summary.Id })),
      );
      const content = described?.Policy?.Content;
      if (!content) return undefined;
      return {
        ...(summary.Id ? { id: summary.Id } : {}),
        ...(summary.Name ? { name: summary.Name } : {}),
        document: parsePolicyDocument(content, false),
      };
    }),
  );
  if (policies.some((p) => p === undefined)) return undefined;
  return { target: target.label, policies: policies as OrgLevel['policies'] };
}

/** Every level's policies, read at once once the hierarchy is known (the walk up it is one step at a time). */
async function levelsFor(
  org: OrganizationsClient,
  accountId: string,
  layer: OrgLayer,
  reading: Reading,
): Promise<OrgLevel[] | null | undefined> {
  const hierarchy = await hierarchyOf(org, accountId, layer, reading);
  if (!hierarchy) return hierarchy;
  const levels = await Promise.all(hierarchy.map((target) => levelAt(org, target, layer, reading)));
  if (levels.some((level) => level === undefined)) return undefined;
  // RCPs not enabled: no level holds any, and the layer decides nothing.
  if (levels.some((level) => level === null)) return [];
  return levels as OrgLevel[];
}

/**
 * What to say when Organizations refuses: the usual cause is a member account, and the fix is where to
 * deploy. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html
 */
export const ORGANIZATION_POLICIES_REFUSED =
  'Organizations refused to list the policies: SCPs and RCPs can be read only from the management account or a delegated administrator for policy management; deploy why-denied there, or delegate policy reading to this account';

function sayWhereToDeploy(reading: Reading): void {
  if (![...reading.deniedApis].some((api) => api.startsWith('organizations:'))) return;
  reading.restateUnseen('scp', ORGANIZATION_POLICIES_REFUSED);
  reading.restateUnseen('rcp', 'as for the SCPs: Organizations refused to list them from this account');
}

/** @example await collectOrganization(org, { callerAccount: '1', resourceAccount: '2' }, reading) */
export async function collectOrganization(
  org: OrganizationsClient,
  accounts: { callerAccount: string; resourceAccount: string },
  reading: Reading,
): Promise<OrganizationSnapshot | null | undefined> {
  const described = await reading.attempt('scp', 'organizations:DescribeOrganization', 'self', () =>
    org.send(new DescribeOrganizationCommand({})),
  );
  if (described === null) return null;
  if (!described?.Organization) {
    reading.markUnseen('rcp', 'organizations:DescribeOrganization failed, so RCPs could not be read either');
    return undefined;
  }
  try {
    const [scpLevels, rcpLevels] = await Promise.all([
      levelsFor(org, accounts.callerAccount, 'scp', reading),
      levelsFor(org, accounts.resourceAccount, 'rcp', reading),
    ]);
    sayWhereToDeploy(reading);
    const members = [
      ...(scpLevels !== null ? [accounts.callerAccount] : []),
      ...(rcpLevels !== null && accounts.resourceAccount !== accounts.callerAccount ? [accounts.resourceAccount] : []),
    ];
    return {
      ...(described.Organization.Id ? { id: described.Organization.Id } : {}),
      memberAccountIds: members,
      scpLevels: scpLevels ?? [],
      rcpLevels: rcpLevels ?? [],
    };
  } catch (error) {
    if (!(error instanceof MalformedDocumentError)) throw error;
    reading.markUnseen('scp', `an organization policy could not be read: ${error.message}`);
    return undefined;
  }
}
