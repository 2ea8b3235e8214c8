/**
 * A small deterministic pseudo-random generator (mulberry32), so a workload's sequence of
 * operations and tenants is the same on every run with the same seed: a failure can be
 * replayed. Not for anything security-related.
 *
 * @example
 * const random = seededRandom(42);
 * const tenant = tenants[random.integer(tenants.length)];
 */
export function seededRandom(seed: number): { next(): number; integer(exclusiveMaximum: number): number } {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, integer: (exclusiveMaximum) => Math.floor(next() * exclusiveMaximum) };
}
