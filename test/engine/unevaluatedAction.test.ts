/**
 * AWS may refuse an upload an action the engine does not evaluate: an upload that sets object tags needs
 * s3:PutObjectTagging, which the contract's list of what an S3 write needs leaves out. What the engine saw of
 * that layer was s3:PutObject, so it must not answer "allowed now, it probably changed since": AWS's word decides.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 */
import { diagnose, parseEvent } from '../../lambda';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { ALLOW_PUT, OBJECT_ARN, SESSION_ARN, policy, s3Record, snapshot } from '../factories';

function refused(message: string) {
  return parseEvent(
    s3Record({
      errorMessage: `User: ${SESSION_ARN} is not authorized to perform: s3:PutObjectTagging on resource: "${OBJECT_ARN}" ${message}`,
    }),
  ).requests[0]!;
}

const uploader = (): AccountSnapshot => {
  const account = snapshot();
  return {
    ...account,
    principal: { ...account.principal, policies: [{ source: 'inline', name: 'uploads', document: policy(ALLOW_PUT) }] },
  };
};

describe('an action AWS refused that the engine does not evaluate', () => {
  it('decides on AWS’s word, says so, and never says the policy probably changed', () => {
    const diagnosis = diagnose(refused('because no identity-based policy allows the s3:PutObjectTagging action'), uploader());
    expect(diagnosis.verdict).toBe('implicit-deny');
    expect(diagnosis.confidence).toBe('likely');
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'identity-policy', action: 's3:PutObjectTagging', resource: OBJECT_ARN });
    expect(diagnosis.summary).toContain('x-amz-tagging');
    expect(diagnosis.summary).toContain('does not evaluate s3:PutObjectTagging');
    expect(diagnosis.summary).not.toMatch(/changed/);
  });

  it('offers the grant beside s3:PutObject, or an upload without tags, marked as not checked by the what-if', () => {
    const [fix] = diagnose(refused('because no identity-based policy allows the s3:PutObjectTagging action'), uploader()).fixes;
    expect(fix?.summary).toMatch(/^Unverified: Allow s3:PutObjectTagging beside s3:PutObject/);
    expect(fix?.summary).toContain('upload without tags');
    expect(fix).not.toHaveProperty('policyPatch');
  });

  it('names a bucket policy’s explicit Deny as AWS did, for its owner to narrow', () => {
    const diagnosis = diagnose(refused('with an explicit deny in a resource-based policy'), uploader());
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'bucket-policy', decision: 'explicit-deny', action: 's3:PutObjectTagging' });
    expect(diagnosis.fixes[0]).toMatchObject({ owner: 'bucket-owner' });
    expect(diagnosis.fixes[0]?.summary).toMatch(/^Unverified: A statement in the bucket policy denies s3:PutObjectTagging.*must narrow/);
  });

  it.each([
    ['s3:PutObjectRetention', 'x-amz-object-lock-mode'],
    ['s3:PutObjectLegalHold', 'x-amz-object-lock-legal-hold'],
  ])('says what in the upload asks for %s', (action, header) => {
    const record = s3Record({
      errorMessage: `User: ${SESSION_ARN} is not authorized to perform: ${action} on resource: "${OBJECT_ARN}" because no identity-based policy allows the ${action} action`,
    });
    const diagnosis = diagnose(parseEvent(record).requests[0]!, uploader());
    expect(diagnosis.decidingLayers[0]).toMatchObject({ action });
    expect(diagnosis.summary).toContain(header);
  });

  it('a KMS action AWS names for an upload whose encryption we did not know is what we could not check, not an action we skip', () => {
    const record = s3Record({
      errorMessage: `User: ${SESSION_ARN} is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:us-west-2:555566667777:key/k because no identity-based policy allows the kms:GenerateDataKey action`,
    });
    const diagnosis = diagnose(parseEvent(record).requests[0]!, uploader());
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'identity-policy', action: 'kms:GenerateDataKey' });
    expect(diagnosis.summary).not.toContain('does not evaluate');
  });
});
