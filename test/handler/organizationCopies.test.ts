/**
 * A cross-account upload in an organization (#24): the caller's account and the bucket owner's each get a
 * copy of the record, and each forwards it to the central bus. One alert comes of the two, and the
 * diagnosis reads each account's layers through that account's read-only role.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseEvent } from '../../lambda';
import { type CollectorDeps, collectSnapshot } from '../../lambda/collect/collectSnapshot';
import { isOrganizationMember } from '../../lambda/collect/organizationMember';
import { RateLimiter, oneBudget } from '../../lambda/collect/RateLimiter';
import { TtlCache } from '../../lambda/collect/TtlCache';
import { processRecord } from '../../lambda/handler/processRecord';
import type { ServiceDependencies } from '../../lambda/handler/processRequest';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { AlertSuppressor } from '../../lambda/suppress/AlertSuppressor';
import { ListParentsCommand } from '@aws-sdk/client-organizations';
import { answerFrom, aws, awsError, fakeClients, resetAws } from '../collect/fakeAccount';
import { ACCOUNT, OTHER_ACCOUNT, partnerUpload, roleIdentity, s3Record } from '../factories';
import { type LocalDynamo, startLocalDynamo } from '../helpers/localDynamo';

const CENTRAL = '111122223333';
const partner = partnerUpload();
const callerCopy = s3Record({
  userIdentity: roleIdentity(OTHER_ACCOUNT, 'PartnerDelivery', 'deliver-7'),
  eventID: 'copy-of-the-caller',
  sharedEventID: '5c1e7a3b-0d2f-4e6a-9b8c-7d6e5f4a3b2c',
  recipientAccountId: OTHER_ACCOUNT,
});
const ownerCopy = s3Record({
  userIdentity: { type: 'AWSAccount', principalId: 'AROAEXAMPLEMEDIA:deliver-7', accountId: OTHER_ACCOUNT },
  eventID: 'copy-of-the-bucket-owner',
  sharedEventID: '5c1e7a3b-0d2f-4e6a-9b8c-7d6e5f4a3b2c',
  recipientAccountId: ACCOUNT,
});

/** As the central bus's rule hands it to the queue: the envelope names the member account it came from. */
function forwarded(record: Record<string, unknown>, from: string, messageId: string): SQSRecord {
  const body = JSON.stringify({
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: from,
    id: messageId,
    detail: record,
  });
  return { messageId, body, attributes: { ApproximateReceiveCount: '1' } } as unknown as SQSRecord;
}

const sns = mockClient(SNSClient);
let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo('central');
});
afterAll(() => dynamo.stop());
beforeEach(async () => {
  await dynamo.clear();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm' });
  resetAws();
  answerFrom(partner.account, parseEvent(callerCopy).requests[0]!);
  // Both accounts are members: each forwards its copy to the central bus.
  aws.organizations.on(ListParentsCommand).resolves({ Parents: [{ Id: 'r-ab12', Type: 'ROOT' }] });
});

function central(reached: string[], collected: AccountSnapshot[] = []): ServiceDependencies {
  const clients = fakeClients('us-west-2');
  const collectorDeps: CollectorDeps = {
    homeAccountId: CENTRAL,
    region: 'us-west-2',
    // Each member account through its read-only role; the central account's own clients for Organizations.
    clientsFor: (account) => {
      reached.push(account);
      return [CENTRAL, ACCOUNT, OTHER_ACCOUNT].includes(account) ? clients : null;
    },
    cache: new TtlCache(60_000),
    lookupBudget: oneBudget(new RateLimiter(10, 2_000)),
    now: () => new Date('2026-11-21T07:12:40Z'),
  };
  return {
    collect: async (request) => {
      const { snapshot } = await collectSnapshot(request, collectorDeps);
      collected.push(snapshot);
      return snapshot;
    },
    isOrganizationMember: (account) => isOrganizationMember(account, collectorDeps),
    suppressor: new AlertSuppressor(dynamo.client, 'central', { windowSeconds: 3600, leaseSeconds: 90 }),
    bothCopies: true,
    sns: { client: new SNSClient({ region: 'us-west-2' }), topicArn: `arn:aws:sns:us-west-2:${CENTRAL}:why-denied` },
    slackWebhook: null,
    approvals: null,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'Test' }),
    now: () => new Date('2026-11-21T07:12:45Z'),
  };
}

describe('a cross-account upload whose two copies arrive from two member accounts', () => {
  it('gives one alert, with the caller’s account and the bucket owner’s both read', async () => {
    const reached: string[] = [];
    const collected: AccountSnapshot[] = [];
    await processRecord(forwarded(callerCopy, OTHER_ACCOUNT, 'from-caller'), central(reached, collected));
    await processRecord(forwarded(ownerCopy, ACCOUNT, 'from-owner'), central(reached, collected));
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    // The second copy was known for the first's before anything was read: one snapshot, every layer seen.
    expect(collected).toHaveLength(1);
    expect(collected[0]?.unseen).toEqual([]);
    expect(collected[0]?.principal.arn).toBe(`arn:aws:iam::${OTHER_ACCOUNT}:role/PartnerDelivery`);
    expect(collected[0]?.bucket.accountId).toBe(ACCOUNT);
    expect(new Set(reached)).toEqual(new Set([OTHER_ACCOUNT, ACCOUNT, CENTRAL]));
  });

  it('is no wait and no claim outside an organization’s central deployment, where the other copy never comes', async () => {
    const waited: number[] = [];
    const alone = { ...central([]), bothCopies: false, wait: async (ms: number) => void waited.push(ms) };
    await processRecord(forwarded(ownerCopy, ACCOUNT, 'from-owner'), alone);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(waited).toEqual([]);
    const items = await dynamo.client.send(new ScanCommand({ TableName: 'central' }));
    expect(items.Items?.map((item) => item.fingerprint?.S).filter((key) => key?.startsWith('upload-claim:'))).toEqual([]);
  });

  it('gives one alert when both copies are diagnosed at once, by two invocations', async () => {
    const quick = (): ServiceDependencies => ({ ...central([]), wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms / 100)) });
    const results = await Promise.all([
      processRecord(forwarded(ownerCopy, ACCOUNT, 'from-owner'), quick()),
      processRecord(forwarded(callerCopy, OTHER_ACCOUNT, 'from-caller'), quick()),
    ]);
    expect(results).toHaveLength(2);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    // The bucket owner's copy names only the caller's account: it lets the caller's copy, which names the role, go first.
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toContain('PartnerDelivery');
  });

  it('leaves the waiting copy to an SQS retry when the other one’s alert has not gone out, never dropping it', async () => {
    const failing = { ...central([]), wait: async () => undefined };
    sns.on(PublishCommand).rejects(new Error('SNS is down'));
    const [first, second] = await Promise.allSettled([
      processRecord(forwarded(callerCopy, OTHER_ACCOUNT, 'from-caller'), failing),
      processRecord(forwarded(ownerCopy, ACCOUNT, 'from-owner'), failing),
    ]);
    const reasons = [first, second].map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'));
    expect(reasons.sort()).toEqual(['DeliveryError', 'UploadInFlightError']);
  });

  it('gives one alert whichever copy comes first', async () => {
    await processRecord(forwarded(ownerCopy, ACCOUNT, 'from-owner'), central([]));
    await processRecord(forwarded(callerCopy, OTHER_ACCOUNT, 'from-caller'), central([]));
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('the bucket owner’s copy of a call from outside the organization neither waits nor claims: no other copy is coming', async () => {
    aws.organizations.on(ListParentsCommand, { ChildId: OTHER_ACCOUNT }).rejects(awsError('ChildNotFoundException'));
    const waited: number[] = [];
    await processRecord(forwarded(ownerCopy, ACCOUNT, 'from-owner'), { ...central([]), wait: async (ms) => void waited.push(ms) });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(waited).toEqual([]);
    const items = await dynamo.client.send(new ScanCommand({ TableName: 'central' }));
    expect(items.Items?.map((item) => item.fingerprint?.S).filter((key) => key?.startsWith('upload-claim:'))).toEqual([]);
  });

  it('the bucket owner’s copy of a member’s call still lets the caller’s copy go first', async () => {
    const waited: number[] = [];
    await processRecord(forwarded(ownerCopy, ACCOUNT, 'from-owner'), { ...central([]), wait: async (ms) => void waited.push(ms) });
    expect(waited).toEqual([1_000]);
  });
});
