import { readFileSync } from 'node:fs';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { applyPolicyPatch } from '../../lambda/model/applyPolicyPatch';
import { broaderThanRequest } from '../../lambda/whatIf/broaderThanRequest';
import { PatchError } from '../../lambda/model/patchError';
import { parseChange } from '../../lambda/whatIf/parseChange';
import { type Change, whatIf } from '../../lambda/whatIf/whatIf';
import { ACCOUNT, OBJECT_ARN, ROLE_ARN, SESSION_ARN, snapshot } from '../factories';
import { OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';
import { loadScenarios, type Scenario } from '../helpers/scenarios';
import { RESOURCE_NOT_LOGGED } from '../../lambda/engine/endpointRefusal';

function load(scenario: Scenario) {
  const request = parseEvent(readEventDocument(readFileSync(scenario.event))).requests[0]!;
  return { request, account: parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8'))) };
}

/** Every fix the engine proposes that can be replayed: policy patches and header changes, together. */
function proposedChange(scenario: Scenario): Change | null {
  const { request, account } = load(scenario);
  const fixes = diagnose(request, account).fixes;
  const policyPatches = fixes.flatMap((f) => (f.policyPatch ? [f.policyPatch] : []));
  const requestChange = fixes.find((f) => f.requestChange)?.requestChange;
  if (policyPatches.length === 0 && !requestChange) return null;
  return { policyPatches, ...(requestChange ? { requestChange } : {}) };
}

const denied = [...loadScenarios(SHARED_SCENARIOS), ...loadScenarios(OWN_SCENARIOS)].filter(
  (s) => !s.expected.exitCode && s.expected.verdict !== 'not-reproduced' && s.expected.layer !== 'credentials',
);
const replayable = denied.filter((s) => proposedChange(s) !== null);

describe('what-if over every scenario that ends in a deny', () => {
  it.each(replayable.map((s) => [s.name, s] as const))(
    'the proposed fixes let the request through and grant nothing broader: %s',
    (_name, scenario) => {
      const { request, account } = load(scenario);
      const result = whatIf(request, account, proposedChange(scenario)!);
      expect(result.before.verdict).toBe(scenario.expected.verdict);
      expect({ verdict: result.after.verdict, deciding: result.after.decidingLayers.map((d) => `${d.layer} ${d.action}`) }).toEqual({
        verdict: 'not-reproduced',
        deciding: [],
      });
      expect(result.broader).toEqual([]);
      // The patch is the change: the AFTER words say so, never that the account "probably changed" (#25).
      expect(result.after.summary).toMatch(/^With the change applied, nothing visible denies /);
      expect(result.after.summary).not.toContain('probably changed');
    },
  );

  it.each(denied.filter((s) => !replayable.includes(s)).map((s) => [s.name, s] as const))(
    'a deny no patch can lift says who must act instead: %s',
    (_name, scenario) => {
      const { request, account } = load(scenario);
      const fixes = diagnose(request, account).fixes;
      expect(fixes.length).toBeGreaterThan(0);
      for (const fix of fixes) expect(fix.summary.length).toBeGreaterThan(20);
    },
  );

  // Whichever scenarios are present (CI has ../shared, a user's clone only its own): a grant that is
  // missing from a policy its owner can edit always comes with a patch. An AWS managed key's policy cannot
  // be edited; explicit denies and settings are lifted by a request change or by a person.
  it('offers a patch for every missing grant in a policy its owner can edit', () => {
    const editable = new Set([
      'identity-policy',
      'bucket-policy',
      'kms-key-policy',
      'vpc-endpoint-policy',
      'permissions-boundary',
      'session-policy',
    ]);
    const missingGrants = denied.filter((scenario) => {
      const { request, account } = load(scenario);
      const diagnosis = diagnose(request, account);
      const first = diagnosis.decidingLayers[0];
      // An action the engine does not evaluate (a tagged upload's s3:PutObjectTagging) rests on AWS's word: no
      // what-if can prove its grant, so none is offered as a patch.
      if (first && !diagnosis.request.actions.includes(first.action)) return false;
      const awsManagedKey = first?.layer === 'kms-key-policy' && account.kmsKeys?.some((k) => k.keyManager === 'AWS');
      // A refusal AWS logged without its resource has no exact patch: its fix says what to add, and where.
      const unlogged = first?.resource === RESOURCE_NOT_LOGGED;
      return first?.decision === 'implicit-deny' && editable.has(first.layer) && !awsManagedKey && !unlogged;
    });
    expect(missingGrants.length).toBeGreaterThan(0);
    expect(missingGrants.filter((s) => !replayable.includes(s)).map((s) => s.name)).toEqual([]);
  });
});

describe('broaderThanRequest', () => {
  const query = {
    principal: { arn: SESSION_ARN, roleArn: ROLE_ARN, accountId: ACCOUNT },
    action: 's3:PutObject',
    resource: OBJECT_ARN,
    context: {},
  };

  it('finds nothing broader in an exact grant', () => {
    expect(
      broaderThanRequest(
        { layer: 'identity-policy', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: OBJECT_ARN }] },
        query,
      ),
    ).toEqual([]);
  });

  it('names every neighbour a wide grant would also allow', () => {
    const wide = {
      layer: 'bucket-policy' as const,
      Statement: [{ Effect: 'Allow' as const, Principal: '*' as const, Action: 's3:*', Resource: '*' }],
    };
    expect(broaderThanRequest(wide, query)).toEqual([
      's3:DeleteObject on the same resource',
      'another principal in the same account',
      'an object in another folder of the same bucket',
      'an object in another bucket',
    ]);
  });
});

describe('applyPolicyPatch', () => {
  it('appends to a copy and leaves the original snapshot alone', () => {
    const original = snapshot();
    const patched = applyPolicyPatch(original, {
      layer: 'bucket-policy',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: OBJECT_ARN }],
    });
    expect(original.bucket.policy).toBeNull();
    expect(patched.bucket.policy?.Statement).toHaveLength(1);
  });

  it('refuses to invent a permissions boundary', () => {
    expect(() => applyPolicyPatch(snapshot(), { layer: 'permissions-boundary', Statement: [] })).toThrow(PatchError);
  });
});

describe('whatIf on a wide patch', () => {
  it('reports every neighbour a wildcard grant reaches, whatever action the request needed', () => {
    const scenario = loadScenarios(OWN_SCENARIOS).find((s) => s.name === 'session-policy-read-only')!;
    const { request, account } = load(scenario);
    const wide = {
      layer: 'session-policy' as const,
      policyName: 'inline session policy',
      Statement: [{ Effect: 'Allow' as const, Action: 's3:*', Resource: '*' }],
    };
    const result = whatIf(request, account, { policyPatches: [wide] });
    expect(result.resolved).toBe(true);
    expect(result.broader).toEqual([
      's3:DeleteObject on the same resource',
      'an object in another folder of the same bucket',
      'an object in another bucket',
    ]);
  });
});

describe('parseChange', () => {
  it.each([
    ['a patch for a layer that takes none', { layer: 'nope', Statement: [{ Effect: 'Allow' }] }],
    ['a patch with no statements', { layer: 'bucket-policy', Statement: [] }],
    ['an object naming nothing to change', { something: 'else' }],
    ['a header change to a non-header', { requestChange: { setHeaders: { Host: 'x' } } }],
    ['a statement whose Resource nests lists', { layer: 'bucket-policy', Statement: [{ Effect: 'Allow', Resource: [[['*']]] }] }],
  ])('refuses %s', (_name, value) => {
    expect(() => parseChange(value)).toThrow(PatchError);
  });

  it('names the field that is wrong in the form that was meant (#25)', () => {
    expect(() => parseChange({ layer: 'bucket-polcy', Statement: [{ Effect: 'Allow' }] })).toThrow(/not a patch \(layer: /);
    expect(() => parseChange([{ layer: 'bucket-policy', Statement: [{ Effect: 'Alow' }] }])).toThrow(
      /not a patch \(0\.Statement\.0\.Effect: /,
    );
  });

  it('accepts one patch, a list, or patches with a request change', () => {
    const patch = { layer: 'bucket-policy', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] };
    expect(parseChange(patch).policyPatches).toHaveLength(1);
    expect(parseChange([patch, patch]).policyPatches).toHaveLength(2);
    expect(parseChange({ requestChange: { setHeaders: { 'x-amz-acl': 'private' } } })).toEqual({
      requestChange: { setHeaders: { 'x-amz-acl': 'private' } },
    });
  });
});
