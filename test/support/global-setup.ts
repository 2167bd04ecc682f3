import {
  ensureServiceBinaries,
  startPostgres,
  startRedis,
  type RunningService,
} from './local-services';

/**
 * Starts one throwaway PostgreSQL and one Redis for the whole run and hands their URLs to the test
 * workers through the environment. Set KEYSTONE_TEST_PG_URL / KEYSTONE_TEST_REDIS_URL to reuse
 * running servers instead. A missing binary fails the run loudly; nothing is skipped.
 */
declare global {
  var __keystoneServices: RunningService[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started: RunningService[] = [];
  globalThis.__keystoneServices = started;
  const needPostgres = !process.env.KEYSTONE_TEST_PG_URL;
  const needRedis = !process.env.KEYSTONE_TEST_REDIS_URL;
  if (!needPostgres && !needRedis) return;
  const { postgresBin, redisServer } = ensureServiceBinaries();
  if (needPostgres) {
    const postgres = await startPostgres(postgresBin);
    started.push(postgres);
    process.env.KEYSTONE_TEST_PG_URL = postgres.url;
  }
  if (needRedis) {
    const redis = await startRedis(redisServer);
    started.push(redis);
    process.env.KEYSTONE_TEST_REDIS_URL = redis.url;
  }
  process.stdout.write(
    `\nkeystone test services: postgres ${process.env.KEYSTONE_TEST_PG_URL}, redis ${process.env.KEYSTONE_TEST_REDIS_URL}\n`,
  );
}
