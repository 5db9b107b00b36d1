/**
 * KMS attribute-based access: an identity policy may grant a key's use by its tags (aws:ResourceTag/…) or its
 * aliases (kms:ResourceAliases). The call on the key carries both, from the snapshot's key; the collectors read
 * the tags (ListResourceTags), and a key whose tags cannot be read is not unseen for it.
 * https://docs.aws.amazon.com/kms/latest/developerguide/abac.html
 */
import { ListResourceTagsCommand } from '@aws-sdk/client-kms';
import { diagnose, parseEvent, type Statement } from '../../lambda';
import { collectKmsKey } from '../../lambda/collect/collectKmsKey';
import { Reading } from '../../lambda/collect/Reading';
import { TtlCache } from '../../lambda/collect/TtlCache';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { ACCOUNT, ALLOW_PUT, KMS_KEY_ARN, policy, s3Record, withCustomerKey } from '../factories';
import { answerFrom, aws, awsError, fakeClients, resetAws } from '../collect/fakeAccount';

const KEY_ADMINS: Statement = {
  Sid: 'Account',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const upload = parseEvent(s3Record()).requests[0]!;

function grantedBy(condition: Statement['Condition'], key: { tags?: Record<string, string>; aliases?: string[] }): AccountSnapshot {
  const account = withCustomerKey(policy(KEY_ADMINS));
  const byAttribute: Statement = {
    Sid: 'KeysOfTheProject',
    Effect: 'Allow',
    Action: 'kms:GenerateDataKey',
    Resource: '*',
    Condition: condition,
  };
  return {
    ...account,
    principal: { ...account.principal, policies: [{ source: 'inline', name: 'uploads', document: policy(ALLOW_PUT, byAttribute) }] },
    kmsKeys: [{ ...account.kmsKeys![0]!, ...key }],
  };
}

const identityOnKey = (account: AccountSnapshot) =>
  diagnose(upload, account).layers.find((l) => l.layer === 'identity-policy' && l.action === 'kms:GenerateDataKey')?.result;

describe('a KMS key granted by its attributes', () => {
  it('by its tag: the call carries aws:ResourceTag of the key', () => {
    const byTag = { StringEquals: { 'aws:ResourceTag/Project': 'uploads' } };
    expect(identityOnKey(grantedBy(byTag, { tags: { Project: 'uploads' } }))).toBe('allow');
    expect(identityOnKey(grantedBy(byTag, { tags: { Project: 'billing' } }))).toBe('implicit-deny');
  });

  it('by its alias: the call carries kms:ResourceAliases', () => {
    const byAlias = { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/uploads' } };
    expect(identityOnKey(grantedBy(byAlias, { aliases: ['alias/uploads', 'alias/legacy'] }))).toBe('allow');
    expect(identityOnKey(grantedBy(byAlias, { aliases: ['alias/billing'] }))).toBe('implicit-deny');
  });

  it('by the encryption context it is called with: S3 names aws:s3:arn in kms:EncryptionContextKeys', () => {
    const withS3Context = {
      Null: { 'kms:EncryptionContextKeys': 'false' },
      'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['aws:s3:arn'] },
    };
    expect(identityOnKey(grantedBy(withS3Context, {}))).toBe('allow');
  });

  it('has its tags read with the key, and a refusal to list them hides nothing else', async () => {
    resetAws();
    answerFrom(grantedBy({}, { tags: { Project: 'uploads' } }), upload);
    const kms = fakeClients().kms('us-west-2');
    const where = { reference: KMS_KEY_ARN, account: ACCOUNT, region: 'us-west-2' };
    expect((await collectKmsKey(kms, where, new Reading(new TtlCache(60_000))))?.tags).toEqual({ Project: 'uploads' });
    aws.kms.on(ListResourceTagsCommand).rejects(awsError('AccessDeniedException'));
    const reading = new Reading(new TtlCache(60_000));
    const key = await collectKmsKey(kms, where, reading);
    expect(key?.tags).toBeUndefined();
    expect(key?.policy).toEqual(policy(KEY_ADMINS));
    expect(reading.unseen).toEqual([]);
  });
});
