import { parseErrorMessage } from '../../lambda/events/parseErrorMessage';

const caller = 'arn:aws:sts::111122223333:assumed-role/R/s';
const object = 'arn:aws:s3:::b/k';

describe('parseErrorMessage: what AWS itself blamed', () => {
  it.each([
    ['identity-based policy', 'implicit-deny', `because no identity-based policy allows the s3:PutObject action`],
    ['resource-based policy', 'implicit-deny', `because no resource-based policy allows the s3:PutObject action`],
    ['permissions boundary', 'implicit-deny', `because no permissions boundary allows the s3:PutObject action`],
    ['session policy', 'implicit-deny', `because no session policy allows the s3:PutObject action`],
    ['service control policy', 'explicit-deny', `with an explicit deny in a service control policy`],
    ['resource control policy', 'explicit-deny', `with an explicit deny in a resource control policy`],
    ['VPC endpoint policy', 'explicit-deny', `with an explicit deny in a VPC endpoint policy`],
    ['identity-based policy', 'explicit-deny', `with an explicit deny in an identity-based policy`],
  ])('reads "%s" (%s)', (policyType, kind, tail) => {
    expect(parseErrorMessage(`User: ${caller} is not authorized to perform: s3:PutObject on resource: "${object}" ${tail}`)).toEqual({
      callerArn: caller,
      action: 's3:PutObject',
      resource: object,
      kind,
      policyType,
      setting: null,
      policyArn: null,
    });
  });

  // https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns
  it.each([
    ['service control policy', 'arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd'],
    ['resource control policy', 'arn:aws:organizations::987654321098:policy/o-qv5af4abcd/resource_control_policy/p-3abcdefg'],
    ['identity-based policy', 'arn:aws:iam::111122223333:policy/DenyUploadsOutsideBusinessHours'],
    ['permissions boundary', 'arn:aws-us-gov:iam::111122223333:policy/DeveloperBoundary'],
  ])('reads the denying %s’s ARN that AWS appends', (policyType, policyArn) => {
    const message = `User: ${caller} is not authorized to perform: s3:PutObject on resource: "${object}" with an explicit deny in a ${policyType}: ${policyArn}`;
    expect(parseErrorMessage(message)).toMatchObject({ kind: 'explicit-deny', policyType, policyArn });
  });

  it('reads a KMS message whose resource is unquoted, and one with no resource at all', () => {
    expect(
      parseErrorMessage(
        `User: ${caller} is not authorized to perform: kms:GenerateDataKey on resource: arn:aws:kms:us-east-1:1:key/k because no resource-based policy allows the kms:GenerateDataKey action`,
      ),
    ).toMatchObject({
      action: 'kms:GenerateDataKey',
      resource: 'arn:aws:kms:us-east-1:1:key/k',
    });
    expect(
      parseErrorMessage(
        `User: ${caller} is not authorized to perform: s3:PutObject because no identity-based policy allows the s3:PutObject action`,
      ),
    ).toMatchObject({
      resource: null,
      policyType: 'identity-based policy',
    });
  });

  it('reads a Block Public Access refusal', () => {
    expect(
      parseErrorMessage(
        `User: ${caller} is not authorized to perform: s3:PutObject on resource: "${object}" because public ACLs are prevented by the BlockPublicAcls setting in S3 Block Public Access`,
      ),
    ).toMatchObject({ kind: 'block-public-access', setting: 'BlockPublicAcls' });
  });

  it.each([['Access Denied'], [''], [null], ['User: x is not authorized to perform: s3:PutObject for reasons unknown']])(
    'returns null for %p',
    (message) => {
      expect(parseErrorMessage(message)).toBeNull();
    },
  );
});
