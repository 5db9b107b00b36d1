/**
 * The ACL grantee groups that make a grant public: everyone, and any AWS account.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee-predefined-groups
 */
export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** The permissions that let a grantee put objects. */
export const ACL_WRITES: ReadonlySet<string> = new Set(['WRITE', 'FULL_CONTROL']);

export function isPublicGroup(uri: string | undefined): uri is string {
  return uri === ALL_USERS || uri === AUTHENTICATED_USERS;
}
