/**
 * The bucket policy. In the bucket owner's account it can grant alone; across accounts it must grant too.
 * With RestrictPublicBuckets, its public statements grant nothing to callers from other accounts.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import { statementsOf } from '../policy/evaluatePolicy';
import type { PolicyDocument } from '../policy/types';
import { capitalize } from './describe';
import { effectivePublicAccessBlock } from './effectivePublicAccessBlock';
import { evaluateDocuments } from './evaluateDocuments';
import { noGrant, notApplicable, reworded } from './outcomes';
import { isPublicAllow } from './publicStatement';
import type { LayerCheck } from './types';
import { isOutcome, visibleBucket } from './visibleBucket';

export const bucketPolicy: LayerCheck = (input) => {
  if (input.authorization.service !== 's3') return notApplicable('bucket-policy', input, 'not an S3 action');
  const bucket = visibleBucket('bucket-policy', input);
  if (isOutcome(bucket)) return bucket;
  const ref = { kind: 'bucket policy', name: bucket.name, account: bucket.accountId };
  if (!bucket.policy) {
    return noGrant('bucket-policy', input, `bucket ${bucket.name} has no bucket policy`, {
      policy: ref,
      explanation: `Bucket ${bucket.name} has no bucket policy, so it grants nothing to callers from other accounts.`,
    });
  }
  const crossAccount = input.request.caller.accountId !== bucket.accountId;
  const restrict = crossAccount && effectivePublicAccessBlock(bucket).restrictPublicBuckets;
  const statements = statementsOf(bucket.policy);
  const restricted = restrict && statements.some(isPublicAllow);
  // Dropped statements keep their place so statement indexes still point into the real policy.
  const document: PolicyDocument = restricted
    ? { ...bucket.policy, Statement: statements.map((s) => (isPublicAllow(s) ? { ...s, Action: [] } : s)) }
    : bucket.policy;
  const outcome = evaluateDocuments('bucket-policy', [{ ref, document }], input, {
    principalRequired: true,
    subject: `the bucket policy of ${bucket.name}`,
  });
  if (!restricted || outcome.result !== 'implicit-deny') return outcome;
  const note = 'its public statements grant nothing to other accounts because Block Public Access (RestrictPublicBuckets) is on';
  return reworded(outcome, `${outcome.detail}; ${note}`, `${outcome.explanation ?? ''} ${capitalize(note)}.`.trim());
};
