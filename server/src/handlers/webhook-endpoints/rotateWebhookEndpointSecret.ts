import type { Handlers } from '../../generated/operations.gen';
import { serializeWebhookEndpoint } from '../../resources/serialize-webhook';
import { findEndpoint } from '../../webhooks/endpoints';
import { generateSigningSecret } from '../../webhooks/signature';

/** How long the secret before a rotation keeps signing alongside the new one. */
const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/**
 * POST /v1/webhook-endpoints/{id}/rotate-secret: the current secret becomes the previous one
 * for 24 hours. Only one previous secret is kept, so a second rotation within that time
 * stops signing with the oldest. Like create, a response kept for an Idempotency-Key holds
 * the new secret in plain text for 24 hours.
 */
export const rotateWebhookEndpointSecret: Handlers['rotateWebhookEndpointSecret'] = async (c) => {
  const { scope } = c.auth;
  const secret = generateSigningSecret();
  const now = new Date();

  const row = await c.db.transaction().execute(async (trx) => {
    const current = await findEndpoint(trx, scope, c.params.id, { forUpdate: true });
    return trx
      .updateTable('webhook_endpoints')
      .set({
        secret_ciphertext: c.services.secretBox.seal(secret),
        previous_secret_ciphertext: current.secret_ciphertext,
        previous_secret_expires_at: new Date(now.getTime() + ROTATION_OVERLAP_MS),
        updated_at: now,
      })
      .where('tenant_id', '=', scope.tenantId)
      .where('mode', '=', scope.mode)
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });

  return { status: 200, body: { ...serializeWebhookEndpoint(row), secret } };
};
