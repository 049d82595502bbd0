import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Config } from '../config';
import type { Logger } from '../log';

const KEY_BYTES = 32;
const FORMAT = 'v1';

/** Encrypts webhook signing secrets at rest (AES-256-GCM), so a database dump alone cannot sign. */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

let warnedAboutLocalKey = false;

/**
 * Builds the box from `WEBHOOK_SECRET_KEY` (32 bytes, base64). Without it, for development
 * and tests, the key is read from `<dataDir>/webhook-secret.key`, created on first use, and a
 * warning is logged once per process.
 */
export async function loadSecretBox(config: Pick<Config, 'webhookSecretKey' | 'dataDir'>, log: Logger): Promise<SecretBox> {
  if (config.webhookSecretKey) {
    const key = Buffer.from(config.webhookSecretKey, 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`WEBHOOK_SECRET_KEY must be ${KEY_BYTES} bytes in base64 (got ${key.length} bytes); generate one with: openssl rand -base64 32`);
    return createSecretBox(key);
  }

  const file = join(config.dataDir, 'webhook-secret.key');
  const key = await readOrCreateKeyFile(file);
  if (!warnedAboutLocalKey) {
    warnedAboutLocalKey = true;
    log.warn({ file }, 'WEBHOOK_SECRET_KEY is unset: webhook secrets are encrypted with a local development key; set WEBHOOK_SECRET_KEY in production');
  }
  return createSecretBox(key);
}

async function readOrCreateKeyFile(file: string): Promise<Buffer> {
  try {
    await mkdir(join(file, '..'), { recursive: true });
    // `wx` fails when the file exists, so two processes starting at once keep the first key.
    await writeFile(file, randomBytes(KEY_BYTES).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const key = Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${file} must hold ${KEY_BYTES} bytes in base64; delete it to generate a new one (existing webhook secrets then need rotating).`);
  return key;
}

/** `v1.<iv>.<auth tag>.<ciphertext>`, each part base64url. */
export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
    },
    open(sealed) {
      const [format, iv, tag, ciphertext] = sealed.split('.');
      if (format !== FORMAT || !iv || !tag || ciphertext === undefined) throw new Error('Sealed webhook secret has an unknown format.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
