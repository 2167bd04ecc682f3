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
import { PeopleService } from '@keystone/people';
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
  if (!(await app.get(PeopleService).anyAdministrator()))
    new Logger('Keystone').log(
      'No administrator yet: create the first with `npm run keystone -- users create-admin --email you@example.org --name "Your Name"` (it asks for a password), then sign in at the web app.',
    );
}

// A bad start: one line saying what, where and how to fix it, and exit code 2.
main().catch((error: unknown) => {
  console.error(describeStartFailure('api', error, config));
  process.exit(2);
});
