/**
 * RestrictPublicBuckets refuses every other account while the bucket policy is public, so another grant
 * cannot help until it is not. The exact edit pins the public statement to the bucket owner's account
 * (`aws:PrincipalAccount`, a fixed value, makes it non-public): under RestrictPublicBuckets only AWS services
 * and the owner's own principals could use it, and the owner's keep it, so the one loss is an AWS service
 * that relied on it, which the summary names. The caller then still needs a grant of its own: the fix's
 * replay finds that and gathers the job's grant into the same fix, written as one document. With several
 * public statements the replay gathers each in turn.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
 */
import type { Fix, PolicyPatch } from '../model/diagnosis';
import { describeStatement } from '../layers/describe';
import { isPublicAllow } from '../layers/publicStatement';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { statementsOf } from '../policy/evaluatePolicy';
import type { Statement } from '../policy/types';
import { patchCommand } from './patchCommand';

function pinnedTo(statement: Statement, account: string): Statement {
  const condition = statement.Condition ?? {};
  return {
    ...statement,
    Condition: { ...condition, StringEquals: { ...(condition.StringEquals ?? {}), 'aws:PrincipalAccount': account } },
  };
}

/** @example nonPublicPolicyFix(request, snapshot).policyPatch?.replaceStatement // { sid: 'PublicDropBox', index: 0 } */
export function nonPublicPolicyFix(request: DeniedRequest, snapshot: AccountSnapshot): Fix {
  const { bucket } = snapshot;
  const publicOnes = statementsOf(bucket.policy ?? { Statement: [] })
    .map((statement, index) => ({ statement, index }))
    .filter(({ statement }) => isPublicAllow(statement));
  const [first] = publicOnes;
  if (!first || !/^\d{12}$/.test(bucket.accountId)) {
    const named = publicOnes.map(({ statement, index }) => describeStatement(statement.Sid ?? null, index));
    return {
      summary: `Make the bucket policy of ${bucket.name} non-public: remove ${named.join(', ') || 'its public statements'} or pin it with a condition such as aws:PrincipalOrgID, and grant ${request.caller.arn ?? `account ${request.caller.accountId}`} by name. While any statement allows everyone, Block Public Access (RestrictPublicBuckets) refuses every other account.`,
      owner: 'bucket-owner',
    };
  }
  const sid = typeof first.statement.Sid === 'string' ? first.statement.Sid : undefined;
  const patch: PolicyPatch = {
    layer: 'bucket-policy',
    replaceStatement: { ...(sid ? { sid } : {}), index: first.index },
    Statement: [pinnedTo(first.statement, bucket.accountId)],
  };
  const command = patchCommand(patch, request, snapshot);
  return {
    summary: `Pin ${describeStatement(sid ?? null, first.index)} of the bucket policy of ${bucket.name} to the bucket's own account (aws:PrincipalAccount ${bucket.accountId}): while it allows everyone, Block Public Access (RestrictPublicBuckets) refuses every other account. Only AWS services and this account's principals could use it; the account's keep it, and an AWS service that wrote through it needs a grant of its own.`,
    owner: 'bucket-owner',
    ...(command ? { command } : {}),
    policyPatch: patch,
  };
}
