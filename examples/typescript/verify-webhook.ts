// Receives webhook deliveries on http://127.0.0.1:3000/webhooks and verifies each one before
// trusting it. Run from the repository root:
//   VISITORFLOW_WEBHOOK_SECRET=whsec_… npx tsx examples/typescript/verify-webhook.ts
import { createServer } from 'node:http';

import { VisitorFlow, WebhookVerificationError } from '@visitorflow/sdk';

const secret = process.env.VISITORFLOW_WEBHOOK_SECRET;
if (!secret) throw new Error('Missing VISITORFLOW_WEBHOOK_SECRET: set it to the endpoint secret (whsec_…).');

// Verification needs no API calls; the key is only required by the constructor.
const client = new VisitorFlow({ apiKey: process.env.VISITORFLOW_API_KEY ?? 'vfp_test_unused' });

const server = createServer(async (request, response) => {
  // The signature covers the exact bytes sent, so read the raw body and do not re-serialize JSON.
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);

  try {
    const event = await client.webhooks.verify(Buffer.concat(chunks), request.headers, secret);
    console.log(`verified ${event.type} ${event.id}`);
    response.writeHead(204).end();
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    console.warn(`rejected delivery (${error.reason}): ${error.message}`);
    response.writeHead(400).end();
  }
});

server.listen(3000, '127.0.0.1', () => console.log('listening on http://127.0.0.1:3000/webhooks'));
