/**
 * A record forwarded from another region (`-c regions=…`) is diagnosed in the home region, but KMS keys, VPC
 * endpoints and CloudTrail's event history are regional: each is read where it lives. Asked in the home
 * region, an alias such as aws/s3 names another key, and an endpoint or a KMS call is not found at all.
 * https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
 */
import { join } from 'node:path';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { collectKmsKey } from '../../lambda/collect/collectKmsKey';
import { collectSnapshot } from '../../lambda/collect/collectSnapshot';
import { Reading } from '../../lambda/collect/Reading';
import { TtlCache } from '../../lambda/collect/TtlCache';
import { OWN_SCENARIOS } from '../helpers/paths';
import { answerFrom, asBareAccessDenied, aws, fakeClients, fakeCollectorDeps, ownScenario, resetAws } from './fakeAccount';
import type { DeniedRequest } from '../../lambda/model/request';

const HOME = 'us-east-1';

async function collectInHome(name: string, asked = (request: DeniedRequest) => request) {
  const { request: recorded, account } = ownScenario(join(OWN_SCENARIOS, name));
  const request = asked(recorded);
  resetAws();
  answerFrom(account, request);
  const { snapshot } = await collectSnapshot(request, fakeCollectorDeps(request.caller.accountId, { region: HOME }));
  return { request, snapshot };
}

/** The regions the calls of one mocked client were sent to, in order. */
async function regionsOf(calls: { thisValue: unknown }[]): Promise<string[]> {
  return Promise.all(calls.map((call) => (call.thisValue as { config: { region: () => Promise<string> } }).config.region()));
}

beforeEach(() => resetAws());

describe('a record from another region than the home one', () => {
  it('reads the upload’s KMS key and looks for the failed KMS call in the record’s region', async () => {
    const { request, snapshot } = await collectInHome('kms-key-disabled', asBareAccessDenied);
    expect(request.region).toBe('eu-west-1');
    expect(snapshot.kmsKeys?.[0]?.keyState).toBe('Disabled');
    expect(await regionsOf(aws.kms.commandCalls(DescribeKeyCommand))).toEqual(['eu-west-1']);
    // The session's own record is looked for in the request's region first (SDKs call their region's STS
    // endpoint), and found there.
    expect(new Set(await regionsOf(aws.cloudtrail.commandCalls(LookupEventsCommand)))).toEqual(new Set(['eu-west-1']));
    const evidence = aws.cloudtrail
      .commandCalls(LookupEventsCommand)
      .filter((call) => call.args[0].input.LookupAttributes?.[0]?.AttributeValue === 'GenerateDataKey');
    expect(await regionsOf(evidence)).toEqual(['eu-west-1']);
  });

  it('reads the VPC endpoint the request came through in the record’s region', async () => {
    await collectInHome('not-reproduced-with-scps-unseen');
    expect(await regionsOf(aws.ec2.commandCalls(DescribeVpcEndpointsCommand))).toEqual(['eu-west-1']);
  });

  it('keeps an alias’s key apart per account and region: aws/s3 names a different key in each', async () => {
    aws.kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: 'k', Arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' } });
    const cache = new TtlCache(60_000);
    const kms = fakeClients(HOME).kms('eu-west-1');
    for (const account of ['111122223333', '444455556666', '111122223333'])
      await collectKmsKey(kms, { reference: 'alias/aws/s3', account, region: 'eu-west-1' }, new Reading(cache));
    await collectKmsKey(kms, { reference: 'alias/aws/s3', account: '111122223333', region: 'eu-west-2' }, new Reading(cache));
    expect(aws.kms.commandCalls(DescribeKeyCommand)).toHaveLength(3);
  });
});
