import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig, PROCESS_ROLES, redactUrl } from '@keystone/config';
import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (!config.roles.api) {
    throw new ConfigError([
      'KEYSTONE_ROLES does not name api, so this process must not serve HTTP: start the worker (apps/worker) for projections, reactors and processors',
    ]);
  }
  const app = await createApi(config);
  await app.listen(config.http.port, config.http.host);
  const where = config.store.kind === 'sqlite' ? config.store.path : redactUrl(config.store.url);
  const roles = PROCESS_ROLES.filter((role) => config.roles[role]).join(', ');
  new Logger('Keystone').log(
    `API on http://${config.http.host}:${config.http.port} (event log: ${config.store.kind}, ${where}; roles: ${roles})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
