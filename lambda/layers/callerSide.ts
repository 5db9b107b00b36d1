/**
 * The caller's own layers (identity policies, permissions boundary, session policy, SCPs) exist only for an
 * IAM principal this record names. An AWS service principal and an anonymous caller have none: only resource
 * policies, ACLs and Block Public Access decide for them. The bucket owner's copy of a cross-account call
 * (`AWSAccount`) names only the caller's account, so those layers live there, out of sight.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
 */
import type { LayerName } from '../model/diagnosis';
import { principalKindOf } from '../events/principalKind';
import { notApplicable, notVisible } from './outcomes';
import type { LayerInput, LayerOutcome } from './types';

const CALLER_SIDE_LAYERS: ReadonlySet<LayerName> = new Set(['identity-policy', 'permissions-boundary', 'session-policy', 'scp']);

/** The outcome a caller-side layer has for a caller that is not an IAM principal named here, or null to evaluate it. */
export function callerSideOutcome(layer: LayerName, input: LayerInput): LayerOutcome | null {
  if (!CALLER_SIDE_LAYERS.has(layer)) return null;
  const { caller } = input.request;
  const kind = principalKindOf(caller);
  if (kind === 'service') {
    return notApplicable(
      layer,
      input,
      `the caller is the AWS service ${caller.invokedBy ?? 'principal'}, which has no ${layerNoun(layer)}`,
    );
  }
  if (kind === 'anonymous') return notApplicable(layer, input, `the request was anonymous (unsigned), so it has no ${layerNoun(layer)}`);
  // When the snapshot names the caller anyway (a partner's read role showed it), its layers are evaluated.
  if (kind === 'account' && caller.arn === null && input.snapshot.principal.arn === null) {
    return notVisible(
      layer,
      input,
      `the caller is in account ${caller.accountId}; this copy of the record names only that account, so its ${layerNoun(layer)} cannot be seen from here`,
    );
  }
  return null;
}

function layerNoun(layer: LayerName): string {
  if (layer === 'scp') return 'service control policies';
  if (layer === 'identity-policy') return 'identity policies';
  return layer.replace('-', ' ');
}
