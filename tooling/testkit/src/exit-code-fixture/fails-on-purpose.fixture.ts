import { expect, it } from 'vitest';

// STRATA_FIXTURE_OUTCOME=fail makes the one test fail on purpose; the run must then exit 1.
it('fails on purpose when asked, so the run must exit with a non-zero code', () => {
  expect(process.env.STRATA_FIXTURE_OUTCOME === 'fail' ? 'failed' : 'passed').toBe('passed');
});
