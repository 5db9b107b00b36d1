/**
 * An explicit Deny the uploader cannot get around, as the exact edit that spares this caller: the one
 * statement, with the caller added to its exemption, replacing it by Sid or index. A resource policy's Deny
 * that already exempts principals (NotPrincipal, or a negated condition on aws:PrincipalArn, aws:userid or
 * aws:PrincipalAccount) is an allowlist: adding the caller is a policy change its owner makes. Any other
 * Deny, and every SCP, RCP or identity-side Deny, is a guardrail: the same edit is shown for its owner to
 * weigh, never applied by this service.
 *
 * The caller is added by aws:PrincipalArn (the role, so every session of the job), never by account, so no
 * other principal of the account gets through. NotPrincipal needs the account and the session ARN as well:
 * AWS checks the account, then the role, then the session against it, and spares only what all three name.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
import type { DecidingLayer, Fix, LayerName, PolicyPatch } from '../model/diagnosis';
import { describePolicy, describeStatement } from '../layers/describe';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { listOf } from '../policy/listOf';
import type { Statement } from '../policy/types';
import { OWNER_OF_LAYER } from './grantFix';
import { accountRootArn } from '../policy/arns';
import { patchCommand } from './patchCommand';
import { orgPolicyOf } from './orgPolicyOf';

const RESOURCE_POLICIES = new Set<LayerName>(['bucket-policy', 'kms-key-policy', 'vpc-endpoint-policy']);
const EXEMPTING_OPERATOR = /^(ArnNotEquals|ArnNotLike|StringNotEquals|StringNotLike)(IfExists)?$/i;
const EXEMPTING_KEYS = new Set(['aws:principalarn', 'aws:userid', 'aws:principalaccount']);
const PRINCIPAL_ARN_OPERATOR = /^Arn(NotEquals|NotLike)$/i;

type Condition = NonNullable<Statement['Condition']>;

/** Does the statement already name principals it spares? */
export function exemptsPrincipals(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  return Object.entries(statement.Condition ?? {}).some(
    ([operator, block]) => EXEMPTING_OPERATOR.test(operator) && Object.keys(block).some((key) => EXEMPTING_KEYS.has(key.toLowerCase())),
  );
}

/** @example isGuardrailEdit(patch, original) // false for an allowlist in a bucket policy */
export function isGuardrailEdit(layer: LayerName, original: Statement | undefined): boolean {
  return !original || !RESOURCE_POLICIES.has(layer) || !exemptsPrincipals(original);
}

function withNotPrincipal(statement: Statement, arns: string[]): Statement {
  const current = statement.NotPrincipal;
  const aws = typeof current === 'object' ? listOf(current.AWS) : [];
  const others = typeof current === 'object' ? current : {};
  return { ...statement, NotPrincipal: { ...others, AWS: [...new Set([...aws, ...arns])] } };
}

/** The caller's ARN added to an ArnNotEquals/ArnNotLike on aws:PrincipalArn, or as a new one beside the rest. */
function withPrincipalArnExempt(statement: Statement, arn: string): Statement {
  const condition: Condition = structuredClone(statement.Condition ?? {});
  const existing = Object.entries(condition).find(
    ([operator, block]) => PRINCIPAL_ARN_OPERATOR.test(operator) && Object.keys(block).some((k) => k.toLowerCase() === 'aws:principalarn'),
  );
  if (existing) {
    const [operator, block] = existing;
    const key = Object.keys(block).find((k) => k.toLowerCase() === 'aws:principalarn') as string;
    condition[operator] = { ...block, [key]: [...new Set([...listOf(block[key] as string | string[]), arn])] };
  } else {
    condition.ArnNotEquals = { ...(condition.ArnNotEquals ?? {}), 'aws:PrincipalArn': arn };
  }
  return { ...statement, Condition: condition };
}

/** Which policy of the layer holds the statement, named as the patch code finds it. */
function holdingPolicy(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): string | undefined {
  switch (deciding.layer) {
    case 'bucket-policy':
    case 'permissions-boundary':
      return undefined;
    case 'kms-key-policy':
      return deciding.resource;
    case 'vpc-endpoint-policy':
      return request.vpcEndpointId ?? undefined;
    case 'scp':
    case 'rcp':
      return orgPolicyOf(deciding, snapshot)?.policy.id ?? deciding.policy?.name;
    default:
      return deciding.policy?.arn ?? deciding.policy?.name;
  }
}

/** @example exemptionFix(deciding, request, snapshot)?.policyPatch?.replaceStatement // { sid: 'OnlyTheExporter', index: 0 } */
export function exemptionFix(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Fix | null {
  const original = deciding.statement?.body;
  const callerArn = request.caller.arn;
  if (deciding.decision !== 'explicit-deny' || !original || !deciding.policy || !callerArn) return null;
  const session = request.caller.sessionArn && request.caller.sessionArn !== callerArn ? [request.caller.sessionArn] : [];
  const sparing = [callerArn, ...session];
  const edited =
    original.NotPrincipal !== undefined
      ? withNotPrincipal(original, [accountRootArn(request.partition, request.caller.accountId), ...sparing])
      : withPrincipalArnExempt(original, callerArn);
  const policyName = holdingPolicy(deciding, request, snapshot);
  const sid = typeof original.Sid === 'string' ? original.Sid : undefined;
  const patch: PolicyPatch = {
    layer: deciding.layer,
    ...(policyName ? { policyName } : {}),
    replaceStatement: { ...(sid ? { sid } : {}), index: deciding.statement?.index ?? 0 },
    Statement: [edited],
  };
  const where = `${describeStatement(sid ?? null, deciding.statement?.index ?? 0)} in ${describePolicy(deciding.policy)}`;
  const who = original.NotPrincipal !== undefined ? sparing.join(' and ') : `${callerArn} (as aws:PrincipalArn: every session of it)`;
  const summary = isGuardrailEdit(deciding.layer, original)
    ? `${where} denies this request and is a guardrail: the exact edit that would exempt ${who} is shown for its owner to weigh; the service never widens it.`
    : `Add ${who} to the principals that ${where} exempts: the Deny then spares this caller and still applies to every other principal.${
        original.NotPrincipal !== undefined
          ? ' NotPrincipal names one session: a job that runs under another session name needs it too, so AWS advises ArnNotEquals on aws:PrincipalArn instead.'
          : ''
      }`;
  const command = patchCommand(patch, request, snapshot);
  return { summary, owner: OWNER_OF_LAYER[deciding.layer], ...(command ? { command } : {}), policyPatch: patch };
}
