/**
 * The preamble most bucket layers share: the snapshot must describe the request's bucket, and the
 * collectors must have been able to read this layer of it.
 */
import type { LayerName } from '../model/diagnosis';
import type { BucketSnapshot } from '../model/snapshot';
import { bucketMismatch, bucketOf } from './bucketOf';
import { notVisible, unseenReason } from './outcomes';
import type { LayerInput, LayerOutcome } from './types';

export function visibleBucket(layer: LayerName, input: LayerInput): BucketSnapshot | LayerOutcome {
  const bucket = bucketOf(input);
  if (!bucket) return notVisible(layer, input, bucketMismatch(input));
  const reason = unseenReason(input, layer);
  return reason ? notVisible(layer, input, reason) : bucket;
}

export function isOutcome(value: BucketSnapshot | LayerOutcome): value is LayerOutcome {
  return 'result' in value;
}
