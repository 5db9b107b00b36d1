/** What a plan changes, statement by statement, as the approver, the guards and the second-approver rule see it. */
import { diagnose, parseEvent } from '../../lambda';
import { approvalBlocks } from '../../lambda/notify/approvalBlocks';
import { changedStatementsOf, diffText, documentDiff } from '../../lambda/remediate/documentDiff';
import { planFix } from '../../lambda/remediate/planFix';
import type { Statement } from '../../lambda/policy/types';
import { BUCKET, policy, s3Record, snapshot } from '../factories';

const keep: Statement = { Sid: 'Keep', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' };
const deny: Statement = { Sid: 'OnlyExporter', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' };

describe('the diff of two policy documents', () => {
  it.each<[string, Statement[], Statement[], { added: number; removed: number; edited: number }]>([
    ['an appended grant', [keep], [keep, { ...keep, Sid: 'New' }], { added: 1, removed: 0, edited: 0 }],
    [
      'an edit by Sid',
      [keep, deny],
      [keep, { ...deny, Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'x' } } }],
      { added: 0, removed: 0, edited: 1 },
    ],
    [
      'an edit of a statement without a Sid, by position',
      [{ ...deny, Sid: undefined }],
      [{ ...deny, Sid: undefined, Resource: 'y' }],
      { added: 0, removed: 0, edited: 1 },
    ],
    ['a removal', [keep, deny], [keep], { added: 0, removed: 1, edited: 0 }],
    ['no change', [keep, deny], [keep, deny], { added: 0, removed: 0, edited: 0 }],
  ])('%s', (_name, before, after, counts) => {
    const diff = documentDiff(policy(...before), policy(...after));
    expect({ added: diff.added.length, removed: diff.removed.length, edited: diff.edited.length }).toEqual(counts);
  });

  it('reads as + and - lines', () => {
    expect(diffText(documentDiff(policy(keep), policy({ ...keep, Resource: 'z' })))).toMatch(
      /^- \{\n- {3}"Sid": "Keep",[\s\S]*\n\+ {3}"Resource": "z"\n\+ \}$/,
    );
  });
});

describe('a plan that edits a Deny in place', () => {
  const request = parseEvent(s3Record()).requests[0]!;
  const allowlist: Statement = {
    ...deny,
    Resource: `arn:aws:s3:::${BUCKET}/*`,
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::555566667777:role/Exporter' } },
  };
  const account = snapshot({}, { policy: policy(allowlist) });
  const plan = planFix(request, account, { createdAt: '2026-12-04T00:00:00Z' });

  it('counts the edit as a change for the guards (an append-only reading saw none)', () => {
    expect(plan.applicable).toBe(true);
    expect(changedStatementsOf(plan.steps[0]!)).toHaveLength(1);
  });

  it('shows the approver the statement before and after', () => {
    const text = JSON.stringify(approvalBlocks(plan, 1));
    expect(text).toContain('- ');
    expect(text).toContain('arn:aws:iam::555566667777:role/MediaIngest');
    expect(diagnose(request, account).verdict).toBe('explicit-deny');
  });
});
