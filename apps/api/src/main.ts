import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@keystone/config';
import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApi(config);
  await app.listen(config.http.port, config.http.host);
  const where = config.store.kind === 'sqlite' ? config.store.path : 'PostgreSQL';
  new Logger('Keystone').log(
    `API on http://${config.http.host}:${config.http.port} (event log: ${config.store.kind}, ${where})`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
