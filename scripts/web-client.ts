/**
 * Generates the web app's typed API client from the API's own OpenAPI document: starts the API on a
 * throwaway log, reads /docs-json, and runs openapi-typescript on it. `npm run web:client` writes
 * apps/web/src/api/{openapi.json,schema.d.ts}; with --check it only compares them (exit 1 if stale).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@keystone/config';
import { createApi } from '../apps/api/src/bootstrap';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'apps/web/src/api');

export async function openApiDocument(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-openapi-'));
  const app = await createApi(
    loadConfig({
      KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db'),
      KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1',
      KEYSTONE_AUTH_SECRET: 'openapi-'.padEnd(40, 'x'),
      KEYSTONE_KEY_ENCRYPTION_KEY_FILE: join(dir, 'kek'),
      KEYSTONE_ROLES: 'api',
    }),
    { logger: false },
  );
  try {
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const document = await (await fetch(`${url.replace('[::1]', '127.0.0.1')}/docs-json`)).json();
    return `${JSON.stringify(document, null, 2)}\n`;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function typesOf(documentFile: string): string {
  return execFileSync(
    process.execPath,
    // A default is what the API fills in when a field is left out: the field stays optional to send.
    [
      join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'),
      documentFile,
      '--default-non-nullable=false',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

async function main(check: boolean): Promise<number> {
  const document = await openApiDocument();
  const dir = mkdtempSync(join(tmpdir(), 'keystone-client-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), document);
    const types = typesOf(join(dir, 'openapi.json'));
    if (check) {
      const stale =
        readFileSync(join(OUT, 'openapi.json'), 'utf8') !== document ||
        readFileSync(join(OUT, 'schema.d.ts'), 'utf8') !== types;
      console.log(stale ? 'web:client: STALE — run npm run web:client' : 'web:client: up to date');
      return stale ? 1 : 0;
    }
    writeFileSync(join(OUT, 'openapi.json'), document);
    writeFileSync(join(OUT, 'schema.d.ts'), types);
    console.log(`web:client: wrote ${OUT}/openapi.json and schema.d.ts`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module)
  main(process.argv.includes('--check')).then(
    (code) => process.exit(code),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
