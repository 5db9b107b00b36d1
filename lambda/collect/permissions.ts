/**
 * Every IAM action the collectors call, and nothing else: the CDK stack grants exactly this list.
 * All are read-only; why-denied changes nothing in an account.
 */
export const COLLECTOR_ACTIONS = [
  'iam:GetRole',
  'iam:GetUser',
  'iam:GetPolicy',
  'iam:GetPolicyVersion',
  'iam:GetRolePolicy',
  'iam:GetUserPolicy',
  'iam:GetGroupPolicy',
  'iam:ListRolePolicies',
  'iam:ListUserPolicies',
  'iam:ListGroupPolicies',
  'iam:ListAttachedRolePolicies',
  'iam:ListAttachedUserPolicies',
  'iam:ListAttachedGroupPolicies',
  'iam:ListGroupsForUser',
  's3:GetBucketPolicy',
  's3:GetBucketOwnershipControls',
  's3:GetBucketPublicAccessBlock',
  's3:GetAccountPublicAccessBlock',
  's3:GetEncryptionConfiguration',
  's3:GetBucketAcl',
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:ListGrants',
  'kms:ListAliases',
  'kms:ListResourceTags',
  'organizations:ListRoots',
  'organizations:DescribeOrganization',
  'organizations:ListParents',
  'organizations:ListPoliciesForTarget',
  'organizations:DescribePolicy',
  'ec2:DescribeVpcEndpoints',
  'cloudtrail:LookupEvents',
] as const;

/** Assuming the optional read-only role in another account is the only other thing the service does. */
export const CROSS_ACCOUNT_ACTION = 'sts:AssumeRole';
