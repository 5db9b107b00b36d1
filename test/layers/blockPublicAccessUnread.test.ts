/**
 * Block Public Access that was not read (the fields left out; `null` is read and not configured) is unknown
 * where it could decide: an upload asking for a public ACL, a public bucket policy and a caller from another
 * account, a public WRITE grant in the bucket ACL. The collectors skip it only where it cannot decide, so this is
 * what a what-if on such a snapshot must say rather than "allowed".
 */
import { diagnose, parseEvent } from '../../lambda';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { partnerUpload, policy, s3Record, snapshot } from '../factories';

const BLOCK_ALL = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

/** The bucket as the collectors leave it when they did not read Block Public Access: both settings left out. */
function withoutBlocks(bucket: AccountSnapshot['bucket']): AccountSnapshot['bucket'] {
  const left = { ...bucket };
  delete left.publicAccessBlock;
  delete left.accountPublicAccessBlock;
  return left;
}

function unread(bucket: Partial<AccountSnapshot['bucket']> = {}): AccountSnapshot {
  const account = snapshot({}, bucket);
  return { ...account, bucket: { ...withoutBlocks(account.bucket), ...bucket } };
}

const trace = (diagnosis: ReturnType<typeof diagnose>, layer: string) => diagnosis.layers.find((l) => l.layer === layer);

describe('Block Public Access that was not read', () => {
  const publicRead = parseEvent(s3Record({}, { 'x-amz-acl': 'public-read' })).requests[0]!;

  it('is not visible for an upload that asks for a public ACL', () => {
    const diagnosis = diagnose(publicRead, unread({ objectOwnership: 'ObjectWriter' }));
    expect(trace(diagnosis, 'block-public-access')).toMatchObject({ result: 'not-visible' });
    expect(diagnosis.notVisible.map((n) => n.layer)).toContain('block-public-access');
  });

  it('still refuses the public ACL when the source that was read blocks it', () => {
    const diagnosis = diagnose(publicRead, unread({ objectOwnership: 'ObjectWriter', publicAccessBlock: BLOCK_ALL }));
    expect(trace(diagnosis, 'block-public-access')).toMatchObject({ result: 'setting-blocked' });
  });

  it('is not visible for another account’s caller under a public bucket policy', () => {
    const { record, account } = partnerUpload();
    const everyone = policy({
      Sid: 'Everyone',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: 'arn:aws:s3:::contoso-media-uploads/*',
    });
    const diagnosis = diagnose(parseEvent(record).requests[0]!, {
      ...account,
      bucket: { ...withoutBlocks(account.bucket), policy: everyone },
    });
    expect(trace(diagnosis, 'block-public-access')).toMatchObject({ result: 'not-visible' });
  });

  it('leaves a public WRITE grant in the bucket ACL unknown', () => {
    const acl = { grants: [{ grantee: { type: 'Group', uri: 'http://acs.amazonaws.com/groups/global/AllUsers' }, permission: 'WRITE' }] };
    const diagnosis = diagnose(parseEvent(s3Record()).requests[0]!, unread({ objectOwnership: 'ObjectWriter', acl }));
    expect(trace(diagnosis, 'bucket-acl')).toMatchObject({ result: 'not-visible' });
  });

  it('decides nothing for an upload of the bucket’s own account that sets no ACL', () => {
    const diagnosis = diagnose(parseEvent(s3Record()).requests[0]!, unread());
    expect(trace(diagnosis, 'block-public-access')).toMatchObject({ result: 'allow' });
    expect(diagnosis.notVisible.map((n) => n.layer)).not.toContain('block-public-access');
  });
});
