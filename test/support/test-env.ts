import { randomUUID } from 'node:crypto';

/** Connection URLs the global setup started; a test that needs one and finds none fails loudly. */
export function testPostgresUrl(): string {
  const url = process.env.KEYSTONE_TEST_PG_URL;
  if (!url)
    throw new Error(
      'KEYSTONE_TEST_PG_URL is not set: run the tests with `npm test` (jest global setup starts PostgreSQL)',
    );
  return url;
}

export function testRedisUrl(): string {
  const url = process.env.KEYSTONE_TEST_REDIS_URL;
  if (!url)
    throw new Error(
      'KEYSTONE_TEST_REDIS_URL is not set: run the tests with `npm test` (jest global setup starts Redis)',
    );
  return url;
}

/** A PostgreSQL schema name of its own for one test file or one test. */
export function uniqueSchema(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}
