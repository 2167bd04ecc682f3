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
        'Every route but the public ones needs the caller signed in: the web app’s session cookie (`POST /auth/session`; its writes carry `X-Keystone-Client`), or a bearer token for scripts (`keystone token --role …` mints one locally). `x-keystone-roles` on each operation lists the roles allowed. Committee members act on their region, State focal points for their State, providers on requests open for offers; auditors read only.',
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
    .addCookieAuth('keystone_session', {
      type: 'apiKey',
      in: 'cookie',
      description:
        'The web app’s sign-in session (POST /auth/session); writes also carry X-Keystone-Client',
    })
    .addServer('/', 'This Keystone (same origin as the web app)')
    .setLicense('MIT', 'https://opensource.org/license/mit')
    .build();
  const document = completed(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

type Document = ReturnType<typeof SwaggerModule.createDocument>;
type Operation = NonNullable<Document['paths'][string]['get']>;

const ERROR = { $ref: '#/components/schemas/Error' };
const refusal = (description: string) => ({
  description: `${description} ({ code, message, details }; the codes are listed above)`,
  content: { 'application/json': { schema: ERROR } },
});

/**
 * What every operation shares, declared once: who may call it (bearer token or session cookie, or
 * anyone), the one error shape and the refusals it can meet, and the headers Keystone reads on
 * writes (Idempotency-Key on every POST, If-Match on a case's commands).
 */
function completed(document: Document): Document {
  document.components = {
    ...document.components,
    schemas: {
      ...document.components?.schemas,
      Error: {
        type: 'object',
        required: ['code', 'message', 'details'],
        properties: {
          code: { type: 'string', example: 'CASE.CONSENT_REQUIRED' },
          message: { type: 'string', description: 'What was wrong, and what would be right' },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      const operation = item[method] as (Operation & Record<string, unknown>) | undefined;
      if (!operation) continue;
      const isPublic = (operation['x-keystone-roles'] as string[] | undefined)?.includes('anyone');
      operation.security = isPublic ? [] : [{ bearer: [] }, { cookie: [] }];
      const responses = operation.responses as Record<string, unknown>;
      const add = (status: number, description: string) =>
        (responses[String(status)] ??= refusal(description));
      const takesInput =
        !!operation.requestBody ||
        (operation.parameters ?? []).some((p) => 'in' in p && p.in === 'query');
      if (takesInput) add(400, 'The input breaks a rule of form');
      if (!isPublic) {
        add(401, 'Not signed in, or the token or session is no longer valid');
        add(403, 'The caller’s role or scope does not allow this');
      }
      if (/\{[^}]+\}/.test(path)) add(404, 'No such case, offer, person or expert');
      if (method !== 'get') {
        add(409, 'It conflicts with what is recorded (already done, or a concurrent write)');
        add(422, 'A rule of the domain refuses it now (see the code)');
        operation.parameters = [
          ...(operation.parameters ?? []),
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description:
              'The same key and body again returns the first response, without a second write',
            schema: { type: 'string', maxLength: 200 },
          },
          ...(path.startsWith('/cases/{id}')
            ? [
                {
                  name: 'If-Match',
                  in: 'header' as const,
                  required: false,
                  description: 'The case’s ETag as read: a stale one is refused with 412',
                  schema: { type: 'string' },
                },
              ]
            : []),
        ];
        if (path.startsWith('/cases/{id}'))
          add(412, 'If-Match names a version that is no longer the case’s');
      }
      add(429, 'Too many requests (Retry-After says when to try again)');
      add(503, 'The event log cannot be reached or is full (Retry-After; nothing was written)');
    }
  }
  return document;
}
