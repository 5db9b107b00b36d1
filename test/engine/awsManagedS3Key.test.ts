/**
 * An upload that asks for SSE-KMS without naming a key is encrypted with its bucket account's aws/s3 key,
 * whose policy AWS fixes: what it allows is known without the key in the snapshot (the what-if's SSE-KMS
 * retry, or a read that found no key yet), and what it refuses no policy edit can change.
 * https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key
 */
import { diagnose, parseEvent } from '../../lambda';
import { type Json, ACCOUNT, OTHER_ACCOUNT, partnerUpload, policy, s3Record, snapshot } from '../factories';
import { whatIf } from '../../lambda/whatIf/whatIf';

const withSseKms = (record: Json): Json => ({
  ...record,
  requestParameters: { ...(record.requestParameters as Json), 'x-amz-server-side-encryption': 'aws:kms' },
});

describe('an SSE-KMS upload that names no key, its aws/s3 key not in the snapshot', () => {
  it('is allowed by the key’s own policy for a caller of the bucket’s account: nothing about the key is unseen', () => {
    const diagnosis = diagnose(parseEvent(withSseKms(s3Record())).requests[0]!, snapshot());
    expect(diagnosis.verdict).toBe('not-reproduced');
    expect(diagnosis.layers.filter((l) => l.layer.startsWith('kms-')).map((l) => [l.layer, l.result])).toEqual([
      ['kms-key-state', 'allow'],
      ['kms-key-policy', 'allow'],
      ['kms-grant', 'not-applicable'],
    ]);
    expect(diagnosis.notVisible.map((n) => n.layer)).not.toContain('kms-key-policy');
  });

  it('stays unseen when the bucket’s account is not known: whose aws/s3 it is, no one can say', () => {
    const account = snapshot({}, { accountId: 'unknown' });
    const diagnosis = diagnose(parseEvent(withSseKms(s3Record())).requests[0]!, account);
    expect(diagnosis.layers.find((l) => l.layer === 'kms-key-policy')?.result).toBe('not-visible');
  });

  describe('from a partner in another account', () => {
    // Diagnosed in each test, not when the suite is collected, so that a mutant of the engine is in force.
    const partnerWithSseKms = () => {
      const { record, account } = partnerUpload();
      account.bucket.policy = policy({
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: account.principal.arn! },
        Action: 's3:PutObject',
        Resource: '*',
      });
      const request = parseEvent(withSseKms(record)).requests[0]!;
      return { request, account, diagnosis: diagnose(request, account) };
    };

    it('is refused by the key policy for certain: aws/s3 serves its own account only', () => {
      const { diagnosis } = partnerWithSseKms();
      expect(diagnosis).toMatchObject({ verdict: 'implicit-deny', confidence: 'certain' });
      expect(diagnosis.decidingLayers[0]).toMatchObject({
        layer: 'kms-key-policy',
        action: 'kms:GenerateDataKey',
        resource: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/aws/s3`,
        policy: { kind: 'key policy', name: 'alias/aws/s3' },
      });
      expect(diagnosis.decidingLayers[0]?.conditions.map((c) => c.key)).toContain('kms:CallerAccount');
    });

    it('asks the uploader for another key, never an edit of a policy AWS owns', () => {
      const { request, account, diagnosis } = partnerWithSseKms();
      const [fix, ...others] = diagnosis.fixes;
      expect(others).toEqual([]);
      expect(fix).toMatchObject({ owner: 'uploader', requestChange: { setHeaders: { 'x-amz-server-side-encryption': 'AES256' } } });
      expect(fix?.summary).toMatch(
        new RegExp(`^The upload asks for SSE-KMS without naming a key, so S3 uses the AWS managed key aws/s3 of account ${ACCOUNT}`),
      );
      expect(fix?.summary).toContain(`grants ${OTHER_ACCOUNT}`);
      expect(fix?.policyPatch).toBeUndefined();
      expect(whatIf(request, account, { requestChange: fix!.requestChange! }).resolved).toBe(true);
    });
  });
});
