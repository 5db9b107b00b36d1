/**
 * Hundreds of generated policy/request pairs against expectations derived by hand, as truth tables, from
 * the AWS documentation — not from the evaluator's code.
 */
import { evaluatePolicy } from '../../lambda/policy/evaluatePolicy';
import type { AuthorizationQuery, Statement } from '../../lambda/policy/types';

const OBJECT = 'arn:aws:s3:::contoso-media-uploads/incoming/clip.mp4';

const ACTIONS: [string, Partial<Statement>, boolean][] = [
  ['exact', { Action: 's3:PutObject' }, true],
  ['wildcard', { Action: ['s3:Get*', 's3:Put*'] }, true],
  ['other', { Action: 's3:GetObject' }, false],
  ['NotAction other', { NotAction: 'iam:*' }, true],
  ['NotAction self', { NotAction: 's3:Put*' }, false],
];

const RESOURCES: [string, Partial<Statement>, boolean][] = [
  ['exact', { Resource: OBJECT }, true],
  ['prefix', { Resource: 'arn:aws:s3:::contoso-media-uploads/incoming/*' }, true],
  ['bucket only', { Resource: 'arn:aws:s3:::contoso-media-uploads' }, false],
  ['NotResource other', { NotResource: 'arn:aws:s3:::secrets/*' }, true],
];

type KeyState = 'match' | 'differ' | 'absent';
const KEY_STATES: KeyState[] = ['match', 'differ', 'absent'];

/** [operator, key, policy value, context value when it matches, when it differs, truth per key state]. */
const CONDITIONS: [string, string, string, string, string, Record<KeyState, boolean>][] = [
  ['StringEquals', 's3:x-amz-acl', 'private', 'private', 'public-read', { match: true, differ: false, absent: false }],
  ['StringNotEquals', 's3:x-amz-acl', 'private', 'private', 'public-read', { match: false, differ: true, absent: true }],
  ['StringEqualsIfExists', 's3:x-amz-acl', 'private', 'private', 'public-read', { match: true, differ: false, absent: true }],
  ['StringNotEqualsIfExists', 's3:x-amz-acl', 'private', 'private', 'public-read', { match: false, differ: true, absent: true }],
  ['StringLike', 's3:x-amz-storage-class', '*TIERING', 'INTELLIGENT_TIERING', 'STANDARD', { match: true, differ: false, absent: false }],
  ['StringNotLike', 's3:x-amz-storage-class', '*TIERING', 'INTELLIGENT_TIERING', 'STANDARD', { match: false, differ: true, absent: true }],
  ['Null', 's3:x-amz-acl', 'true', 'private', 'public-read', { match: false, differ: false, absent: true }],
  ['IpAddress', 'aws:SourceIp', '203.0.113.0/24', '203.0.113.5', '198.51.100.5', { match: true, differ: false, absent: false }],
  ['NotIpAddress', 'aws:SourceIp', '203.0.113.0/24', '203.0.113.5', '198.51.100.5', { match: false, differ: true, absent: true }],
  ['BoolIfExists', 'aws:MultiFactorAuthPresent', 'false', 'false', 'true', { match: true, differ: false, absent: true }],
  ['Bool', 'aws:SecureTransport', 'false', 'false', 'true', { match: true, differ: false, absent: false }],
  ['ForAnyValue:StringEquals', 'aws:TagKeys', 'owner', 'owner', 'env', { match: true, differ: false, absent: false }],
  ['ForAllValues:StringEquals', 'aws:TagKeys', 'owner', 'owner', 'env', { match: true, differ: false, absent: true }],
  ['NumericLessThan', 's3:max-keys', '100', '10', '500', { match: true, differ: false, absent: false }],
  [
    'DateLessThan',
    'aws:CurrentTime',
    '2027-01-01T00:00:00Z',
    '2026-11-21T07:12:30Z',
    '2027-06-01T00:00:00Z',
    { match: true, differ: false, absent: false },
  ],
  [
    'ArnNotLike',
    'aws:PrincipalArn',
    'arn:aws:iam::*:role/Media*',
    'arn:aws:iam::1:role/MediaIngest',
    'arn:aws:iam::1:role/Other',
    { match: false, differ: true, absent: true },
  ],
];

interface Case {
  name: string;
  statement: Statement;
  context: Record<string, string | string[]>;
  applies: boolean;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const effect of ['Allow', 'Deny'] as const) {
    for (const [actionName, action, actionMatches] of ACTIONS) {
      for (const [resourceName, resource, resourceMatches] of RESOURCES) {
        const base = { Effect: effect, ...action, ...resource } as Statement;
        all.push({
          name: `${effect} ${actionName}/${resourceName}`,
          statement: base,
          context: {},
          applies: actionMatches && resourceMatches,
        });
        for (const [operator, key, value, matching, differing, truth] of CONDITIONS) {
          for (const state of KEY_STATES) {
            const raw = state === 'match' ? matching : state === 'differ' ? differing : undefined;
            const context = raw === undefined ? {} : { [key]: key === 'aws:TagKeys' ? [raw] : raw };
            all.push({
              name: `${effect} ${actionName}/${resourceName} ${operator}(${key}) ${state}`,
              statement: { ...base, Condition: { [operator]: { [key]: value } } },
              context,
              applies: actionMatches && resourceMatches && truth[state],
            });
          }
        }
      }
    }
  }
  return all;
}

function expectedDecision(applying: Statement[]): string {
  if (applying.some((s) => s.Effect === 'Deny')) return 'explicit-deny';
  return applying.length > 0 ? 'allow' : 'implicit-deny';
}

function run(statements: Statement[], context: Case['context']) {
  const query: AuthorizationQuery = {
    principal: { arn: 'arn:aws:iam::1:user/u', accountId: '1' },
    action: 's3:PutObject',
    resource: OBJECT,
    context,
  };
  return evaluatePolicy({ Version: '2012-10-17', Statement: statements }, query, { principalRequired: false }).decision;
}

describe('generated policy/request pairs against hand-derived truth tables', () => {
  const all = cases();

  it(`decides ${all.length} single-statement policies as the truth tables say`, () => {
    expect(all.length).toBeGreaterThan(1000);
    const wrong = all.filter((c) => run([c.statement], c.context) !== expectedDecision(c.applies ? [c.statement] : [])).map((c) => c.name);
    expect(wrong).toEqual([]);
  });

  it('decides pairs of statements under one request: a Deny that applies beats any Allow, else an Allow that applies allows', () => {
    const byContext = new Map<string, Case[]>();
    for (const c of all) byContext.set(JSON.stringify(c.context), [...(byContext.get(JSON.stringify(c.context)) ?? []), c]);
    const wrong: string[] = [];
    let pairs = 0;
    for (const group of byContext.values()) {
      for (let i = 0; i < group.length; i += 5) {
        for (let j = 1; j < group.length; j += 11) {
          const a = group[i] as Case;
          const b = group[j] as Case;
          pairs += 1;
          const applying = [a, b].filter((c) => c.applies).map((c) => c.statement);
          if (run([a.statement, b.statement], a.context) !== expectedDecision(applying)) wrong.push(`${a.name} + ${b.name}`);
        }
      }
    }
    expect(pairs).toBeGreaterThan(500);
    expect(wrong).toEqual([]);
  });
});
