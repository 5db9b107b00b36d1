/**
 * What the record itself says decided the request: the layer in S3's or KMS's enhanced message, or an
 * error code that only one layer produces. The diagnosis must agree with it or say why not.
 */
import type { Decision, LayerName, PolicyRef } from '../model/diagnosis';
import { parseErrorMessage } from '../events/parseErrorMessage';
import type { DeniedRequest, PolicyTypeBlamed } from '../model/request';
import type { SnapshotEvidence } from '../model/snapshot';

export interface Evidence {
  layer: LayerName;
  action: string;
  decision: Decision;
  /** The words AWS used, for explanations. */
  said: string;
  /** The policy AWS named as the denier, when it named one: evidence even where the collectors saw nothing. */
  policy: PolicyRef | null;
}

const LAYER_OF_POLICY_TYPE: Record<Exclude<PolicyTypeBlamed, 'resource-based policy'>, LayerName> = {
  'identity-based policy': 'identity-policy',
  'service control policy': 'scp',
  'resource control policy': 'rcp',
  'permissions boundary': 'permissions-boundary',
  'session policy': 'session-policy',
  'VPC endpoint policy': 'vpc-endpoint-policy',
};

/**
 * S3 answers AccessControlListNotSupported only when Object Ownership disables ACLs.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/ensure-object-ownership.html
 * VpceAccessDenied is logged only when an endpoint's policy refused the call; whether by an explicit Deny or
 * for want of an Allow, the code does not say.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-network-events-with-cloudtrail.html
 */
const ERROR_CODE_LAYERS: Record<string, { layer: LayerName; decision: Decision; on: 's3' | 'kms' }> = {
  AccessControlListNotSupported: { layer: 'object-ownership', decision: 'setting-blocked', on: 's3' },
  DisabledException: { layer: 'kms-key-state', decision: 'setting-blocked', on: 'kms' },
  'KMS.DisabledException': { layer: 'kms-key-state', decision: 'setting-blocked', on: 'kms' },
  KMSInvalidStateException: { layer: 'kms-key-state', decision: 'setting-blocked', on: 'kms' },
  'KMS.KMSInvalidStateException': { layer: 'kms-key-state', decision: 'setting-blocked', on: 'kms' },
  // A VPC endpoint's own record of a call its policy refused (a network activity event).
  VpceAccessDenied: { layer: 'vpc-endpoint-policy', decision: 'implicit-deny', on: 's3' },
};

/** The action an error code speaks of: S3's own, or the KMS call S3 made (or the KMS record's own). */
function actionOf(request: DeniedRequest, on: 's3' | 'kms'): string {
  if (request.service === 'kms') return `kms:${request.event.name}`;
  return on === 's3' ? 's3:PutObject' : 'kms:GenerateDataKey';
}

/**
 * The record's own word first; when it has none (a bare "Access Denied"), what a related record the
 * collectors found says — the failed KMS call S3 made for the same upload.
 */
export function evidenceOf(request: DeniedRequest, related: SnapshotEvidence[] = []): Evidence | null {
  const blame = request.blame ?? related.map((e) => parseErrorMessage(e.errorMessage)).find((b) => b !== null) ?? null;
  const byCode = request.event.errorCode ? ERROR_CODE_LAYERS[request.event.errorCode] : undefined;
  if (byCode) {
    return {
      layer: byCode.layer,
      decision: byCode.decision,
      action: actionOf(request, byCode.on),
      said: `AWS answered ${request.event.errorCode}`,
      policy: null,
    };
  }
  if (!blame) return null;
  if (blame.kind === 'block-public-access') {
    return {
      layer: 'block-public-access',
      action: blame.action,
      decision: 'setting-blocked',
      said: `AWS said public ACLs are prevented by ${blame.setting ?? 'Block Public Access'}`,
      policy: null,
    };
  }
  if (!blame.policyType) return null;
  const layer =
    blame.policyType === 'resource-based policy'
      ? blame.action.toLowerCase().startsWith('kms:')
        ? 'kms-key-policy'
        : 'bucket-policy'
      : LAYER_OF_POLICY_TYPE[blame.policyType];
  const named = blame.policyArn ? ` (${blame.policyArn})` : '';
  const said =
    blame.kind === 'explicit-deny'
      ? `AWS said ${blame.action} met an explicit deny in a ${blame.policyType}${named}`
      : `AWS said no ${blame.policyType} allows ${blame.action}${named}`;
  const policy = blame.policyArn ? { kind: blame.policyType, name: nameOfPolicyArn(blame.policyArn), arn: blame.policyArn } : null;
  return { layer, action: blame.action, decision: blame.kind, said, policy };
}

/** `arn:aws:organizations::1:policy/o-x/service_control_policy/p-abc` → `p-abc`; `arn:aws:iam::1:policy/Deny` → `Deny`. */
function nameOfPolicyArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1) || arn;
}

export function agreesWith(evidence: Evidence, layer: LayerName, action: string): boolean {
  return evidence.layer === layer && evidence.action.toLowerCase() === action.toLowerCase();
}
