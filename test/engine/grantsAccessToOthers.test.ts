/**
 * When an upload's ACL needs s3:PutObjectAcl (contract §1, revised 2026-12-04): only when it grants access
 * to someone other than the bucket owner.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
 */
import { grantsAccessToOthers } from '../../lambda/engine/grantsAccessToOthers';

const OWNER = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';

describe('an upload ACL that grants others access', () => {
  it.each<[Record<string, string>, string | null, boolean]>([
    [{}, OWNER, false],
    [{ 'x-amz-acl': 'private' }, OWNER, false],
    [{ 'x-amz-acl': 'bucket-owner-full-control' }, null, false],
    [{ 'x-amz-acl': 'bucket-owner-read' }, OWNER, false],
    [{ 'x-amz-acl': 'aws-exec-read' }, OWNER, false],
    [{ 'x-amz-acl': 'log-delivery-write' }, OWNER, false],
    [{ 'x-amz-acl': 'public-read' }, OWNER, true],
    [{ 'x-amz-acl': 'public-read-write' }, OWNER, true],
    [{ 'x-amz-acl': 'authenticated-read' }, OWNER, true],
    [{ 'x-amz-acl': 'something-new' }, OWNER, true],
    [{ 'x-amz-grant-full-control': `id="${OWNER}"` }, OWNER, false],
    [{ 'x-amz-grant-full-control': `id=${OWNER}` }, OWNER, false],
    [{ 'x-amz-grant-full-control': `id="${OWNER}"` }, null, true],
    [{ 'x-amz-grant-read': `id="${OWNER}", id="other"` }, OWNER, true],
    [{ 'x-amz-grant-read': 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' }, OWNER, true],
    [{ 'x-amz-grant-read-acp': 'emailAddress="a@example.com"' }, OWNER, true],
    [{ 'x-amz-grant-write-acp': 'not a grantee' }, OWNER, true],
  ])('%j with the owner %s: %s', (headers, owner, expected) => {
    expect(grantsAccessToOthers(headers, owner)).toBe(expected);
  });
});
