/**
 * AWS API calls per diagnosis, cold (empty cache) and warm (the same role and bucket again), counted against
 * accounts that answer from the worked scenarios through aws-sdk-client-mock.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectSnapshot } from '../lambda/collect/collectSnapshot';
import { RateLimiter, oneBudget } from '../lambda/collect/RateLimiter';
import type { OrganizationReading, SharedOrganizationStore } from '../lambda/collect/SharedOrganization';
import { TtlCache } from '../lambda/collect/TtlCache';
import { parseEvent, parseSnapshot, readEventDocument } from '../lambda';
import { answerFrom, fakeClients, resetAws } from '../test/collect/fakeAccount';

const SCENARIOS = resolve(__dirname, '../../test/fixtures/scenarios');
const NAMES = [
  'session-policy-read-only',
  'bucket-policy-requires-specific-kms-key',
  'identity-allow-requires-acl-header',
  'bucket-policy-denies-plain-http',
];

export async function measureCollectCalls() {
  const perScenario: Record<string, { cold: number; warm: number; coldOrganizationShared: number }> = {};
  for (const name of NAMES) {
    const request = parseEvent(readEventDocument(readFileSync(join(SCENARIOS, name, 'event.json')))).requests[0]!;
    const account = parseSnapshot(JSON.parse(readFileSync(join(SCENARIOS, name, 'snapshot.json'), 'utf8')));
    resetAws();
    answerFrom(account, request);
    const clients = fakeClients();
    const deps = {
      homeAccountId: request.caller.accountId,
      region: 'us-east-1',
      clientsFor: () => clients,
      cache: new TtlCache(60_000),
      lookupBudget: oneBudget(new RateLimiter(2, 2_000)),
      now: () => new Date(),
    };
    const shared = new Map<string, OrganizationReading>();
    const sharedOrganization: SharedOrganizationStore = {
      get: async (key) => shared.get(key) ?? null,
      put: async (key, value) => void shared.set(key, value),
    };
    const cold = await collectSnapshot(request, { ...deps, sharedOrganization });
    const warm = await collectSnapshot(request, { ...deps, sharedOrganization });
    // A new container in a service whose organization another container has already shared.
    const coldShared = await collectSnapshot(request, { ...deps, sharedOrganization, cache: new TtlCache(60_000) });
    // The shared copy itself costs one DynamoDB GetItem.
    perScenario[name] = { cold: cold.calls, warm: warm.calls, coldOrganizationShared: coldShared.calls + 1 };
  }
  const max = (field: 'cold' | 'warm' | 'coldOrganizationShared') => Math.max(...Object.values(perScenario).map((c) => c[field]));
  return { perScenario, maxCold: max('cold'), maxWarm: max('warm'), maxColdOrganizationShared: max('coldOrganizationShared') };
}
