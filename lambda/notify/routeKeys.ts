/**
 * Where a denial belongs, most specific first: the caller's account, the bucket owner's, then the
 * organization's levels above the caller's account from the OU nearest it to the root. The first of these
 * that has a route takes the alert; none, the default channels.
 */
import type { DeniedRequest } from '../model/request';
import { levelsAbove } from '../model/levelsAbove';
import { type AccountSnapshot, UNKNOWN_ACCOUNT } from '../model/snapshot';

export function routeKeysOf(request: DeniedRequest, snapshot: AccountSnapshot): string[] {
  const levels = levelsAbove(snapshot.organization?.scpLevels).reverse();
  const accounts = [request.caller.accountId, snapshot.bucket.accountId].filter((a) => a && a !== UNKNOWN_ACCOUNT && a !== 'anonymous');
  return [...new Set([...accounts, ...levels])];
}
