/**
 * S3 applies the most restrictive combination of the bucket's and the account's Block Public Access settings.
 * BlockPublicPolicy is left out: it refuses PutBucketPolicy, never an upload.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import type { BucketSnapshot, PublicAccessBlock } from '../model/snapshot';

type UploadSettings = Required<Pick<PublicAccessBlock, 'blockPublicAcls' | 'ignorePublicAcls' | 'restrictPublicBuckets'>>;

export function effectivePublicAccessBlock(bucket: BucketSnapshot): UploadSettings {
  const own = bucket.publicAccessBlock ?? {};
  const account = bucket.accountPublicAccessBlock ?? {};
  return {
    blockPublicAcls: own.blockPublicAcls === true || account.blockPublicAcls === true,
    ignorePublicAcls: own.ignorePublicAcls === true || account.ignorePublicAcls === true,
    restrictPublicBuckets: own.restrictPublicBuckets === true || account.restrictPublicBuckets === true,
  };
}
