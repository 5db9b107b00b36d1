/**
 * The bucket policy. In the bucket owner's account it can grant alone; across accounts it must grant too.
 * (RestrictPublicBuckets on a public policy is a setting: the block-public-access layer refuses it.)
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import { evaluateDocuments } from './evaluateDocuments';
import { noGrant } from './outcomes';
import type { LayerCheck } from './types';
import { isOutcome, visibleBucket } from './visibleBucket';

export const bucketPolicy: LayerCheck = (input) => {
  const bucket = visibleBucket('bucket-policy', input);
  if (isOutcome(bucket)) return bucket;
  const ref = { kind: 'bucket policy', name: bucket.name, account: bucket.accountId };
  if (!bucket.policy) {
    return noGrant('bucket-policy', input, `bucket ${bucket.name} has no bucket policy`, {
      policy: ref,
      explanation: `Bucket ${bucket.name} has no bucket policy, so it grants nothing to callers from other accounts.`,
    });
  }
  return evaluateDocuments('bucket-policy', [{ ref, document: bucket.policy }], input, {
    principalRequired: true,
    subject: `the bucket policy of ${bucket.name}`,
  });
};
