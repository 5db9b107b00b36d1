/**
 * A fix's replay keeps the outcome of every layer that reads no document the fix patched. That rests on each
 * layer declaring what it reads; here every replay is made both ways, reusing and evaluating every layer
 * again, and must come out the same: verdict, words, what is still lacking and what could still deny it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { replayFrom } from '../../lambda/engine/diagnose';
import { applyPolicyPatch } from '../../lambda/model/applyPolicyPatch';
import type { PolicyPatch } from '../../lambda/model/diagnosis';
import { patchesOf } from '../../lambda/model/patchesOf';
import type { DeniedRequest } from '../../lambda/model/request';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';
import { loadScenarios, type Scenario } from '../helpers/scenarios';

function load(scenario: Pick<Scenario, 'event' | 'snapshot'>) {
  const request = parseEvent(readEventDocument(readFileSync(scenario.event))).requests[0] as DeniedRequest;
  const snapshot = parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8')));
  return { request, snapshot };
}

/** The replay of `patches` on an unchanged request, as reused and as evaluated afresh. */
function bothWays(request: DeniedRequest, snapshot: AccountSnapshot, patches: PolicyPatch[]) {
  const replay = replayFrom(request, snapshot);
  const patched = patches.reduce(applyPolicyPatch, snapshot);
  const seen = (result: ReturnType<typeof replay>) => ({
    verdict: result.verdict,
    summary: result.summary(),
    fixes: result.fixes(),
    couldStillDeny: result.couldStillDeny(),
  });
  return {
    reused: seen(replay(request, patched, new Set(patches.map((p) => p.layer)))),
    afresh: seen(replay(request, patched, null)),
  };
}

describe('a replay that reuses the layers a patch did not touch', () => {
  const scenarios = [...loadScenarios(SHARED_SCENARIOS), ...loadScenarios(OWN_SCENARIOS)].filter((s) => !s.expected.exitCode);

  it.each(scenarios.map((s) => [s.name, s] as const))('decides as one that evaluates them all: %s', (_name, scenario) => {
    const { request, snapshot } = load(scenario);
    const patchSets = diagnose(request, snapshot).fixes.flatMap((fix) => {
      const patches = patchesOf(fix);
      // Each patch alone as well as all together: a part alone leaves the request denied, and says why.
      return patches.length > 1 ? [patches, ...patches.map((p) => [p])] : patches.length === 1 ? [patches] : [];
    });
    for (const patches of patchSets) {
      const { reused, afresh } = bothWays(request, snapshot, patches);
      expect(reused).toEqual(afresh);
    }
  });

  // Patches no fix would propose, on every patchable layer the scenario holds: a statement that allows
  // everyone everything (public, in a bucket policy), and one that denies it.
  const LAYERS = [
    'identity-policy',
    'permissions-boundary',
    'session-policy',
    'bucket-policy',
    'vpc-endpoint-policy',
    'kms-key-policy',
    'scp',
    'rcp',
  ];
  const probes = (effect: 'Allow' | 'Deny') =>
    [{ Sid: `Probe${effect}`, Effect: effect, Principal: '*', Action: '*', Resource: '*' }] as PolicyPatch['Statement'];

  it.each(scenarios.map((s) => [s.name, s] as const))(
    'decides as one that evaluates them all, whatever is patched: %s',
    (_name, scenario) => {
      const { request, snapshot } = load(scenario);
      const policyNameOf = (layer: string): string | undefined => {
        if (layer === 'scp') return snapshot.organization?.scpLevels?.[0]?.policies[0]?.name;
        if (layer === 'rcp') return snapshot.organization?.rcpLevels?.[0]?.policies[0]?.name;
        if (layer === 'session-policy') return snapshot.session?.policies?.[0]?.name;
        return undefined;
      };
      for (const layer of LAYERS) {
        for (const effect of ['Allow', 'Deny'] as const) {
          const policyName = policyNameOf(layer);
          const patch = { layer, ...(policyName ? { policyName } : {}), Statement: probes(effect) } as PolicyPatch;
          let patched = true;
          try {
            applyPolicyPatch(snapshot, patch);
          } catch {
            patched = false; // the scenario holds no such document
          }
          if (!patched) continue;
          const { reused, afresh } = bothWays(request, snapshot, [patch]);
          expect({ layer, effect, ...reused }).toEqual({ layer, effect, ...afresh });
        }
      }
    },
  );

  it('runs Block Public Access again when the bucket policy stops being public', () => {
    const { request, snapshot } = load({
      event: join(OWN_SCENARIOS, 'public-bucket-policy-restricted', 'event.json'),
      snapshot: join(OWN_SCENARIOS, 'public-bucket-policy-restricted', 'snapshot.json'),
    });
    // The public statement, given to the partner's role by name instead.
    const named: PolicyPatch = {
      layer: 'bucket-policy',
      replaceStatement: { sid: 'PublicDropBox', index: 0 },
      Statement: [
        {
          Sid: 'PublicDropBox',
          Effect: 'Allow',
          Principal: { AWS: request.caller.arn ?? '' },
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::northwind-invoices-prod/dropbox/*',
        },
      ],
    };
    const { reused, afresh } = bothWays(request, snapshot, [named]);
    expect(afresh.verdict).toBe('not-reproduced');
    expect(reused).toEqual(afresh);
  });
});
