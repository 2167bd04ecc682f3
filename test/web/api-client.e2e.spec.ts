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

  it('declares for every operation a summary, its success answer with a schema, and its refusals', () => {
    const document = JSON.parse(readFileSync(join(API, 'openapi.json'), 'utf8')) as {
      paths: Record<string, Record<string, { summary?: string; responses: Record<string, any> }>>;
    };
    const lacking: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(item)) {
        operations++;
        const name = `${method.toUpperCase()} ${path}`;
        if (!operation.summary) lacking.push(`${name}: no summary`);
        // A redirect is the success of the sign-in legs through the identity provider.
        const success = Object.entries(operation.responses).filter(
          ([code]) => code.startsWith('2') || code.startsWith('3'),
        );
        if (success.length !== 1) lacking.push(`${name}: ${success.length} success answers`);
        for (const [code, answer] of success)
          if (
            code !== '204' &&
            !code.startsWith('3') &&
            !Object.values(answer.content ?? {}).some((c: any) => c.schema)
          )
            lacking.push(`${name}: ${code} has no schema`);
        const refusals = Object.entries(operation.responses).filter(([code]) => code >= '400');
        if (!refusals.length) lacking.push(`${name}: no refusal declared`);
        for (const [code, answer] of refusals)
          if (answer.content?.['application/json']?.schema?.$ref !== '#/components/schemas/Error')
            lacking.push(`${name}: ${code} is not the one error shape`);
      }
    expect(operations).toBeGreaterThan(45);
    expect(lacking).toEqual([]);
  });
});
