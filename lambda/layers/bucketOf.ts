/** The snapshot holds one bucket; a copy's source bucket may be another, whose settings we then cannot see. */
import { parseS3Arn } from '../policy/arns';
import type { BucketSnapshot } from '../model/snapshot';
import type { LayerInput } from './types';

export function bucketOf(input: LayerInput): BucketSnapshot | null {
  const bucket = input.snapshot.bucket;
  return parseS3Arn(input.authorization.resource)?.bucket === bucket.name ? bucket : null;
}

export function bucketMismatch(input: LayerInput): string {
  return `the snapshot describes bucket ${input.snapshot.bucket.name}, not the one in ${input.authorization.resource}`;
}
