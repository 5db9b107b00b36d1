/**
 * S3's meaning of a "public" statement: an Allow to everyone not pinned by a fixed value (no wildcard, no
 * policy variable) of one of these keys; aws:SourceIp pins only through a CIDR set that is not everything.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
import type { Statement } from '../policy/types';

const RESTRICTING_KEYS = new Set(
  [
    'aws:SourceArn',
    'aws:SourceAccount',
    'aws:SourceOwner',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceIp',
    'aws:PrincipalOrgID',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:userid',
    's3:DataAccessPointArn',
    's3:DataAccessPointAccount',
    's3:x-amz-server-side-encryption-aws-kms-key-id',
  ].map((k) => k.toLowerCase()),
);

/**
 * Operators that pin a key to the values listed. A negated operator, an IfExists form, a set operator or
 * Null leaves the statement open to whoever does not send the key, so it pins nothing.
 */
const PINNING_OPERATORS = /^(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike|IpAddress)$/i;

/** A fixed value: no wildcard, no policy variable; aws:userid may name a role's sessions as `AROLEID:*`. */
function isFixed(key: string, value: unknown): boolean {
  if (typeof value !== 'string' || value.includes('${')) return false;
  if (key === 'aws:userid' && /^[A-Z0-9]+:\*$/.test(value)) return true;
  if (key === 'aws:sourceip') return !/\/0$/.test(value.trim());
  return !/[*?]/.test(value);
}

function pins(operator: string, key: string, values: unknown): boolean {
  const name = key.toLowerCase();
  if (!PINNING_OPERATORS.test(operator) || !RESTRICTING_KEYS.has(name)) return false;
  if (/^IpAddress$/i.test(operator) !== (name === 'aws:sourceip')) return false;
  const list = [values].flat();
  return list.length > 0 && list.every((value) => isFixed(name, value));
}

/** @example isPublicAllow({ Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: '*' }) // true */
export function isPublicAllow(statement: Statement): boolean {
  if (statement.Effect !== 'Allow') return false;
  const principal = statement.Principal;
  const everyone = principal === '*' || (typeof principal === 'object' && ([] as string[]).concat(principal.AWS ?? []).includes('*'));
  if (!everyone) return false;
  return !Object.entries(statement.Condition ?? {}).some(([operator, block]) =>
    Object.entries(block ?? {}).some(([key, values]) => pins(operator, key, values)),
  );
}
