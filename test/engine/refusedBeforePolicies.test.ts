/**
 * Refusals S3 makes before reading any policy: a presigned URL used after it expired, or with headers it did not
 * sign (AccessDenied, with the reason in the message), a bucket AWS has blocked (AllAccessDisabled), a KMS key that
 * does not exist (KMS.NotFoundException). Every layer
 * allows the upload; the answer is a new URL, or AWS Support, never a policy change.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
 */
import { diagnose, parseEvent } from '../../lambda';
import { s3Record, snapshot } from '../factories';

const presigned = (errorMessage: string) =>
  parseEvent(s3Record({ errorMessage, additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'QueryString' } }))
    .requests[0]!;

describe('refusals S3 makes before reading any policy', () => {
  it('an expired presigned URL: the credentials layer, certain, with a new URL as the fix', () => {
    const diagnosis = diagnose(presigned('Request has expired'), snapshot());
    expect(diagnosis.verdict).toBe('implicit-deny');
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'credentials', action: 's3:PutObject' });
    expect(diagnosis.confidence).toBe('certain');
    expect(diagnosis.fixes[0]).toMatchObject({ owner: 'uploader' });
    expect(diagnosis.fixes[0]?.summary).toMatch(/Sign a new URL/);
    expect(diagnosis.summary).not.toMatch(/changed/);
  });

  it('none is read into another AccessDenied', () => {
    expect(diagnose(presigned('Access Denied'), snapshot()).decidingLayers[0]?.layer).not.toBe('credentials');
  });

  it('a presigned URL sent with headers it did not sign: the headers to sign as the fix', () => {
    const diagnosis = diagnose(presigned('There were headers present in the request which were not signed'), snapshot());
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'credentials' });
    expect(diagnosis.fixes[0]?.summary).toMatch(/Sign the URL with every header the upload sends/);
  });

  it('a bucket AWS has blocked (AllAccessDisabled) is no policy’s doing: its owner must ask AWS Support', () => {
    const blocked = parseEvent(
      s3Record({ errorCode: 'AllAccessDisabled', errorMessage: 'All access to this Amazon S3 resource has been disabled.' }),
    ).requests[0]!;
    const diagnosis = diagnose(blocked, snapshot());
    expect(diagnosis.decidingLayers[0]?.explanation).toMatch(/AWS has disabled all access/);
    expect(diagnosis.fixes[0]).toMatchObject({ owner: 'bucket-owner' });
  });

  it('a KMS key that does not exist is a mistyped (or deleted, or other-region) key, not a policy the snapshot could not show', () => {
    const missing = 'arn:aws:kms:us-west-2:555566667777:key/deadbeef-0000-4000-8000-000000000000';
    const upload = parseEvent(
      s3Record(
        { errorCode: 'KMS.NotFoundException', errorMessage: `Invalid keyId ${missing}` },
        { 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': missing },
      ),
    ).requests[0]!;
    const diagnosis = diagnose(upload, snapshot());
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'kms-key-state' });
    expect(diagnosis.decidingLayers[0]?.explanation).toContain(`KMS key ${missing} does not exist in us-west-2`);
    expect(diagnosis.confidence).toBe('certain');
    expect(diagnosis.fixes[0]).toMatchObject({ owner: 'uploader', command: `aws kms describe-key --key-id ${missing} --region us-west-2` });
  });
});
