/**
 * The IAM policy grammar, element by element: a document that is not a policy is named as such, never
 * misread and never recursed into however deep it nests.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
import { diagnose, parseEvent, parseSnapshot } from '../../lambda';
import { policyShapeProblem } from '../../lambda/policy/policyShapeProblem';
import { ALLOW_PUT, policy, s3Record, snapshot } from '../factories';

/** JSON text of a value inside `depth` lists: built as text, since JSON.stringify itself recurses. */
const nestedJson = (depth: number, inner: string) => `${'['.repeat(depth)}${JSON.stringify(inner)}${']'.repeat(depth)}`;
describe('policyShapeProblem', () => {
  it('accepts every element in each of its documented shapes', () => {
    const document = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:PutObject', Resource: ['arn:aws:s3:::b/*'] },
        {
          Effect: 'Deny',
          NotPrincipal: { AWS: ['arn:aws:iam::1:root'], Service: 's3.amazonaws.com' },
          NotAction: ['s3:Get*'],
          NotResource: 'arn:aws:s3:::b/public/*',
          Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:TlsVersion': [1.2] }, StringEquals: { k: 'v' } },
        },
      ],
    };
    expect(policyShapeProblem(document)).toBeNull();
    expect(policyShapeProblem({ Statement: { Effect: 'Allow', Action: '*', Resource: '*' } })).toBeNull();
  });

  it.each([
    [{}, 'has no Statement'],
    [{ Statement: ['x'] }, 'Statement[0] must be an object'],
    [{ Statement: [{ Effect: 'allow' }] }, 'Statement[0].Effect must be "Allow" or "Deny"'],
    [{ Statement: [{ Effect: 'Allow', Resource: [['arn:aws:s3:::b/*']] }] }, 'Statement[0].Resource must be a string or a list of strings'],
    [{ Statement: [{ Effect: 'Allow', Action: 7 }] }, 'Statement[0].Action must be a string or a list of strings'],
    [{ Statement: [{ Sid: ['a'], Effect: 'Allow' }] }, 'Statement[0].Sid must be a string'],
    [
      { Statement: [{ Effect: 'Allow', Principal: 'arn:aws:iam::1:root' }] },
      'Statement[0].Principal must be "*" or an object of principal types',
    ],
    [
      { Statement: [{ Effect: 'Allow', Principal: { AWS: { a: 1 } } }] },
      'Statement[0].Principal."AWS" must be a string or a list of strings',
    ],
    [
      { Statement: [{ Effect: 'Allow', Condition: { StringEquals: 'x' } }] },
      'Statement[0].Condition."StringEquals" must be an object of condition keys',
    ],
    [
      { Statement: [{ Effect: 'Allow', Condition: { StringEquals: { k: { v: 1 } } } }] },
      'Statement[0].Condition."StringEquals"."k" must be a value or a list of values',
    ],
  ])('refuses %j: %s', (document, problem) => {
    expect(policyShapeProblem(document)).toBe(problem);
  });

  it('shortens a name from the document before it goes into the reason', () => {
    const problem = policyShapeProblem({ Statement: [{ Effect: 'Allow', Condition: { ['K'.repeat(100_000)]: 'x' } }] });
    expect(problem!.length).toBeLessThan(200);
  });
});

describe('an absurdly nested policy in a snapshot', () => {
  const request = parseEvent(s3Record()).requests[0]!;

  it.each([
    ['a Resource', { Sid: 'Deep', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: 'DEEP' }],
    ['a Sid', { Sid: 'DEEP', Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' }],
    [
      'a Condition value',
      {
        Sid: 'Deep',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:PutObject',
        Resource: '*',
        Condition: { StringEquals: { 'aws:x': 'DEEP' } },
      },
    ],
  ])('in %s makes its layer not visible with the reason, not a RangeError', (_where, statement) => {
    const text = JSON.stringify(snapshot({}, { policy: policy(ALLOW_PUT, statement as never) })).replace(
      '"DEEP"',
      nestedJson(100_000, 'v'),
    );
    const account = parseSnapshot(JSON.parse(text));
    const bucketPolicy = diagnose(request, account).layers.find((l) => l.layer === 'bucket-policy');
    expect(bucketPolicy?.result).toBe('not-visible');
    expect(bucketPolicy?.detail).toMatch(/is not a valid IAM policy: Statement\[1\]\.(Resource|Condition|Sid)/);
    // The diagnosis is still a document any consumer can serialize.
    expect(() => JSON.stringify(diagnose(request, account))).not.toThrow();
  });
});
