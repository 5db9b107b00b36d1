/**
 * What a session's own record says about it: when its credentials were issued (aws:TokenIssueTime) and the
 * source identity it was created with (aws:SourceIdentity). IAM's "Revoke active sessions" attaches a Deny
 * on everything issued before it; without the key that Deny never matched and the denial read "allowed now".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import { ALLOW_PUT, policy, roleIdentity, s3Record, snapshot } from '../factories';

/** The policy IAM attaches to the role when someone revokes its sessions at that moment. */
const revokedAt = (time: string): Statement => ({
  Effect: 'Deny',
  Action: ['*'],
  Resource: ['*'],
  Condition: { DateLessThan: { 'aws:TokenIssueTime': time } },
});
const withRevocation = (time: string) =>
  snapshot({
    principal: {
      ...snapshot().principal,
      policies: [
        { source: 'inline', name: 'ingest', document: policy(ALLOW_PUT) },
        { source: 'inline', name: 'AWSRevokeOlderSessions', document: policy(revokedAt(time)) },
      ],
    },
  });
// The factories' session was issued at 2026-11-21T07:00:00Z.
const upload = parseEvent(s3Record()).requests[0]!;

describe('the session a request was signed with', () => {
  it('issued before its sessions were revoked: denied by AWSRevokeOlderSessions', () => {
    const diagnosis = diagnose(upload, withRevocation('2026-11-21T07:05:00Z'));
    expect(diagnosis.request.context['aws:TokenIssueTime']).toBe('2026-11-21T07:00:00Z');
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'identity-policy', policy: { name: 'AWSRevokeOlderSessions' } });
  });

  it('is fixed by a new session, verified by the what-if; the revoking policy is not offered for editing first', () => {
    const [first] = diagnose(upload, withRevocation('2026-11-21T07:05:00Z')).fixes;
    expect(first).toMatchObject({
      owner: 'uploader',
      summary: expect.stringMatching(/^Start a new session .*issued at 2026-11-21T07:00:00Z.*before 2026-11-21T07:05:00Z/),
      requestChange: { setContext: { 'aws:TokenIssueTime': '2026-11-21T07:05:00Z' } },
    });
    expect(first?.summary).not.toMatch(/Unverified/);
    expect(first?.policyPatch).toBeUndefined();
  });

  it('issued after: the revocation does not touch it', () => {
    expect(diagnose(upload, withRevocation('2026-11-21T06:55:00Z')).verdict).toBe('not-reproduced');
  });

  it('carries the source identity it was created with', () => {
    const identity = roleIdentity() as { sessionContext: Record<string, unknown> };
    const record = s3Record({ userIdentity: { ...identity, sessionContext: { ...identity.sessionContext, sourceIdentity: 'alice' } } });
    expect(diagnose(parseEvent(record).requests[0]!, snapshot()).request.context['aws:SourceIdentity']).toBe('alice');
  });
});
