import type { LayerName } from '../model/diagnosis';
import { blockPublicAccess } from './blockPublicAccess';
import { bucketAcl } from './bucketAcl';
import { bucketPolicy } from './bucketPolicy';
import { callerSideOutcome } from './callerSide';
import { identityPolicy } from './identityPolicy';
import { kmsGrant } from './kmsGrant';
import { kmsKeyPolicy } from './kmsKeyPolicy';
import { kmsKeyState } from './kmsKeyState';
import { objectOwnership } from './objectOwnership';
import { notVisible } from './outcomes';
import { permissionsBoundary } from './permissionsBoundary';
import { rcp } from './rcp';
import { scp } from './scp';
import { sessionPolicy } from './sessionPolicy';
import type { LayerCheck, LayerInput, LayerOutcome } from './types';
import { vpcEndpointPolicy } from './vpcEndpointPolicy';

interface Layer {
  name: LayerName;
  check: LayerCheck;
  /**
   * The documents a policy patch can change (named by the layer a patch edits) that the check reads: a fix's
   * replay runs again only the layers that read a document the fix patched. A test replays every fix of every
   * scenario both ways and compares.
   */
  reads: readonly LayerName[];
}

/** Every layer, in the order the trace shows them. Each runs only for the service it governs (serviceOf). */
const LAYERS: readonly Layer[] = [
  { name: 'object-ownership', check: objectOwnership, reads: [] },
  // Reads the bucket policy to tell whether it is public.
  { name: 'block-public-access', check: blockPublicAccess, reads: ['bucket-policy'] },
  { name: 'scp', check: scp, reads: ['scp'] },
  { name: 'rcp', check: rcp, reads: ['rcp'] },
  { name: 'vpc-endpoint-policy', check: vpcEndpointPolicy, reads: ['vpc-endpoint-policy'] },
  { name: 'bucket-policy', check: bucketPolicy, reads: ['bucket-policy'] },
  { name: 'bucket-acl', check: bucketAcl, reads: [] },
  { name: 'kms-key-state', check: kmsKeyState, reads: [] },
  { name: 'kms-key-policy', check: kmsKeyPolicy, reads: ['kms-key-policy'] },
  { name: 'kms-grant', check: kmsGrant, reads: [] },
  { name: 'identity-policy', check: identityPolicy, reads: ['identity-policy'] },
  { name: 'permissions-boundary', check: permissionsBoundary, reads: ['permissions-boundary'] },
  { name: 'session-policy', check: sessionPolicy, reads: ['session-policy'] },
];

/** What a replay may take from the evaluation it replays: a layer's outcome when nothing it reads was patched. */
export interface EarlierOutcomes {
  patched: ReadonlySet<LayerName>;
  outcomeOf: (layer: LayerName) => LayerOutcome | undefined;
}

/**
 * A layer that throws (a malformed policy, a surprise in the snapshot) is reported, not fatal.
 * @param earlier the same question's outcomes before some documents were patched
 */
export function runLayers(input: LayerInput, earlier?: EarlierOutcomes): LayerOutcome[] {
  const { service } = input.authorization;
  return LAYERS.filter(({ name }) => [service, 'any'].includes(serviceOf(name))).map(({ name, check, reads }) => {
    // Stryker disable next-line MethodExpression,ConditionalExpression: reusing less only evaluates again (equivalent); test/engine/replayReuse.test.ts catches reusing more.
    const unchanged = earlier && !reads.some((document) => earlier.patched.has(document)) ? earlier.outcomeOf(name) : undefined;
    // Stryker disable next-line ConditionalExpression: evaluating again gives the same outcome (equivalent).
    if (unchanged) return unchanged;
    try {
      return callerSideOutcome(name, input) ?? check(input);
    } catch (error) {
      return notVisible(name, input, `could not be evaluated: ${(error as Error).message}`);
    }
  });
}

/** The KMS layers govern KMS calls, the bucket's own settings S3 calls; the rest govern any call. */
function serviceOf(layer: LayerName): 's3' | 'kms' | 'any' {
  if (layer.startsWith('kms-')) return 'kms';
  if (layer.startsWith('bucket-') || layer === 'object-ownership' || layer === 'block-public-access') return 's3';
  return 'any';
}
