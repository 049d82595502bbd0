import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/** Storage for photos and signatures. Keys are relative paths such as `ten_x/test/visits/vis_y/photo.jpg`. */
export interface BlobStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The stored bytes, or undefined when nothing is stored under the key. */
  get(key: string): Promise<Buffer | undefined>;
}

/** Stores blobs as files under `root`, writing to a temporary name first so a reader never sees half a file. */
export class DiskBlobStorage implements BlobStorage {
  readonly #root: string;

  constructor(root: string) {
    this.#root = resolve(root);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = this.#pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.#pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  #pathOf(key: string): string {
    const path = resolve(join(this.#root, key));
    // Keys are built from validated ids, but a key must never reach outside the root.
    if (!path.startsWith(this.#root + sep)) throw new Error(`Blob key "${key}" points outside the storage folder.`);
    return path;
  }
}
