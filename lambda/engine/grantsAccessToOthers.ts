/**
 * Does an upload's ACL give anyone but the bucket owner access? Only then does it need s3:PutObjectAcl
 * (contract §1, revised 2026-12-04): AWS's own cross-account and log-delivery bucket policies grant
 * s3:PutObject alone for `bucket-owner-full-control`, and those uploads succeed.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html (x-amz-grant-*: id=, uri=, emailAddress=)
 */

/** Canned ACLs that grant only the owners (object and bucket) and AWS's own delivery services. */
const OWNER_ONLY_CANNED_ACLS = new Set([
  'private',
  'bucket-owner-full-control',
  'bucket-owner-read',
  'aws-exec-read',
  'log-delivery-write',
]);

const GRANT_HEADER = /^x-amz-grant-/;

/** `id="abc", uri="http://…"` → the grantees, each as `type=value` with the quotes taken off. */
function granteesOf(value: string): { type: string; value: string }[] {
  return value
    .split(',')
    .map((part) => /^\s*([A-Za-z]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part))
    .map((match) => (match ? { type: (match[1] ?? '').toLowerCase(), value: match[2] ?? '' } : { type: '', value: '' }));
}

/**
 * @example grantsAccessToOthers({ 'x-amz-acl': 'bucket-owner-full-control' }, null) // false
 * @example grantsAccessToOthers({ 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }, 'abc') // true
 */
export function grantsAccessToOthers(headers: Readonly<Record<string, string>>, bucketOwnerCanonicalId: string | null): boolean {
  const canned = headers['x-amz-acl'];
  if (canned !== undefined && !OWNER_ONLY_CANNED_ACLS.has(canned.trim().toLowerCase())) return true;
  // A grantee we cannot read, or an owner we do not know, counts as another: the permission is then asked for.
  return Object.entries(headers)
    .filter(([header]) => GRANT_HEADER.test(header))
    .some(([, value]) => granteesOf(value).some((g) => g.type !== 'id' || !bucketOwnerCanonicalId || g.value !== bucketOwnerCanonicalId));
}
