/**
 * S3 applies the most restrictive combination of the bucket's and the account's Block Public Access settings.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import type { BucketSnapshot, PublicAccessBlock } from '../model/snapshot';

export function effectivePublicAccessBlock(bucket: BucketSnapshot): Required<PublicAccessBlock> {
  const own = bucket.publicAccessBlock ?? {};
  const account = bucket.accountPublicAccessBlock ?? {};
  return {
    blockPublicAcls: own.blockPublicAcls === true || account.blockPublicAcls === true,
    ignorePublicAcls: own.ignorePublicAcls === true || account.ignorePublicAcls === true,
    blockPublicPolicy: own.blockPublicPolicy === true || account.blockPublicPolicy === true,
    restrictPublicBuckets: own.restrictPublicBuckets === true || account.restrictPublicBuckets === true,
  };
}
