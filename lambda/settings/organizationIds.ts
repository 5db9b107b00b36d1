/**
 * The shapes of AWS Organizations ids, for settings that name them: an organization, its root, an OU.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html
 */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** A root (`r-…`) or an OU (`ou-…`): what a StackSet or an alert route can target. */
export const ROOT_OR_OU_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
