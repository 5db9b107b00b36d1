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
 * The policies AWS attaches itself have fixed ids and contents no one can edit: reading them costs a call
 * per level for nothing. FullAWSAccess is the default SCP; RCPFullAWSAccess is attached to every root, OU
 * and account once RCPs are enabled, and cannot be detached or changed.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
 */
const AWS_MANAGED_CONTENT: Readonly<Record<string, string>> = {
  'p-FullAWSAccess': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}',
  'p-RCPFullAWSAccess': '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
};

async function contentOf(org: OrganizationsClient, policyId: string, layer: OrgLayer, reading: Reading): Promise<string | undefined> {
  const fixed = AWS_MANAGED_CONTENT[policyId];
  if (fixed) return fixed;
  const described = await reading.attempt(layer, 'organizations:DescribePolicy', policyId, () =>
    org.send(new DescribePolicyCommand({ PolicyId: policyId })),
  );
  return described?.Policy?.Content;
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
      const content = summary.Id ? await contentOf(org, summary.Id, layer, reading) : undefined;
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

/**
 * The levels above the account, root first, then the account itself. The walk up is one ListParents at a
 * time, so each level's policies are listed as soon as the level is known, beside the next step up.
 * Null when the account is not a member (AWS answers ChildNotFoundException), undefined when a level
 * cannot be read.
 */
async function levelsFor(
  org: OrganizationsClient,
  accountId: string,
  layer: OrgLayer,
  reading: Reading,
): Promise<OrgLevel[] | null | undefined> {
  const levels = [levelAt(org, { id: accountId, label: `${accountId} (account)` }, layer, reading)];
  const settled = async <T>(answer: T): Promise<T> => {
    await Promise.allSettled(levels);
    return answer;
  };
  let child = accountId;
  for (let depth = 0; depth < 7; depth += 1) {
    const parents = await reading.attempt(layer, 'organizations:ListParents', child, () =>
      org.send(new ListParentsCommand({ ChildId: child })),
    );
    if (parents === null && depth === 0) return settled(null);
    if (parents === undefined) return settled(undefined);
    const parent = parents?.Parents?.[0];
    if (!parent?.Id) break;
    levels.unshift(levelAt(org, { id: parent.Id, label: `${parent.Id} (${parent.Type === 'ROOT' ? 'Root' : 'OU'})` }, layer, reading));
    if (parent.Type === 'ROOT') break;
    child = parent.Id;
  }
  const read = await Promise.all(levels);
  if (read.some((level) => level === undefined)) return undefined;
  // RCPs not enabled: no level holds any, and the layer decides nothing.
  if (read.some((level) => level === null)) return [];
  return read as OrgLevel[];
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
  // The walks start beside DescribeOrganization instead of after it; what they could not see counts only
  // when there is an organization to see (a single account answers them "not in use").
  const walks = reading.branch();
  const [described, scpLevels, rcpLevels] = await Promise.allSettled([
    reading.attempt('scp', 'organizations:DescribeOrganization', 'self', () => org.send(new DescribeOrganizationCommand({}))),
    levelsFor(org, accounts.callerAccount, 'scp', walks),
    levelsFor(org, accounts.resourceAccount, 'rcp', walks),
  ]);
  if (described.status === 'rejected') throw described.reason;
  const organization = described.value?.Organization;
  reading.adopt(walks, { unseen: organization !== undefined });
  if (described.value === null) return null;
  if (!organization) {
    reading.markUnseen('rcp', 'organizations:DescribeOrganization failed, so RCPs could not be read either');
    return undefined;
  }
  try {
    for (const levels of [scpLevels, rcpLevels]) if (levels.status === 'rejected') throw levels.reason;
    const scp = (scpLevels as PromiseFulfilledResult<OrgLevel[] | null | undefined>).value;
    const rcp = (rcpLevels as PromiseFulfilledResult<OrgLevel[] | null | undefined>).value;
    sayWhereToDeploy(reading);
    const members = [
      ...(scp !== null ? [accounts.callerAccount] : []),
      ...(rcp !== null && accounts.resourceAccount !== accounts.callerAccount ? [accounts.resourceAccount] : []),
    ];
    return {
      ...(organization.Id ? { id: organization.Id } : {}),
      memberAccountIds: members,
      scpLevels: scp ?? [],
      rcpLevels: rcp ?? [],
    };
  } catch (error) {
    if (!(error instanceof MalformedDocumentError)) throw error;
    reading.markUnseen('scp', `an organization policy could not be read: ${error.message}`);
    return undefined;
  }
}
