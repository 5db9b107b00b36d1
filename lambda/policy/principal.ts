/**
 * Principal and NotPrincipal matching for resource-based policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
import { accountRootArn, partitionOfArn } from './arns';
import { listOf } from './listOf';
import type { PrincipalElement, RequestPrincipal } from './types';

/**
 * How a Principal element named the caller. It matters in the same account: an Allow that names a user
 * or a role session grants by itself; one that names the role is still bounded by the permissions boundary
 * and session policy; one that names the account only delegates to the account's IAM policies.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
export type PrincipalMatch = 'session-or-user' | 'role' | 'account' | 'everyone' | 'service' | 'canonical-user' | null;

/** The caller's account root, in the caller's own partition. */
function accountRoot(principal: RequestPrincipal): string {
  return accountRootArn(partitionOfArn(principal.arn) ?? 'aws', principal.accountId);
}

/** The identities a principal carries, most specific first. */
function identitiesOf(principal: RequestPrincipal): string[] {
  const ids = [principal.arn];
  if (principal.roleArn && principal.roleArn !== principal.arn) ids.push(principal.roleArn);
  ids.push(accountRoot(principal));
  return ids;
}

function awsEntryMatch(entry: string, principal: RequestPrincipal): PrincipalMatch {
  if (entry === '*') return 'everyone';
  if (entry === principal.arn) return 'session-or-user';
  if (principal.roleArn && entry === principal.roleArn) return 'role';
  if (entry === principal.accountId || entry === accountRoot(principal)) return 'account';
  return null;
}

/** Strongest first: a grant naming the session or user stands alone, one naming the account only delegates. */
const MATCH_STRENGTH: PrincipalMatch[] = ['session-or-user', 'role', 'service', 'canonical-user', 'everyone', 'account'];

/** The more specific of two ways a policy named the caller. */
export function strongerMatch(a: PrincipalMatch, b: PrincipalMatch): PrincipalMatch {
  if (a === null) return b;
  if (b === null) return a;
  return MATCH_STRENGTH.indexOf(b) < MATCH_STRENGTH.indexOf(a) ? b : a;
}

export function matchPrincipal(element: PrincipalElement | undefined, principal: RequestPrincipal): PrincipalMatch {
  if (element === '*') return 'everyone';
  if (typeof element !== 'object' || element === null) return null;
  let best: PrincipalMatch = null;
  // A service or anonymous caller is no IAM identity: of the AWS entries only `*` names it.
  const iamCaller = !principal.service && !principal.anonymous;
  for (const entry of listOf(element.AWS)) {
    if (iamCaller || entry === '*') best = strongerMatch(best, awsEntryMatch(entry, principal));
  }
  for (const entry of listOf(element.Service)) {
    if (entry === '*' || (principal.service && entry === principal.service)) best = strongerMatch(best, 'service');
  }
  for (const entry of listOf(element.CanonicalUser)) {
    if (principal.canonicalUserId && entry === principal.canonicalUserId) best = strongerMatch(best, 'canonical-user');
  }
  return best;
}

/**
 * NotPrincipal excludes a caller only when every identity it carries is listed: a role session is left out
 * of a `Deny` only if the account, the role and the session ARN are all named. A principal with a
 * permissions boundary is never left out of a NotPrincipal Deny, whatever it lists.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
export function notPrincipalApplies(element: PrincipalElement | undefined, principal: RequestPrincipal): boolean {
  if (element === undefined) return false;
  if (element === '*') return false;
  if (typeof element !== 'object' || element === null) return true;
  if (principal.hasPermissionsBoundary) return true;
  if (principal.anonymous) return true;
  const root = accountRoot(principal);
  const listed = new Set(listOf(element.AWS).map((entry) => (entry === principal.accountId ? root : entry)));
  if (principal.service && listOf(element.Service).includes(principal.service)) return false;
  return !identitiesOf(principal).every((identity) => listed.has(identity));
}
