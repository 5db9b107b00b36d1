/**
 * The document a step changes, as it is now in the account: what a plan's precondition hash is checked
 * against before applying, and what is re-read after to verify. IAM returns its documents URL-encoded.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRolePolicy.html
 */
import { DescribeVpcEndpointsCommand } from '@aws-sdk/client-ec2';
import { GetRolePolicyCommand, GetUserPolicyCommand } from '@aws-sdk/client-iam';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { GetBucketPolicyCommand } from '@aws-sdk/client-s3';
import type { PlanStep } from '../model/remediationPlan';
import type { RemediationClients } from './RemediationClients';

const parsed = (text: string | undefined): unknown => (text ? (JSON.parse(text) as unknown) : null);

/** A document that does not exist yet reads as null; any other failure is the caller's to report. */
async function orNone(read: () => Promise<unknown>, missing: string[]): Promise<unknown> {
  try {
    return await read();
  } catch (error) {
    if (missing.includes((error as Error).name)) return null;
    throw error;
  }
}

/** @example await readLiveDocument(clients, plan.steps[0]) // the bucket policy as it is now, or null */
export function readLiveDocument(clients: RemediationClients, step: PlanStep): Promise<unknown> {
  const p = step.parameters as Record<string, string>;
  switch (step.action) {
    case 'PutBucketPolicy':
      return orNone(
        async () =>
          parsed(
            (await clients.s3.send(new GetBucketPolicyCommand({ Bucket: p.Bucket, ExpectedBucketOwner: p.ExpectedBucketOwner }))).Policy,
          ),
        ['NoSuchBucketPolicy'],
      );
    case 'PutRolePolicy':
      return orNone(async () => {
        const got = await clients.iam.send(new GetRolePolicyCommand({ RoleName: p.RoleName, PolicyName: p.PolicyName }));
        return parsed(got.PolicyDocument ? decodeURIComponent(got.PolicyDocument) : undefined);
      }, ['NoSuchEntityException', 'NoSuchEntity']);
    case 'PutUserPolicy':
      return orNone(async () => {
        const got = await clients.iam.send(new GetUserPolicyCommand({ UserName: p.UserName, PolicyName: p.PolicyName }));
        return parsed(got.PolicyDocument ? decodeURIComponent(got.PolicyDocument) : undefined);
      }, ['NoSuchEntityException', 'NoSuchEntity']);
    case 'PutKeyPolicy':
      return orNone(
        async () => parsed((await clients.kms(p.KeyId!).send(new GetKeyPolicyCommand({ KeyId: p.KeyId, PolicyName: 'default' }))).Policy),
        [],
      );
    case 'ModifyVpcEndpoint':
      return orNone(
        async () =>
          parsed(
            (await clients.ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [p.VpcEndpointId!] }))).VpcEndpoints?.[0]
              ?.PolicyDocument,
          ),
        [],
      );
    default:
      return Promise.reject(new Error(`${step.action} is not a change this service applies`));
  }
}
