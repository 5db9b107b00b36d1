/**
 * The account's Block Public Access adds to the bucket's (S3 applies the most restrictive of the two), so both
 * are read wherever one of their settings can decide: an upload that sets an ACL, a caller from another account
 * (RestrictPublicBuckets on a public bucket policy), a bucket ACL with a public WRITE grant (IgnorePublicAcls).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import { join } from 'node:path';
import { GetPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand } from '@aws-sdk/client-s3-control';
import 'aws-sdk-client-mock-jest';
import { diagnose } from '../../lambda';
import { collectSnapshot } from '../../lambda/collect/collectSnapshot';
import type { DeniedRequest } from '../../lambda/model/request';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { OWN_SCENARIOS } from '../helpers/paths';
import { answerFrom, aws, fakeCollectorDeps, ownScenario, resetAws } from './fakeAccount';

const load = (name: string) => ownScenario(join(OWN_SCENARIOS, name));

const ALL_SETTINGS = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

async function collected(request: DeniedRequest, account: AccountSnapshot) {
  resetAws();
  answerFrom(account, request);
  return (await collectSnapshot(request, fakeCollectorDeps(request.caller.accountId))).snapshot;
}

describe("the account's Block Public Access", () => {
  it('is read for a caller from another account: RestrictPublicBuckets set only account-wide still refuses it', async () => {
    const { request, account } = load('public-bucket-policy-restricted');
    const accountWide = { ...account, bucket: { ...account.bucket, publicAccessBlock: null, accountPublicAccessBlock: ALL_SETTINGS } };
    const snapshot = await collected(request, accountWide);
    expect(snapshot.bucket.accountPublicAccessBlock).toEqual(ALL_SETTINGS);
    const diagnosis = diagnose(request, snapshot);
    expect([diagnosis.verdict, diagnosis.decidingLayers[0]?.layer]).toEqual(['setting-blocked', 'block-public-access']);
  });

  it('is not read, nor the bucket’s, for a caller of the bucket’s own account that sets no ACL: none of their settings can decide', async () => {
    const { request, account } = load('bucket-policy-denies-plain-http');
    expect(request.caller.accountId).toBe(account.bucket.accountId);
    const snapshot = await collected(request, account);
    expect(aws.s3control).not.toHaveReceivedCommand(GetAccountPublicAccessBlockCommand);
    expect(aws.s3).not.toHaveReceivedCommand(GetPublicAccessBlockCommand);
    // Left out, not null: null would say "read, and not configured".
    expect(snapshot.bucket).not.toHaveProperty('publicAccessBlock');
    expect(snapshot.bucket).not.toHaveProperty('accountPublicAccessBlock');
  });

  it('is read when the bucket ACL grants everyone WRITE: IgnorePublicAcls set account-wide discards the grant', async () => {
    const { request, account } = load('bucket-policy-denies-plain-http');
    const publicWrite = {
      ...account,
      bucket: {
        ...account.bucket,
        objectOwnership: 'ObjectWriter' as const,
        publicAccessBlock: null,
        accountPublicAccessBlock: ALL_SETTINGS,
        acl: { grants: [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'WRITE' }] },
      },
    };
    const snapshot = await collected(request, { ...publicWrite, bucket: { ...publicWrite.bucket, publicAccessBlock: ALL_SETTINGS } });
    expect(snapshot.bucket.accountPublicAccessBlock).toEqual(ALL_SETTINGS);
    expect(snapshot.bucket.publicAccessBlock).toEqual(ALL_SETTINGS);
    const acl = diagnose(request, snapshot).layers.find((l) => l.layer === 'bucket-acl');
    expect(acl?.result).not.toBe('allow');
  });
});
