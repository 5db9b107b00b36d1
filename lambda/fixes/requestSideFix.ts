/**
 * When a condition on something the uploader controls decided the request (a header, MFA, TLS, network),
 * the smallest fix is to send the request the policy expects, not to change the policy.
 */
import type { DecidingLayer, Fix, RequestChange } from '../model/diagnosis';
import type { ConditionTrace, Statement } from '../policy/types';
import type { AccountSnapshot } from '../model/snapshot';
import { statementsOf } from '../policy/evaluatePolicy';
import { describeStatement } from '../layers/describe';
import type { DeniedRequest } from '../model/request';
import { requiredVariable, shellQuote } from './shellQuote';
import { uploadCommand } from './uploadCommand';
import { requestChangeWords } from '../model/requestChangeWords';

const NEGATED = /^(ForAllValues:|ForAnyValue:)?(StringNot|NotIp|ArnNot|NumericNot|DateNot)/i;

/**
 * Whether flipping the condition takes one of the values it lists: a Deny's `StringNotEquals` fails, and a
 * near-miss Allow's `StringEquals` holds, once the request carries a listed value.
 */
function needsListedValue(trace: ConditionTrace, flipTo: 'fail' | 'hold'): boolean {
  return (flipTo === 'fail') === NEGATED.test(trace.operator);
}
const WILDCARD = /[*?]|\$\{/;

function headerOf(key: string): string | null {
  const match = /^s3:(x-amz-.+)$/i.exec(key);
  return match?.[1]?.toLowerCase() ?? null;
}

/**
 * A value the policy itself asks for on that header: `Null` names none, so another condition of the policy
 * on the same key (a StringEquals next to it), or for encryption the bucket's own default, gives it.
 */
function valueAskedFor(header: string, trace: ConditionTrace, statements: readonly Statement[], snapshot: AccountSnapshot): string | null {
  const key = trace.key.toLowerCase();
  for (const statement of statements) {
    for (const [operator, block] of Object.entries(statement.Condition ?? {})) {
      if (/^Null$/i.test(operator) || !/^String(Not)?Equals(IgnoreCase)?(IfExists)?$/i.test(operator)) continue;
      for (const [condKey, values] of Object.entries(block)) {
        const found = [values].flat().find((v): v is string => typeof v === 'string' && !WILDCARD.test(v));
        if (condKey.toLowerCase() === key && found !== undefined) return found;
      }
    }
  }
  if (header === 'x-amz-server-side-encryption') return snapshot.bucket.defaultEncryption?.sseAlgorithm ?? 'AES256';
  return null;
}

/**
 * The header change that flips one condition the way the fix needs: for a Deny, make a satisfied condition
 * fail; for a near-miss Allow, make a failed condition hold. `Null: true` holds while the header is absent,
 * `Null: false` while it is present.
 */
function headerChange(trace: ConditionTrace, flipTo: 'fail' | 'hold', context: HeaderContext): RequestChange | null {
  const header = headerOf(trace.key);
  if (!header) return null;
  if (/^Null$/i.test(trace.operator)) {
    const holdsWhenAbsent = trace.expected.some((v) => v.toLowerCase() === 'true');
    const wantAbsent = holdsWhenAbsent === (flipTo === 'hold');
    if (wantAbsent) return { removeHeaders: [header] };
    const value = valueAskedFor(header, trace, context.statements, context.snapshot);
    return value === null ? null : { setHeaders: { [header]: value } };
  }
  const wanted = trace.expected.find((v) => !WILDCARD.test(v));
  if (needsListedValue(trace, flipTo)) return wanted === undefined ? null : { setHeaders: { [header]: wanted } };
  return { removeHeaders: [header] };
}

interface HeaderContext {
  statements: readonly Statement[];
  snapshot: AccountSnapshot;
}

/**
 * What the uploader changes about how it connects: HTTPS, MFA, where it uploads from. Each is also a change
 * of the request's context keys, so the what-if can replay it; a change with no one value to replay (leave
 * an address range or an endpoint, use a given VPC) stays words.
 */
function networkOrSessionFix(trace: ConditionTrace, request: DeniedRequest, flipTo: 'fail' | 'hold'): Fix | null {
  const key = trace.key.toLowerCase();
  if (key === 'aws:securetransport') {
    return {
      summary: 'Send the upload over HTTPS: the policy refuses plain HTTP.',
      owner: 'uploader',
      requestChange: { setContext: { 'aws:SecureTransport': 'true' } },
    };
  }
  if (key === 'aws:multifactorauthpresent' || key === 'aws:multifactorauthage') {
    const user = request.caller.userName;
    const mfaArn = user
      ? shellQuote(`arn:${request.partition}:iam::${request.caller.accountId}:mfa/${user}`)
      : requiredVariable('MFA_ARN', 'your MFA device ARN');
    return {
      summary: 'Upload with credentials from an MFA-authenticated session: the policy refuses requests without MFA.',
      owner: 'uploader',
      command: `aws sts get-session-token --serial-number=${mfaArn} --token-code=${requiredVariable('CODE', 'the code your MFA device shows')}`,
      requestChange: { setContext: { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '0' } },
    };
  }
  if (key === 'aws:sourceip') {
    const inside = needsListedValue(trace, flipTo);
    const came = `the request came from ${trace.actual?.join(', ') ?? 'an unknown address'}`;
    if (!inside) return { summary: `Upload from an address outside ${trace.expected.join(', ')}: ${came}.`, owner: 'uploader' };
    // An address of the first block the policy lists: the block's own address is in it.
    const address = trace.expected[0]?.split('/')[0]?.trim();
    return {
      summary: `Upload from an address in ${trace.expected.join(', ')}: ${came}.`,
      owner: 'uploader',
      ...(address ? { requestChange: { setContext: { 'aws:SourceIp': address } } } : {}),
    };
  }
  if (key === 'aws:tokenissuetime') {
    // IAM's "revoke active sessions" denies every session issued before it: a new session is the fix, never the
    // revoking policy, which someone put there on purpose.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
    const limit = trace.expected[0];
    const replayable = flipTo === 'fail' && /^DateLessThan(Equals)?$/i.test(trace.operator) && limit !== undefined;
    return {
      summary: `Start a new session (assume the role again, or restart the job so it fetches fresh credentials): this one was issued at ${trace.actual?.join(', ') ?? 'an unknown time'}, and the policy refuses sessions issued ${flipTo === 'fail' ? 'before' : 'outside'} ${trace.expected.join(', ')}. Leave that policy as it is: sessions are revoked on purpose.`,
      owner: 'uploader',
      ...(replayable ? { requestChange: { setContext: { 'aws:TokenIssueTime': limit } } } : {}),
    };
  }
  if (key === 'aws:sourcevpce' || key === 'aws:sourcevpc') {
    // An endpoint the policy names is one to replay through (its own policy then unread); a VPC is not: which of
    // its endpoints is not known.
    const inside = needsListedValue(trace, flipTo);
    const endpoint = key === 'aws:sourcevpce' && inside ? trace.expected.find((e) => /^vpce-[0-9a-f]+$/.test(e)) : undefined;
    const came = `the request came ${trace.actual ? `through ${trace.actual.join(', ')}` : 'over the internet'}`;
    return {
      summary: inside
        ? `Upload through ${trace.expected.join(' or ')}: ${came}.`
        : `Upload other than through ${trace.expected.join(' or ')}, which the policy refuses: ${came}.`,
      owner: 'uploader',
      ...(endpoint ? { requestChange: { setContext: { 'aws:SourceVpce': endpoint } } } : {}),
    };
  }
  return null;
}

/** The statements a header value may be read from: the deciding one, then the rest of a bucket policy. */
function statementsNear(deciding: DecidingLayer, snapshot: AccountSnapshot): Statement[] {
  const own = deciding.statement?.body ? [deciding.statement.body] : [];
  const policy = deciding.layer === 'bucket-policy' && snapshot.bucket.policy ? statementsOf(snapshot.bucket.policy) : [];
  return [...own, ...policy];
}

export function requestSideFix(deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): Fix | null {
  if (request.service !== 's3') return null;
  const flipTo = deciding.decision === 'explicit-deny' ? 'fail' : 'hold';
  const relevant = deciding.conditions.filter((t) => (flipTo === 'fail' ? t.satisfied : !t.satisfied));
  const context = { statements: statementsNear(deciding, snapshot), snapshot };
  for (const trace of relevant) {
    const change = headerChange(trace, flipTo, context);
    if (change) {
      // The headers of a multipart upload are sent once, when it is started.
      const retry = request.multipart ? 'Start the multipart upload again' : 'Retry the upload';
      return {
        summary: `${retry} with ${requestChangeWords(change)}, as ${trace.key} in ${describeStatement(deciding.statement?.sid ?? null, deciding.statement?.index ?? 0)} requires.`,
        owner: 'uploader',
        command: uploadCommand(request, change),
        requestChange: change,
      };
    }
    const other = networkOrSessionFix(trace, request, flipTo);
    if (other) return other;
  }
  return null;
}
