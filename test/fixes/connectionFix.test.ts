/**
 * How the uploader connects — HTTPS, MFA, its source address, its VPC endpoint — is a request change the what-if replays, so
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

  describe('through the VPC endpoint a bucket policy requires', () => {
    const request = parseEvent(s3Record({ sourceIPAddress: '203.0.113.9' })).requests[0]!;
    const endpointOnly = deny({ StringNotEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60789' } });
    const notFromOffice = deny({ NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } });

    it('is replayed through that endpoint, whose own policy is said to be unread', () => {
      const account = snapshot({}, { policy: policy(endpointOnly) });
      const fix = diagnose(request, account).fixes[0]!;
      expect(fix.requestChange).toEqual({ setContext: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60789' } });
      expect(fix.summary).toMatch(
        /^Upload through vpce-0a1b2c3d4e5f60789: the request came over the internet\. \(Proved on every layer that could be read; not read, and able to deny it still: .*VPC endpoint/,
      );
      const after = whatIf(request, account, { requestChange: fix.requestChange! }).after;
      expect(after.notVisible.map((n) => n.layer)).toContain('vpc-endpoint-policy');
    });

    it('carries no aws:SourceIp there, as AWS sends none through an endpoint', () => {
      const account = snapshot({}, { policy: policy(endpointOnly, notFromOffice) });
      const [fix] = diagnose(request, account).fixes;
      expect(fix?.summary).toMatch(/^Unverified: Upload through vpce-0a1b2c3d4e5f60789.*with it the request is still denied/);
    });

    it('says to go another way when the policy refuses that endpoint', () => {
      const through = parseEvent(s3Record({ vpcEndpointId: 'vpce-0bad', sourceIPAddress: '10.0.3.4' })).requests[0]!;
      const [fix] = diagnose(through, snapshot({}, { policy: policy(deny({ StringEquals: { 'aws:SourceVpce': 'vpce-0bad' } })) })).fixes;
      expect(fix?.summary).toMatch(
        /^Unverified: Upload other than through vpce-0bad, which the policy refuses: the request came through vpce-0bad\./,
      );
      expect(fix?.requestChange).toBeUndefined();
    });
  });
});
