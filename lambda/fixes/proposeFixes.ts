/**
 * One fix per deciding layer, the smallest that lets the job through: first what the uploader can change in
 * the request, then the grant that is missing, and for a Deny no request can get around the exact edit of
 * its statement that spares this caller. Settings are fixed by not asking for what they refuse.
 */
import type { DecidingLayer, Fix, FixOwner } from '../model/diagnosis';
import { accountOfArn } from '../model/accountOfArn';
import { describePolicy, describeStatement } from '../layers/describe';
import type { DeniedRequest } from '../model/request';
import type { AccountSnapshot } from '../model/snapshot';
import { grantFix, OWNER_OF_LAYER } from './grantFix';
import { requestSideFix } from './requestSideFix';
import { exemptionFix } from './exemptionFix';
import { requiredVariable, shellQuote } from './shellQuote';
import { publicAclHeader } from '../layers/blockPublicAccess';
import { nonPublicPolicyFix } from './nonPublicPolicyFix';
import { awsManagedKeyFix } from './awsManagedKeyFix';
import { principalKindOf } from '../events/principalKind';
import { uploadCommand } from './uploadCommand';
import { askedFor } from '../model/unevaluatedActions';
import { layerInWords } from '../model/layerWords';

const ACL_HEADER = /^x-amz-(acl|grant-.+)$/;

function withoutAclHeaders(request: DeniedRequest, summary: string): Fix {
  const removeHeaders = Object.keys(request.headers).filter((h) => ACL_HEADER.test(h));
  return { summary, owner: 'uploader', command: uploadCommand(request, { removeHeaders }), requestChange: { removeHeaders } };
}

function keyStateFix(deciding: DecidingLayer, snapshot: AccountSnapshot): Fix {
  const key = snapshot.kmsKeys?.find((k) => k.arn === deciding.resource);
  const id = deciding.resource ? shellQuote(deciding.resource) : requiredVariable('KEY_ARN', 'the KMS key ARN');
  if (key?.keyState === 'PendingDeletion') {
    return {
      summary: 'Cancel the key deletion, then enable the key.',
      owner: 'key-owner',
      command: `aws kms cancel-key-deletion --key-id=${id} && aws kms enable-key --key-id=${id}`,
    };
  }
  return {
    summary: 'Enable the KMS key (or point the bucket at an enabled key).',
    owner: 'key-owner',
    command: `aws kms enable-key --key-id=${id}`,
  };
}

/** Why a deciding layer rests on AWS's word: we could not read the layer, or do not evaluate the action it named. */
export type EvidenceTaken = 'layer-not-visible' | 'action-not-evaluated';

/**
 * The grant (or the Deny to find) for an action AWS refused that the engine does not evaluate: said in words,
 * with no patch, since the what-if could not check it.
 */
function unevaluatedActionFix(deciding: DecidingLayer): Fix {
  const where = layerInWords(deciding.layer, null);
  const { why, instead } = askedFor(deciding.action);
  const summary =
    deciding.decision === 'explicit-deny'
      ? `A statement in ${where} denies ${deciding.action}, AWS says (${why}): its owner must narrow that statement, or the uploader ${instead}.`
      : `Allow ${deciding.action} beside s3:PutObject, on the same objects, in ${where} (${why}), or ${instead}.`;
  return { summary, owner: OWNER_OF_LAYER[deciding.layer] };
}

function fixFor(
  deciding: DecidingLayer,
  request: DeniedRequest,
  snapshot: AccountSnapshot,
  fromEvidence: EvidenceTaken | undefined,
): Fix | null {
  switch (deciding.layer) {
    case 'block-public-access':
      if (!publicAclHeader(request.headers)) return nonPublicPolicyFix(request, snapshot);
      return withoutAclHeaders(
        request,
        'Upload without the public ACL (Block Public Access refuses it); the bucket owner grants read access by policy if it is really needed.',
      );
    case 'object-ownership':
      return withoutAclHeaders(
        request,
        'Upload without ACL headers: the bucket has ACLs disabled and the bucket owner owns every object anyway.',
      );
    case 'kms-key-state':
      return keyStateFix(deciding, snapshot);
    case 'credentials':
    case 'unknown':
    case 'kms-grant':
      return null;
    default:
      break;
  }
  if (fromEvidence === 'action-not-evaluated') return unevaluatedActionFix(deciding);
  if (fromEvidence) {
    const where = deciding.policy?.arn ? `in ${deciding.policy.arn} ` : '';
    return {
      summary: `AWS blamed ${deciding.layer}, which we could not read: ask its owner to look ${where}for a statement that ${deciding.decision === 'explicit-deny' ? 'denies' : 'fails to allow'} ${deciding.action} on ${deciding.resource ?? 'this resource'}.`,
      owner: OWNER_OF_LAYER[deciding.layer],
    };
  }
  const byRequest = requestSideFix(deciding, request, snapshot);
  if (byRequest) return byRequest;
  if (principalKindOf(request.caller) === 'anonymous' && deciding.decision === 'implicit-deny') {
    // The grant that would let an unsigned request write is a public one: never the fix we propose.
    return {
      summary:
        'The upload was anonymous (unsigned): sign it with the credentials of a principal the bucket policy or its IAM policies allow.',
      owner: 'uploader',
    };
  }
  if (deciding.decision === 'explicit-deny' && deciding.policy) {
    const exemption = exemptionFix(deciding, request, snapshot);
    if (exemption) return exemption;
    const where = `${describeStatement(deciding.statement?.sid ?? null, deciding.statement?.index ?? 0)} in ${describePolicy(deciding.policy)}`;
    return {
      summary: `${where} denies this request and nothing the uploader sends can change that: its owner must narrow the statement (for example with a condition that exempts ${request.caller.arn ?? 'this caller'}).`,
      owner: OWNER_OF_LAYER[deciding.layer],
    };
  }
  return awsManagedKeyFix(deciding, request, snapshot) ?? grantFix(deciding, request, snapshot);
}

/** `fromEvidence`: deciding layers taken from AWS's message, and why. */
export function proposeFixes(
  deciding: DecidingLayer[],
  request: DeniedRequest,
  snapshot: AccountSnapshot,
  fromEvidence: ReadonlyMap<DecidingLayer, EvidenceTaken>,
): Fix[] {
  const fixes: Fix[] = [];
  const seen = new Set<string>();
  for (const layer of deciding) {
    const fix = fixFor(layer, request, snapshot, fromEvidence.get(layer));
    if (fix && !seen.has(fix.summary)) {
      seen.add(fix.summary);
      const account = accountOfOwner(fix.owner, layer, request, snapshot);
      fixes.push(account ? { ...fix, account } : fix);
    }
  }
  return fixes;
}

/** Where the owner's command runs: the caller's account, the bucket's, the key's; the org admin's is not known. */
function accountOfOwner(owner: FixOwner, deciding: DecidingLayer, request: DeniedRequest, snapshot: AccountSnapshot): string | null {
  const known = (id: string | null | undefined) => (id && /^\d{12}$/.test(id) ? id : null);
  switch (owner) {
    case 'uploader':
    case 'account-admin':
      return known(request.caller.accountId);
    case 'bucket-owner':
      return known(snapshot.bucket.accountId);
    case 'key-owner':
      return known(snapshot.kmsKeys?.find((k) => k.arn === deciding.resource)?.accountId ?? accountOfArn(deciding.resource ?? ''));
    default:
      return null;
  }
}
