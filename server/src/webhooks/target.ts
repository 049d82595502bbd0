import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';

import { isForbiddenAddress } from './address-guard';

/** Resolves a host name to every address it has, like `dns.lookup` with `all: true`. */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

/** A webhook URL that may not be called: its scheme, its credentials, or where its host resolves. */
export class WebhookTargetError extends Error {
  override name = 'WebhookTargetError';
}

export interface TargetOptions {
  /** `ALLOW_PRIVATE_WEBHOOK_URLS`: allows http and every address. */
  allowPrivate: boolean;
  resolver?: Resolver;
}

/**
 * Checks that a webhook may call `url` and returns the addresses its host resolves to, every
 * one of them checked. Connect only to these (see `pinnedLookup`), so a DNS answer that
 * changes between the check and the connection cannot redirect the request.
 */
export async function resolveWebhookTarget(url: URL, options: TargetOptions): Promise<LookupAddress[]> {
  const { allowPrivate, resolver = systemResolver } = options;
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) {
    throw new WebhookTargetError(allowPrivate ? 'The URL must use http or https.' : 'The URL must use https.');
  }
  if (url.username !== '' || url.password !== '') throw new WebhookTargetError('The URL must not contain a user name or password.');

  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(hostname) !== 0) {
    if (!allowPrivate && isForbiddenAddress(hostname)) throw forbidden(hostname, hostname);
    return [{ address: hostname, family: isIP(hostname) }];
  }
  // RFC 6761 reserves `localhost` and its subdomains for loopback, whatever DNS says.
  if (!allowPrivate && (hostname === 'localhost' || hostname.endsWith('.localhost'))) throw forbidden(hostname, 'loopback');

  let addresses: LookupAddress[];
  try {
    addresses = await resolver(hostname);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new WebhookTargetError(`The host "${hostname}" could not be resolved (${code}).`);
  }
  if (addresses.length === 0) throw new WebhookTargetError(`The host "${hostname}" has no addresses.`);
  if (!allowPrivate) {
    const blocked = addresses.find((entry) => isForbiddenAddress(entry.address));
    if (blocked) throw forbidden(hostname, blocked.address);
  }
  return addresses;
}

function forbidden(hostname: string, address: string): WebhookTargetError {
  const where = hostname === address ? `"${hostname}"` : `"${hostname}" (${address})`;
  return new WebhookTargetError(`The host ${where} is a private, loopback, link-local or reserved address, which webhooks may not reach.`);
}

/** Builds a `lookup` for http.request that returns only addresses already checked. */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = familyNumber(options.family);
    const matching = family ? addresses.filter((entry) => entry.family === family) : addresses;
    const first = matching[0];
    if (!first) {
      callback(new Error(`No checked IPv${family} address to connect to.`), '', 0);
      return;
    }
    if (options.all) callback(null, matching);
    else callback(null, first.address, first.family);
  };
}

/** Node passes the family as 4, 6, 'IPv4', 'IPv6' or 0/undefined for any. */
function familyNumber(family: number | string | undefined): number | undefined {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return typeof family === 'number' && family !== 0 ? family : undefined;
}
