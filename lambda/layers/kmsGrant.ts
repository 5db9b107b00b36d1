/**
 * KMS grants: a grant to the caller for this operation allows it without any policy, within its
 * encryption context constraints.
 * https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
 */
import type { KmsGrant } from '../model/snapshot';
import { allowed, noGrant, notVisible, unseenReason } from './outcomes';
import type { LayerCheck, LayerInput } from './types';

function encryptionContextOf(input: LayerInput): Record<string, string> {
  const arn = input.authorization.query.context['kms:EncryptionContext:aws:s3:arn'];
  return typeof arn === 'string' ? { 'aws:s3:arn': arn } : {};
}

function constraintsHold(grant: KmsGrant, context: Record<string, string>): boolean {
  const equals = grant.constraints?.encryptionContextEquals;
  if (equals && JSON.stringify(Object.entries(equals).sort()) !== JSON.stringify(Object.entries(context).sort())) return false;
  const subset = grant.constraints?.encryptionContextSubset ?? {};
  return Object.entries(subset).every(([k, v]) => context[k] === v);
}

export const kmsGrant: LayerCheck = (input) => {
  const { key, action, query } = input.authorization;
  if (!key) return notVisible('kms-grant', input, `key ${input.authorization.resource} is not in the snapshot`);
  const reason = unseenReason(input, 'kms-grant');
  if (reason) return notVisible('kms-grant', input, reason);
  const operation = action.replace(/^kms:/, '');
  const callers = new Set([query.principal.arn, query.principal.roleArn].filter(Boolean));
  const context = encryptionContextOf(input);
  const grant = (key.grants ?? []).find(
    (g) => callers.has(g.granteePrincipal) && (g.operations ?? []).includes(operation) && constraintsHold(g, context),
  );
  if (grant) return allowed('kms-grant', input, `grant ${grant.grantId ?? ''} allows ${operation}`.replace('  ', ' '), 'session-or-user');
  return noGrant('kms-grant', input, `no grant on the key gives the caller ${operation}`);
};
