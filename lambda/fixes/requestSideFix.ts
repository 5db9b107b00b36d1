/**
 * When a condition on something the uploader controls decided the request (a header, MFA, TLS, network),
 * the smallest fix is to send the request the policy expects, not to change the policy.
 */
import type { DecidingLayer, Fix, RequestChange } from '../model/diagnosis';
import type { ConditionTrace } from '../policy/types';
import type { DeniedRequest } from '../model/request';
import { requiredVariable, shellQuote } from './shellQuote';
import { uploadCommand } from './uploadCommand';

const NEGATED = /^(ForAllValues:|ForAnyValue:)?(StringNot|NotIp|ArnNot|NumericNot|DateNot)/i;
const WILDCARD = /[*?]|\$\{/;

function headerOf(key: string): string | null {
  const match = /^s3:(x-amz-.+)$/i.exec(key);
  return match?.[1]?.toLowerCase() ?? null;
}

/**
 * The header change that flips one condition the way the fix needs: for a Deny, make a satisfied condition
 * fail; for a near-miss Allow, make a failed condition hold.
 */
function headerChange(trace: ConditionTrace, flipTo: 'fail' | 'hold'): RequestChange | null {
  const header = headerOf(trace.key);
  if (!header) return null;
  const negated = NEGATED.test(trace.operator);
  const wanted = trace.expected.find((v) => !WILDCARD.test(v));
  const needsExpectedValue = (flipTo === 'fail') === negated;
  if (/^Null$/i.test(trace.operator)) return null;
  if (needsExpectedValue) return wanted === undefined ? null : { setHeaders: { [header]: wanted } };
  return { removeHeaders: [header] };
}

function networkOrSessionFix(trace: ConditionTrace, request: DeniedRequest): Fix | null {
  const key = trace.key.toLowerCase();
  if (key === 'aws:securetransport') {
    return { summary: 'Send the upload over HTTPS: the policy refuses plain HTTP.', owner: 'uploader' };
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
    };
  }
  if (key === 'aws:sourceip') {
    return {
      summary: `Upload from an address in ${trace.expected.join(', ')}: the request came from ${trace.actual?.join(', ') ?? 'an unknown address'}.`,
      owner: 'uploader',
    };
  }
  if (key === 'aws:sourcevpce' || key === 'aws:sourcevpc') {
    return {
      summary: `Upload through ${trace.expected.join(' or ')}: the request came ${trace.actual ? `through ${trace.actual.join(', ')}` : 'over the internet'}.`,
      owner: 'uploader',
    };
  }
  return null;
}

export function requestSideFix(deciding: DecidingLayer, request: DeniedRequest): Fix | null {
  if (request.service !== 's3') return null;
  const flipTo = deciding.decision === 'explicit-deny' ? 'fail' : 'hold';
  const relevant = deciding.conditions.filter((t) => (flipTo === 'fail' ? t.satisfied : !t.satisfied));
  for (const trace of relevant) {
    const change = headerChange(trace, flipTo);
    if (change) {
      const what = change.setHeaders
        ? Object.entries(change.setHeaders)
            .map(([h, v]) => `${h}: ${v}`)
            .join(', ')
        : `no ${change.removeHeaders?.join(', ')}`;
      return {
        summary: `Retry the upload with ${what}, as ${trace.key} in the policy requires.`,
        owner: 'uploader',
        command: uploadCommand(request, change),
        requestChange: change,
      };
    }
    const other = networkOrSessionFix(trace, request);
    if (other) return other;
  }
  return null;
}
