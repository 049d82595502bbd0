import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { simpleParser, type ParsedMail } from 'mailparser';
import { inject } from 'vitest';

export interface MailSink {
  /** `smtp://127.0.0.1:<port>` of the run's SMTP server, for SMTP_URL. */
  url: string;
  /** Every message received so far in this run, as of the last `refresh` or `waitFor`. */
  messages: ParsedMail[];
  /** Reads messages that arrived since the last call. */
  refresh(): Promise<ParsedMail[]>;
  /**
   * Resolves with the first message that `matches`, waiting up to `timeoutMs`. Every test
   * file's email arrives at the same server, so match on content.
   */
  waitFor(matches: (message: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  close(): Promise<void>;
}

/** Opens the run's mail folder, filled by the SMTP server that global setup starts. */
export async function startMailSink(): Promise<MailSink> {
  const dir = inject('mailDir');
  const messages: ParsedMail[] = [];
  const read = new Set<string>();

  const refresh = async () => {
    for (const file of (await readdir(dir)).sort()) {
      if (read.has(file)) continue;
      read.add(file);
      // skipImageLinks keeps `cid:` references in the HTML as sent, instead of inlining them as data URLs.
      messages.push(await simpleParser(await readFile(join(dir, file)), { skipImageLinks: true }));
    }
    return messages;
  };

  return {
    url: inject('smtpUrl'),
    messages,
    refresh,
    async waitFor(matches, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await refresh()).find(matches);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No matching email arrived within ${timeoutMs} ms (${messages.length} others did).`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: async () => {},
  };
}
