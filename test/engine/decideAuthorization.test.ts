/**
 * How the layers combine for one authorization, each row from the IAM policy evaluation logic:
 * - an explicit Deny (or a setting that refuses the request) anywhere ends it, before anything else;
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * - RCPs, SCPs and a VPC endpoint policy must each allow; they never grant;
 * - in the resource owner's account either side may grant: a resource policy naming the user or role
 *   session grants alone, one naming the role is still capped by the boundary and session policy, one
 *   naming the account only delegates to IAM policies;
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html#policy-eval-basics
 * - across accounts both sides must grant;
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * - a KMS key policy is always needed: IAM policies count only when it delegates to the account; a grant
 *   allows on its own;
 *   https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
 * - a service principal or an anonymous caller has no identity side: only a resource grant naming it.
 */
import { decideAuthorization } from '../../lambda/engine/decideAuthorization';
import type { LayerName, LayerResultKind } from '../../lambda/model/diagnosis';
import type { Authorization, LayerOutcome } from '../../lambda/layers/types';
import type { PrincipalMatch } from '../../lambda/policy/principal';
import type { RequestPrincipal } from '../../lambda/policy/types';
import { ACCOUNT, OBJECT_ARN, OTHER_ACCOUNT, ROLE_ARN, SESSION_ARN } from '../factories';

const ROLE_SESSION: RequestPrincipal = { arn: SESSION_ARN, roleArn: ROLE_ARN, accountId: ACCOUNT };
const CLOUDTRAIL: RequestPrincipal = { arn: 'cloudtrail.amazonaws.com', accountId: ACCOUNT, service: 'cloudtrail.amazonaws.com' };
const ANONYMOUS: RequestPrincipal = { arn: 'anonymous', accountId: 'anonymous', anonymous: true };

function authorization(service: 's3' | 'kms', resourceAccount: string, principal = ROLE_SESSION): Authorization {
  const action = service === 's3' ? 's3:PutObject' : 'kms:GenerateDataKey';
  const resource = service === 's3' ? OBJECT_ARN : `arn:aws:kms:us-west-2:${resourceAccount}:key/k`;
  return { action, resource, service, key: null, resourceAccount, query: { principal, action, resource, context: {} } };
}

/** `identity-policy:allow`, `bucket-policy:allow:role` (the grant), `scp:implicit-deny`. */
function outcome(spec: string): LayerOutcome {
  const [layer, result, grant] = spec.split(':') as [LayerName, LayerResultKind, PrincipalMatch | undefined];
  return {
    layer,
    action: 's3:PutObject',
    resource: OBJECT_ARN,
    result,
    detail: `${layer} ${result}`,
    policy: null,
    statement: null,
    conditions: [],
    explanation: null,
    grant: grant ?? null,
    unrecorded: null,
  };
}

interface Decided {
  denials: string[];
  undetermined: string[];
}

function decide(auth: Authorization, specs: string[], callerAccount = ACCOUNT): Decided {
  const decision = decideAuthorization(auth, specs.map(outcome), callerAccount);
  return { denials: decision.denials.map((o) => o.layer), undetermined: decision.undetermined.map((o) => o.layer) };
}

const allowed: Decided = { denials: [], undetermined: [] };
const deniedBy = (...denials: string[]): Decided => ({ denials, undetermined: [] });

describe('an upload in the bucket owner’s account', () => {
  const s3 = authorization('s3', ACCOUNT);
  it.each<[string, string[], Decided]>([
    ['the identity policy allows, the bucket policy is silent', ['identity-policy:allow', 'bucket-policy:implicit-deny'], allowed],
    [
      'the bucket policy names the session: it grants alone, past a boundary that is silent',
      ['identity-policy:implicit-deny', 'permissions-boundary:implicit-deny', 'bucket-policy:allow:session-or-user'],
      allowed,
    ],
    [
      'the bucket policy names the role: the boundary still caps it',
      ['identity-policy:implicit-deny', 'permissions-boundary:implicit-deny', 'bucket-policy:allow:role'],
      deniedBy('permissions-boundary'),
    ],
    [
      'the bucket policy names the role: the session policy still caps it',
      ['identity-policy:implicit-deny', 'session-policy:implicit-deny', 'bucket-policy:allow:role'],
      deniedBy('session-policy'),
    ],
    ['the bucket policy names the role, nothing caps it', ['identity-policy:implicit-deny', 'bucket-policy:allow:role'], allowed],
    [
      'the bucket policy names only the account: it delegates to IAM, which is silent',
      ['identity-policy:implicit-deny', 'bucket-policy:allow:account'],
      deniedBy('identity-policy'),
    ],
    [
      'an ACL grant to the account delegates too',
      ['identity-policy:implicit-deny', 'bucket-acl:allow:account'],
      deniedBy('identity-policy'),
    ],
    ['an ACL grant to the canonical user stands in for IAM', ['identity-policy:implicit-deny', 'bucket-acl:allow:canonical-user'], allowed],
    [
      'the identity policy allows but the boundary does not',
      ['identity-policy:allow', 'permissions-boundary:implicit-deny'],
      deniedBy('permissions-boundary'),
    ],
    ['nothing grants it', ['identity-policy:implicit-deny', 'bucket-policy:implicit-deny'], deniedBy('identity-policy')],
    [
      'an SCP with no Allow, whatever grants it',
      ['scp:implicit-deny', 'identity-policy:allow', 'bucket-policy:allow:session-or-user'],
      deniedBy('scp'),
    ],
    ['an RCP with no Allow', ['rcp:implicit-deny', 'identity-policy:allow'], deniedBy('rcp')],
    [
      'a VPC endpoint policy with no Allow',
      ['vpc-endpoint-policy:implicit-deny', 'identity-policy:allow'],
      deniedBy('vpc-endpoint-policy'),
    ],
    ['layers not in play pass', ['identity-policy:allow', 'scp:not-applicable', 'permissions-boundary:not-applicable'], allowed],
  ])('%s', (_name, specs, expected) => {
    expect(decide(s3, specs)).toEqual(expected);
  });

  it('an explicit Deny or a refusing setting comes before any missing grant, in the order they were found', () => {
    expect(
      decide(s3, ['identity-policy:implicit-deny', 'object-ownership:setting-blocked', 'bucket-policy:explicit-deny', 'scp:implicit-deny'])
        .denials,
    ).toEqual(['object-ownership', 'bucket-policy', 'scp', 'identity-policy']);
  });

  it('several missing grants in AWS order: organization, endpoint, resource, then the caller’s side', () => {
    const specs = [
      'session-policy:implicit-deny',
      'identity-policy:implicit-deny',
      'vpc-endpoint-policy:implicit-deny',
      'scp:implicit-deny',
      'rcp:implicit-deny',
    ];
    expect(decide(s3, specs).denials).toEqual(['rcp', 'scp', 'vpc-endpoint-policy', 'identity-policy', 'session-policy']);
  });

  it('a silent bucket policy or ACL is shown as not needed, not as a deny', () => {
    const decision = decideAuthorization(
      s3,
      ['identity-policy:allow', 'bucket-policy:implicit-deny', 'bucket-acl:implicit-deny'].map(outcome),
      ACCOUNT,
    );
    expect(decision.outcomes.map((o) => `${o.layer} ${o.result}: ${o.detail}`)).toEqual([
      'identity-policy allow: identity-policy allow',
      "bucket-policy not-applicable: bucket-policy implicit-deny (not needed in the owner's account)",
      "bucket-acl not-applicable: bucket-acl implicit-deny (not needed in the owner's account)",
    ]);
  });
});

describe('an upload from another account: both sides must grant', () => {
  const s3 = authorization('s3', ACCOUNT, { ...ROLE_SESSION, accountId: OTHER_ACCOUNT });
  it.each<[string, string[], Decided]>([
    ['both grant', ['identity-policy:allow', 'bucket-policy:allow:role'], allowed],
    ['the ACL grants for the bucket', ['identity-policy:allow', 'bucket-acl:allow:account'], allowed],
    ['the bucket grants nothing', ['identity-policy:allow', 'bucket-policy:implicit-deny'], deniedBy('bucket-policy')],
    [
      'the caller’s side grants nothing',
      ['identity-policy:implicit-deny', 'bucket-policy:allow:session-or-user'],
      deniedBy('identity-policy'),
    ],
    [
      'a grant naming the session does not lift the caller’s boundary',
      ['identity-policy:allow', 'permissions-boundary:implicit-deny', 'bucket-policy:allow:session-or-user'],
      deniedBy('permissions-boundary'),
    ],
  ])('%s', (_name, specs, expected) => {
    expect(decide(s3, specs, OTHER_ACCOUNT)).toEqual(expected);
  });

  it('keeps the silent bucket policy as a deny in the trace: here it is one', () => {
    const decision = decideAuthorization(s3, ['identity-policy:allow', 'bucket-policy:implicit-deny'].map(outcome), OTHER_ACCOUNT);
    expect(decision.outcomes.find((o) => o.layer === 'bucket-policy')?.result).toBe('implicit-deny');
  });
});

describe('layers the collectors could not see', () => {
  const s3 = authorization('s3', ACCOUNT);
  it.each<[string, string[], string, Decided]>([
    [
      'only an unseen identity policy could have denied it',
      ['identity-policy:not-visible'],
      ACCOUNT,
      { denials: [], undetermined: ['identity-policy'] },
    ],
    [
      'an unseen SCP, everything else allows',
      ['scp:not-visible', 'identity-policy:allow'],
      ACCOUNT,
      { denials: [], undetermined: ['scp'] },
    ],
    [
      'a seen failure decides; the unseen is not blamed',
      ['scp:not-visible', 'identity-policy:implicit-deny'],
      ACCOUNT,
      deniedBy('identity-policy'),
    ],
    [
      'an explicit Deny decides',
      ['scp:not-visible', 'bucket-policy:explicit-deny', 'identity-policy:allow'],
      ACCOUNT,
      deniedBy('bucket-policy'),
    ],
    [
      'the other account’s side unseen, the bucket silent: the bucket is the seen failure',
      ['identity-policy:not-visible', 'bucket-policy:implicit-deny'],
      OTHER_ACCOUNT,
      deniedBy('bucket-policy'),
    ],
    [
      'the other account’s side unseen, the bucket grants: it is what could still deny',
      ['identity-policy:not-visible', 'scp:not-visible', 'bucket-policy:allow:role'],
      OTHER_ACCOUNT,
      { denials: [], undetermined: ['scp', 'identity-policy'] },
    ],
  ])('%s', (_name, specs, caller, expected) => {
    const auth = caller === ACCOUNT ? s3 : authorization('s3', ACCOUNT, { ...ROLE_SESSION, accountId: caller });
    expect(decide(auth, specs, caller)).toEqual(expected);
  });
});

describe('a KMS key: its key policy is always needed', () => {
  const kms = authorization('kms', ACCOUNT);
  it.each<[string, string[], Decided]>([
    ['the key policy names the session: enough alone', ['kms-key-policy:allow:session-or-user', 'identity-policy:implicit-deny'], allowed],
    [
      'the key policy names the role: the boundary caps it',
      ['kms-key-policy:allow:role', 'identity-policy:implicit-deny', 'permissions-boundary:implicit-deny'],
      deniedBy('permissions-boundary'),
    ],
    ['the key policy names the role, nothing caps it', ['kms-key-policy:allow:role', 'identity-policy:implicit-deny'], allowed],
    [
      'the key policy delegates to the account: the identity policy must allow',
      ['kms-key-policy:allow:account', 'identity-policy:implicit-deny'],
      deniedBy('identity-policy'),
    ],
    ['the key policy delegates and IAM allows', ['kms-key-policy:allow:account', 'identity-policy:allow'], allowed],
    [
      'the key policy is silent: IAM alone never grants',
      ['kms-key-policy:implicit-deny', 'identity-policy:allow'],
      deniedBy('kms-key-policy'),
    ],
    [
      'a grant allows on its own',
      ['kms-key-policy:implicit-deny', 'kms-grant:allow:session-or-user', 'identity-policy:implicit-deny'],
      allowed,
    ],
    ['a grant does not pass an SCP', ['kms-grant:allow:role', 'scp:implicit-deny'], deniedBy('scp')],
    [
      'an unseen key policy could have been the one',
      ['kms-key-policy:not-visible', 'identity-policy:allow'],
      { denials: [], undetermined: ['kms-key-policy'] },
    ],
  ])('%s', (_name, specs, expected) => {
    expect(decide(kms, specs)).toEqual(expected);
  });

  it('a key in another account: its policy naming the caller still needs the caller’s IAM policy', () => {
    const crossKey = authorization('kms', OTHER_ACCOUNT);
    expect(decide(crossKey, ['kms-key-policy:allow:session-or-user', 'identity-policy:implicit-deny'])).toEqual(
      deniedBy('identity-policy'),
    );
    expect(decide(crossKey, ['kms-key-policy:allow:session-or-user', 'identity-policy:allow'])).toEqual(allowed);
  });
});

describe('a service principal or an unsigned caller: only a grant naming it', () => {
  it.each<[string, RequestPrincipal, 's3' | 'kms', string[], Decided]>([
    ['a service named by the bucket policy', CLOUDTRAIL, 's3', ['bucket-policy:allow:service'], allowed],
    [
      'a service under a grant to the account: delegation grants it nothing',
      CLOUDTRAIL,
      's3',
      ['bucket-policy:allow:account'],
      deniedBy('bucket-policy'),
    ],
    ['a service and a silent bucket policy', CLOUDTRAIL, 's3', ['bucket-policy:implicit-deny'], deniedBy('bucket-policy')],
    ['a service named by the ACL', CLOUDTRAIL, 's3', ['bucket-acl:allow:canonical-user'], allowed],
    ['a service named by the key policy', CLOUDTRAIL, 'kms', ['kms-key-policy:allow:service'], allowed],
    ['a service under a key policy for the account', CLOUDTRAIL, 'kms', ['kms-key-policy:allow:account'], deniedBy('kms-key-policy')],
    ['a service under a KMS grant naming it', CLOUDTRAIL, 'kms', ['kms-key-policy:implicit-deny', 'kms-grant:allow:service'], allowed],
    ['anyone, under a public grant', ANONYMOUS, 's3', ['bucket-policy:allow:everyone'], allowed],
    ['anyone, and an SCP without an Allow', ANONYMOUS, 's3', ['bucket-policy:allow:everyone', 'rcp:implicit-deny'], deniedBy('rcp')],
    ['anyone, under a silent bucket policy', ANONYMOUS, 's3', ['bucket-policy:implicit-deny'], deniedBy('bucket-policy')],
  ])('%s', (_name, principal, service, specs, expected) => {
    expect(decide(authorization(service, ACCOUNT, principal), specs)).toEqual(expected);
  });

  it('says why an Allow for the account did not let a service in', () => {
    const decision = decideAuthorization(authorization('s3', ACCOUNT, CLOUDTRAIL), [outcome('bucket-policy:allow:account')], ACCOUNT);
    expect(decision.denials.map((o) => `${o.result}: ${o.detail}`)).toEqual([
      'implicit-deny: bucket-policy allow, but only to the account, whose IAM policies cannot speak for a service principal or an unsigned caller',
    ]);
  });

  it('keeps the silent bucket policy as the deny it is, even in the owner’s account', () => {
    const decision = decideAuthorization(authorization('s3', ACCOUNT, CLOUDTRAIL), [outcome('bucket-policy:implicit-deny')], ACCOUNT);
    expect(decision.outcomes[0]?.result).toBe('implicit-deny');
  });
});

// A key is used through its key policy or through a grant: no grant denies nothing by itself, in any account.
// https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html
describe('a key without a grant for the caller', () => {
  it.each<[string, RequestPrincipal, string]>([
    ['in the key’s account', ROLE_SESSION, ACCOUNT],
    ['from another account', { ...ROLE_SESSION, accountId: OTHER_ACCOUNT }, OTHER_ACCOUNT],
    ['for a service principal', CLOUDTRAIL, ACCOUNT],
  ])('%s: the grant is shown as optional, the key policy decides', (_name, principal, callerAccount) => {
    const decision = decideAuthorization(
      authorization('kms', ACCOUNT, principal),
      ['kms-key-policy:implicit-deny', 'kms-grant:implicit-deny'].map(outcome),
      callerAccount,
    );
    expect(decision.outcomes.find((o) => o.layer === 'kms-grant')).toMatchObject({
      result: 'not-applicable',
      detail: 'kms-grant implicit-deny (optional: the key policy can allow instead)',
    });
    expect(decision.denials.map((o) => o.layer)).toEqual(['kms-key-policy']);
  });
});
