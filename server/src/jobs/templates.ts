import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const TEMPLATE_DIR = resolve(import.meta.dirname, '../../templates/email');

export type Locale = 'en' | 'es-MX';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * Renders `<name>.<locale>.txt` (a `Subject:` line, a blank line, then the body) and
 * `<name>.<locale>.html`, replacing `{{key}}` with the values; values are HTML-escaped in the
 * HTML part. A placeholder without a value is an error, so a typo never reaches a visitor.
 */
export async function renderEmail(name: string, locale: Locale, values: Record<string, string>): Promise<RenderedEmail> {
  const [textTemplate, htmlTemplate] = await Promise.all([
    readFile(resolve(TEMPLATE_DIR, `${name}.${locale}.txt`), 'utf8'),
    readFile(resolve(TEMPLATE_DIR, `${name}.${locale}.html`), 'utf8'),
  ]);

  const [subjectLine, ...bodyLines] = textTemplate.split('\n');
  if (!subjectLine?.startsWith('Subject: ')) throw new Error(`Template ${name}.${locale}.txt must start with a "Subject: " line.`);
  return {
    subject: fill(subjectLine.slice('Subject: '.length), values, (v) => v),
    text: fill(bodyLines.join('\n').trimStart(), values, (v) => v),
    html: fill(htmlTemplate, values, escapeHtml),
  };
}

function fill(template: string, values: Record<string, string>, escape: (value: string) => string): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`Email template placeholder {{${key}}} has no value.`);
    return escape(value);
  });
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
