import { isIPv4, isIPv6 } from 'node:net';

/** An IPv4 range: its first address as a 32-bit number, and its prefix length. */
type Ipv4Range = [address: number, prefixLength: number];

// IPv4 ranges a webhook may never reach: RFC 6890 special-purpose blocks that are not
// globally reachable, plus multicast and the reserved 240/4 (which contains 255.255.255.255).
const FORBIDDEN_IPV4: Ipv4Range[] = [
  [ipv4('0.0.0.0'), 8], // "this network"
  [ipv4('10.0.0.0'), 8], // private
  [ipv4('100.64.0.0'), 10], // carrier-grade NAT
  [ipv4('127.0.0.0'), 8], // loopback
  [ipv4('169.254.0.0'), 16], // link-local, including the cloud metadata address 169.254.169.254
  [ipv4('172.16.0.0'), 12], // private
  [ipv4('192.0.0.0'), 24], // IETF protocol assignments
  [ipv4('192.0.2.0'), 24], // documentation
  [ipv4('192.88.99.0'), 24], // 6to4 relay anycast
  [ipv4('192.168.0.0'), 16], // private
  [ipv4('198.18.0.0'), 15], // benchmarking
  [ipv4('198.51.100.0'), 24], // documentation
  [ipv4('203.0.113.0'), 24], // documentation
  [ipv4('224.0.0.0'), 4], // multicast
  [ipv4('240.0.0.0'), 4], // reserved and broadcast
];

/**
 * Returns true when a webhook must not connect to `address`, an IPv4 or IPv6 literal: private,
 * loopback, link-local (cloud metadata included), carrier-grade NAT, multicast, reserved or
 * documentation ranges. IPv6 is allowed only inside global unicast 2000::/3, and an IPv6
 * address that embeds an IPv4 one (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) is judged by that IPv4 address. Anything that is not an IP literal is forbidden.
 */
export function isForbiddenAddress(address: string): boolean {
  const literal = address.replace(/^\[|\]$/g, '');
  if (isIPv4(literal)) return isForbiddenIpv4(ipv4(literal));
  if (isIPv6(literal)) return isForbiddenIpv6(parseIpv6(literal));
  return true;
}

function isForbiddenIpv4(value: number): boolean {
  return FORBIDDEN_IPV4.some(([base, prefixLength]) => inPrefix(value, base, prefixLength));
}

function isForbiddenIpv6(groups: number[]): boolean {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embeddedLow = ((g6 << 16) | g7) >>> 0;

  // ::ffff:0:0/96, IPv4-mapped: the connection goes to the IPv4 address.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff) return isForbiddenIpv4(embeddedLow);
  // 64:ff9b::/96, the NAT64 well-known prefix (RFC 6052).
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return isForbiddenIpv4(embeddedLow);
  // 2002::/16, 6to4 (RFC 3056): the IPv4 address sits in bits 16 to 47.
  if (g0 === 0x2002) return isForbiddenIpv4(((g1 << 16) | g2) >>> 0);

  // Everything outside global unicast 2000::/3: ::, ::1, fc00::/7, fe80::/10, ff00::/8 and the rest.
  if ((g0 & 0xe000) !== 0x2000) return true;
  // 2001::/23, IETF protocol assignments (Teredo included), and 2001:db8::/32, documentation.
  if (g0 === 0x2001 && g1 < 0x0200) return true;
  if (g0 === 0x2001 && g1 === 0x0db8) return true;
  // 3fff::/20, documentation (RFC 9637).
  if ((g0 & 0xfff0) === 0x3ff0) return true;
  return false;
}

function inPrefix(value: number, base: number, prefixLength: number): boolean {
  const mask = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
  return ((value & mask) >>> 0) === ((base & mask) >>> 0);
}

function ipv4(text: string): number {
  return text.split('.').reduce((value, octet) => ((value << 8) | Number(octet)) >>> 0, 0);
}

/** Expands a valid IPv6 literal (`::` and a dotted IPv4 tail allowed) into eight 16-bit groups. */
function parseIpv6(text: string): number[] {
  let body = text.split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body)?.[1];
  if (dotted) {
    const value = ipv4(dotted);
    body = `${body.slice(0, -dotted.length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }

  const [head = '', tail] = body.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  return groups.map((group) => Number.parseInt(group, 16));
}
