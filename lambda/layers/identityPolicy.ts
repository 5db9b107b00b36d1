/**
 * The caller's identity-based policies: inline and managed, its own and (for a user) its groups'.
 * The root user needs none: it has full access unless an SCP or a resource policy denies it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html
 */
import type { AttachedPolicy } from '../model/snapshot';
import { evaluateDocuments } from './evaluateDocuments';
import { allowed, notVisible, unseenReason } from './outcomes';
import type { LayerCheck, NamedDocument } from './types';

const KIND: Record<AttachedPolicy['source'], string> = {
  inline: 'inline policy',
  managed: 'managed policy',
  'group-inline': 'group inline policy',
  'group-managed': 'group managed policy',
};

export const identityPolicy: LayerCheck = (input) => {
  const reason = unseenReason(input, 'identity-policy');
  if (reason) return notVisible('identity-policy', input, reason);
  const principal = input.snapshot.principal;
  if (principal.kind === 'root') return allowed('identity-policy', input, 'the root user needs no identity policy');
  if (!principal.policies) return notVisible('identity-policy', input, 'the snapshot lists no identity policies for the principal');
  const documents: NamedDocument[] = principal.policies.map((p) => ({
    ref: {
      kind: KIND[p.source] ?? 'identity policy',
      name: p.group ? `${p.group}/${p.name}` : p.name,
      ...(p.arn ? { arn: p.arn } : {}),
      account: principal.accountId,
    },
    document: p.document,
  }));
  const name = principal.arn?.split('/').pop() ?? 'caller';
  return evaluateDocuments('identity-policy', documents, input, {
    principalRequired: false,
    subject: `the identity policies of ${principal.kind} ${name}`,
  });
};
