import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { Kysely, Selectable } from 'kysely';

import type { Database, NdaDocumentTable } from '../db/schema';
import type { TenantScope } from '../http/operation';

const TEMPLATE_DIR = resolve(import.meta.dirname, '../../templates/nda');

export type Locale = 'en' | 'es-MX';

export interface NdaVersion {
  version: number;
  texts: Record<Locale, { title: string; body: string }>;
  /** Null for version 0, the default text shipped with VisitorFlow. */
  publishedAt: Date | null;
}

/** Reads the default NDA (version 0) from `templates/nda/default.<locale>.txt`: a `Title:` line, a blank line, the body. */
export async function defaultNda(): Promise<NdaVersion> {
  const read = async (locale: Locale) => {
    const text = await readFile(resolve(TEMPLATE_DIR, `default.${locale}.txt`), 'utf8');
    const [titleLine, ...rest] = text.split('\n');
    if (!titleLine?.startsWith('Title: ')) throw new Error(`templates/nda/default.${locale}.txt must start with a "Title: " line.`);
    return { title: titleLine.slice('Title: '.length), body: rest.join('\n').trim() };
  };
  return { version: 0, texts: { en: await read('en'), 'es-MX': await read('es-MX') }, publishedAt: null };
}

/** The NDA version kiosks at the location show now: the newest published, else the default. */
export async function currentNda(db: Kysely<Database>, scope: TenantScope, locationId: string): Promise<NdaVersion> {
  const row = await db
    .selectFrom('nda_documents')
    .selectAll()
    .where('tenant_id', '=', scope.tenantId)
    .where('mode', '=', scope.mode)
    .where('location_id', '=', locationId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? ndaFromRow(row) : defaultNda();
}

/** Reads a published version from its `nda_documents` row. */
export function ndaFromRow(row: Selectable<NdaDocumentTable>): NdaVersion {
  return {
    version: row.version,
    texts: { en: { title: row.en_title, body: row.en_body }, 'es-MX': { title: row.es_mx_title, body: row.es_mx_body } },
    publishedAt: row.published_at,
  };
}

/** Shapes a version as the API returns it (the NdaDocument schema). */
export function serializeNda(nda: NdaVersion, locationId: string) {
  return { version: nda.version, location_id: locationId, texts: nda.texts, published_at: nda.publishedAt?.toISOString() ?? null };
}
