/** IPv4 and IPv6 addresses and CIDR blocks for `IpAddress` / `NotIpAddress`. */
import { isIPv4, isIPv6 } from 'node:net';

interface ParsedAddress {
  version: 4 | 6;
  value: bigint;
}

function parseIpv4(text: string): bigint {
  return text.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function parseIpv6(text: string): bigint {
  let address = text;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (isIPv4(tail)) {
    const v4 = parseIpv4(tail);
    address = `${address.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const restGroups = rest ? rest.split(':') : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...restGroups];
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(Number.parseInt(group || '0', 16)), 0n);
}

export function parseAddress(text: string): ParsedAddress | null {
  const trimmed = text.trim();
  if (isIPv4(trimmed)) return { version: 4, value: parseIpv4(trimmed) };
  if (isIPv6(trimmed)) return { version: 6, value: parseIpv6(trimmed) };
  return null;
}

/** True when `address` lies in `cidr`; a bare address is a /32 or /128. Malformed input matches nothing. */
export function addressInCidr(address: string, cidr: string): boolean {
  const ip = parseAddress(address);
  const [network = '', prefixText, ...extra] = cidr.split('/');
  const block = parseAddress(network);
  if (!ip || !block || ip.version !== block.version || extra.length > 0) return false;
  // Decimal digits only: Number() would read '' as 0 (every address), '0x18' as 24 and '1e1' as 10.
  if (prefixText !== undefined && !/^\s*\d+\s*$/.test(prefixText)) return false;
  const bits = ip.version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return false;
  const shift = BigInt(bits - prefix);
  return ip.value >> shift === block.value >> shift;
}
