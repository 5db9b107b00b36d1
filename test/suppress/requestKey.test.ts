import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvent } from '../../lambda';
import { requestKey } from '../../lambda/suppress/requestKey';

const delivery = JSON.parse(readFileSync(join(__dirname, '../fixtures/records/service-cloudtrail-delivery.json'), 'utf8')) as Record<
  string,
  unknown
>;
const keyOf = (record: Record<string, unknown>) => requestKey(parseEvent(record).requests[0]!);

describe('requestKey: which denials count as repeats before anything is read', () => {
  it('keeps two AWS services apart: neither has an ARN, and a repeat of one must not silence the other', () => {
    const logDelivery = { ...delivery, eventID: 'other', userIdentity: { type: 'AWSService', invokedBy: 'delivery.logs.amazonaws.com' } };
    expect(keyOf(logDelivery)).not.toBe(keyOf(delivery));
  });

  it('treats the same service writing another object under the same prefix as a repeat', () => {
    const params = delivery.requestParameters as Record<string, string>;
    const next = { ...delivery, eventID: 'next', requestParameters: { ...params, key: params.key!.replace('Qx1', 'Qx2') } };
    expect(keyOf(next)).toBe(keyOf(delivery));
  });
});
