import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { PinpipeError } from '../../core/errors.js';
import type { ObjectInfo, ObjectStore, PutOptions } from '../object-store.js';

/** Reject keys that could leave the store's root. */
export function assertKey(key: string): void {
  if (key.length === 0 || key.startsWith('/') || key.includes('\\') || key.includes('\0') || key.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new PinpipeError('INVALID_NAME', `Invalid object key ${JSON.stringify(key)}`);
  }
}

export interface LocalStoreOptions {
  /** fsync each object before it becomes visible (default true). */
  fsync?: boolean;
}

/** An ObjectStore on a local directory; puts are temp-file + rename, put-if-absent is a hard link. */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  readonly url: string;
  private readonly fsync: boolean;
  private readonly madeDirs = new Set<string>();

  constructor(root: string, opts: LocalStoreOptions = {}) {
    this.root = resolve(root);
    this.url = this.root;
    this.fsync = opts.fsync ?? true;
  }

  private path(key: string): string {
    assertKey(key);
    return join(this.root, ...key.split('/'));
  }

  private async mkdirFor(path: string): Promise<void> {
    const dir = dirname(path);
    if (this.madeDirs.has(dir)) return;
    await fs.mkdir(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  async put(key: string, body: Uint8Array | string, opts: PutOptions = {}): Promise<void> {
    const path = this.path(key);
    await this.mkdirFor(path);
    const tmp = `${dirname(path)}${sep}.tmp-${randomBytes(6).toString('hex')}`;
    const fh = await fs.open(tmp, 'wx');
    try {
      await fh.writeFile(body);
      if (this.fsync) await fh.datasync();
    } finally {
      await fh.close();
    }
    try {
      if (opts.ifAbsent) {
        // link() fails with EEXIST atomically: never a check-then-write.
        await fs.link(tmp, path).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'EEXIST') throw new PinpipeError('OBJECT_EXISTS', `Object ${key} already exists`);
          throw err;
        });
        await fs.unlink(tmp);
      } else {
        await fs.rename(tmp, path);
      }
    } catch (err) {
      await fs.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PinpipeError('OBJECT_NOT_FOUND', `Object ${key} not found`);
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const st = await fs.stat(this.path(key));
      return st.isFile() ? { key, size: st.size, modifiedAt: Math.floor(st.mtimeMs) } : undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    // Walk only the deepest directory the prefix names fully.
    const slash = prefix.lastIndexOf('/');
    const base = slash >= 0 ? prefix.slice(0, slash) : '';
    if (base) assertKey(base);
    const out: ObjectInfo[] = [];
    const walk = async (dirKey: string): Promise<void> => {
      let entries;
      try {
        entries = await fs.readdir(dirKey ? join(this.root, ...dirKey.split('/')) : this.root, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw err;
      }
      for (const e of entries) {
        if (e.name.startsWith('.tmp-')) continue;
        const key = dirKey ? `${dirKey}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (prefix.startsWith(`${key}/`) || key.startsWith(prefix) || prefix.startsWith(key)) await walk(key);
        } else if (key.startsWith(prefix)) {
          const st = await fs.stat(join(this.root, ...key.split('/')));
          out.push({ key, size: st.size, modifiedAt: Math.floor(st.mtimeMs) });
        }
      }
    };
    await walk(base);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.path(key), { force: true });
  }

  async localPath(key: string): Promise<string> {
    return this.path(key);
  }
}
