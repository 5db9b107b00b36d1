/**
 * The diagnosis as a Slack Block Kit message: the verdict in plain words, who/what/when/where, the deciding
 * statement with its failed condition, the fix and its owner, what could not be seen, and a link to the event.
 * Every value from the request goes into `plain_text` or an inert code block, never into live mrkdwn.
 * Limits: https://api.slack.com/reference/block-kit/blocks
 */
import { partitionOfRegion } from '../policy/arns';
import { bucketOfDiagnosis } from '../model/bucketOfDiagnosis';
import type { DecidingLayer, Diagnosis, Fix } from '../model/diagnosis';
import type { RemediationPlan } from '../model/remediationPlan';
import { describePolicy } from '../layers/describe';
import { layerInWords } from '../model/layerWords';
import type { Repeats } from '../suppress/AlertSuppressor';
import { repeatNote } from './repeatNote';
import { approvalBlocks } from './approvalBlocks';
import { codeBlock, mrkdwn, plain, showsExactly, SLACK_LIMITS, type SlackBlock, type SlackPayload } from './slackBlocks';
import { inertMrkdwn, truncate } from './slackText';
import { fixesIntro, fixHeading, patchLabel } from './fixWords';
import { patchesOf } from '../model/patchesOf';

/** "Upload denied by the bucket policy of acme-reports": our words, the bucket name made inert. */
export function headline(diagnosis: Diagnosis): string {
  const first = diagnosis.decidingLayers[0];
  if (first) return `Upload denied by ${layerInWords(first.layer, bucketOfDiagnosis(diagnosis))}`;
  if (diagnosis.verdict === 'not-reproduced') return 'Upload denial not reproduced: every visible layer allows it now';
  return 'Upload denial out of scope';
}

function decidingBlocks(deciding: DecidingLayer): SlackBlock[] {
  const blocks: SlackBlock[] = [{ type: 'section', text: plain(deciding.explanation, SLACK_LIMITS.sectionText) }];
  if (deciding.statement?.body) {
    const where = deciding.policy ? ` in ${inertMrkdwn(describePolicy(deciding.policy))}` : '';
    blocks.push(codeBlock(`*Deciding statement*${where}`, JSON.stringify(deciding.statement.body, null, 2)));
  }
  const decisive = deciding.conditions.filter((c) => (deciding.decision === 'explicit-deny' ? c.satisfied : !c.satisfied));
  if (decisive.length > 0) {
    const lines = decisive.map(
      (c) =>
        `${c.satisfied ? 'matched' : 'failed'}: ${c.operator} ${c.key}: expected ${c.expected.join(', ')}, actual ${c.actual === null ? '(absent)' : c.actual.join(', ')}`,
    );
    blocks.push({ type: 'section', text: plain(lines.join('\n'), SLACK_LIMITS.sectionText) });
  }
  return blocks;
}

/** The fix as it is pasted: its command whole, and every statement it writes, so nobody goes looking for it. */
function fixBlocks(fix: Fix, index: number): SlackBlock[] {
  const blocks: SlackBlock[] = [
    { type: 'section', fields: [mrkdwn(`*${fixHeading(fix, index)}*`), plain(fix.summary, SLACK_LIMITS.field)] },
  ];
  if (fix.command) {
    // A command cut to fit, or with a look-alike in it, would paste as another command: say so instead.
    const label = showsExactly('*Command*', fix.command)
      ? '*Command*'
      : '*Command* (not shown exactly here: copy it from why-denied explain --format text)';
    blocks.push(codeBlock(label, fix.command));
  }
  for (const patch of patchesOf(fix)) blocks.push(codeBlock(`*${patchLabel(patch)}*`, JSON.stringify(patch.Statement, null, 2)));
  return blocks;
}

/**
 * Each partition has its own console: GovCloud's and China's are not reached through console.aws.amazon.com.
 * https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-endpoints.html
 */
function consoleHost(region: string): string {
  const partition = partitionOfRegion(region);
  if (partition === 'aws-us-gov') return 'console.amazonaws-us-gov.com';
  if (partition === 'aws-cn') return 'console.amazonaws.cn';
  return `${region}.console.aws.amazon.com`;
}

function validRegion(diagnosis: Diagnosis): string | null {
  const region = diagnosis.request.context['aws:RequestedRegion'];
  return typeof region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(region) ? region : null;
}

/**
 * A CloudTrail console link, built only from validated parts so a crafted value cannot steer it, and only
 * where the page exists: Event history holds management events (the KMS calls) and never data events, and
 * every S3 upload record is a data event.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
 */
function consoleLink(diagnosis: Diagnosis): string | null {
  const region = validRegion(diagnosis);
  const id = diagnosis.event.id;
  if (diagnosis.event.source !== 'kms.amazonaws.com' || !region || !/^[A-Za-z0-9-]{8,64}$/.test(id)) return null;
  return `https://${consoleHost(region)}/cloudtrailv2/home?region=${region}#/events/${id}`;
}

/** Where a data event is: the trail's log files for that hour, in the caller's or the bucket owner's trail. */
function whereTheRecordIs(diagnosis: Diagnosis): string | null {
  const region = validRegion(diagnosis);
  const time = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(diagnosis.event.time);
  if (!region || !time) return null;
  const accounts = [diagnosis.request.context['aws:PrincipalAccount'], diagnosis.request.context['s3:ResourceAccount']].filter(
    (a, i, all): a is string => typeof a === 'string' && /^\d{12}$/.test(a) && all.indexOf(a) === i,
  );
  if (accounts.length === 0) return null;
  const [, year, month, day, hour, minute] = time;
  const prefixes = accounts.map((account) => `AWSLogs/${account}/CloudTrail/${region}/${year}/${month}/${day}/`).join(' or ');
  return `Event ${diagnosis.event.id} is a data event, which CloudTrail Event history never shows: it is in the trail's log files under ${prefixes} (delivered within minutes of ${hour}:${minute} UTC).`;
}

/**
 * @example await postToSlack(webhookUrl, slackPayload(diagnosis))
 */
export function slackPayload(
  diagnosis: Diagnosis,
  repeats: Repeats | null = null,
  approval: { plan: RemediationPlan; approversNeeded: 1 | 2 } | null = null,
): SlackPayload {
  const first = diagnosis.decidingLayers[0];
  const context = diagnosis.request.context;
  const from = context['aws:SourceVpce'] ? `VPC endpoint ${context['aws:SourceVpce']}` : (context['aws:SourceIp'] ?? 'unknown');
  const title = headline(diagnosis);
  const blocks: SlackBlock[] = [
    { type: 'header', text: plain(title, SLACK_LIMITS.headerText) },
    {
      type: 'section',
      fields: [
        mrkdwn('*Who*'),
        plain(
          `${diagnosis.request.sessionArn ?? diagnosis.request.principalArn} (account ${context['aws:PrincipalAccount'] ?? 'unknown'})`,
          SLACK_LIMITS.field,
        ),
        mrkdwn('*What*'),
        plain(`${diagnosis.request.actions.join(', ')} on ${diagnosis.request.resources.join(', ')}`, SLACK_LIMITS.field),
        mrkdwn('*When*'),
        plain(diagnosis.event.time || '(time not recorded)', SLACK_LIMITS.field),
        mrkdwn('*From*'),
        plain(String(from), SLACK_LIMITS.field),
        mrkdwn('*Verdict*'),
        plain(`${diagnosis.verdict} (${diagnosis.confidence})`, SLACK_LIMITS.field),
      ],
    },
  ];
  if (first) blocks.push(...decidingBlocks(first));
  else blocks.push({ type: 'section', text: plain(diagnosis.summary, SLACK_LIMITS.sectionText) });
  const intro = fixesIntro(diagnosis.fixes.length);
  if (intro) blocks.push({ type: 'context', elements: [plain(intro, SLACK_LIMITS.field)] });
  diagnosis.fixes.slice(0, 3).forEach((fix, index) => blocks.push({ type: 'divider' }, ...fixBlocks(fix, index)));
  if (diagnosis.notVisible.length > 0) {
    const elements = diagnosis.notVisible
      .slice(0, SLACK_LIMITS.contextElements)
      .map((n) => plain(`Not visible: ${n.layer}: ${n.reason}`, SLACK_LIMITS.field));
    blocks.push({ type: 'context', elements });
  }
  if (repeats) blocks.push({ type: 'context', elements: [plain(repeatNote(repeats), SLACK_LIMITS.field)] });
  if (approval) blocks.push(...approvalBlocks(approval.plan, approval.approversNeeded));
  const link = consoleLink(diagnosis);
  const where = link ? null : whereTheRecordIs(diagnosis);
  if (link) blocks.push({ type: 'actions', elements: [{ type: 'button', text: plain('Open the event in CloudTrail', 75), url: link }] });
  else if (where) blocks.push({ type: 'context', elements: [plain(where, SLACK_LIMITS.field)] });
  const fallback = `${title}: ${first?.action ?? diagnosis.request.actions[0] ?? ''} (${diagnosis.verdict}, ${diagnosis.confidence})`;
  return { text: truncate(inertMrkdwn(fallback), SLACK_LIMITS.fallbackText), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}
