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

/** Every layer, in the order the trace shows them. Each runs only for the service it governs (serviceOf). */
export const LAYER_CHECKS: ReadonlyArray<[LayerName, LayerCheck]> = [
  ['object-ownership', objectOwnership],
  ['block-public-access', blockPublicAccess],
  ['scp', scp],
  ['rcp', rcp],
  ['vpc-endpoint-policy', vpcEndpointPolicy],
  ['bucket-policy', bucketPolicy],
  ['bucket-acl', bucketAcl],
  ['kms-key-state', kmsKeyState],
  ['kms-key-policy', kmsKeyPolicy],
  ['kms-grant', kmsGrant],
  ['identity-policy', identityPolicy],
  ['permissions-boundary', permissionsBoundary],
  ['session-policy', sessionPolicy],
];

/** A layer that throws (a malformed policy, a surprise in the snapshot) is reported, not fatal. */
export function runLayers(input: LayerInput): LayerOutcome[] {
  const { service } = input.authorization;
  return LAYER_CHECKS.filter(([layer]) => [service, 'any'].includes(serviceOf(layer))).map(([layer, check]) => {
    try {
      return callerSideOutcome(layer, input) ?? check(input);
    } catch (error) {
      return notVisible(layer, input, `could not be evaluated: ${(error as Error).message}`);
    }
  });
}

/** The KMS layers govern KMS calls, the bucket's own settings S3 calls; the rest govern any call. */
function serviceOf(layer: LayerName): 's3' | 'kms' | 'any' {
  if (layer.startsWith('kms-')) return 'kms';
  if (layer.startsWith('bucket-') || layer === 'object-ownership' || layer === 'block-public-access') return 's3';
  return 'any';
}
