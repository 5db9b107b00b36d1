/** How each layer is named to people, in summaries, chat headers and the terminal: one name per thing. */
import type { LayerName } from './diagnosis';

export function layerInWords(layer: LayerName, bucket: string | null): string {
  switch (layer) {
    case 'identity-policy':
      return "the caller's identity policies";
    case 'permissions-boundary':
      return 'the permissions boundary';
    case 'session-policy':
      return 'the session policy';
    case 'scp':
      return 'a service control policy (SCP)';
    case 'rcp':
      return 'a resource control policy (RCP)';
    case 'bucket-policy':
      return bucket ? `the bucket policy of ${bucket}` : 'the bucket policy';
    case 'bucket-acl':
      return 'the bucket ACL';
    case 'object-ownership':
      return 'Object Ownership (ACLs disabled)';
    case 'block-public-access':
      return 'S3 Block Public Access';
    case 'vpc-endpoint-policy':
      return 'the VPC endpoint policy';
    case 'kms-key-policy':
      return 'the KMS key policy';
    case 'kms-grant':
      return 'KMS grants';
    case 'kms-key-state':
      return "the KMS key's state";
    case 'credentials':
      return 'the credentials';
    default:
      return 'a layer that could not be identified';
  }
}
