/**
 * Which organization policy types apply is the root's to say (#26). ListPoliciesForTarget answers a type
 * that is not enabled with an empty list, not an error: read as it came, every level would "allow nothing"
 * and the diagnosis would blame an RCP in an organization that has none.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html
 */
import { join } from 'node:path';
import { ListPoliciesForTargetCommand, ListRootsCommand, type PolicyTypeSummary } from '@aws-sdk/client-organizations';
import { diagnose } from '../../lambda';
import { collectSnapshot } from '../../lambda/collect/collectSnapshot';
import { OWN_SCENARIOS } from '../helpers/paths';
import { answerFrom, aws, awsError, fakeCollectorDeps, ownScenario, MANAGEMENT, resetAws } from './fakeAccount';

const { request, account } = ownScenario(join(OWN_SCENARIOS, 'session-policy-read-only'));
const ROOT = { Id: 'r-nw01', Arn: `arn:aws:organizations::${MANAGEMENT}:root/o-nw7q2k9d1m/r-nw01` };

const collect = () => collectSnapshot(request, fakeCollectorDeps(request.caller.accountId));

/** The organization as AWS answers once RCPs are switched off: detached everywhere, listed as nothing. */
function rcpsSwitchedOff(policyTypes: PolicyTypeSummary[]): void {
  aws.organizations.on(ListRootsCommand).resolves({ Roots: [{ ...ROOT, PolicyTypes: policyTypes }] });
  aws.organizations.on(ListPoliciesForTargetCommand, { Filter: 'RESOURCE_CONTROL_POLICY' }).resolves({ Policies: [] });
}

const rcpListings = () => aws.organizations.commandCalls(ListPoliciesForTargetCommand, { Filter: 'RESOURCE_CONTROL_POLICY' }).length;

beforeEach(() => {
  resetAws();
  answerFrom(account, request);
});

describe('the policy types enabled in the root', () => {
  it('name the organization and the levels to read when both are on', async () => {
    const { snapshot } = await collect();
    expect(snapshot.organization?.id).toBe('o-nw7q2k9d1m');
    // The root's ARN names the management account, which SCPs and RCPs do not restrict.
    expect(snapshot.organization?.managementAccountId).toBe(MANAGEMENT);
    expect(snapshot.organization?.rcpLevels).toHaveLength(3);
    expect(snapshot.unseen).toEqual([]);
  });

  it('leave RCPs out, unread, where they are not enabled: no RCP is blamed', async () => {
    rcpsSwitchedOff([{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    const { snapshot } = await collect();
    expect(snapshot.organization?.rcpLevels).toEqual([]);
    expect(snapshot.organization?.scpLevels).toHaveLength(3);
    expect(rcpListings()).toBe(0);
    const diagnosis = diagnose(request, snapshot);
    expect(diagnosis.decidingLayers.map((d) => d.layer)).not.toContain('rcp');
    expect(diagnosis.decidingLayers.map((d) => [d.layer, d.statement?.sid])).toEqual(
      diagnose(request, account).decidingLayers.map((d) => [d.layer, d.statement?.sid]),
    );
  });

  it('say a type being switched on or off is not known either way', async () => {
    rcpsSwitchedOff([
      { Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' },
      { Type: 'RESOURCE_CONTROL_POLICY', Status: 'PENDING_ENABLE' },
    ]);
    const { snapshot } = await collect();
    expect(snapshot.unseen).toEqual([{ layer: 'rcp', reason: expect.stringMatching(/being enabled or disabled/) }]);
  });

  it('when the root cannot be read, an empty level still means the type is off', async () => {
    // Not a member account (the walk is allowed): a role without organizations:ListRoots.
    aws.organizations.on(ListRootsCommand).rejects(awsError('AccessDeniedException'));
    aws.organizations.on(ListPoliciesForTargetCommand, { Filter: 'RESOURCE_CONTROL_POLICY' }).resolves({ Policies: [] });
    const { snapshot } = await collect();
    expect(snapshot.organization?.id).toBe('o-nw7q2k9d1m');
    expect(snapshot.organization?.managementAccountId).toBe(MANAGEMENT);
    expect(snapshot.organization?.rcpLevels).toEqual([]);
    expect(snapshot.organization?.scpLevels).toHaveLength(3);
    expect(snapshot.unseen).toEqual([]);
  });

  it('leave SCPs out where the organization has not enabled them: they restrict nothing, and are not "unseen"', async () => {
    aws.organizations
      .on(ListRootsCommand)
      .resolves({ Roots: [{ ...ROOT, PolicyTypes: [{ Type: 'RESOURCE_CONTROL_POLICY', Status: 'ENABLED' }] }] });
    aws.organizations.on(ListPoliciesForTargetCommand, { Filter: 'SERVICE_CONTROL_POLICY' }).resolves({ Policies: [] });
    const { snapshot } = await collect();
    expect(snapshot.organization?.scpLevels).toEqual([]);
    const diagnosis = diagnose(request, snapshot);
    expect(diagnosis.layers.find((l) => l.layer === 'scp')?.result).toBe('not-applicable');
    expect(diagnosis.notVisible.map((n) => n.layer)).not.toContain('scp');
  });
});
