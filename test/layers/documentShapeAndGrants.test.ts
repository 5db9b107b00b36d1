/**
 * How one layer reads its documents: a document that is no IAM policy makes that layer not visible, named,
 * rather than misread; and of several Allows that match, the one naming the caller most specifically decides
 * whether the permissions boundary still caps the grant. A statement that did not match names nobody.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot } from '../../lambda/model/snapshot';
import { ACCOUNT, ALLOW_PUT, BUCKET, policy, ROLE_ARN, s3Record, SESSION_ARN, snapshot } from '../factories';

const identityLine = (document: unknown) => {
  const account = snapshot();
  account.principal.policies = [{ source: 'inline', name: 'ingest', document: document as never }];
  const line = diagnose(parseEvent(s3Record()).requests[0]!, account).layers.find((l) => l.layer === 'identity-policy');
  return line && `${line.result}: ${line.detail}`;
};

describe('a document that is no IAM policy', () => {
  it.each<[string, unknown, string]>([
    ['text', 'Allow everything', 'not-visible: could not be evaluated: inline policy "ingest" has no Statement'],
    ['null', null, 'not-visible: could not be evaluated: inline policy "ingest" has no Statement'],
    [
      'an object without Statement',
      { Version: '2012-10-17' },
      'not-visible: could not be evaluated: inline policy "ingest" has no Statement',
    ],
    [
      'a Statement that is no object',
      { Statement: ['Allow'] },
      'not-visible: could not be evaluated: inline policy "ingest" is not a valid IAM policy: Statement[0] must be an object',
    ],
  ])('%s', (_name, document, line) => {
    expect(identityLine(document)).toBe(line);
  });
});

describe('the strongest of the Allows that match', () => {
  // The boundary allows only reads: a grant to the role is capped by it, one to the session is not.
  const bounded = (...statements: Statement[]): AccountSnapshot => {
    const account = snapshot({}, { policy: policy(...statements) });
    account.principal.policies = [];
    account.principal.permissionsBoundary = {
      name: 'ReadsOnly',
      arn: `arn:aws:iam::${ACCOUNT}:policy/ReadsOnly`,
      document: policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }),
    };
    return account;
  };
  const toRole: Statement = { ...ALLOW_PUT, Sid: 'ToRole', Principal: { AWS: ROLE_ARN } };
  const toSession: Statement = { ...ALLOW_PUT, Sid: 'ToSession', Principal: { AWS: SESSION_ARN } };
  const verdict = (account: AccountSnapshot) => diagnose(parseEvent(s3Record()).requests[0]!, account).verdict;

  it('a grant to the session stands alone, whatever else names the role', () => {
    expect(verdict(bounded(toRole, toSession))).toBe('not-reproduced');
    expect(verdict(bounded(toSession, toRole))).toBe('not-reproduced');
  });

  it('a grant to the role alone is capped by the boundary', () => {
    expect(verdict(bounded(toRole))).toBe('implicit-deny');
  });

  it('a statement naming the session for other objects does not lift the cap on the role’s grant', () => {
    const elsewhere: Statement = { ...toSession, Resource: `arn:aws:s3:::${BUCKET}/outgoing/*` };
    expect(verdict(bounded(toRole, elsewhere))).toBe('implicit-deny');
  });
});
