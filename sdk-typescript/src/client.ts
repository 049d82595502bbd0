import { VisitorFlowError } from './errors.js';
import { createClient, createConfig } from './generated/client/index.js';
import { createResources, type Resources } from './generated/resources.gen.js';
import { Caller } from './internal/caller.js';
import { readEnv } from './internal/env.js';
import { rejectUnknownOptions, resolveTransport, type TransportOptions } from './options.js';
import { Webhooks } from './webhooks/webhooks.js';

export interface VisitorFlowOptions extends TransportOptions {
  /** API key, `vfp_live_…` or `vfp_test_…`. Default: `VISITORFLOW_API_KEY`. Required one way or the other. */
  apiKey?: string;
}

// The resource properties (visits, hosts, …) are generated from openapi.yaml and assigned in
// the constructor; this declaration gives the class their types.
export interface VisitorFlow extends Resources {}

/**
 * The VisitorFlow API client for an API key.
 *
 * @example
 * const client = new VisitorFlow({ apiKey: process.env.VISITORFLOW_API_KEY });
 * for await (const visit of client.visits.list({ location_id: 'loc_mty_01' })) console.log(visit.id);
 */
export class VisitorFlow {
  /** Verifies webhook deliveries; makes no requests. */
  readonly webhooks = new Webhooks();

  constructor(options: VisitorFlowOptions = {}) {
    rejectUnknownOptions('VisitorFlow', options, ['apiKey']);
    const apiKey = options.apiKey ?? readEnv('VISITORFLOW_API_KEY');
    if (!apiKey) {
      throw new VisitorFlowError('Missing API key: pass it as new VisitorFlow({ apiKey }) or set the VISITORFLOW_API_KEY environment variable.');
    }

    const settings = resolveTransport(options);
    const client = createClient(createConfig({ baseUrl: settings.baseURL, auth: apiKey }));
    Object.assign(this, createResources(new Caller(client, settings)));
  }
}
