/**
 * What makes two denied requests the same before anything is read from AWS: the caller, the bucket, the
 * object's prefix, the call, the error and AWS's message, and the request's context that policies test
 * (headers, endpoint, source address). Requests that share it share a diagnosis, so a repeat inside the
 * window is counted without the twenty-odd reads a diagnosis costs. The object's own name is left out,
 * or every new file would be a new request; its prefix is kept, as prefix-scoped statements are common.
 */
import { jsonSha256 } from '../model/jsonSha256';
import type { DeniedRequest } from '../model/request';

function prefixOf(key: string | null): string {
  if (!key) return '';
  const slash = key.lastIndexOf('/');
  return slash < 0 ? '' : key.slice(0, slash + 1);
}

export function requestKey(request: DeniedRequest): string {
  const headers = Object.entries(request.headers)
    .filter(([name]) => name !== 'x-amz-copy-source')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = [
    request.caller.sessionArn ?? request.caller.arn ?? request.caller.principalId ?? '',
    // An AWS service caller has no ARN or principal id: the service is who it is.
    request.caller.invokedBy ?? '',
    request.caller.accountId,
    request.service,
    request.event.name,
    request.event.errorCode ?? '',
    // The message names the resource; the rest of it (the policy type and action) is what matters.
    (request.event.errorMessage ?? '').replace(/on resource: \S+/, ''),
    request.bucket ?? '',
    prefixOf(request.key),
    request.kmsKeyId ?? '',
    request.vpcEndpointId ?? '',
    request.sourceIp ?? '',
    JSON.stringify(headers),
  ];
  return jsonSha256(parts);
}
