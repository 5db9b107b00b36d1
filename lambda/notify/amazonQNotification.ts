/**
 * The diagnosis as an Amazon Q Developer in chat applications custom notification, for teams that route
 * SNS to Slack or Teams through it. It is published beside the text message with the message attribute
 * `format` = `amazon-q-custom-notification`, so the chat subscription filters on it and other subscribers
 * keep the text. Content is client-markdown: our words, with every value from the request made inert.
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
 */
import type { PublishCommandInput } from '@aws-sdk/client-sns';
import type { Diagnosis } from '../model/diagnosis';
import { fingerprint } from '../model/fingerprint';
import type { Repeats } from '../suppress/AlertSuppressor';
import { repeatNote } from './repeatNote';
import { headline } from './slackPayload';
import { inertCode, inertMrkdwn, truncate } from './slackText';
import { snsAttributes, SNS_MESSAGE_LIMIT } from './snsMessage';

export const AMAZON_Q_FORMAT = 'amazon-q-custom-notification';
/** Short enough for any chat client to show whole; the full diagnosis stays in the text message. */
const DESCRIPTION_LIMIT = 3_500;
const NEXT_STEP_LIMIT = 1_000;

function description(diagnosis: Diagnosis, repeats: Repeats | null): string {
  const first = diagnosis.decidingLayers[0];
  const who = diagnosis.request.sessionArn ?? diagnosis.request.principalArn ?? 'unknown caller';
  const lines = [
    `*Who:* ${inertMrkdwn(who)}`,
    `*What:* ${inertMrkdwn(`${diagnosis.request.actions.join(', ')} on ${diagnosis.request.resources.join(', ')}`)}`,
    `*When:* ${inertMrkdwn(diagnosis.event.time || '(time not recorded)')}`,
    `*Verdict:* ${diagnosis.verdict} (${diagnosis.confidence})`,
    inertMrkdwn(first?.explanation ?? diagnosis.summary),
  ];
  if (first?.statement?.body) lines.push(`\`\`\`${inertCode(JSON.stringify(first.statement.body, null, 2))}\`\`\``);
  for (const unseen of diagnosis.notVisible) lines.push(`_Not visible:_ ${inertMrkdwn(`${unseen.layer}: ${unseen.reason}`)}`);
  if (repeats) lines.push(inertMrkdwn(repeatNote(repeats)));
  return truncate(lines.join('\n'), DESCRIPTION_LIMIT);
}

/** @example await publishToSns(client, amazonQPublishInput(diagnosis, topicArn)) */
export function amazonQPublishInput(
  diagnosis: Diagnosis,
  topicArn: string,
  repeats: Repeats | null = null,
): PublishCommandInput & { TopicArn: string } {
  const first = diagnosis.decidingLayers[0];
  const notification = {
    version: '1.0',
    source: 'custom',
    id: diagnosis.event.id,
    content: {
      textType: 'client-markdown',
      title: `:no_entry: ${inertMrkdwn(headline(diagnosis))}`,
      description: description(diagnosis, repeats),
      nextSteps: diagnosis.fixes
        .slice(0, 3)
        .map((fix) =>
          truncate(
            `${inertMrkdwn(`${fix.summary} (${fix.owner})`)}${fix.command ? `\n\`\`\`${inertCode(fix.command)}\`\`\`` : ''}`,
            NEXT_STEP_LIMIT,
          ),
        ),
      keywords: [diagnosis.verdict, ...(first ? [first.layer] : [])],
    },
    metadata: {
      // One thread per denial: repeats of it land under the first alert.
      threadId: fingerprint(diagnosis),
      summary: inertMrkdwn(headline(diagnosis)),
      eventType: 'WhyDeniedDiagnosis',
      relatedResources: [...diagnosis.request.resources, ...(diagnosis.request.principalArn ? [diagnosis.request.principalArn] : [])],
      additionalContext: { eventId: diagnosis.event.id, verdict: diagnosis.verdict, confidence: diagnosis.confidence },
    },
  };
  const Message = JSON.stringify(notification);
  if (Buffer.byteLength(Message) > SNS_MESSAGE_LIMIT)
    throw new Error(`the Amazon Q notification of ${diagnosis.event.id} exceeds SNS's message size`);
  return { TopicArn: topicArn, Message, MessageAttributes: snsAttributes(diagnosis, AMAZON_Q_FORMAT) };
}
