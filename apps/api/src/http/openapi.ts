import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ERROR_CODES } from './error-codes';

/** OpenAPI at /docs (JSON at /docs-json): every route, its DTOs, its roles (x-keystone-roles) and the error codes. */
export function mountOpenApi(app: INestApplication): void {
  const errorTable = ERROR_CODES.map(
    ([code, status, meaning]) => `| \`${code}\` | ${status} | ${meaning} |`,
  ).join('\n');
  const config = new DocumentBuilder()
    .setTitle('Keystone')
    .setDescription(
      [
        'The system of record for human-rights technical assistance (UN HRC item 10): every case moves through events in an append-only, hash-chained log.',
        '',
        'Every route needs a bearer token (`keystone token --role …` mints one locally); `x-keystone-roles` on each operation lists the roles allowed. Committee members act on their region, State focal points for their State, providers on requests open for offers; auditors read only.',
        '',
        'Optimistic concurrency: `GET /cases/{id}` returns an `ETag`; send it back as `If-Match` and a stale one is refused with 412. `Idempotency-Key` on any POST: the same key and body again returns the first response.',
        '',
        'Errors have one shape, `{ code, message, details }`:',
        '',
        '| code | status | meaning |',
        '| --- | --- | --- |',
        errorTable,
      ].join('\n'),
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
