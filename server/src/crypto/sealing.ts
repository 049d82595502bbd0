import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import type { Logger } from '../log';

/**
 * Encrypts secrets the server must be able to use again (signing keys), as opposed to
 * credentials it only needs to recognise, which are stored as hashes. AES-256-GCM with a
 * random 12-byte nonce; the output is `v1.<nonce>.<ciphertext>.<tag>` in base64url.
 */
export class Sealer {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('The sealing key must be 32 bytes.');
    this.#key = key;
  }

  seal(plaintext: Buffer): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return ['v1', nonce, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  unseal(sealed: string): Buffer {
    const [version, nonce, ciphertext, tag] = sealed.split('.');
    if (version !== 'v1' || !nonce || !ciphertext || !tag) throw new Error('Not a sealed value of this server.');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(nonce, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  }
}

/**
 * Loads the sealing key: `VISITORFLOW_SECRET_KEY` (32 bytes, base64) when set, as production
 * should. Otherwise it uses a key kept in `<dataDir>/secret.key`, created on first use, so a
 * local setup works without configuration. Keep that file, because sealed secrets cannot be
 * read without it.
 */
export async function loadSealer(options: { secretKey: string | undefined; dataDir: string; log: Logger }): Promise<Sealer> {
  if (options.secretKey) {
    const key = Buffer.from(options.secretKey, 'base64');
    if (key.length !== 32) throw new Error('VISITORFLOW_SECRET_KEY must be 32 bytes in base64 (for example: openssl rand -base64 32).');
    return new Sealer(key);
  }

  const file = join(options.dataDir, 'secret.key');
  try {
    return new Sealer(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    options.log.warn({ file }, 'VISITORFLOW_SECRET_KEY is unset; created a local secret key file. Set the variable in production.');
  } catch (error) {
    // Another process created it first; both then use that one.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return new Sealer(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'));
}
