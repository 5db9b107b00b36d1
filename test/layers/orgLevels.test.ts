/**
 * SCPs and RCPs down the organization: an explicit Deny at any level (root, an OU, the account) denies;
 * otherwise every level must have a policy that allows, or the request is implicitly denied at the first
 * level that has none. The management account is never restricted by SCPs; an RCP names its principals.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { OrgLevel } from '../../lambda/model/snapshot';
import { ACCOUNT, policy, s3Record, snapshot } from '../factories';

const FULL: Statement = { Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' };
const NO_UPLOADS: Statement = { Sid: 'NoUploads', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' };
const READS_ONLY: Statement = { Sid: 'ReadsOnly', Effect: 'Allow', Action: 's3:Get*', Resource: '*' };

const level = (target: string, ...statements: Statement[]): OrgLevel => ({
  target,
  policies: statements.map((s, i) => ({ id: `p-${target}-${i}`, name: s.Sid ?? `policy ${i}`, document: policy(s) })),
});

interface Decided {
  verdict: string;
  layer: string | null;
  policy: string | null;
}

function decide(scpLevels: OrgLevel[]): Decided {
  const diagnosis = diagnose(
    parseEvent(s3Record()).requests[0]!,
    snapshot({ organization: { id: 'o-example', memberAccountIds: [ACCOUNT], scpLevels } }),
  );
  const first = diagnosis.decidingLayers[0];
  return { verdict: diagnosis.verdict, layer: first?.layer ?? null, policy: first?.policy?.name ?? null };
}

describe('SCPs down the organization', () => {
  it.each<[string, OrgLevel[], Decided]>([
    [
      'full access at every level',
      [level('r-root', FULL), level('ou-eng', FULL), level(ACCOUNT, FULL)],
      { verdict: 'not-reproduced', layer: null, policy: null },
    ],
    [
      'a Deny at the root beats full access below',
      [level('r-root', FULL, NO_UPLOADS), level('ou-eng', FULL), level(ACCOUNT, FULL)],
      { verdict: 'explicit-deny', layer: 'scp', policy: 'NoUploads' },
    ],
    [
      'a Deny on the account itself',
      [level('r-root', FULL), level('ou-eng', FULL), level(ACCOUNT, FULL, NO_UPLOADS)],
      { verdict: 'explicit-deny', layer: 'scp', policy: 'NoUploads' },
    ],
    [
      'an OU that allows only reads: no Allow there for the upload',
      [level('r-root', FULL), level('ou-eng', READS_ONLY), level(ACCOUNT, FULL)],
      // The level's policy is named even though nothing in it came close: it is where a grant would go.
      { verdict: 'implicit-deny', layer: 'scp', policy: 'ReadsOnly' },
    ],
    [
      'an Allow at one level is not enough when another level has none',
      [level('r-root', FULL), level('ou-eng'), level(ACCOUNT, FULL)],
      { verdict: 'implicit-deny', layer: 'scp', policy: null },
    ],
  ])('%s', (_name, levels, expected) => {
    expect(decide(levels)).toEqual(expected);
  });

  it('names the level that lacks an Allow', () => {
    const diagnosis = diagnose(
      parseEvent(s3Record()).requests[0]!,
      snapshot({
        organization: {
          id: 'o-example',
          memberAccountIds: [ACCOUNT],
          scpLevels: [level('r-root', FULL), level('ou-eng', READS_ONLY), level(ACCOUNT, FULL)],
        },
      }),
    );
    expect(diagnosis.layers.find((l) => l.layer === 'scp')?.detail).toContain('ou-eng');
  });
});
