import { addressInCidr } from '../../lambda/policy/ipAddress';

describe('addressInCidr', () => {
  it.each([
    ['203.0.113.77', '203.0.113.0/24', true],
    ['203.0.114.1', '203.0.113.0/24', false],
    ['10.1.2.3', '0.0.0.0/0', true],
    ['2001:db8:4f2a::17', '2001:db8:4f2a::/48', true],
    ['2001:db8:77::5', '2001:db8:4f2a::/48', false],
    ['::ffff:203.0.113.9', '::ffff:203.0.113.0/120', true],
    ['2001:db8::1', '2001:db8::1', true],
    ['203.0.113.77', '2001:db8::/32', false],
    ['not-an-ip', '203.0.113.0/24', false],
    ['203.0.113.77', '203.0.113.0/33', false],
  ])('%s in %s is %s', (address, cidr, inside) => {
    expect(addressInCidr(address, cidr)).toBe(inside);
  });
});
