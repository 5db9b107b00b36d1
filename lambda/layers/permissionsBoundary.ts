/**
 * A permissions boundary caps what identity policies grant: the action must be allowed by both.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
 */
import { evaluateDocuments } from './evaluateDocuments';
import { namingPolicy, notApplicable, notVisible, unseenReason } from './outcomes';
import type { LayerCheck } from './types';

export const permissionsBoundary: LayerCheck = (input) => {
  const reason = unseenReason(input, 'permissions-boundary');
  if (reason) return notVisible('permissions-boundary', input, reason);
  const boundary = input.snapshot.principal.permissionsBoundary;
  if (!boundary) return notApplicable('permissions-boundary', input, 'no permissions boundary is set');
  const ref = { kind: 'permissions boundary', name: boundary.name ?? 'boundary', ...(boundary.arn ? { arn: boundary.arn } : {}) };
  const outcome = evaluateDocuments('permissions-boundary', [{ ref, document: boundary.document }], input, {
    principalRequired: false,
    subject: `the permissions boundary ${ref.name}`,
  });
  // A boundary is one policy: even when no statement comes close, the fix goes into it (by its ARN).
  return outcome.policy ? outcome : namingPolicy(outcome, ref);
};
