/**
 * Runs one autocannon load in its own process (so the load generator does not share an event
 * loop with what it measures) and prints the result as one JSON line.
 *
 * Arguments: a JSON object with url, method, headers, body, duration (s) and connections.
 */
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  duration: number;
  connections: number;
};

const result = await autocannon({
  url: options.url,
  method: options.method,
  headers: options.headers,
  body: options.body,
  duration: options.duration,
  connections: options.connections,
});

process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    meanLatency: result.latency.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes: result.statusCodeStats,
  }) + '\n',
);
