/**
 * A request a VPC endpoint's policy refused, known from the endpoint owner's network activity event alone:
 * that record names no bucket or key, so only the endpoint's policy can be read and evaluated.
 */
import type { DeniedRequest } from '../model/request';
import { VPC_ENDPOINT_DENIAL } from './denialErrorCodes';

export function refusedAtEndpointUnseen(request: DeniedRequest): boolean {
  return request.event.errorCode === VPC_ENDPOINT_DENIAL && request.bucket === null;
}
