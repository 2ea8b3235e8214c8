import fc from 'fast-check';

/** Classic injection and parser-confusing payloads, mixed into every generated string set. */
export const injectionPayloads = [
  "'; drop table notes; --",
  "' or '1'='1",
  '"; drop table notes; --',
  '\\x00',
  '\u0000',
  "$1'); select pg_sleep(10); --",
  "e'\\\\'",
  '$$; drop table notes; $$',
  '*/ select 1 /*',
  '../../etc/passwd',
  '%00',
  '\u202e',
  '𝕊𝕢𝕝',
  ' ',
  '',
  'null',
  'undefined',
  '00000000-0000-0000-0000-000000000000; select 1',
] as const;

/** A UUID with one character inserted, removed or replaced: close to valid, but not. */
export const nearlyValidUuid = fc
  .tuple(fc.uuid(), fc.nat(35), fc.constantFrom('', "'", ';', ' ', 'g', '-', '\u0000', 'ä', '--'))
  .map(([uuid, position, insert]) => uuid.slice(0, position) + insert + uuid.slice(position + (insert === '' ? 1 : 0)));

/** Strings an attacker or a confused client might send: unicode, binary, payloads, near misses. */
export const hostileString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(...injectionPayloads),
  nearlyValidUuid,
  fc.mixedCase(fc.uuid()),
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_$]{0,70}$/),
);

/** Any JavaScript value at all, strings weighted towards the hostile ones. */
export const hostileValue = fc.oneof({ weight: 3, arbitrary: hostileString }, { weight: 1, arbitrary: fc.anything() });

/**
 * Whether `text` contains `secret` raw or in any encoding a URL parser might have produced.
 *
 * @example
 * expect(containsSecret(error.message, password)).toBe(false);
 */
export function containsSecret(text: string, secret: string): boolean {
  const forms = new Set([secret, encodeURIComponent(secret), encodeURI(secret)]);
  try {
    forms.add(decodeURIComponent(secret));
  } catch {
    // not decodable: fine
  }
  return [...forms].some((form) => form.length >= 6 && text.includes(form));
}

/**
 * Whether an error's message repeats a (long enough to be meaningful) hostile input. The
 * stack is not searched: it holds file and function names a short input may match by chance.
 *
 * @example
 * expect(echoesInput(error, "'; drop table notes; --")).toBe(false);
 */
export function echoesInput(error: unknown, input: unknown): boolean {
  return typeof input === 'string' && input.length >= 12 && error instanceof Error && error.message.includes(input);
}

/** Every text an error exposes: message, stack, and those of its causes. */
export function errorTexts(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '');
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join('\n');
}

/**
 * Runs a fast-check property and, when it fails, adds fast-check's report (counterexample,
 * seed to replay) to `problems` instead of throwing, so the scenario still records its
 * figures and every problem found is listed together.
 *
 * @example
 * await checkProperty(fc.asyncProperty(hostileValue, async (value) => …), { numRuns: 1_000 }, problems);
 */
export async function checkProperty<T>(
  property: fc.IProperty<T> | fc.IAsyncProperty<T>,
  parameters: fc.Parameters<T>,
  problems: string[],
): Promise<void> {
  try {
    await fc.assert(property as fc.IAsyncProperty<T>, parameters);
  } catch (error) {
    problems.push(error instanceof Error ? error.message.split('\n').slice(0, 4).join(' ') : String(error));
  }
}
