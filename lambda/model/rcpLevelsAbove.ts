/**
 * The RCP levels above the account that owns a resource, as the snapshot holds them. `organization.rcpLevels`
 * are read for the request's own resource: the bucket, or a KMS record's key. An SSE-KMS key kept in another
 * account carries its account's own; any other account's were not read (undefined), and another account's
 * levels must never stand in for them.
 */
import type { AccountSnapshot, KmsKeySnapshot, OrgLevel } from './snapshot';

export function rcpLevelsAbove(
  snapshot: AccountSnapshot,
  service: 's3' | 'kms',
  account: string,
  key: KmsKeySnapshot | null,
): OrgLevel[] | undefined {
  const readFor = service === 's3' ? snapshot.bucket.accountId : (key?.accountId ?? account);
  // The contract's levels may be left out: for the account they are read for, that means none.
  if (account === readFor) return snapshot.organization?.rcpLevels ?? [];
  return key?.accountId === account ? key.rcpLevels : undefined;
}
