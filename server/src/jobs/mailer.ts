import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import nodemailer from 'nodemailer';

import type { Logger } from '../log';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** A stable Message-ID, so a receiving system can drop a duplicate if one ever slips through. */
  messageId: string;
  /** Inline images the HTML part shows with `cid:` URLs, which webmail displays where it blocks `data:` images. */
  inlineImages?: { cid: string; filename: string; content: Buffer; contentType: string }[];
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/**
 * Creates a mailer that sends through the SMTP server of `smtpUrl`. Without one, it writes
 * each message as an .eml file under `<dataDir>/outbox` and logs its path, so development
 * needs no mail server.
 */
export function createMailer(options: { smtpUrl: string | undefined; from: string; dataDir: string; log: Logger }): Mailer {
  const { smtpUrl, from, dataDir, log } = options;

  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      async send(email) {
        await transport.sendMail(toMessage(from, email));
      },
      close: () => transport.close(),
    };
  }

  const outbox = join(dataDir, 'outbox');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(email) {
      const info = await transport.sendMail(toMessage(from, email));
      await mkdir(outbox, { recursive: true });
      const file = join(outbox, `${email.messageId.replace(/[<>@]/g, '_')}.eml`);
      await writeFile(file, info.message as Buffer);
      log.info({ file, to: email.to }, 'email written to the outbox folder (SMTP_URL is unset)');
    },
    close: () => transport.close(),
  };
}

function toMessage(from: string, email: OutgoingEmail) {
  const { inlineImages, ...rest } = email;
  return {
    from,
    ...rest,
    attachments: (inlineImages ?? []).map((image) => ({ ...image, contentDisposition: 'inline' as const })),
  };
}
