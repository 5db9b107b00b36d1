/**
 * Session policies passed to AssumeRole or GetFederationToken cap the session like a boundary does.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
 */
import { evaluateDocuments } from './evaluateDocuments';
import { notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const sessionPolicy: LayerCheck = (input) => {
  const { caller } = input.request;
  if (caller.type !== 'AssumedRole' && caller.type !== 'FederatedUser') {
    return notApplicable('session-policy', input, 'long-term credentials carry no session policy');
  }
  const reason = unseenReason(input, 'session-policy');
  if (reason) return notVisible('session-policy', input, reason);
  const policies = input.snapshot.session?.policies ?? [];
  if (policies.length === 0) return notApplicable('session-policy', input, 'the session was created without a session policy');
  const documents = policies.map((p, i) => ({
    ref: { kind: 'session policy', name: p.name ?? `session policy ${i + 1}`, ...(p.arn ? { arn: p.arn } : {}) },
    document: p.document,
  }));
  return evaluateDocuments('session-policy', documents, input, {
    principalRequired: false,
    subject: `the session policies of ${caller.sessionName ?? 'the session'}`,
  });
};
