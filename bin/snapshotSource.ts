/**
 * Snapshots read from AWS for the CLI (read-only, standard credential chain): what `collect` prints, what
 * `explain` reads without --snapshot, and what `replay --collect` reads per event.
 */
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { accountClients } from '../lambda/collect/awsClients';
import { type CollectorDeps, collectSnapshot } from '../lambda/collect/collectSnapshot';
import { RateLimiter, oneBudget } from '../lambda/collect/RateLimiter';
import { TtlCache } from '../lambda/collect/TtlCache';
import type { DeniedRequest } from '../lambda/model/request';
import type { AccountSnapshot } from '../lambda/model/snapshot';
import { awsAccessError } from './awsAccessError';
import { CliInputError } from './errors';

export interface AwsAccess {
  profile?: string;
  region?: string;
  roleName?: string;
  /** The command also takes --snapshot: a failure to reach AWS may say so. */
  offline?: boolean;
}

/**
 * Snapshots read from AWS, for one request or many: the account is identified once, and the cache and
 * the LookupEvents rate limit are shared, so repeats of one role and bucket cost no further calls.
 */
export function awsSnapshots(access: AwsAccess) {
  if (access.roleName?.startsWith('arn:')) {
    throw new CliInputError(`--role-name ${access.roleName}: give the role's name; the account comes from each record`);
  }
  let deps: Promise<CollectorDeps> | null = null;
  const depsFor = async (region: string): Promise<CollectorDeps> => {
    const credentials = fromNodeProviderChain(access.profile ? { profile: access.profile } : {});
    const identity = await new STSClient({ region, credentials, maxAttempts: 2 })
      .send(new GetCallerIdentityCommand({}))
      .catch((error: unknown) => {
        throw awsAccessError(error, region, { profile: access.profile, offline: access.offline });
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
      lookupBudget: oneBudget(new RateLimiter(2, 5_000)),
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
