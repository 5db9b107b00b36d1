/**
 * A presigned URL used after it expired, or with headers it did not sign, is refused as AccessDenied before any
 * policy is read: every layer allows the upload, and the answer is a new URL, not a policy change.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
 */
import { diagnose, parseEvent } from '../../lambda';
import { s3Record, snapshot } from '../factories';

const presigned = (errorMessage: string) =>
  parseEvent(s3Record({ errorMessage, additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'QueryString' } }))
    .requests[0]!;

describe('a presigned URL used after it expired', () => {
  it('is refused before any policy: the credentials layer, certain, with a new URL as the fix', () => {
    const diagnosis = diagnose(presigned('Request has expired'), snapshot());
    expect(diagnosis.verdict).toBe('implicit-deny');
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'credentials', action: 's3:PutObject' });
    expect(diagnosis.confidence).toBe('certain');
    expect(diagnosis.fixes[0]).toMatchObject({ owner: 'uploader' });
    expect(diagnosis.fixes[0]?.summary).toMatch(/Sign a new URL/);
    expect(diagnosis.summary).not.toMatch(/changed/);
  });

  it('is not read into another AccessDenied', () => {
    expect(diagnose(presigned('Access Denied'), snapshot()).decidingLayers[0]?.layer).not.toBe('credentials');
  });

  it('that sent headers it did not sign is refused before any policy too, with the headers to sign as the fix', () => {
    const diagnosis = diagnose(presigned('There were headers present in the request which were not signed'), snapshot());
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'credentials' });
    expect(diagnosis.fixes[0]?.summary).toMatch(/Sign the URL with every header the upload sends/);
  });
});
