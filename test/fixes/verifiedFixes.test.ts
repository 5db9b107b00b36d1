/**
 * No fix is offered on faith: each is replayed by the what-if on the same snapshot; changes needed together
 * are one fix; what the replay cannot confirm says "Unverified".
 */
import { readFileSync } from 'node:fs';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { patchesOf } from '../../lambda/engine/verifiedFixes';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { OTHER_ACCOUNT, partnerUpload, roleIdentity, s3Record } from '../factories';
import { OWN_SCENARIOS, SHARED_SCENARIOS } from '../helpers/paths';
import { loadScenarios } from '../helpers/scenarios';

describe('every fix of every worked scenario', () => {
  const scenarios = [...loadScenarios(SHARED_SCENARIOS), ...loadScenarios(OWN_SCENARIOS)].filter((s) => !s.expected.exitCode);
  it.each(scenarios.map((s) => [s.name, s] as const))('is confirmed by the what-if, or says it is not: %s', (_name, scenario) => {
    const request = parseEvent(readEventDocument(readFileSync(scenario.event))).requests[0]!;
    const account = parseSnapshot(JSON.parse(readFileSync(scenario.snapshot, 'utf8')));
    for (const fix of diagnose(request, account).fixes) {
      if (fix.summary.startsWith('Unverified: ')) continue;
      const change = { policyPatches: patchesOf(fix), ...(fix.requestChange ? { requestChange: fix.requestChange } : {}) };
      expect(whatIf(request, account, change).resolved).toBe(true);
    }
  });
});

describe('a cross-account upload that neither side allows', () => {
  const { account } = partnerUpload();
  account.principal.policies = [];
  const request = parseEvent(s3Record({ userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7') })).requests[0]!;
  const [fix, ...rest] = diagnose(request, account).fixes;

  it('is one fix carrying both grants, verified together', () => {
    expect(patchesOf(fix!).map((p) => p.layer)).toEqual(['bucket-policy', 'identity-policy']);
    expect(fix!.summary).toMatch(/^2 changes, needed together: \(1\) Add a statement .* \(2\) Add a statement /);
    expect(whatIf(request, account, { policyPatches: patchesOf(fix!) }).resolved).toBe(true);
    // Either grant alone leaves the upload denied.
    for (const patch of patchesOf(fix!)) expect(whatIf(request, account, { policyPatches: [patch] }).resolved).toBe(false);
  });

  it('does not offer the same pair again in the other order', () => {
    expect(rest).toEqual([]);
  });

  it('has a command for each account, each marked with who runs it', () => {
    expect(fix!.command?.split('\n').filter((line) => line.startsWith('# '))).toEqual([
      '# bucket-owner, in account 555566667777',
      '# account-admin, in account 888899990000',
    ]);
  });
});
