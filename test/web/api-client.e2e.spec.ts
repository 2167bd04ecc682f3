import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocument, typesOf } from '../../scripts/web-client';

const API = join(__dirname, '../../apps/web/src/api');

/** The browser and the API cannot drift: the web app's client is the API's own document, typed. */
describe('the web app’s generated API client', () => {
  it('is generated from the OpenAPI document the API serves now (npm run web:client)', async () => {
    const document = await openApiDocument();
    const dir = mkdtempSync(join(tmpdir(), 'keystone-client-check-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), document);
      expect(readFileSync(join(API, 'openapi.json'), 'utf8')).toBe(document);
      expect(readFileSync(join(API, 'schema.d.ts'), 'utf8')).toBe(
        typesOf(join(dir, 'openapi.json')),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
