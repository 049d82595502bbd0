import { VisitorFlowError } from './errors.js';
import { createClient, createConfig } from './generated/client/index.js';
import { createKioskMethods, type KioskMethods } from './generated/resources.gen.js';
import type { KioskPairing } from './generated/types.gen.js';
import { Caller, type RequestOptions } from './internal/caller.js';
import { rejectUnknownOptions, resolveTransport, type TransportOptions } from './options.js';

export interface KioskClientOptions extends TransportOptions {
  /** The kiosk's device token (`vfk_…`). Omit it to call `pair()` first, which sets it. */
  deviceToken?: string;
}

// The methods (createCheckin, uploadVisitPhoto, …) are generated from openapi.yaml and
// assigned in the constructor. The class wraps `pair` so that it takes the code and keeps the token.
export interface KioskClient extends Omit<KioskMethods, 'pair'> {}

/**
 * The client a lobby kiosk uses for the `/v1/kiosk/*` routes, authenticated by its device token.
 *
 * @example
 * const kiosk = new KioskClient();
 * await kiosk.pair('K7M2QX9P');
 * const checkin = await kiosk.createCheckin({ qr_token: scanned });
 */
export class KioskClient {
  #deviceToken: string | undefined;
  readonly #pair: KioskMethods['pair'];

  constructor(options: KioskClientOptions = {}) {
    rejectUnknownOptions('KioskClient', options, ['deviceToken']);
    this.#deviceToken = options.deviceToken;

    const settings = resolveTransport(options);
    const client = createClient(createConfig({ baseUrl: settings.baseURL, auth: () => this.#requireDeviceToken() }));
    const { pair, ...methods } = createKioskMethods(new Caller(client, settings));
    this.#pair = pair;
    Object.assign(this, methods);
  }

  /** Trades a one-time pairing code from `client.kiosks.create()` for the device token, which this client then uses. */
  async pair(pairingCode: string, options?: RequestOptions): Promise<KioskPairing> {
    const pairing = await this.#pair({ pairing_code: pairingCode }, options);
    this.#deviceToken = pairing.device_token;
    return pairing;
  }

  #requireDeviceToken(): string {
    if (this.#deviceToken) return this.#deviceToken;
    throw new VisitorFlowError('Missing device token: pass it as new KioskClient({ deviceToken }) or call pair(code) first.');
  }
}
