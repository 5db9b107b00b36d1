/**
 * Whether an account is in the deployment's organization, by the organization walk's own first step
 * (ListParents, which AWS answers ChildNotFoundException for an account outside it), so the collectors' cache
 * answers both. Undefined when Organizations could not say (refused, throttled, no credentials).
 */
import type { CollectorDeps } from './collectSnapshot';
import { parentsOf } from './collectOrganization';
import { Reading } from './Reading';

export async function isOrganizationMember(accountId: string, deps: CollectorDeps): Promise<boolean | undefined> {
  const home = deps.clientsFor(deps.homeAccountId);
  if (!home) return undefined;
  const parents = await parentsOf(home.organizations, accountId, 'scp', new Reading(deps.cache));
  if (parents === undefined) return undefined;
  return parents !== null;
}
