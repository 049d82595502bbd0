import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
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
  if (!row) return defaultNda();
  return {
    version: row.version,
    texts: { en: { title: row.en_title, body: row.en_body }, 'es-MX': { title: row.es_mx_title, body: row.es_mx_body } },
    publishedAt: row.published_at,
  };
}
