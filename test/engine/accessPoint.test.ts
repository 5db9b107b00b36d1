/**
 * An upload through an S3 access point: the record names it among its resources. Bucket policies that
 * delegate access to the owner's access points test s3:DataAccessPointAccount/Arn, which the request carries;
 * the access point's own policy, which must also allow, has no layer in the contract and is named as unread.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
 */
import { diagnose, parseEvent, type Statement } from '../../lambda';
import { ACCOUNT, BUCKET, partnerUpload, policy } from '../factories';

const ACCESS_POINT = `arn:aws:s3:us-west-2:${ACCOUNT}:accesspoint/partner-drop`;
const throughAccessPoint = (record: Record<string, unknown>, arn = ACCESS_POINT) => ({
  ...record,
  resources: [...(record.resources as object[]), { accountId: ACCOUNT, type: 'AWS::S3::AccessPoint', ARN: arn }],
});
/** AWS's recommended delegation: the bucket allows whatever the owner's access points allow. */
const DELEGATE_TO_ACCESS_POINTS: Statement = {
  Sid: 'DelegateToAccessPoints',
  Effect: 'Allow',
  Principal: { AWS: '*' },
  Action: '*',
  Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
  Condition: { StringEquals: { 's3:DataAccessPointAccount': ACCOUNT } },
};

describe('an upload through an access point', () => {
  const { record, account } = partnerUpload();
  const delegating = { ...account, bucket: { ...account.bucket, policy: policy(DELEGATE_TO_ACCESS_POINTS) } };

  it('carries the access point’s keys, so a bucket policy that delegates to access points allows it', () => {
    const request = parseEvent(throughAccessPoint(record)).requests[0]!;
    expect(request.context).toMatchObject({ 's3:DataAccessPointArn': ACCESS_POINT, 's3:DataAccessPointAccount': ACCOUNT });
    const diagnosis = diagnose(request, delegating);
    expect(diagnosis.layers.find((l) => l.layer === 'bucket-policy')?.result).toBe('allow');
  });

  it('names the access point’s policy as unread, and only possibly allowed when nothing seen denies', () => {
    const diagnosis = diagnose(parseEvent(throughAccessPoint(record)).requests[0]!, delegating);
    expect(diagnosis.verdict).toBe('not-reproduced');
    expect(diagnosis.confidence).toBe('possible');
    expect(diagnosis.summary).toContain(`the policy of access point ${ACCESS_POINT}`);
    expect(diagnosis.notVisible.find((n) => n.layer === 'unknown')?.reason).toContain(
      `aws s3control get-access-point-policy --account-id ${ACCOUNT} --name partner-drop --region us-west-2`,
    );
  });

  it('quotes a name that is not an access point’s for the shell', () => {
    const hostile = `arn:aws:s3:us-west-2:${ACCOUNT}:accesspoint/x;rm -rf ~`;
    const diagnosis = diagnose(parseEvent(throughAccessPoint(record, hostile)).requests[0]!, delegating);
    expect(diagnosis.notVisible.find((n) => n.layer === 'unknown')?.reason).toContain(`--name 'x;rm -rf ~'`);
  });

  it('changes nothing for an upload straight to the bucket', () => {
    const request = parseEvent(record).requests[0]!;
    expect(request.context).not.toHaveProperty('s3:DataAccessPointArn');
    const diagnosis = diagnose(request, delegating);
    expect(diagnosis.notVisible.map((n) => n.reason).join()).not.toContain('access point');
    expect(diagnosis.summary).not.toContain('access point');
  });
});
