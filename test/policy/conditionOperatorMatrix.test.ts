/**
 * Every condition operator family against the rules the IAM reference states, as a matrix: each family with
 * a value that matches the policy's and one that differs, under the plain operator, its negation, `…IfExists`
 * and the set operators, with the key present, differing or absent. The expectations are the documented
 * truth tables, written out here, not read from the evaluator.
 *
 * - A key the request lacks fails a positive operator and satisfies a negated one; `…IfExists` is satisfied
 *   by an absent key; `Null` tests presence.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * - `ForAnyValue:` needs one request value to satisfy the operator and fails on an absent key;
 *   `ForAllValues:` needs every value to, and is satisfied by an absent key.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 * - Several values for one key are OR-ed; under a negated operator the request must match none of them.
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
 */
import { evaluateConditions } from '../../lambda/policy/conditions';
import type { RequestContext } from '../../lambda/policy/types';

interface Family {
  positive: string;
  negated: string | null;
  policy: string;
  matching: string;
  differing: string;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

const FAMILIES: Family[] = [
  { positive: 'StringEquals', negated: 'StringNotEquals', policy: 'private', matching: 'private', differing: 'Private' },
  { positive: 'StringEqualsIgnoreCase', negated: 'StringNotEqualsIgnoreCase', policy: 'Media', matching: 'MEDIA', differing: 'Sales' },
  { positive: 'StringLike', negated: 'StringNotLike', policy: 'incoming/*.mp?', matching: 'incoming/a/b.mp4', differing: 'outgoing/b.mp4' },
  { positive: 'NumericEquals', negated: 'NumericNotEquals', policy: '50', matching: '50', differing: '51' },
  { positive: 'NumericLessThan', negated: null, policy: '10', matching: '9', differing: '10' },
  { positive: 'NumericLessThanEquals', negated: null, policy: '10', matching: '10', differing: '11' },
  { positive: 'NumericGreaterThan', negated: null, policy: '10', matching: '11', differing: '10' },
  { positive: 'NumericGreaterThanEquals', negated: null, policy: '10', matching: '10', differing: '9' },
  // Dates are compared as instants: ISO 8601 on one side and epoch seconds on the other name one moment.
  {
    positive: 'DateEquals',
    negated: 'DateNotEquals',
    policy: '2026-11-21T07:12:30Z',
    matching: '1795245150',
    differing: '2026-11-21T07:12:31Z',
  },
  {
    positive: 'DateLessThan',
    negated: null,
    policy: '2026-12-01T00:00:00Z',
    matching: '2026-11-30T23:59:59Z',
    differing: '2026-12-01T00:00:00Z',
  },
  {
    positive: 'DateLessThanEquals',
    negated: null,
    policy: '2026-12-01T00:00:00Z',
    matching: '2026-12-01T00:00:00Z',
    differing: '2026-12-01T00:00:01Z',
  },
  {
    positive: 'DateGreaterThan',
    negated: null,
    policy: '2026-12-01T00:00:00Z',
    matching: '2026-12-01T00:00:01Z',
    differing: '2026-12-01T00:00:00Z',
  },
  {
    positive: 'DateGreaterThanEquals',
    negated: null,
    policy: '2026-12-01T00:00:00Z',
    matching: '2026-12-01T00:00:00Z',
    differing: '2026-11-30T23:59:59Z',
  },
  { positive: 'Bool', negated: null, policy: 'true', matching: 'true', differing: 'false' },
  { positive: 'BinaryEquals', negated: null, policy: base64('hello'), matching: base64('hello'), differing: base64('world') },
  { positive: 'IpAddress', negated: 'NotIpAddress', policy: '203.0.113.0/24', matching: '203.0.113.77', differing: '198.51.100.7' },
  { positive: 'IpAddress', negated: 'NotIpAddress', policy: '2001:db8::/32', matching: '2001:db8:1::7', differing: '2001:db9::7' },
  // ArnEquals and ArnLike behave alike: each colon-delimited part is compared alone and may hold wildcards.
  {
    positive: 'ArnEquals',
    negated: 'ArnNotEquals',
    policy: 'arn:aws:iam::*:role/Media*',
    matching: 'arn:aws:iam::555566667777:role/MediaIngest',
    differing: 'arn:aws:iam::555566667777:user/MediaIngest',
  },
  {
    positive: 'ArnLike',
    negated: 'ArnNotLike',
    policy: 'arn:aws:s3:::contoso-*/incoming/*',
    matching: 'arn:aws:s3:::contoso-media/incoming/a.mp4',
    differing: 'arn:aws:s3:::contoso-media/outgoing/a.mp4',
  },
];

type Present = string | string[] | undefined;

/** A second policy value of the family's type that neither request value matches. */
const unrelated = (f: Family) =>
  f.positive.startsWith('Ip') ? '192.0.2.0/28' : f.positive.startsWith('Arn') ? 'arn:aws:sns:*:*:t' : 'zz-unrelated';

function holds(operator: string, policy: string | string[], actual: Present): boolean {
  const context: RequestContext = actual === undefined ? {} : { 'test:key': actual };
  return evaluateConditions({ [operator]: { 'test:key': policy } }, context, true).satisfied;
}

describe.each(FAMILIES.map((f) => [`${f.positive} (${f.policy})`, f] as const))('%s', (_name, f) => {
  const { policy, matching, differing } = f;

  it.each([
    ['a matching value', matching, true],
    ['a differing value', differing, false],
    ['an absent key', undefined, false],
  ])('plain: %s → %s', (_what, actual, expected) => expect(holds(f.positive, policy, actual)).toBe(expected));

  it.each([
    ['a matching value', matching, true],
    ['a differing value', differing, false],
    ['an absent key', undefined, true],
  ])('IfExists: %s → %s', (_what, actual, expected) => expect(holds(`${f.positive}IfExists`, policy, actual)).toBe(expected));

  it.each([
    ['one of them matches', [differing, matching], true],
    ['none matches', [differing], false],
    ['the key is absent', undefined, false],
  ])('ForAnyValue: %s → %s', (_what, actual, expected) => expect(holds(`ForAnyValue:${f.positive}`, policy, actual)).toBe(expected));

  it.each([
    ['all of them match', [matching, matching], true],
    ['one differs', [matching, differing], false],
    ['the key is absent', undefined, true],
  ])('ForAllValues: %s → %s', (_what, actual, expected) => expect(holds(`ForAllValues:${f.positive}`, policy, actual)).toBe(expected));

  it('ORs several policy values: one of them matching is enough', () => {
    expect(holds(f.positive, [unrelated(f), policy], matching)).toBe(true);
  });

  if (f.negated) {
    const negated = f.negated;

    it.each([
      ['a matching value', matching, false],
      ['a differing value', differing, true],
      ['an absent key', undefined, true],
    ])('negated: %s → %s', (_what, actual, expected) => expect(holds(negated, policy, actual)).toBe(expected));

    it.each([
      ['a matching value', matching, false],
      ['a differing value', differing, true],
      ['an absent key', undefined, true],
    ])('negated IfExists: %s → %s', (_what, actual, expected) => expect(holds(`${negated}IfExists`, policy, actual)).toBe(expected));

    it.each([
      ['one of them differs', [matching, differing], true],
      ['all of them match', [matching], false],
      ['the key is absent', undefined, false],
    ])('ForAnyValue negated: %s → %s', (_what, actual, expected) => expect(holds(`ForAnyValue:${negated}`, policy, actual)).toBe(expected));

    it.each([
      ['all of them differ', [differing, differing], true],
      ['one matches', [differing, matching], false],
      ['the key is absent', undefined, true],
    ])('ForAllValues negated: %s → %s', (_what, actual, expected) =>
      expect(holds(`ForAllValues:${negated}`, policy, actual)).toBe(expected),
    );

    it('NORs several policy values: matching any one of them fails the negation', () => {
      expect(holds(negated, [unrelated(f), policy], matching)).toBe(false);
      expect(holds(negated, [unrelated(f), policy], differing)).toBe(true);
    });
  }
});

describe('Null', () => {
  it.each([
    ['true', undefined, true],
    ['true', 'anything', false],
    ['false', 'anything', true],
    ['false', undefined, false],
  ])('Null %s with the key %p → %s', (wanted, actual, expected) => expect(holds('Null', wanted, actual)).toBe(expected));
});

describe('values that are not of the operator’s type', () => {
  it.each([
    ['NumericEquals', '0', 'zero'],
    ['NumericLessThan', '10', ''],
    ['DateEquals', '2026-11-21T07:12:30Z', 'yesterday'],
    ['IpAddress', '203.0.113.0/24', 'not-an-ip'],
    ['ArnLike', 'arn:aws:s3:::b/*', 'b/key'],
  ])('%s never matches %p against %p', (operator, policy, actual) => {
    expect(holds(operator, policy, actual)).toBe(false);
  });

  it('a Bool compares the words true and false, whatever their case', () => {
    expect(holds('Bool', 'true', 'TRUE')).toBe(true);
  });

  it('an operator AWS does not define never matches, even under a negation-looking name', () => {
    expect(holds('StringNotEqualz', 'a', 'b')).toBe(false);
    expect(holds('__proto__', 'a', 'a')).toBe(false);
  });
});
