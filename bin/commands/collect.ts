/**
 * `why-denied collect`: reads the account (read-only, standard credential chain) and prints the snapshot
 * the engine needs for this event. Also what `explain` does when it is given no --snapshot.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { accountClients } from '../../lambda/collect/awsClients';
import { type CollectorDeps, collectSnapshot } from '../../lambda/collect/collectSnapshot';
import { RateLimiter } from '../../lambda/collect/RateLimiter';
import { TtlCache } from '../../lambda/collect/TtlCache';
import type { DeniedRequest } from '../../lambda/request';
import type { AccountSnapshot } from '../../lambda/snapshot';
import { awsAccessError } from '../awsAccessError';
import { CliInputError } from '../errors';
import { readEvent } from '../readInput';
import type { Output } from './explain';

export interface CollectOptions {
  event: string;
  profile?: string;
  region?: string;
  roleName?: string;
}

export interface AwsAccess {
  profile?: string;
  region?: string;
  roleName?: string;
}

/**
 * Snapshots read from AWS, for one request or many: the account is identified once, and the cache and
 * the LookupEvents rate limit are shared, so repeats of one role and bucket cost no further calls.
 */
export function awsSnapshots(access: AwsAccess) {
  let deps: Promise<CollectorDeps> | null = null;
  const depsFor = async (region: string): Promise<CollectorDeps> => {
    const credentials = fromNodeProviderChain(access.profile ? { profile: access.profile } : {});
    const identity = await new STSClient({ region, credentials, maxAttempts: 2 })
      .send(new GetCallerIdentityCommand({}))
      .catch((error: unknown) => {
        throw awsAccessError(error, region);
      });
    if (!identity.Account) throw new Error('sts:GetCallerIdentity returned no account');
    const clientsFor = accountClients({
      homeAccountId: identity.Account,
      region,
      ...(access.profile ? { profile: access.profile } : {}),
      ...(access.roleName ? { crossAccountRoleName: access.roleName } : {}),
    });
    return {
      homeAccountId: identity.Account,
      region,
      clientsFor,
      cache: new TtlCache(15 * 60_000),
      lookupLimiter: new RateLimiter(2, 5_000),
      now: () => new Date(),
    };
  };
  return {
    async snapshotFor(request: DeniedRequest): Promise<AccountSnapshot> {
      deps ??= depsFor(access.region ?? request.region);
      return (await collectSnapshot(request, await deps)).snapshot;
    },
  };
}

export function snapshotFromAws(request: DeniedRequest, access: AwsAccess): Promise<AccountSnapshot> {
  return awsSnapshots(access).snapshotFor(request);
}

export async function collect(options: CollectOptions, { out }: Output): Promise<void> {
  const parsed = readEvent(options.event);
  const request = parsed.requests[0];
  if (!request) throw new CliInputError(`${options.event}: no failed upload or KMS call in scope to collect for`);
  if (parsed.requests.length > 1)
    throw new CliInputError(`${options.event}: ${parsed.requests.length} records; collect takes one (use replay for log files)`);
  out.write(`${JSON.stringify(await snapshotFromAws(request, options), null, 2)}\n`);
}
