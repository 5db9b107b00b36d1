/**
 * The access point a request came through (its ARN, from the record's resources, carried as
 * s3:DataAccessPointArn), or null. Its own policy must allow the request besides the bucket's, and the
 * contract has no layer for it: the diagnosis names it as unread.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
 */
import type { DeniedRequest } from './request';

export function accessPointOf(request: DeniedRequest): string | null {
  const arn = request.context['s3:DataAccessPointArn'];
  return typeof arn === 'string' ? arn : null;
}
