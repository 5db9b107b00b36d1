import { readFileSync } from 'node:fs';
import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { diagnose, parseEvent, parseSnapshot, readEventDocument } from '../../lambda';
import { publishToSns } from '../../lambda/notify/publishToSns';
import { SNS_MESSAGE_LIMIT, snsPublishInput } from '../../lambda/notify/snsMessage';
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
