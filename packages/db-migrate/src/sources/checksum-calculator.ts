import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of a migration's text. Line endings are normalised first so a checkout with
 * CRLF line endings does not look like an edit; a leading byte-order mark is dropped too.
 */
export function calculateChecksum(text: string): string {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}
