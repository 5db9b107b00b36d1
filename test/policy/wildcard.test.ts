/**
 * IAM's `*` and `?`: `*` any run (the empty one too), `?` exactly one character, everything else literal.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards
 */
import { diagnose, parseEvent } from '../../lambda';
import { WildcardPattern } from '../../lambda/policy/wildcard';
import { BUCKET, policy, s3Record, snapshot } from '../factories';

const wild = (pattern: string, caseInsensitive = false) => WildcardPattern.of([{ text: pattern, wildcards: true }], caseInsensitive);

describe('WildcardPattern', () => {
  it.each<[string, string, boolean]>([
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b/c', true],
    ['arn:aws:s3:::b/*', 'arn:aws:s3:::bb/a', false],
    ['b/*/*.csv', 'b/x/y.csv', true],
    ['b/*/*.csv', 'b/x.csv', false],
    ['b/?', 'b/x', true],
    ['b/?', 'b/xy', false],
    ['b/?', 'b/', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['a*aa', 'aaa', true],
    ['a*aa', 'aa', false],
    ['*.csv', 'x.csv.gz', false],
    ['x*x', 'x', false],
    ['??*', 'ab', true],
    ['a.b', 'axb', false],
    ['(a|b)', '(a|b)', true],
    ['s3:Put*', 's3:putobject', false],
  ])('%s against %s is %s', (pattern, value, expected) => {
    expect(wild(pattern).test(value)).toBe(expected);
  });

  it('folds case only when asked (action names)', () => {
    expect(wild('s3:Put*', true).test('S3:PUTOBJECT')).toBe(true);
  });

  it('keeps a substituted value literal: a * in a user name is not a wildcard', () => {
    const pattern = WildcardPattern.of(
      [
        { text: 'home/', wildcards: true },
        { text: 'a*', wildcards: false },
        { text: '/*', wildcards: true },
      ],
      false,
    );
    expect(pattern.test('home/a*/f')).toBe(true);
    expect(pattern.test('home/abc/f')).toBe(false);
  });

  it('answers a 1,000-slash key in the same number of steps as a short one grows, not exponentially', () => {
    // Counted, not timed: characters compared across the whole match, for keys ten times apart.
    const steps = (key: string) => {
      let count = 0;
      const counted = new Proxy(new String(key), {
        get(target, property) {
          if (typeof property === 'string' && /^\d+$/.test(property)) count += 1;
          const value = Reflect.get(target, property) as unknown;
          return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
        },
      });
      wild('arn:aws:s3:::b/*/*/*/*.csv').test(counted as unknown as string);
      return count;
    };
    const short = steps(`arn:aws:s3:::b/${'/'.repeat(100)}x`);
    const long = steps(`arn:aws:s3:::b/${'/'.repeat(1_000)}x`);
    expect(long).toBeLessThan(short * 12);
  });

  it('diagnoses a 1,024-byte hostile key against nested wildcards', () => {
    const key = '/'.repeat(1_024);
    const record = s3Record({ requestParameters: { bucketName: BUCKET, key, Host: 'h' } });
    const account = snapshot(
      {},
      {
        policy: policy({
          Sid: 'CsvOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${BUCKET}/*/*/*/*/*.csv`,
        }),
      },
    );
    const diagnosis = diagnose(parseEvent(record).requests[0]!, account);
    expect(diagnosis.verdict).not.toBe('explicit-deny');
  });
});
