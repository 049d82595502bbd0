import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createApp } from './app';
import type { Runtime } from './runtime';

export interface RunningServer {
  server: Server;
  /** Base URL such as `http://127.0.0.1:8080`. */
  url: string;
  /** Stops accepting connections and waits for in-flight requests to finish. */
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 picks a free one) and serves the API. */
export async function listen(runtime: Runtime, host: string, port: number): Promise<RunningServer> {
  const app = createApp(runtime.services);
  const server = app.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;

  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        app.locals.stopping = true;
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
