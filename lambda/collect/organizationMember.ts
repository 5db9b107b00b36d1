/**
 * Whether an account is in the deployment's organization, by the organization walk's own first step
 * (ListParents, which AWS answers ChildNotFoundException for an account outside it), so the collectors' cache
 * answers both. Undefined when Organizations could not say (refused, throttled, no credentials).
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListParents.html
 */
import { ListParentsCommand } from '@aws-sdk/client-organizations';
import type { CollectorDeps } from './collectSnapshot';
import { Reading } from './Reading';

export async function isOrganizationMember(accountId: string, deps: CollectorDeps): Promise<boolean | undefined> {
  const home = deps.clientsFor(deps.homeAccountId);
  if (!home) return undefined;
  const parents = await new Reading(deps.cache).attempt('scp', 'organizations:ListParents', accountId, () =>
    home.organizations.send(new ListParentsCommand({ ChildId: accountId })),
  );
  if (parents === undefined) return undefined;
  return parents !== null;
}
