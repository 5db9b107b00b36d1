/**
 * SCPs at every level above the caller's account and RCPs above the resource's account, root first.
 * Only the management account or a delegated administrator may read them; anything else is `unseen`.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListPoliciesForTarget.html
 */
import {
  DescribeOrganizationCommand,
  DescribePolicyCommand,
  ListParentsCommand,
  ListRootsCommand,
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

/**
 * Whether a layer's policy type is on in the root. `unknown` when the root could not be read (a member
 * account may describe its organization but not list its roots).
 */
type TypeStatus = 'enabled' | 'disabled' | 'pending' | 'unknown';

interface OrganizationFound {
  id: string | undefined;
  managementAccountId: string | undefined;
  /** Known from the root's own reading, so its policies need not wait for the walk to reach it. */
  rootId: string | undefined;
  types: Record<OrgLayer, TypeStatus>;
}

const UNKNOWN_TYPES: Record<OrgLayer, TypeStatus> = { scp: 'unknown', rcp: 'unknown' };

/**
 * The root says which policy types are enabled, and its ARN names the organization. A type that is not
 * enabled has no policies attached anywhere, yet ListPoliciesForTarget answers it with an empty list, not an
 * error: listed regardless, every level would read "nothing allows". A type being switched on or off is
 * neither. https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/disable-policy-type.html
 */
async function organizationFound(org: OrganizationsClient, reading: Reading): Promise<OrganizationFound | null | undefined> {
  // A refused ListRoots is no blind spot by itself: DescribeOrganization and the walks say what can be seen.
  const askingRoot = reading.branch();
  const listed = await askingRoot.attempt('scp', 'organizations:ListRoots', 'self', () => org.send(new ListRootsCommand({})));
  reading.adopt(askingRoot, { unseen: false });
  if (listed === null) return null;
  const root = listed?.Roots?.[0];
  if (root) {
    const statusOf = (layer: OrgLayer): TypeStatus => {
      const status = root.PolicyTypes?.find((t) => t.Type === FILTER[layer])?.Status;
      if (status === 'ENABLED') return 'enabled';
      return status ? 'pending' : 'disabled';
    };
    // arn:aws:organizations::<management account>:root/<organization>/<root>
    const arn = /^arn:[\w-]+:organizations::(\d{12}):root\/(o-[a-z0-9]+)\//.exec(root.Arn ?? '');
    return {
      id: arn?.[2],
      managementAccountId: arn?.[1],
      rootId: root.Id,
      types: { scp: statusOf('scp'), rcp: statusOf('rcp') },
    };
  }
  const described = await reading.attempt('scp', 'organizations:DescribeOrganization', 'self', () =>
    org.send(new DescribeOrganizationCommand({})),
  );
  if (described === null) return null;
  const organization = described?.Organization;
  return organization
    ? { id: organization.Id, managementAccountId: organization.MasterAccountId, rootId: undefined, types: UNKNOWN_TYPES }
    : undefined;
}

/** One level's policies of a layer: undefined when they cannot be read. */
async function levelAt(
  org: OrganizationsClient,
  target: { id: string; label: string },
  layer: OrgLayer,
  reading: Reading,
): Promise<OrgLevel | undefined> {
  const summaries = await reading.attempt(layer, 'organizations:ListPoliciesForTarget', `${FILTER[layer]}|${target.id}`, async () => {
    const all = [];
    for await (const page of paginateListPoliciesForTarget({ client: org }, { TargetId: target.id, Filter: FILTER[layer] }))
      all.push(...(page.Policies ?? []));
    return all;
  });
  if (!summaries) return undefined;
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
 * A child's parents: null when the organization does not hold it (ChildNotFoundException), undefined when it
 * could not be asked. One cache entry per child, whoever asks: the walk up, or whether an account is a member.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html
 */
export function parentsOf(org: OrganizationsClient, childId: string, layer: string, reading: Reading) {
  return reading.attempt(layer, 'organizations:ListParents', childId, () => org.send(new ListParentsCommand({ ChildId: childId })));
}

/**
 * The levels above the account, root first, then the account itself. The walk up is one ListParents at a
 * time, so each level's policies are listed as soon as the level is known (and the type known to be on),
 * beside the next step up. Null when the account is not a member (AWS answers ChildNotFoundException),
 * undefined when a level cannot be read.
 */
async function levelsFor(
  org: OrganizationsClient,
  accountId: string,
  layer: OrgLayer,
  reading: Reading,
  found: Promise<OrganizationFound | null | undefined>,
): Promise<OrgLevel[] | null | undefined> {
  const status = found.then(
    (f) => f?.types[layer] ?? 'unknown',
    () => 'unknown' as const,
  );
  const listed = (target: { id: string; label: string }) =>
    status.then((s) => (s === 'enabled' || s === 'unknown' ? levelAt(org, target, layer, reading) : undefined));
  const rootLabel = (id: string) => `${id} (Root)`;
  // The root's policies are read as soon as the root is known; the walk, reaching it, finds them read.
  void found.then(
    (f) => (f?.rootId ? listed({ id: f.rootId, label: rootLabel(f.rootId) }) : undefined),
    () => undefined,
  );
  const levels = [listed({ id: accountId, label: `${accountId} (account)` })];
  const settled = async <T>(answer: T): Promise<T> => {
    await Promise.allSettled(levels);
    return answer;
  };
  let child = accountId;
  for (let depth = 0; depth < 7; depth += 1) {
    // The first step goes out beside the root's reading; by the next, the root has said whether to go on.
    if (depth > 0 && (await status) === 'disabled') break;
    const parents = await parentsOf(org, child, layer, reading);
    if (parents === null && depth === 0) return settled(null);
    if (parents === undefined) return settled(undefined);
    const parent = parents?.Parents?.[0];
    if (!parent?.Id) break;
    levels.unshift(listed({ id: parent.Id, label: parent.Type === 'ROOT' ? rootLabel(parent.Id) : `${parent.Id} (OU)` }));
    if (parent.Type === 'ROOT') break;
    child = parent.Id;
  }
  const read = await Promise.all(levels);
  const known = await status;
  if (known === 'disabled') return [];
  if (known === 'pending') {
    reading.markUnseen(layer, `the ${layer.toUpperCase()} policy type is being enabled or disabled in the organization's root`);
    return undefined;
  }
  if (read.some((level) => level === undefined)) return undefined;
  // Not told by the root: a level without any policy of an enabled type cannot be (FullAWSAccess cannot be
  // detached from the last entity, RCPFullAWSAccess not at all), so an empty one means the type is off.
  if (known === 'unknown' && read.some((level) => level?.policies.length === 0)) return [];
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
  // The walks start beside the root's reading instead of after it; what they could not see counts only
  // when there is an organization to see (a single account answers them "not in use").
  const walks = reading.branch();
  const found = organizationFound(org, reading);
  const [organization, scpLevels, rcpLevels] = await Promise.allSettled([
    found,
    levelsFor(org, accounts.callerAccount, 'scp', walks, found),
    levelsFor(org, accounts.resourceAccount, 'rcp', walks, found),
  ]);
  if (organization.status === 'rejected') throw organization.reason;
  reading.adopt(walks, { unseen: Boolean(organization.value) });
  if (organization.value === null) return null;
  if (!organization.value) {
    reading.markUnseen(
      'rcp',
      'the organization could not be read (organizations:ListRoots and DescribeOrganization), so RCPs could not be either',
    );
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
      ...(organization.value.id ? { id: organization.value.id } : {}),
      ...(organization.value.managementAccountId ? { managementAccountId: organization.value.managementAccountId } : {}),
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

/** The RCP levels above one more account, and whether it is in the organization at all. */
export interface AccountRcpLevels {
  levels: OrgLevel[];
  member: boolean;
}

/**
 * The RCPs above another resource's account: an SSE-KMS key kept outside the bucket's account (a central
 * security account's). The root's reading is the organization's, already cached. Undefined when they cannot be
 * read: the engine then says so of that key alone, so nothing is marked unseen for the bucket's RCPs.
 */
export async function collectRcpLevelsOf(
  org: OrganizationsClient,
  accountId: string,
  reading: Reading,
): Promise<AccountRcpLevels | undefined> {
  const apart = reading.branch();
  const levels = await levelsFor(org, accountId, 'rcp', apart, organizationFound(org, apart)).catch((error: unknown) => {
    if (error instanceof MalformedDocumentError) return undefined;
    throw error;
  });
  reading.adopt(apart, { unseen: false });
  if (levels === undefined) return undefined;
  return levels === null ? { levels: [], member: false } : { levels, member: true };
}
