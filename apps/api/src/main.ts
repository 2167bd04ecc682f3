import { Logger } from '@nestjs/common';
import {
  ConfigError,
  describeStartFailure,
  loadConfig,
  PROCESS_ROLES,
  redactUrl,
  StartupLogger,
  type KeystoneConfig,
} from '@keystone/config';
import { createApi } from './bootstrap';

let config: KeystoneConfig | undefined;

async function main(): Promise<void> {
  config = loadConfig(process.env);
  if (!config.roles.api) {
    throw new ConfigError([
      'KEYSTONE_ROLES does not name api, so this process must not serve HTTP: start the worker (apps/worker) for projections, reactors and processors',
    ]);
  }
  const app = await createApi(config, { logger: new StartupLogger() });
  await app.listen(config.http.port, config.http.host);
  const where = config.store.kind === 'sqlite' ? config.store.path : redactUrl(config.store.url);
  const roles = PROCESS_ROLES.filter((role) => config!.roles[role]).join(', ');
  new Logger('Keystone').log(
    `API on http://${config.http.host}:${config.http.port} (event log: ${config.store.kind}, ${where}; roles: ${roles})`,
  );
}

// A bad start: one line saying what, where and how to fix it, and exit code 2.
main().catch((error: unknown) => {
  console.error(describeStartFailure('api', error, config));
  process.exit(2);
});
