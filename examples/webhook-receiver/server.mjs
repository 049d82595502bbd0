// A minimal VisitorFlow webhook receiver: verifies each delivery, drops duplicates, logs the event.
//
//   VISITORFLOW_WEBHOOK_SECRET=whsec_… PORT=4000 node examples/webhook-receiver/server.mjs
import { createServer } from 'node:http';

import { verifyVisitorFlowSignature } from './verify.mjs';

const secret = process.env.VISITORFLOW_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set VISITORFLOW_WEBHOOK_SECRET to the whsec_… secret returned when the endpoint was created.');
  process.exit(2);
}
const port = Number(process.env.PORT ?? 4000);
const MAX_BODY_BYTES = 1024 * 1024;

// Event ids already handled. Deliveries are at-least-once, so the same event may arrive again.
// A real receiver keeps these in its database; this set is lost on restart.
const seenEventIds = new Set();

const server = createServer(async (req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'POST' }).end();
    return;
  }

  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(chunk);
  }
  const rawBody = Buffer.concat(chunks).toString('utf8');

  const result = verifyVisitorFlowSignature({ rawBody, headers: req.headers, secret });
  if (!result.ok) {
    console.warn(`rejected a delivery: ${result.reason}`);
    res.writeHead(400).end();
    return;
  }

  // Answer 2xx quickly; VisitorFlow counts anything slower than 15 s as a failure and retries.
  res.writeHead(200).end();
  if (seenEventIds.has(result.eventId)) return;
  seenEventIds.add(result.eventId);

  const event = JSON.parse(rawBody);
  console.log(`${event.created_at} ${event.type} ${event.id} (object ${event.data.object.id ?? 'without id'})`);
});

server.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}/`));
