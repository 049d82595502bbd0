import { sql, type SelectQueryBuilder } from 'kysely';

import { invalidField } from '../http/problem';

export const DEFAULT_PAGE_SIZE = 25;

/** A position in a list ordered newest first: the last row's creation time and id. */
interface CursorPosition {
  createdAt: Date;
  id: string;
}

/**
 * Opaque to clients: base64url of `{"t": <ISO time>, "id": <id>}`. Keyset pagination on
 * (created_at, id), both descending, so rows inserted while a client pages never shift the
 * rows it has not read yet.
 */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.toISOString(), id: position.id })).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { t?: unknown; id?: unknown };
    const createdAt = new Date(String(parsed.t));
    if (typeof parsed.id === 'string' && !Number.isNaN(createdAt.getTime())) return { createdAt, id: parsed.id };
  } catch {
    // Falls through to the 400 below: a cursor that is not base64url JSON was not one of ours.
  }
  throw invalidField('cursor', 'Invalid cursor; pass the next_cursor of the previous page unchanged.');
}

type PageableRow = { created_at: Date; id: string };

/** Applies the cursor, order and limit (plus one row, to learn whether another page exists). */
export function pageQuery<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  cursor: string | undefined,
  limit: number,
): SelectQueryBuilder<DB, TB, O> {
  let paged = query;
  if (cursor !== undefined) {
    const position = decodeCursor(cursor);
    paged = paged.where(sql<boolean>`(created_at, id) < (${position.createdAt}, ${position.id})`);
  }
  return paged.orderBy(sql`created_at desc, id desc`).limit(limit + 1);
}

/** Splits the fetched rows into the page and the cursor of the next page. */
export function toPage<Row extends PageableRow, Item>(
  rows: Row[],
  limit: number,
  serialize: (row: Row) => Item,
): { data: Item[]; next_cursor: string | null } {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  const next_cursor = rows.length > limit && last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null;
  return { data: pageRows.map(serialize), next_cursor };
}
