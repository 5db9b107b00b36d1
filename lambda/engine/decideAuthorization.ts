/**
 * How AWS combines the layers for one authorization:
 * 1. an explicit Deny in any layer, or a setting that refuses the request, ends it;
 * 2. RCPs, SCPs and the VPC endpoint policy must each allow;
 * 3. then a grant is needed: in the resource owner's account either side may grant (a resource policy naming
 *    the session or user grants alone; one naming the role is still capped by the permissions boundary and
 *    session policy; one naming the account only delegates to IAM). Across accounts both sides must grant.
 *    A KMS key policy is always required: IAM policies count only when it delegates to the account.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/determining-access-key-policy.html
 */
import type { LayerName } from '../model/diagnosis';
import type { Authorization, LayerOutcome } from '../layers/types';
import type { PrincipalMatch } from '../policy/principal';

export interface AuthorizationDecision {
  authorization: Authorization;
  outcomes: LayerOutcome[];
  /** Layers that refused it, in AWS evaluation order: explicit denies and settings first. */
  denials: LayerOutcome[];
  /** Layers that could not be seen and would have decided: allowed if they allow, denied if not. */
  undetermined: LayerOutcome[];
}

type Assumption = 'unseen-allows' | 'unseen-denies';

const GUARDRAILS: LayerName[] = ['rcp', 'scp', 'vpc-endpoint-policy'];
const IDENTITY_SIDE: LayerName[] = ['identity-policy', 'permissions-boundary', 'session-policy'];
const CAPS: LayerName[] = ['permissions-boundary', 'session-policy'];

function passes(outcome: LayerOutcome | undefined, assumption: Assumption): boolean {
  if (!outcome) return true;
  if (outcome.result === 'not-visible') return assumption === 'unseen-allows';
  return outcome.result === 'allow' || outcome.result === 'not-applicable';
}

/** What grant a resource layer gave: an unseen one is assumed to grant directly, or not at all. */
function grantOf(outcome: LayerOutcome | undefined, assumption: Assumption): PrincipalMatch {
  if (!outcome) return null;
  if (outcome.result === 'not-visible') return assumption === 'unseen-allows' ? 'session-or-user' : null;
  return outcome.result === 'allow' ? (outcome.grant ?? 'account') : null;
}

/** The layers whose failure keeps the request out, under one assumption about the unseen ones. */
function failingLayers(
  byLayer: Map<LayerName, LayerOutcome>,
  authorization: Authorization,
  callerAccount: string,
  assumption: Assumption,
): LayerName[] {
  const failing: LayerName[] = GUARDRAILS.filter((layer) => !passes(byLayer.get(layer), assumption));
  if (grantsOnlyFromResource(authorization)) return [...failing, ...missingResourceGrant(byLayer, authorization, assumption)];
  const failingIdentity = IDENTITY_SIDE.filter((layer) => !passes(byLayer.get(layer), assumption));
  const failingCaps = failingIdentity.filter((layer) => CAPS.includes(layer));
  const sameAccount = callerAccount === authorization.resourceAccount;

  if (authorization.service === 'kms') {
    const keyGrant = grantOf(byLayer.get('kms-key-policy'), assumption);
    const grantGrant = grantOf(byLayer.get('kms-grant'), assumption);
    if (grantGrant) return failing;
    if (!keyGrant) return [...failing, 'kms-key-policy'];
    const keyGrantsAlone = sameAccount && keyGrant !== 'account';
    if (keyGrantsAlone) return keyGrant === 'session-or-user' ? failing : [...failing, ...failingCaps];
    return [...failing, ...failingIdentity];
  }

  const resourceGrants = [grantOf(byLayer.get('bucket-policy'), assumption), grantOf(byLayer.get('bucket-acl'), assumption)];
  const anyResourceGrant = resourceGrants.some((g) => g !== null);
  if (sameAccount) {
    if (failingIdentity.length === 0) return failing;
    if (resourceGrants.includes('session-or-user')) return failing;
    // A grant to the role stands in for the identity policy, but the boundary and session policy still cap it.
    const boundedGrant = resourceGrants.some((g) => g !== null && g !== 'account');
    if (boundedGrant) return [...failing, ...failingCaps];
    return [...failing, ...failingIdentity];
  }
  return [...failing, ...failingIdentity, ...(anyResourceGrant ? [] : (['bucket-policy'] as LayerName[]))];
}

/**
 * For a service principal or an anonymous caller only a resource policy (or ACL) naming it can grant; a
 * statement that delegates to an account's IAM policies grants such a caller nothing.
 */
function missingResourceGrant(byLayer: Map<LayerName, LayerOutcome>, authorization: Authorization, assumption: Assumption): LayerName[] {
  const direct = (layer: LayerName) => {
    const grant = grantOf(byLayer.get(layer), assumption);
    return grant !== null && grant !== 'account';
  };
  if (authorization.service === 'kms') return direct('kms-key-policy') || direct('kms-grant') ? [] : ['kms-key-policy'];
  return direct('bucket-policy') || direct('bucket-acl') ? [] : ['bucket-policy'];
}

/** A service principal or an anonymous caller has no identity side: nothing but a resource grant lets it in. */
function grantsOnlyFromResource(authorization: Authorization): boolean {
  const { principal } = authorization.query;
  return principal.service !== undefined || principal.anonymous === true;
}

const ORDER: LayerName[] = [
  'rcp',
  'scp',
  'vpc-endpoint-policy',
  'bucket-policy',
  'bucket-acl',
  'kms-key-policy',
  'kms-grant',
  'identity-policy',
  'permissions-boundary',
  'session-policy',
];

export function decideAuthorization(authorization: Authorization, outcomes: LayerOutcome[], callerAccount: string): AuthorizationDecision {
  const byLayer = new Map(outcomes.map((o) => [o.layer, o]));
  const hardStops = outcomes.filter((o) => o.result === 'explicit-deny' || o.result === 'setting-blocked');
  const visibleFailures = failingLayers(byLayer, authorization, callerAccount, 'unseen-allows');
  const allFailures = failingLayers(byLayer, authorization, callerAccount, 'unseen-denies');
  const pick = (layers: LayerName[]) =>
    ORDER.filter((layer) => layers.includes(layer))
      .map((layer) => byLayer.get(layer))
      .filter((o): o is LayerOutcome => o !== undefined);
  const implicit = pick(visibleFailures)
    .filter((o) => o.result === 'implicit-deny' || o.result === 'allow')
    .map((o) => (o.result === 'allow' ? delegationOnly(o) : o));
  const undetermined =
    hardStops.length === 0 && visibleFailures.length === 0 ? pick(allFailures).filter((o) => o.result === 'not-visible') : [];
  return {
    authorization,
    // For a service principal or an unsigned caller the bucket policy's silence is itself the denial.
    outcomes: relabelSilence(outcomes, !grantsOnlyFromResource(authorization) && callerAccount === authorization.resourceAccount),
    denials: [...hardStops, ...implicit],
    undetermined,
  };
}

/**
 * An Allow that names only the account delegates to the account's IAM policies; a service principal or an
 * unsigned caller has none, so for it that Allow grants nothing.
 */
function delegationOnly(outcome: LayerOutcome): LayerOutcome {
  return {
    ...outcome,
    result: 'implicit-deny',
    detail: `${outcome.detail}, but only to the account, whose IAM policies cannot speak for a service principal or an unsigned caller`,
  };
}

/**
 * Silence that denies nothing by itself is not shown as an implicit deny, which would send the reader to the
 * wrong policy: in the owner's account a bucket policy or ACL need not grant; a key needs no grant when its
 * key policy allows (a grant is only one of the two ways in).
 * https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html
 */
function relabelSilence(outcomes: LayerOutcome[], ownersAccount: boolean): LayerOutcome[] {
  return outcomes.map((o) => {
    if (o.result !== 'implicit-deny') return o;
    if (o.layer === 'kms-grant') return notNeeded(o, 'optional: the key policy can allow instead');
    const bucketSide = o.layer === 'bucket-policy' || o.layer === 'bucket-acl';
    if (ownersAccount && bucketSide) return notNeeded(o, "not needed in the owner's account");
    return o;
  });
}

function notNeeded(outcome: LayerOutcome, why: string): LayerOutcome {
  return { ...outcome, result: 'not-applicable', detail: `${outcome.detail} (${why})` };
}
