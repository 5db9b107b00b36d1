/**
 * S3 applies the most restrictive combination of the bucket's and the account's Block Public Access settings.
 * BlockPublicPolicy is left out: it refuses PutBucketPolicy, never an upload. A setting neither source turns on
 * is unknown while either source was not read (the field absent; `null` is read and not configured).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import type { BucketSnapshot, PublicAccessBlock } from '../model/snapshot';

export type BlockSetting = boolean | 'unknown';

type UploadSetting = 'blockPublicAcls' | 'ignorePublicAcls' | 'restrictPublicBuckets';

export function effectivePublicAccessBlock(bucket: BucketSnapshot): Record<UploadSetting, BlockSetting> {
  const sources: (PublicAccessBlock | null | undefined)[] = [bucket.publicAccessBlock, bucket.accountPublicAccessBlock];
  const setting = (name: UploadSetting): BlockSetting => {
    if (sources.some((source) => source?.[name] === true)) return true;
    return sources.some((source) => source === undefined) ? 'unknown' : false;
  };
  return {
    blockPublicAcls: setting('blockPublicAcls'),
    ignorePublicAcls: setting('ignorePublicAcls'),
    restrictPublicBuckets: setting('restrictPublicBuckets'),
  };
}
