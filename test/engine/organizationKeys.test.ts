/**
 * The organization's condition keys in the request (aws:PrincipalOrgID/Paths, aws:ResourceOrgID/Paths), as
 * data-perimeter policies test them. Left out, "deny unless the resource is ours" matched every request.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceorgid
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import type { AccountSnapshot, OrgLevel } from '../../lambda/model/snapshot';
import { ACCOUNT, BUCKET, OTHER_ACCOUNT, policy, s3Record, snapshot } from '../factories';

const ORGANIZATION = 'o-exampleorg1';
const FULL: Statement = { Sid: 'FullAWSAccess', Effect: 'Allow', Action: '*', Resource: '*' };
/** The perimeter as AWS's data-perimeter examples write it, in an SCP at the root. */
const OUR_RESOURCES_ONLY: Statement = {
  Sid: 'EnforceResourcePerimeter',
  Effect: 'Deny',
  Action: 's3:*',
  Resource: '*',
  Condition: { StringNotEqualsIfExists: { 'aws:ResourceOrgID': ORGANIZATION } },
};
const levels = (...top: Statement[]): OrgLevel[] => [
  { target: 'r-ab12 (Root)', policies: [{ id: 'p-FullAWSAccess', name: 'FullAWSAccess', document: policy(FULL, ...top) }] },
  { target: 'ou-ab12-11111111 (Workloads)', policies: [{ id: 'p-FullAWSAccess', name: 'FullAWSAccess', document: policy(FULL) }] },
  { target: `${ACCOUNT} (account)`, policies: [{ id: 'p-FullAWSAccess', name: 'FullAWSAccess', document: policy(FULL) }] },
];
const upload = parseEvent(s3Record()).requests[0]!;

function inOrganization(members: string[], scpLevels: OrgLevel[], bucket: Partial<AccountSnapshot['bucket']> = {}): AccountSnapshot {
  return snapshot({ organization: { id: ORGANIZATION, memberAccountIds: members, scpLevels, rcpLevels: [] } }, bucket);
}

describe('the organization keys a request carries', () => {
  it('a bucket of the organization is inside the perimeter: the SCP does not deny', () => {
    const diagnosis = diagnose(upload, inOrganization([ACCOUNT], levels(OUR_RESOURCES_ONLY)));
    expect(diagnosis.request.context).toMatchObject({
      'aws:PrincipalOrgID': ORGANIZATION,
      'aws:PrincipalOrgPaths': [`${ORGANIZATION}/r-ab12/ou-ab12-11111111/`],
      'aws:ResourceOrgID': ORGANIZATION,
      'aws:ResourceOrgPaths': [`${ORGANIZATION}/r-ab12/ou-ab12-11111111/`],
    });
    expect(diagnosis.layers.find((l) => l.layer === 'scp')?.result).toBe('allow');
  });

  it('a bucket of an account outside the organization carries no aws:ResourceOrgID, and the perimeter denies it', () => {
    const outside = inOrganization([ACCOUNT], levels(OUR_RESOURCES_ONLY), { accountId: OTHER_ACCOUNT });
    const diagnosis = diagnose(
      parseEvent(s3Record({ resources: [{ accountId: OTHER_ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${BUCKET}` }] }))
        .requests[0]!,
      outside,
    );
    expect(diagnosis.request.context['aws:ResourceOrgID']).toBeUndefined();
    expect(diagnosis.decidingLayers[0]).toMatchObject({ layer: 'scp', statement: { sid: 'EnforceResourcePerimeter' } });
  });

  it('a bucket policy that admits one OU by path admits a caller under it', () => {
    const byPath: Statement = {
      Sid: 'WorkloadsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `arn:aws:s3:::${BUCKET}/*`,
      Condition: { 'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': [`${ORGANIZATION}/r-ab12/ou-ab12-11111111/*`] } },
    };
    const diagnosis = diagnose(upload, inOrganization([ACCOUNT], levels(), { policy: policy(byPath) }));
    expect(diagnosis.layers.find((l) => l.layer === 'bucket-policy')?.result).not.toBe('explicit-deny');
  });
});
