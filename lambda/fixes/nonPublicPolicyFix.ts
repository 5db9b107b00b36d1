/**
 * RestrictPublicBuckets refuses every other account while the bucket policy is public, so another grant
 * cannot help: the exact edit gives the public statement to the caller by name (its role, so every session of
 * the job) in place of everyone, keeping its actions, resources and conditions. Nothing outside the bucket
 * owner's account loses access by it, as Block Public Access already refused everyone else there; an AWS
 * service or a principal of the owner's account that relied on it needs its own grant, and the summary says so.
 * With several public statements the first is edited here; the fix's replay finds the next still public and
 * gathers its edit into the same fix, written as one document.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
import type { Fix, PolicyPatch } from '../model/diagnosis';
import { describeStatement } from '../layers/describe';
import { isPublicAllow } from '../layers/publicStatement';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { statementsOf } from '../policy/evaluatePolicy';
import { listOf } from '../policy/listOf';
import type { Statement } from '../policy/types';
import { patchCommand } from './patchCommand';

/** The statement with `arn` where it named everyone; any principal it also named stays. */
function namingInstead(statement: Statement, arn: string): Statement {
  const principal = statement.Principal;
  if (principal === '*' || typeof principal !== 'object') return { ...statement, Principal: { AWS: arn } };
  const aws = listOf(principal.AWS).filter((p) => p !== '*');
  return { ...statement, Principal: { ...principal, AWS: [...new Set([...aws, arn])] } };
}

/** @example nonPublicPolicyFix(request, snapshot).policyPatch?.replaceStatement // { sid: 'PublicDropBox', index: 0 } */
export function nonPublicPolicyFix(request: DeniedRequest, snapshot: AccountSnapshot): Fix {
  const publicOnes = statementsOf(snapshot.bucket.policy ?? { Statement: [] })
    .map((statement, index) => ({ statement, index }))
    .filter(({ statement }) => isPublicAllow(statement));
  const named = publicOnes.map(({ statement, index }) => describeStatement(statement.Sid ?? null, index));
  const callerArn = request.caller.arn;
  const [only] = publicOnes;
  if (!callerArn || !only) {
    return {
      summary: `Make the bucket policy of ${snapshot.bucket.name} non-public: remove ${named.join(', ') || 'its public statements'} or pin it with a condition such as aws:PrincipalOrgID, and grant ${callerArn ?? `account ${request.caller.accountId}`} by name. While any statement allows everyone, Block Public Access (RestrictPublicBuckets) refuses every other account.`,
      owner: 'bucket-owner',
    };
  }
  const sid = typeof only.statement.Sid === 'string' ? only.statement.Sid : undefined;
  const patch: PolicyPatch = {
    layer: 'bucket-policy',
    replaceStatement: { ...(sid ? { sid } : {}), index: only.index },
    Statement: [namingInstead(only.statement, callerArn)],
  };
  const command = patchCommand(patch, request, snapshot);
  return {
    summary: `Give ${named[0]} of the bucket policy of ${snapshot.bucket.name} to ${callerArn} instead of everyone: while it allows everyone, Block Public Access (RestrictPublicBuckets) refuses every other account. Only AWS services and principals of the bucket owner's account could use it until now; any of them that does needs a grant of its own.`,
    owner: 'bucket-owner',
    ...(command ? { command } : {}),
    policyPatch: patch,
  };
}
