import type { Handlers } from '../../generated/operations.gen';
import { newId } from '../../ids';
import { serializeWebhookEndpoint } from '../../resources/serialize-webhook';
import { checkEndpointUrl } from '../../webhooks/endpoints';
import { generateSigningSecret } from '../../webhooks/signature';

/**
 * POST /v1/webhook-endpoints: the signing secret is stored sealed and returned only here.
 * NOTE: with an Idempotency-Key, http/idempotency.ts keeps this response, secret included, in
 * plain text in `idempotency_keys` for 24 hours so that it can replay it.
 */
export const createWebhookEndpoint: Handlers['createWebhookEndpoint'] = async (c) => {
  const { scope } = c.auth;
  const body = c.body;
  const url = await checkEndpointUrl(body.url, c.services.config);
  const secret = generateSigningSecret();
  const enabled = body.enabled ?? true;
  const now = new Date();

  const row = await c.db
    .insertInto('webhook_endpoints')
    .values({
      tenant_id: scope.tenantId,
      mode: scope.mode,
      id: newId('we'),
      url,
      description: body.description ?? null,
      event_types: body.event_types ?? null,
      enabled,
      disabled_reason: enabled ? null : 'manual',
      disabled_at: enabled ? null : now,
      secret_ciphertext: c.services.secretBox.seal(secret),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

  return { status: 201, body: { ...serializeWebhookEndpoint(row), secret } };
};
