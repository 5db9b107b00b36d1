import { readFileSync } from 'node:fs';
import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { publishToSns } from '../../lambda/notify/publishToSns';
import { AMAZON_Q_FORMAT, amazonQPublishInput } from '../../lambda/notify/amazonQNotification';
import { SNS_MESSAGE_LIMIT, snsPublishInput } from '../../lambda/notify/snsMessage';
import { fingerprint } from '../../lambda/model/fingerprint';
import { OWN_SCENARIOS } from '../helpers/paths';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-west-1:210987654321:why-denied';

function diagnosisOf(name: string) {
  const dir = `${OWN_SCENARIOS}/${name}`;
  const request = parseEvent(readEventDocument(readFileSync(`${dir}/event.json`))).requests[0]!;
  return diagnose(request, parseSnapshot(JSON.parse(readFileSync(`${dir}/snapshot.json`, 'utf8'))));
}

beforeEach(() => sns.reset());

describe('the SNS message', () => {
  it('publishes a subject, the text body and filterable attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const input = snsPublishInput(diagnosisOf('bucket-policy-denies-plain-http'), TOPIC);
    await expect(publishToSns(new SNSClient({ region: 'eu-west-1' }), { ...input, TopicArn: TOPIC })).resolves.toBe('m-1');
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: 'why-denied: Upload denied by the bucket policy of northwind-invoices-prod',
      MessageAttributes: {
        verdict: { DataType: 'String', StringValue: 'explicit-deny' },
        layer: { DataType: 'String', StringValue: 'bucket-policy' },
        bucket: { DataType: 'String', StringValue: 'northwind-invoices-prod' },
        account: { DataType: 'String', StringValue: '210987654321' },
        principal: { DataType: 'String', StringValue: 'arn:aws:iam::210987654321:role/InvoiceExporter' },
        format: { DataType: 'String', StringValue: 'why-denied-text' },
      },
    });
    expect(input.Message).toMatch(/^DENIED \(explicit deny\)/);
  });

  it('keeps the subject ASCII and under 100 characters, and the body within 256 KiB, for a hostile 5,000-character key', () => {
    const input = snsPublishInput(diagnosisOf('hostile-key-session-and-user-agent'), TOPIC);
    expect(input.Subject!.length).toBeLessThan(100);
    expect(input.Subject).toMatch(/^[\x20-\x7e]+$/);
    expect(Buffer.byteLength(input.Message!)).toBeLessThanOrEqual(SNS_MESSAGE_LIMIT);
  });

  it('lets a publish failure propagate so the record is retried', async () => {
    sns.on(PublishCommand).rejects(new AuthorizationErrorException({ message: 'not authorized to publish', $metadata: {} }));
    await expect(
      publishToSns(new SNSClient({ region: 'eu-west-1' }), { ...snsPublishInput(diagnosisOf('kms-key-disabled')), TopicArn: TOPIC }),
    ).rejects.toBeInstanceOf(AuthorizationErrorException);
  });
});

describe('the Amazon Q Developer custom notification', () => {
  // https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html: version 1.0, source custom, client-markdown.
  it('follows the custom-notification schema, threads repeats by fingerprint, and is selected by its format attribute', () => {
    const diagnosis = diagnosisOf('bucket-policy-denies-plain-http');
    const input = amazonQPublishInput(diagnosis, TOPIC);
    const notification = JSON.parse(input.Message!);
    expect(notification).toMatchObject({
      version: '1.0',
      source: 'custom',
      id: diagnosis.event.id,
      content: {
        textType: 'client-markdown',
        title: ':no_entry: Upload denied by the bucket policy of northwind-invoices-prod',
        keywords: ['explicit-deny', 'bucket-policy'],
      },
      metadata: { threadId: fingerprint(diagnosis), eventType: 'WhyDeniedDiagnosis' },
    });
    expect(notification.content.description).toContain('*Verdict:* explicit-deny');
    expect(notification.content.nextSteps.length).toBeGreaterThan(0);
    expect(input.MessageAttributes?.format).toEqual({ DataType: 'String', StringValue: AMAZON_Q_FORMAT });
  });

  it('keeps a hostile key, session and user agent inert and the message small', () => {
    const input = amazonQPublishInput(diagnosisOf('hostile-key-session-and-user-agent'), TOPIC);
    const { content } = JSON.parse(input.Message!);
    const shown = [content.title, content.description, ...content.nextSteps].join('\n');
    expect(shown).not.toMatch(/<!(channel|here|everyone)>/);
    expect(shown).not.toMatch(/<https?:/);
    expect(content.description.length).toBeLessThanOrEqual(3_500);
  });
});
