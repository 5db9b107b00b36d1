/**
 * ARNs in the partition a request was made in. GovCloud writes `arn:aws-us-gov:`, China `arn:aws-cn:`:
 * a policy naming `arn:aws:s3:::b` there matches nothing, so every ARN the engine builds or compares takes
 * the request's partition.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */

/** @example partitionOfRegion('us-gov-west-1') // 'aws-us-gov' */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  return 'aws';
}

/** @example partitionOfArn('arn:aws-cn:iam::1:root') // 'aws-cn'; partitionOfArn('s3.amazonaws.com') // null */
export function partitionOfArn(arn: string | null | undefined): string | null {
  return arn ? (/^arn:(aws[\w-]*):/.exec(arn)?.[1] ?? null) : null;
}

/** @example accountRootArn('aws', '111122223333') // 'arn:aws:iam::111122223333:root' */
export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** A bucket's ARN, or an object's when a key is given (`*` for every object). */
export function s3Arn(partition: string, bucket: string, key?: string | null): string {
  return key === undefined || key === null ? `arn:${partition}:s3:::${bucket}` : `arn:${partition}:s3:::${bucket}/${key}`;
}

/** `arn:<partition>:s3:::bucket/key` → its parts; a bucket ARN has no key. */
export function parseS3Arn(arn: string | null | undefined): { bucket: string; key: string | null } | null {
  const match = arn ? /^arn:aws[\w-]*:s3:::([^/]+)(?:\/(.*))?$/s.exec(arn) : null;
  return match?.[1] ? { bucket: match[1], key: match[2] ?? null } : null;
}
