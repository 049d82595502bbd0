import type { LookupAddress } from 'node:dns';

import { describe, expect, it } from 'vitest';

import { isForbiddenAddress } from '../server/src/webhooks/address-guard';
import { pinnedLookup, resolveWebhookTarget, type Resolver } from '../server/src/webhooks/target';

// Every address here is a literal checked by a pure function or returned by a fake resolver:
// nothing is resolved through DNS and nothing is sent anywhere.

describe('isForbiddenAddress', () => {
  it.each([
    ['10.0.0.1', 'private 10/8'],
    ['172.16.0.1', 'private 172.16/12, start'],
    ['172.31.255.255', 'private 172.16/12, end'],
    ['192.168.1.10', 'private 192.168/16'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback, end of 127/8'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.0.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'this network 0/8'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT, end'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast, SSDP'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['fc00::1', 'unique local fc00::/7'],
    ['fd12:3456:789a::1', 'unique local fd00::/8'],
    ['fe80::1', 'link-local fe80::/10'],
    ['febf::1', 'link-local, end of fe80::/10'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback, dotted'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback, hex'],
    ['::ffff:169.254.169.254', 'IPv4-mapped metadata'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped metadata, hex'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'IPv4-mapped private, uncompressed'],
    ['64:ff9b::7f00:1', 'NAT64 of loopback'],
    ['2002:7f00:1::1', '6to4 of loopback'],
    ['2002:a9fe:a9fe::', '6to4 of metadata'],
    ['::127.0.0.1', 'IPv4-compatible (deprecated)'],
    ['2001:db8::1', 'IPv6 documentation'],
    ['2001::1', 'Teredo'],
    ['[::1]', 'bracketed IPv6 loopback'],
    ['fe80::1%eth0', 'link-local with zone'],
    ['localhost', 'a name, not an address'],
    ['', 'empty'],
    ['999.1.1.1', 'not an address'],
  ])('rejects %s (%s)', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    ['93.184.216.34', 'public IPv4'],
    ['8.8.8.8', 'public IPv4'],
    ['172.32.0.1', 'just past 172.16/12'],
    ['100.128.0.1', 'just past 100.64/10'],
    ['169.255.0.1', 'just past 169.254/16'],
    ['11.0.0.1', 'just past 10/8'],
    ['223.255.255.255', 'just below multicast'],
    ['2606:4700:4700::1111', 'global unicast IPv6'],
    ['2a00:1450:4001::1', 'global unicast IPv6'],
    ['::ffff:93.184.216.34', 'IPv4-mapped public'],
    ['64:ff9b::808:808', 'NAT64 of public'],
    ['2002:5db8:d822::1', '6to4 of public'],
  ])('allows %s (%s)', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });
});

/** A resolver that answers from a table, so no test depends on DNS. */
function fakeResolver(table: Record<string, string[]>): Resolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('resolveWebhookTarget', () => {
  const resolver = fakeResolver({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    'mixed.example.com': ['93.184.216.34', '10.0.0.5'],
    'metadata.example.com': ['169.254.169.254'],
    'mapped.example.com': ['::ffff:127.0.0.1'],
  });

  it('returns every address of an allowed host', async () => {
    const addresses = await resolveWebhookTarget(new URL('https://hooks.example.com/x'), { allowPrivate: false, resolver });

    expect(addresses.map((entry) => entry.address)).toEqual(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
  });

  it.each([
    ['https://mixed.example.com/', /10\.0\.0\.5/],
    ['https://metadata.example.com/', /169\.254\.169\.254/],
    ['https://mapped.example.com/', /::ffff:127\.0\.0\.1/],
    ['https://localhost/', /loopback/],
    ['https://api.localhost/', /loopback/],
    ['https://127.0.0.1/', /127\.0\.0\.1/],
    ['https://[::1]/', /::1/],
    ['https://0x7f.1/', /127\.0\.0\.1/],
    ['https://2130706433/', /127\.0\.0\.1/],
    ['https://[::ffff:169.254.169.254]/', /::ffff:a9fe:a9fe/],
  ])('rejects %s when any address is forbidden', async (url, message) => {
    await expect(resolveWebhookTarget(new URL(url), { allowPrivate: false, resolver })).rejects.toThrow(message);
  });

  it('rejects plain http unless private URLs are allowed', async () => {
    await expect(resolveWebhookTarget(new URL('http://hooks.example.com/'), { allowPrivate: false, resolver })).rejects.toThrow('must use https');
    await expect(resolveWebhookTarget(new URL('http://hooks.example.com/'), { allowPrivate: true, resolver })).resolves.toHaveLength(2);
  });

  it('rejects credentials in the URL', async () => {
    await expect(resolveWebhookTarget(new URL('https://user:pw@hooks.example.com/'), { allowPrivate: false, resolver })).rejects.toThrow('user name or password');
  });

  it('rejects a host that does not resolve', async () => {
    await expect(resolveWebhookTarget(new URL('https://missing.example.com/'), { allowPrivate: false, resolver })).rejects.toThrow('could not be resolved (ENOTFOUND)');
  });

  it('allows loopback when private URLs are allowed', async () => {
    const addresses = await resolveWebhookTarget(new URL('http://127.0.0.1:9/'), { allowPrivate: true, resolver });

    expect(addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
  });
});

describe('pinnedLookup', () => {
  const checked: LookupAddress[] = [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1:248:1893:25c8:1946', family: 6 },
  ];

  it('answers a single lookup with the first checked address', async () => {
    const answer = await new Promise<unknown[]>((resolve) => pinnedLookup(checked)('any.example.com', {}, (...args) => resolve(args)));

    expect(answer).toEqual([null, '93.184.216.34', 4]);
  });

  it('answers an all-addresses lookup with every checked address of the family', async () => {
    const answer = await new Promise<unknown[]>((resolve) => pinnedLookup(checked)('any.example.com', { all: true, family: 6 }, (...args) => resolve(args)));

    expect(answer).toEqual([null, [checked[1]]]);
  });
});
