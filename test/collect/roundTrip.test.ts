/**
 * Snapshot → AWS answering from it → collectors → snapshot → diagnosis: the collectors rebuild what the
 * engine needs, and the diagnosis does not change.
 */
import { join } from 'node:path';
import 'aws-sdk-client-mock-jest';
import { diagnose } from '../../lambda';
import { collectSnapshot } from '../../lambda/collect/collectSnapshot';
import { RateLimiter, oneBudget } from '../../lambda/collect/RateLimiter';
import { hasSharedScenarios, OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';
import { answerFrom, fakeCollectorDeps, ownScenario, resetAws } from './fakeAccount';

const load = ownScenario;

const shared = [
  '03-bucket-policy-requires-sse-kms',
  '05-kms-key-policy-does-not-allow',
  '07-scp-denies-region',
  '08-permissions-boundary-omits-putobject',
  '11-vpc-endpoint-policy-other-bucket',
  '13-bucket-policy-requires-mfa',
];
const own = ['session-policy-read-only', 'bucket-policy-requires-specific-kms-key', 'identity-allow-requires-acl-header'];
const dirs = [...(hasSharedScenarios ? shared.map((s) => join(SHARED_SCENARIOS, s)) : []), ...own.map((s) => join(OWN_SCENARIOS, s))];

beforeEach(() => resetAws());

describe('collectors round trip', () => {
  it.each(dirs.map((d) => [d.split('/').pop(), d]))('rebuild the snapshot and the same diagnosis: %s', async (_name, dir) => {
    const { request, account } = load(dir as string);
    answerFrom(account, request);
    const { snapshot, calls } = await collectSnapshot(
      request,
      fakeCollectorDeps(request.caller.accountId, { lookupBudget: oneBudget(new RateLimiter(2, 2_000)) }),
    );
    expect(snapshot.unseen).toEqual([]);
    expect(snapshot.principal.policies?.map((p) => p.document)).toEqual(account.principal.policies?.map((p) => p.document));
    expect(snapshot.bucket.policy).toEqual(account.bucket.policy);
    // Only the key the request used is read, so each collected key is compared with its source.
    for (const key of snapshot.kmsKeys ?? []) expect(key.policy).toEqual(account.kmsKeys?.find((k) => k.arn === key.arn)?.policy);
    expect((snapshot.kmsKeys ?? []).length).toBe(
      request.service === 'kms' || diagnose(request, account).request.actions.some((a) => a.startsWith('kms:')) ? 1 : 0,
    );
    const before = diagnose(request, account);
    const after = diagnose(request, snapshot);
    expect({ verdict: after.verdict, deciding: after.decidingLayers.map((d) => [d.layer, d.action, d.statement?.sid]) }).toEqual({
      verdict: before.verdict,
      deciding: before.decidingLayers.map((d) => [d.layer, d.action, d.statement?.sid]),
    });
    expect(calls).toBeGreaterThan(0);
  });
});
