import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as sent, which is what signatures cover. */
  rawBody: string;
  /** `JSON.parse(rawBody)`. */
  body: any;
  receivedAt: number;
  /** True when the sender closed the connection before any response, as a killed worker does. */
  abandoned: boolean;
}

/** The receiver's response: a status with optional headers, or `hold` to never respond. */
export type Reply = { status: number; headers?: Record<string, string> } | 'hold';

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Decides the reply to each request. It replies 200 until replaced. */
  reply: (request: ReceivedRequest) => Reply | Promise<Reply>;
  /** Resolves with the first `count` requests that match, waiting up to `timeoutMs`. */
  waitFor(matches: (request: ReceivedRequest) => boolean, count?: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  /** Answers every held request that is still connected with `status`. */
  releaseHeld(status: number): void;
  close(): Promise<void>;
}

/**
 * Starts an HTTP webhook receiver on 127.0.0.1 with a free port. It keeps every request it
 * gets. Other test files share the job queue, so wait for requests by content, not by count.
 */
export async function startReceiver(): Promise<WebhookReceiver> {
  const held = new Set<ServerResponse>();
  const receiver: WebhookReceiver = {
    url: '',
    requests: [],
    reply: () => ({ status: 200 }),
    async waitFor(matches, count = 1, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = receiver.requests.filter(matches);
        if (found.length >= count) return found.slice(0, count);
        if (Date.now() > deadline) throw new Error(`Only ${found.length} of ${count} matching webhook requests arrived within ${timeoutMs} ms (${receiver.requests.length} in all).`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    releaseHeld(status) {
      for (const response of held) {
        held.delete(response);
        if (!response.destroyed) response.writeHead(status).end('ok');
      }
    },
    async close() {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown = null;
    try {
      body = JSON.parse(rawBody);
    } catch {
      // Kept as null: a test that expects JSON fails on it.
    }
    const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, body, receivedAt: Date.now(), abandoned: false };
    receiver.requests.push(request);
    res.on('close', () => {
      if (!res.writableFinished) request.abandoned = true;
    });

    const reply = await receiver.reply(request);
    if (reply === 'hold') {
      held.add(res);
      return;
    }
    res.writeHead(reply.status, reply.headers ?? {});
    res.end('ok');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
