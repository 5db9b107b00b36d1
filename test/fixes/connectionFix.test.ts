/**
 * How the uploader connects — HTTPS, MFA, its source address — is a request change the what-if replays, so
 * such a fix is verified like any other; advice it cannot replay (leave a blocked range) says Unverified.
 */
import { diagnose, parseEvent } from '../../lambda';
import type { Statement } from '../../lambda/policy/types';
import { whatIf } from '../../lambda/whatIf/whatIf';
import { BUCKET, policy, s3Record, snapshot } from '../factories';

const deny = (Condition: Statement['Condition']): Statement => ({
  Sid: 'Network',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:PutObject',
  Resource: `arn:aws:s3:::${BUCKET}/*`,
  Condition,
});

describe('a fix to how the uploader connects', () => {
  it.each<[string, Statement, Record<string, unknown>, Record<string, string>]>([
    [
      'plain HTTP refused',
      deny({ Bool: { 'aws:SecureTransport': 'false' } }),
      { tlsDetails: undefined },
      { 'aws:SecureTransport': 'true' },
    ],
    [
      'an address outside the allowed block',
      deny({ NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:db8::/32'] } }),
      {},
      { 'aws:SourceIp': '203.0.113.0' },
    ],
    [
      'no MFA',
      deny({ BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }),
      {},
      { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '0' },
    ],
  ])('%s: replayed and confirmed by the what-if', (_name, statement, overrides, setContext) => {
    const request = parseEvent(s3Record(overrides)).requests[0]!;
    const account = snapshot({}, { policy: policy(statement) });
    const fix = diagnose(request, account).fixes[0]!;
    expect(fix.owner).toBe('uploader');
    expect(fix.requestChange).toEqual({ setContext });
    expect(fix.summary).not.toMatch(/^Unverified/);
    expect(whatIf(request, account, { requestChange: fix.requestChange! }).resolved).toBe(true);
  });

  it('from a blocked range, says to leave it, not to upload from inside it', () => {
    const request = parseEvent(s3Record()).requests[0]!;
    const fix = diagnose(request, snapshot({}, { policy: policy(deny({ IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } })) })).fixes[0]!;
    expect(fix.summary).toMatch(/^Unverified: Upload from an address outside 192\.0\.2\.0\/24/);
    expect(fix.requestChange).toBeUndefined();
  });
});
