import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiClient } from './support/client';
import { startTestServer, type TestServer } from './support/server';
import { makeTenant, REFERENCE_DRIVER_VISIT, REFERENCE_VISITOR_VISIT, seedReferenceDirectory, type TestTenant } from './support/tenants';

interface VisitSummary {
  id: string;
  created_at: string;
  location_id: string;
  status: string;
}

interface Page {
  data: VisitSummary[];
  next_cursor: string | null;
}

const SECOND_LOCATION_ID = 'loc_slw_02';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.close();
});

/** Creates a tenant with loc_mty_01, h_98412 and a second location in its test data, and returns its test-key client. */
async function startTenant(name: string): Promise<{ tenant: TestTenant; client: ApiClient }> {
  const tenant = await makeTenant(server.runtime.db, name);
  const client = server.client(tenant.testKey);
  await seedReferenceDirectory(client);
  const location = await client.post('/v1/locations', { id: SECOND_LOCATION_ID, name: 'Saltillo Warehouse 2' });
  if (location.status !== 201) throw new Error(`Creating ${SECOND_LOCATION_ID} failed: ${location.status} ${JSON.stringify(location.body)}`);
  return { tenant, client };
}

/**
 * Creates `count` visits, six at a time so that some may share a creation millisecond. Every
 * third visit is a driver visit at the second location, and the rest are visitor visits at loc_mty_01.
 */
async function createVisits(client: ApiClient, count: number): Promise<VisitSummary[]> {
  const created: VisitSummary[] = [];
  for (let start = 0; start < count; start += 6) {
    const batch = [];
    for (let i = start; i < Math.min(start + 6, count); i += 1) {
      const body = i % 3 === 2 ? { ...REFERENCE_DRIVER_VISIT, location_id: SECOND_LOCATION_ID } : REFERENCE_VISITOR_VISIT;
      batch.push(client.post('/v1/visits', body));
    }
    for (const response of await Promise.all(batch)) {
      if (response.status !== 201) throw new Error(`Creating a visit failed: ${response.status} ${JSON.stringify(response.body)}`);
      created.push(response.body);
    }
  }
  return created;
}

/** Returns the ids of `visits` in list order: newest `created_at` first, then the larger id first. */
function newestFirst(visits: VisitSummary[]): string[] {
  const sorted = [...visits].sort((a, b) => {
    const byTime = Date.parse(b.created_at) - Date.parse(a.created_at);
    if (byTime !== 0) return byTime;
    if (a.id === b.id) return 0;
    return a.id < b.id ? 1 : -1;
  });
  return sorted.map((visit) => visit.id);
}

/** Reads one page of GET /v1/visits with `query` and fails the test unless the server returns 200. */
async function readPage(client: ApiClient, query: string, cursor: string | null): Promise<Page> {
  const cursorParameter = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
  const response = await client.get(`/v1/visits?${query}${cursorParameter}`);
  if (response.status !== 200) throw new Error(`Listing visits failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Reads every page of GET /v1/visits with `query`, calling `betweenPages` after each page but the last. */
async function readAllPages(client: ApiClient, query: string, betweenPages: () => Promise<void> = async () => {}): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | null = null;
  do {
    const page = await readPage(client, query, cursor);
    pages.push(page);
    cursor = page.next_cursor;
    if (cursor !== null) await betweenPages();
  } while (cursor !== null && pages.length < 50);
  return pages;
}

function idsOf(pages: Page[]): string[] {
  return pages.flatMap((page) => page.data.map((visit) => visit.id));
}

describe('GET /v1/visits pagination', () => {
  it('returns every visit exactly once', async () => {
    const { client } = await startTenant('paging-once');
    const created = await createVisits(client, 30);

    const pages = await readAllPages(client, 'limit=7');
    const ids = idsOf(pages);

    expect(pages.map((page) => page.data.length)).toEqual([7, 7, 7, 7, 2]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFirst(created));
    expect(pages.at(-1)?.next_cursor).toBeNull();
  });

  it('ignores visits inserted while paging', async () => {
    const { client } = await startTenant('paging-inserts');
    const created = await createVisits(client, 30);
    const inserted: VisitSummary[] = [];

    const pages = await readAllPages(client, 'limit=7', async () => {
      inserted.push(...(await createVisits(client, 2)));
    });
    const ids = idsOf(pages);
    const insertedIds = inserted.map((visit) => visit.id);
    const freshFirstPage = await readPage(client, 'limit=7', null);

    expect(pages.map((page) => page.data.length)).toEqual([7, 7, 7, 7, 2]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(newestFirst(created));
    expect(ids.filter((id) => insertedIds.includes(id))).toEqual([]);
    expect(inserted).toHaveLength(8);
    expect(pages.at(-1)?.next_cursor).toBeNull();
    expect(freshFirstPage.data.map((visit) => visit.id)).toEqual(newestFirst(inserted).slice(0, 7));
  });

  it('orders same-millisecond visits by id', async () => {
    const { tenant, client } = await startTenant('paging-ties');
    const created = await createVisits(client, 10);
    const sharedTime = new Date('2026-04-30T14:21:09.123Z');
    await server.runtime.db.updateTable('visits').set({ created_at: sharedTime }).where('tenant_id', '=', tenant.tenantId).execute();

    const pages = await readAllPages(client, 'limit=3');
    const ids = idsOf(pages);
    const expected = created.map((visit) => visit.id).sort().reverse();

    expect(pages.map((page) => page.data.length)).toEqual([3, 3, 3, 1]);
    expect(ids).toEqual(expected);
    expect(pages.at(-1)?.next_cursor).toBeNull();
  });

  it('keeps location filter across pages', async () => {
    const { client } = await startTenant('paging-location');
    const created = await createVisits(client, 30);
    const expected = newestFirst(created.filter((visit) => visit.location_id === SECOND_LOCATION_ID));

    const pages = await readAllPages(client, `limit=4&location_id=${SECOND_LOCATION_ID}`);
    const visits = pages.flatMap((page) => page.data);

    expect(expected).toHaveLength(10);
    expect(pages.map((page) => page.data.length)).toEqual([4, 4, 2]);
    expect(visits.map((visit) => visit.id)).toEqual(expected);
    expect(visits.every((visit) => visit.location_id === SECOND_LOCATION_ID)).toBe(true);
  });

  it('keeps status filter across pages', async () => {
    const { client } = await startTenant('paging-status');
    const created = await createVisits(client, 30);
    const checkedOut = created.filter((_visit, index) => index % 4 === 0);
    for (const visit of checkedOut) await client.patch(`/v1/visits/${visit.id}`, { status: 'checked_out' });

    const pages = await readAllPages(client, 'limit=3&status=checked_out');
    const visits = pages.flatMap((page) => page.data);

    expect(checkedOut).toHaveLength(8);
    expect(pages.map((page) => page.data.length)).toEqual([3, 3, 2]);
    expect(visits.map((visit) => visit.id)).toEqual(newestFirst(checkedOut));
    expect(visits.every((visit) => visit.status === 'checked_out')).toBe(true);
  });

  it('keeps combined filters across pages', async () => {
    const { client } = await startTenant('paging-combined');
    const created = await createVisits(client, 30);
    for (const visit of created.slice(0, 12)) await client.patch(`/v1/visits/${visit.id}`, { status: 'checked_out' });
    const expected = newestFirst(created.slice(12).filter((visit) => visit.location_id === 'loc_mty_01'));

    const pages = await readAllPages(client, 'limit=5&location_id=loc_mty_01&status=onsite');
    const visits = pages.flatMap((page) => page.data);

    expect(expected).toHaveLength(12);
    expect(pages.map((page) => page.data.length)).toEqual([5, 5, 2]);
    expect(visits.map((visit) => visit.id)).toEqual(expected);
    expect(visits.every((visit) => visit.location_id === 'loc_mty_01')).toBe(true);
    expect(visits.every((visit) => visit.status === 'onsite')).toBe(true);
  });

  it('returns null cursor on exact last page', async () => {
    const { client } = await startTenant('paging-exact');
    await createVisits(client, 14);

    const pages = await readAllPages(client, 'limit=7');

    expect(pages.map((page) => page.data.length)).toEqual([7, 7]);
    expect(pages[1]?.next_cursor).toBeNull();
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['missing time', Buffer.from(JSON.stringify({ id: 'vis_abc' })).toString('base64url')],
    ['invalid time', Buffer.from(JSON.stringify({ t: 'yesterday', id: 'vis_abc' })).toString('base64url')],
    ['numeric id', Buffer.from(JSON.stringify({ t: '2026-04-30T14:21:09.123Z', id: 7 })).toString('base64url')],
  ])('rejects cursor %s naming cursor', async (_case, cursor) => {
    const { client } = await startTenant('paging-bad-cursor');

    const response = await client.get(`/v1/visits?cursor=${encodeURIComponent(cursor)}`);

    expect(response.status).toBe(400);
    expect(Object.keys(response.body.issues.fieldErrors)).toEqual(['cursor']);
  });
});

describe('cursor from another tenant', () => {
  it('reveals nothing of first tenant', async () => {
    const second = await startTenant('paging-cursor-reader');
    const secondOlder = await createVisits(second.client, 4);
    const first = await startTenant('paging-cursor-owner');
    const firstVisits = await createVisits(first.client, 12);
    const secondNewer = await createVisits(second.client, 3);
    const firstPage = await readPage(first.client, 'limit=5', null);

    const response = await second.client.get(`/v1/visits?limit=100&cursor=${encodeURIComponent(firstPage.next_cursor ?? '')}`);
    const ids: string[] = response.body.data.map((visit: VisitSummary) => visit.id);
    const firstIds = firstVisits.map((visit) => visit.id);

    expect(firstPage.next_cursor).not.toBeNull();
    expect(response.status).toBe(200);
    expect(ids.filter((id) => firstIds.includes(id))).toEqual([]);
    expect(ids).toEqual(newestFirst(secondOlder));
    expect(ids.filter((id) => secondNewer.some((visit) => visit.id === id))).toEqual([]);
    expect(response.body.next_cursor).toBeNull();
  });

  it('reveals nothing across modes', async () => {
    const { tenant, client } = await startTenant('paging-cursor-modes');
    const testVisits = await createVisits(client, 9);
    const live = server.client(tenant.liveKey);
    await seedReferenceDirectory(live);
    await live.post('/v1/locations', { id: SECOND_LOCATION_ID, name: 'Saltillo Warehouse 2' });
    const liveVisits = await createVisits(live, 3);
    const livePage = await readPage(live, 'limit=1', null);

    const response = await client.get(`/v1/visits?limit=100&cursor=${encodeURIComponent(livePage.next_cursor ?? '')}`);
    const ids: string[] = response.body.data.map((visit: VisitSummary) => visit.id);

    expect(livePage.next_cursor).not.toBeNull();
    expect(response.status).toBe(200);
    expect(ids.filter((id) => liveVisits.some((visit) => visit.id === id))).toEqual([]);
    expect(ids).toEqual(newestFirst(testVisits));
    expect(response.body.data.every((visit: { livemode: boolean }) => visit.livemode === false)).toBe(true);
  });
});
