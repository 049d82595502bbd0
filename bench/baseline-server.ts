/**
 * The benchmark's baseline: a bare Express + pg server that runs the same SQL as the
 * VisitorFlow handlers for each scenario, without authentication, validation, rate limits,
 * idempotency or serialization. VisitorFlow's numbers are reported as ratios to this one.
 *
 * Environment: DATABASE_URL, PORT, BENCH_TENANT_ID (the seeded tenant, test mode).
 */
import { randomBytes } from 'node:crypto';

import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const tenantId = process.env.BENCH_TENANT_ID ?? '';
const mode = 'test';
const app = express();
app.use(express.json());

const newId = (prefix: string) => `${prefix}_${randomBytes(10).toString('hex')}`;

app.post('/v1/visits', async (req, res) => {
  const body = req.body as { host_id: string; location_id: string; visitor: { name: string; email: string; company?: string } };
  const client = await pool.connect();
  try {
    await client.query('begin');
    const location = await client.query('select * from locations where tenant_id = $1 and mode = $2 and id = $3', [tenantId, mode, body.location_id]);
    const host = await client.query('select * from hosts where tenant_id = $1 and mode = $2 and id = $3', [tenantId, mode, body.host_id]);
    const now = new Date();
    const visit = await client.query(
      `insert into visits (tenant_id, mode, id, type, status, location_id, host_id, visitor_name, visitor_email, visitor_company,
         host_notified, checked_in_at, created_at, updated_at)
       values ($1, $2, $3, 'visitor', 'onsite', $4, $5, $6, $7, $8, true, $9, $9, $9) returning *`,
      [tenantId, mode, newId('vis'), location.rows[0].id, host.rows[0].id, body.visitor.name, body.visitor.email, body.visitor.company ?? null, now],
    );
    const emailId = newId('email');
    await client.query(
      `insert into outbound_emails (tenant_id, mode, id, kind, visit_id, recipient, locale, created_at) values ($1, $2, $3, 'host_arrival', $4, $5, $6, $7)`,
      [tenantId, mode, emailId, visit.rows[0].id, host.rows[0].email, location.rows[0].locale, now],
    );
    await client.query(`select graphile_worker.add_job(identifier => 'send_email', payload => $1::json, job_key => $2, max_attempts => 25)`, [
      JSON.stringify({ tenant_id: tenantId, mode, email_id: emailId }),
      `email:${emailId}`,
    ]);
    // The two events a visitor check-in records, and the lookup of subscribed webhook endpoints for each.
    for (const type of ['visit.created', 'visit.checked_in']) {
      await client.query(`insert into events (tenant_id, mode, id, type, data, created_at) values ($1, $2, $3, $4, $5, $6)`, [
        tenantId,
        mode,
        newId('evt'),
        type,
        JSON.stringify({ object: visit.rows[0] }),
        now,
      ]);
      await client.query(`select id from webhook_endpoints where tenant_id = $1 and mode = $2 and enabled and (event_types is null or $3 = any(event_types))`, [tenantId, mode, type]);
    }
    await client.query('commit');
    res.status(201).json(visit.rows[0]);
  } catch (error) {
    await client.query('rollback');
    res.status(500).json({ error: String(error) });
  } finally {
    client.release();
  }
});

app.get('/v1/visits', async (req, res) => {
  const cursor = typeof req.query.cursor === 'string' ? (JSON.parse(Buffer.from(req.query.cursor, 'base64url').toString()) as { t: string; id: string }) : undefined;
  const params: unknown[] = [tenantId, mode];
  let where = 'tenant_id = $1 and mode = $2';
  if (cursor) {
    params.push(cursor.t, cursor.id);
    where += ' and (created_at, id) < ($3, $4)';
  }
  const rows = await pool.query(`select * from visits where ${where} order by created_at desc, id desc limit 26`, params);
  res.json({ data: rows.rows.slice(0, 25), next_cursor: null });
});

app.get('/v1/visits/:id', async (req, res) => {
  const rows = await pool.query('select * from visits where tenant_id = $1 and mode = $2 and id = $3', [tenantId, mode, req.params.id]);
  res.json(rows.rows[0]);
});

// The 429 scenario's baseline: the cheapest possible rejection.
app.get('/limited', (_req, res) => {
  res.status(429).json({ error: 'Too many requests' });
});

app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline listening'));
