/**
 * S3's meaning of a "public" statement: an Allow to everyone not pinned by a fixed value of one of these keys.
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
  ].map((k) => k.toLowerCase()),
);

export function isPublicAllow(statement: Statement): boolean {
  if (statement.Effect !== 'Allow') return false;
  const principal = statement.Principal;
  const everyone = principal === '*' || (typeof principal === 'object' && ([] as string[]).concat(principal.AWS ?? []).includes('*'));
  if (!everyone) return false;
  const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block ?? {}));
  return !keys.some((key) => RESTRICTING_KEYS.has(key.toLowerCase()));
}
