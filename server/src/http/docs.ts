import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import express, { type Router } from 'express';

const REDOC_BUNDLES = join(dirname(createRequire(import.meta.url).resolve('redoc/package.json')), 'bundles');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>VisitorFlow API reference</title>
    <style>body { margin: 0; }</style>
  </head>
  <body>
    <redoc spec-url="/v1/openapi.json"></redoc>
    <script src="/docs/redoc.standalone.js"></script>
  </body>
</html>
`;

// The page may load only from this server, so viewing the docs never reaches another host.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
].join('; ');

/**
 * `GET /docs`: the contract as a browsable reference, rendered by Redoc from the npm package's
 * standalone bundle. These routes are for people, so they sit outside the contract.
 */
export function docsRouter(): Router {
  const router = express.Router();
  router.get('/docs', (_req, res) => {
    res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    res.type('html').send(PAGE);
  });
  router.get('/docs/redoc.standalone.js', (_req, res) => {
    res.sendFile(join(REDOC_BUNDLES, 'redoc.standalone.js'), { maxAge: '1h' });
  });
  return router;
}
