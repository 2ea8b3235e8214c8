import { it } from 'vitest';
import { useTestDatabase } from '../test-database.js';

const database = useTestDatabase();

it('holds the server until the run is interrupted', async () => {
  // Tell the parent test the server is up, then wait to be killed.
  console.log(`FIXTURE_READY ${database.name}`);
  await new Promise((resolve) => setTimeout(resolve, 110_000));
});
