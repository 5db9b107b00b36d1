/**
 * A managed policy's default version: GetPolicy names it, GetPolicyVersion holds the document. The same read
 * serves a role's attached policies, a permissions boundary and a session's managed policies; `layer` is the
 * one a failure leaves unseen.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetPolicyVersion.html
 */
import { GetPolicyCommand, GetPolicyVersionCommand, type IAMClient } from '@aws-sdk/client-iam';
import type { NamedPolicy } from '../model/snapshot';
import { parsePolicyDocument } from './policyDocument';
import type { Reading } from './Reading';

export async function managedPolicy(
  iam: IAMClient,
  reading: Reading,
  arn: string,
  layer = 'identity-policy',
): Promise<NamedPolicy | undefined> {
  const policy = await reading.attempt(layer, 'iam:GetPolicy', arn, () => iam.send(new GetPolicyCommand({ PolicyArn: arn })));
  const versionId = policy?.Policy?.DefaultVersionId;
  if (!versionId) return undefined;
  const version = await reading.attempt(layer, 'iam:GetPolicyVersion', `${arn}:${versionId}`, () =>
    iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId })),
  );
  if (!version?.PolicyVersion) return undefined;
  return {
    name: policy.Policy?.PolicyName ?? arn.split('/').pop() ?? arn,
    arn,
    document: parsePolicyDocument(version.PolicyVersion.Document, true),
  };
}
