/**
 * One of two processes racing to append to the stream "contested" of one PostgreSQL log: each
 * append reads the stream's version and appends with it, and on a WrongExpectedVersion reads again.
 * Prints how many it wrote and how many times it lost the race. Used by group-commit.int.spec.ts.
 */
import { PostgresEventStore } from '@keystone/event-store/adapters';
import { testEvents } from '@keystone/event-store/testing/test-events';

async function main(): Promise<void> {
  const store = await PostgresEventStore.connect({
    connectionString: process.env.RACE_URL!,
    schema: process.env.RACE_SCHEMA!,
  });
  const appends = Number(process.env.RACE_APPENDS);
  let written = 0;
  let conflicts = 0;
  while (written < appends) {
    const version = await store.streamVersion('contested');
    try {
      await store.append('contested', testEvents(1), version);
      written++;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EVENT_STORE.WRONG_EXPECTED_VERSION') throw error;
      conflicts++;
    }
  }
  await store.close();
  process.stdout.write(JSON.stringify({ written, conflicts }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
