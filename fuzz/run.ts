/**
 * `npm run fuzz`: starts the API on 127.0.0.1 against a fresh database, sends generated
 * requests and checks every response against openapi.yaml.
 *
 *   npm run fuzz -- --requests 10000 --seed 42
 *
 * Options: --requests N (default 10000) generated requests; --seed S (default: random, printed)
 * to replay a run. Uses DATABASE_URL's server, where it creates a database of its own and drops
 * it at the end; without DATABASE_URL, the embedded PostgreSQL the tests use. Exits 1 on a failure.
 */
import { parseArgs } from 'node:util';

import { runFuzz } from './fuzzer';
import { startFuzzServer } from './server';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '10000' },
    seed: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('Usage: npm run fuzz -- [--requests N] [--seed S]\n  --requests  generated requests to send (default 10000)\n  --seed      fast-check seed, to replay a run (default: random)');
  process.exit(0);
}

const requests = Number(values.requests);
if (!Number.isInteger(requests) || requests < 1) throw new Error(`--requests must be a positive integer, got "${values.requests}".`);
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${values.seed}".`);

const server = await startFuzzServer();
let failed = true;
try {
  const summary = await runFuzz({ baseUrl: server.url, db: server.db, requests, seed, log: (line) => console.log(line) });
  failed = summary.failure !== undefined;
} finally {
  await server.close();
}
process.exit(failed ? 1 : 0);
