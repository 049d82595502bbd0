/** One scripted reply: a response to return, or an error to throw as fetch does on a network failure. */
export type ScriptedReply = Response | Error | ((request: Request) => Promise<Response>);

export interface ScriptedFetch {
  fetch: typeof fetch;
  /** Every request the SDK sent, in order. */
  requests: Request[];
}

/** Returns a fetch that replies to the SDK's requests with `replies` in order, and throws when they run out. */
export function scriptedFetch(replies: ScriptedReply[]): ScriptedFetch {
  const requests: Request[] = [];
  const fetchFunction = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request);
    const reply = replies.shift();
    if (reply === undefined) throw new Error(`Unexpected request ${request.method} ${request.url}: no scripted reply left.`);
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(request);
    return reply;
  };
  return { fetch: fetchFunction, requests };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', 'x-request-id': `req_${status}`, ...headers },
  });
}

export function problem(status: number, error: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: `https://visitorflow.invalid/problems/${status}`, title: error, status, error, request_id: `req_${status}`, ...extra };
}
