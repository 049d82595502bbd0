import { once } from 'node:events';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** Opens a TCP connection to 127.0.0.1:`port`, for requests that fetch cannot send (partial bodies, raw header bytes). */
export async function connectRaw(port: number): Promise<Socket> {
  const socket = createConnection({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  return socket;
}

/** Tries a new TCP connection and returns the error code (such as ECONNREFUSED), or undefined when it connects. */
export async function connectionErrorCode(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Reads one HTTP/1.1 response from `socket`: the status line and headers, then a body framed
 * by Content-Length, by chunked encoding, or by the server closing the connection. Rejects
 * when no whole response arrives within `timeoutMs`.
 */
export function readRawResponse(socket: Socket, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    let closed = false;

    const finish = (outcome: RawResponse | Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const tryParse = () => {
      const parsed = parseResponse(received, closed);
      if (parsed) finish(parsed);
      else if (closed) finish(new Error(`The connection closed before a whole response arrived: ${JSON.stringify(received.toString('latin1'))}`));
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse();
    };
    const onEnd = () => {
      closed = true;
      tryParse();
    };
    const onError = (error: Error) => finish(error);
    const timer = setTimeout(() => finish(new Error(`No whole response arrived within ${timeoutMs} ms. Received: ${JSON.stringify(received.toString('latin1'))}`)), timeoutMs);

    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
  });
}

/** Parses a complete response from `data`, or returns undefined while more bytes are needed. */
function parseResponse(data: Buffer, closed: boolean): RawResponse | undefined {
  const headerEnd = data.indexOf('\r\n\r\n');
  if (headerEnd === -1) return undefined;

  const [statusLine = '', ...headerLines] = data.subarray(0, headerEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }

  const rest = data.subarray(headerEnd + 4);
  const contentLength = headers['content-length'];
  if (contentLength !== undefined) {
    const length = Number(contentLength);
    if (rest.length < length) return undefined;
    return { status, headers, body: rest.subarray(0, length).toString('utf8') };
  }
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
    const body = decodeChunked(rest);
    return body === undefined ? undefined : { status, headers, body };
  }
  return closed ? { status, headers, body: rest.toString('utf8') } : undefined;
}

/** Decodes a chunked body, or returns undefined until its last (zero-size) chunk has arrived. */
function decodeChunked(data: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return undefined;
    parts.push(data.subarray(start, start + size));
    offset = start + size + 2;
  }
}
