/**
 * Keys a real upload carries that CloudTrail does not record (a presigned URL's signature age, the Referer,
 * the object tags sent): a statement that turns on one of them may have decided either way. The diagnosis
 * names it as unknown instead of "allowed now, it probably changed", and is never certain on its word. So are
 * a bucket's tags, which an S3 call's aws:ResourceTag tests and nothing reads.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/bucket-policy-s3-sigv4-conditions.html
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { ACCOUNT, ALLOW_PUT, BUCKET, partnerUpload, policy, s3Record, snapshot, withCustomerKey } from '../factories';

const upload = parseEvent(s3Record()).requests[0]!;
const OBJECTS = `arn:aws:s3:::${BUCKET}/*`;
const STALE_SIGNATURES: Statement = {
  Sid: 'DenyStaleSignatures',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:PutObject',
  Resource: OBJECTS,
  Condition: { NumericGreaterThan: { 's3:signatureAge': '600000' } },
};

function withBucketPolicy(...statements: Statement[]): AccountSnapshot {
  const account = snapshot({}, { policy: policy(...statements) });
  return {
    ...account,
    principal: { ...account.principal, policies: [{ source: 'inline', name: 'uploads', document: policy(ALLOW_PUT) }] },
  };
}

describe('a statement that turns on a key CloudTrail does not record', () => {
  it('a Deny on a presigned URL’s age is named as what may have denied, not "it probably changed"', () => {
    const diagnosis = diagnose(upload, withBucketPolicy(STALE_SIGNATURES));
    expect(diagnosis.verdict).toBe('not-reproduced');
    expect(diagnosis.confidence).toBe('possible');
    expect(diagnosis.summary).toContain('statement "DenyStaleSignatures"');
    expect(diagnosis.summary).toContain('s3:signatureAge, which CloudTrail does not record');
    expect(diagnosis.notVisible.find((n) => n.layer === 'bucket-policy')?.reason).toMatch(/DenyStaleSignatures.* may deny the upload/);
  });

  it('a Deny beside the Allow that lets the upload in is still named: allowed now, but only possibly', () => {
    const partnerGrant: Statement = { Sid: 'Uploads', Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: OBJECTS };
    const account = withBucketPolicy(partnerGrant, STALE_SIGNATURES);
    account.principal.policies = [];
    const diagnosis = diagnose(upload, account);
    expect(diagnosis.layers.find((l) => l.layer === 'bucket-policy')?.result).toBe('allow');
    expect(diagnosis.confidence).toBe('possible');
    expect(diagnosis.notVisible.find((n) => n.layer === 'bucket-policy')?.reason).toMatch(/DenyStaleSignatures.* may deny the upload/);
  });

  it('a Deny that also failed on a recorded key is no suspect', () => {
    const overTls: Statement = {
      ...STALE_SIGNATURES,
      Condition: { ...STALE_SIGNATURES.Condition, Bool: { 'aws:SecureTransport': 'false' } },
    };
    const diagnosis = diagnose(upload, withBucketPolicy(overTls));
    expect(diagnosis.confidence).toBe('likely');
    expect(diagnosis.notVisible.map((n) => n.layer)).not.toContain('bucket-policy');
  });

  it('a Deny that matched only because an unrecorded key seemed absent is not certain', () => {
    const untagged: Statement = {
      Sid: 'DenyUntaggedUploads',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: OBJECTS,
      Condition: { Null: { 's3:RequestObjectTagKeys': 'true' } },
    };
    const diagnosis = diagnose(upload, withBucketPolicy(untagged));
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'bucket-policy', statement: { sid: 'DenyUntaggedUploads' } });
    expect(diagnosis.confidence).toBe('likely');
  });

  it('a partner’s grant that turns on the Referer may have allowed it: likely, with the grant named', () => {
    const { record, account } = partnerUpload();
    const byReferer: Statement = {
      Sid: 'PartnerFromPortal',
      Effect: 'Allow',
      Principal: { AWS: account.principal.arn! },
      Action: 's3:PutObject',
      Resource: OBJECTS,
      Condition: { StringLike: { 'aws:Referer': 'https://portal.example.com/*' } },
    };
    const diagnosis = diagnose(parseEvent(record).requests[0]!, { ...account, bucket: { ...account.bucket, policy: policy(byReferer) } });
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'bucket-policy', decision: 'implicit-deny' });
    expect(diagnosis.confidence).toBe('likely');
    expect(diagnosis.notVisible.find((n) => n.layer === 'bucket-policy')?.reason).toMatch(/PartnerFromPortal.* may allow the upload/);
  });

  describe('aws:ResourceTag on an S3 call: the bucket’s tags, which count only with ABAC on, and are not read', () => {
    const teamOnly: Statement = {
      Sid: 'TeamBuckets',
      Effect: 'Allow',
      Action: 's3:PutObject',
      Resource: OBJECTS,
      Condition: { StringEquals: { 'aws:ResourceTag/team': 'media' } },
    };

    it('an identity grant that turns on them may have allowed the upload: likely, never certain', () => {
      const account = snapshot();
      account.principal.policies = [{ source: 'inline', name: 'abac', document: policy(teamOnly) }];
      const diagnosis = diagnose(upload, account);
      expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'identity-policy', decision: 'implicit-deny' });
      expect(diagnosis.confidence).toBe('likely');
      expect(diagnosis.notVisible.find((n) => n.layer === 'identity-policy')?.reason).toMatch(
        /TeamBuckets.* may allow the upload: it turns on aws:ResourceTag\/team, the bucket.s tags, which count once ABAC is enabled on it and were not read/,
      );
    });

    it('on the KMS call they are the key’s own tags, which are read: a grant on them decides for certain', () => {
      const keyGrant: Statement = {
        Sid: 'TeamKeys',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/MediaIngest` },
        Action: 'kms:GenerateDataKey',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceTag/team': 'media' } },
      };
      const account = withCustomerKey(policy(keyGrant));
      account.principal.policies = [{ source: 'inline', name: 'uploads', document: policy(ALLOW_PUT) }];
      const diagnosis = diagnose(upload, account);
      expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'kms-key-policy', decision: 'implicit-deny' });
      expect(diagnosis.confidence).toBe('certain');
    });
  });
});
