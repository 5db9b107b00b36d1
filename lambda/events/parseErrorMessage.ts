/**
 * S3 and KMS write an enhanced AccessDenied message for callers in the same account or organization:
 * it names the policy type and the action AWS itself blamed and, since 2026, the denying policy's ARN
 * after a colon (`… with an explicit deny in a service control policy: arn:aws:organizations::…`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 * https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
 */
import type { AwsBlame, PolicyTypeBlamed } from '../model/request';

const POLICY_TYPES: PolicyTypeBlamed[] = [
  'identity-based policy',
  'resource-based policy',
  'service control policy',
  'resource control policy',
  'permissions boundary',
  'session policy',
  'VPC endpoint policy',
];

const HEAD = /^User: (\S+) is not authorized to perform: (\S+?)(?: on resource: "?([^"\s]+)"?)? (.*)$/s;
const IMPLICIT = /^because no (.+?)(?:: (arn:\S+?))? allows the \S+ action\.?$/;
const EXPLICIT = /^with an explicit deny in (?:an? )?(.+?)(?:: (arn:\S+?))?\.?$/;
const BLOCK_PUBLIC_ACCESS =
  /^because public (?:ACLs|policies) are (?:prevented|blocked) by the (\w+) setting in S3 Block Public Access\.?$/;

function policyTypeOf(text: string): PolicyTypeBlamed | null {
  const lower = text.trim().toLowerCase();
  return POLICY_TYPES.find((type) => type.toLowerCase() === lower) ?? null;
}

/** @example parseErrorMessage('User: arn:… is not authorized to perform: s3:PutObject because no identity-based policy allows the s3:PutObject action') */
export function parseErrorMessage(message: string | null | undefined): AwsBlame | null {
  if (!message) return null;
  const head = HEAD.exec(message.trim());
  if (!head) return null;
  const [, callerArn = '', action = '', resource, reason = ''] = head;
  const base = { callerArn, action, resource: resource ?? null, setting: null, policyArn: null };
  const implicit = IMPLICIT.exec(reason);
  if (implicit) return { ...base, kind: 'implicit-deny', policyType: policyTypeOf(implicit[1] ?? ''), policyArn: implicit[2] ?? null };
  const explicit = EXPLICIT.exec(reason);
  if (explicit) return { ...base, kind: 'explicit-deny', policyType: policyTypeOf(explicit[1] ?? ''), policyArn: explicit[2] ?? null };
  const publicAccess = BLOCK_PUBLIC_ACCESS.exec(reason);
  if (publicAccess) return { ...base, kind: 'block-public-access', policyType: null, setting: publicAccess[1] ?? null };
  return null;
}
