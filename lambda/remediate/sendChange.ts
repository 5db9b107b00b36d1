/** A step's call, or its rollback's, sent with exactly the parameters the approved plan names. */
import { ModifyVpcEndpointCommand } from '@aws-sdk/client-ec2';
import { DeleteRolePolicyCommand, DeleteUserPolicyCommand, PutRolePolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { PutKeyPolicyCommand } from '@aws-sdk/client-kms';
import { DeleteBucketPolicyCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import type { RemediationClients } from './RemediationClients';

/** @example await sendChange(clients, step.action, step.parameters) */
export async function sendChange(clients: RemediationClients, action: string, parameters: Record<string, unknown>): Promise<void> {
  const input = parameters as never;
  switch (action) {
    case 'PutBucketPolicy':
      await clients.s3.send(new PutBucketPolicyCommand(input));
      return;
    case 'DeleteBucketPolicy':
      await clients.s3.send(new DeleteBucketPolicyCommand(input));
      return;
    case 'PutRolePolicy':
      await clients.iam.send(new PutRolePolicyCommand(input));
      return;
    case 'DeleteRolePolicy':
      await clients.iam.send(new DeleteRolePolicyCommand(input));
      return;
    case 'PutUserPolicy':
      await clients.iam.send(new PutUserPolicyCommand(input));
      return;
    case 'DeleteUserPolicy':
      await clients.iam.send(new DeleteUserPolicyCommand(input));
      return;
    case 'PutKeyPolicy':
      await clients.kms(String(parameters.KeyId)).send(new PutKeyPolicyCommand(input));
      return;
    case 'ModifyVpcEndpoint':
      await clients.ec2.send(new ModifyVpcEndpointCommand(input));
      return;
    default:
      throw new Error(`${action} is not a change this service applies`);
  }
}
