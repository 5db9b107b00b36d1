/** What a person sees before pressing "Apply fix": the exact call, what it adds (inert), what was proved, and the button. */
import { diagnose, parseEvent } from '../../lambda';
import { APPLY_ACTION_ID, approvalBlocks } from '../../lambda/notify/approvalBlocks';
import { SLACK_LIMITS } from '../../lambda/notify/slackBlocks';
import { slackPayload } from '../../lambda/notify/slackPayload';
import { planFix } from '../../lambda/remediate/planFix';
import { BUCKET, partnerUpload } from '../factories';

const partner = partnerUpload();
const request = parseEvent(partner.record).requests[0]!;
const plan = planFix(request, partner.account, { createdAt: '2026-12-02T10:00:00Z' });

describe('the alert with a fix ready to apply', () => {
  it('names the call and the target, shows the added statement, and carries an Apply button with a confirmation', () => {
    const payload = slackPayload(diagnose(request, partner.account), null, { plan, approversNeeded: 1 });
    const text = JSON.stringify(payload.blocks);
    expect(text).toContain(`PutBucketPolicy on arn:aws:s3:::${BUCKET}`);
    expect(text).toContain('s3:PutObject');
    const actions = payload.blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.type === 'actions' ? b.elements : []));
    expect(actions).toContainEqual(
      expect.objectContaining({
        action_id: APPLY_ACTION_ID,
        value: plan.id,
        style: 'primary',
        confirm: expect.objectContaining({ confirm: expect.objectContaining({ text: 'Apply' }) }),
      }),
    );
    expect(payload.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  });

  it('says when two approvers are needed', () => {
    const text = JSON.stringify(approvalBlocks(plan, 2));
    expect(text).toContain('Approve fix (1 of 2)');
    expect(text).toContain('Two different approvers are needed.');
  });

  it('keeps text from the account inert: a hostile resource in the added statement cannot mention or link', () => {
    const step = plan.steps[0]!;
    const document = JSON.parse(step.parameters.Policy as string);
    document.Statement.at(-1).Resource = `arn:aws:s3:::${BUCKET}/<!channel> https://evil.example/\`\`\``;
    const hostile = { ...plan, steps: [{ ...step, parameters: { ...step.parameters, Policy: JSON.stringify(document) } }] };
    const text = JSON.stringify(approvalBlocks(hostile, 1));
    expect(text).not.toContain('<!channel>');
    expect(text.replace(/```[\s\S]*?```/g, '')).not.toContain('https://evil');
    expect(text).not.toMatch(/evil\.example\/```/);
  });
});
