/**
 * The forms a secret could take in a dump: as given, and — for base64url tokens — the raw
 * bytes as bytea hex and as standard base64 (a token stored "as bytes" must count as stored).
 *
 * @example
 * for (const form of secretForms(token)) expect(dump).not.toContain(form);
 */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret]);
  if (/^[A-Za-z0-9_-]{20,}$/.test(secret)) {
    const bytes = Buffer.from(secret, 'base64url');
    forms.add(bytes.toString('hex'));
    forms.add(bytes.toString('base64').replace(/=+$/, ''));
  }
  return [...forms];
}
