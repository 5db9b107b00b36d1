/**
 * Which keys a rebuilt request cannot know: those CloudTrail leaves out of the record, and on an S3 call the
 * bucket's tags. A statement is a suspect only when every condition it failed is on one of them, unknown.
 */
import { isUnrecordedKey, unknownKeysInWords, unrecordedKeysDeciding } from '../../lambda/policy/unrecordedKeys';
import type { ConditionTrace } from '../../lambda/policy/types';

const trace = (key: string, satisfied: boolean, actual: string[] | null = null): ConditionTrace => ({
  operator: 'StringEquals',
  key,
  expected: ['x'],
  actual,
  satisfied,
});

describe('a key the rebuilt request cannot know', () => {
  it.each([
    ['s3:signatureAge', 's3'],
    ['AWS:Referer', 's3'],
    ['s3:RequestObjectTag/project', 's3'],
    ['s3:requestobjecttag/Project', 'kms'],
    ['aws:ResourceTag/team', 's3'],
  ] as const)('%s on a %s call', (key, service) => {
    expect(isUnrecordedKey(key, service)).toBe(true);
  });

  it.each([
    ['aws:ResourceTag/team', 'kms'],
    ['aws:SourceVpce', 's3'],
    ['s3:ExistingObjectTag/project', 's3'],
    ['my:s3:RequestObjectTag/project', 's3'],
  ] as const)('is not %s on a %s call', (key, service) => {
    expect(isUnrecordedKey(key, service)).toBe(false);
  });
});

describe('the unknown keys a statement turned on', () => {
  it('are those of its failed conditions, when every one failed on an unknown key', () => {
    expect(unrecordedKeysDeciding([trace('aws:SecureTransport', true, ['false']), trace('s3:signatureAge', false)], 's3')).toEqual([
      's3:signatureAge',
    ]);
  });

  it('are none when a failed condition is on a key the request knows, even one it lacks', () => {
    expect(unrecordedKeysDeciding([trace('aws:SourceVpce', false), trace('aws:Referer', false)], 's3')).toEqual([]);
    expect(unrecordedKeysDeciding([trace('aws:Referer', false, ['https://example.com'])], 's3')).toEqual([]);
    expect(unrecordedKeysDeciding([trace('aws:Referer', true, ['https://example.com'])], 's3')).toEqual([]);
  });
});

describe('unknown keys in words', () => {
  it('says which CloudTrail leaves out and which are the bucket’s unread tags', () => {
    expect(unknownKeysInWords(['s3:signatureAge', 'aws:Referer'])).toBe('s3:signatureAge, aws:Referer, which CloudTrail does not record');
    expect(unknownKeysInWords(['aws:ResourceTag/team', 'aws:ResourceTag/env'])).toBe(
      "aws:ResourceTag/team, aws:ResourceTag/env, the bucket's tags, which count once ABAC is enabled on it and were not read",
    );
    expect(unknownKeysInWords(['aws:Referer', 'aws:ResourceTag/team'])).toBe(
      "aws:Referer, which CloudTrail does not record; and aws:ResourceTag/team, the bucket's tags, which count once ABAC is enabled on it and were not read",
    );
  });
});
