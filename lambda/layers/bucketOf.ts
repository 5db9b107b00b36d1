/** The snapshot holds one bucket; a copy's source bucket may be another, whose settings we then cannot see. */
import type { BucketSnapshot } from '../model/snapshot';
import type { LayerInput } from './types';

export function bucketOf(input: LayerInput): BucketSnapshot | null {
  const bucket = input.snapshot.bucket;
  const resource = input.authorization.resource;
  return resource === `arn:aws:s3:::${bucket.name}` || resource.startsWith(`arn:aws:s3:::${bucket.name}/`) ? bucket : null;
}

export function bucketMismatch(input: LayerInput): string {
  return `the snapshot describes bucket ${input.snapshot.bucket.name}, not the one in ${input.authorization.resource}`;
}
