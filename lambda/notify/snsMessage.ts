/**
 * The diagnosis as an SNS PublishCommand input: a subject within SNS's rules, the text format as the body,
 * and message attributes subscribers can filter on.
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
import type { MessageAttributeValue, PublishCommandInput } from '@aws-sdk/client-sns';
import { bucketOfDiagnosis } from '../model/bucketOfDiagnosis';
import type { Diagnosis } from '../model/diagnosis';
import type { Repeats } from '../suppress/AlertSuppressor';
import { repeatNote } from './repeatNote';
import { headline } from './slackPayload';
import { formatText } from './text';

/** SNS: ASCII, starts with a letter, number or punctuation, no line breaks or control characters, under 100. */
export const SNS_SUBJECT_LIMIT = 99;
export const SNS_MESSAGE_LIMIT = 256 * 1024;

function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?').trim();
  return ascii.length <= SNS_SUBJECT_LIMIT ? ascii : `${ascii.slice(0, SNS_SUBJECT_LIMIT - 3)}...`;
}

function withinBytes(text: string, limit: number): string {
  if (Buffer.byteLength(text) <= limit) return text;
  const note = '\n… (truncated to fit SNS)';
  return (
    Buffer.from(text)
      .subarray(0, limit - Buffer.byteLength(note))
      .toString('utf8')
      .replace(/\uFFFD$/, '') + note
  );
}

function attribute(value: string | null | undefined): MessageAttributeValue | undefined {
  return value ? { DataType: 'String', StringValue: value.slice(0, 256) } : undefined;
}

/** Filterable attributes of a diagnosis message, with the `format` a subscription picks its messages by. */
export function snsAttributes(diagnosis: Diagnosis, format: string): Record<string, MessageAttributeValue> {
  const bucket = bucketOfDiagnosis(diagnosis);
  const account = diagnosis.request.context['aws:PrincipalAccount'];
  const candidates: Record<string, MessageAttributeValue | undefined> = {
    verdict: attribute(diagnosis.verdict),
    layer: attribute(diagnosis.decidingLayers[0]?.layer),
    bucket: attribute(bucket),
    account: attribute(typeof account === 'string' ? account : undefined),
    principal: attribute(diagnosis.request.principalArn),
    format: attribute(format),
  };
  return Object.fromEntries(Object.entries(candidates).filter((e): e is [string, MessageAttributeValue] => e[1] !== undefined));
}

export const TEXT_FORMAT = 'why-denied-text';

export function snsPublishInput(diagnosis: Diagnosis, topicArn?: string, repeats: Repeats | null = null): PublishCommandInput {
  const MessageAttributes = snsAttributes(diagnosis, TEXT_FORMAT);
  return {
    ...(topicArn ? { TopicArn: topicArn } : {}),
    Subject: snsSubject(`why-denied: ${headline(diagnosis)}`),
    Message: withinBytes(`${formatText(diagnosis, { color: false })}${repeats ? `\n\n${repeatNote(repeats)}` : ''}`, SNS_MESSAGE_LIMIT),
    MessageAttributes,
  };
}
