/** A key's policy is read and written in the key's own region, whatever the remediator's home region. */
import { keyClients } from '../../lambda/remediate/keyClients';

describe('the KMS client for a key', () => {
  const clientFor = keyClients({ region: 'us-west-2' });

  it('is in the region of the key’s ARN', async () => {
    expect(await clientFor('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab').config.region()).toBe(
      'eu-west-1',
    );
  });

  it('is in the home region for a bare key id or alias, which name a key only there', async () => {
    expect(await clientFor('alias/uploads').config.region()).toBe('us-west-2');
    expect(await clientFor('1234abcd-12ab-34cd-56ef-1234567890ab').config.region()).toBe('us-west-2');
  });

  it('is made once per region', () => {
    expect(clientFor('arn:aws:kms:eu-west-1:111122223333:key/a')).toBe(clientFor('arn:aws:kms:eu-west-1:444455556666:key/b'));
  });
});
