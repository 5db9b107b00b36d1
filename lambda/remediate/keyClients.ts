/**
 * A key's policy is read and written in the key's own region (KMS keys are regional): its ARN's, else, for a
 * bare key id or alias, the home region. A plan for a key in another region would otherwise read "no such
 * key" and be refused, or never apply.
 */
import { KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { oncePerKey } from '../collect/oncePerKey';
import { regionOfArn } from '../model/regionOfArn';

/**
 * @param home the clients' settings (credentials among them), and the home region
 * @example keyClients({ region: 'us-west-2' })('arn:aws:kms:eu-west-1:111122223333:key/k') // a client in eu-west-1
 */
export function keyClients(home: KMSClientConfig & { region: string }): (keyId: string) => KMSClient {
  const inRegion = oncePerKey((region) => new KMSClient({ ...home, region }));
  return (keyId) => inRegion(regionOfArn(keyId) ?? home.region);
}
