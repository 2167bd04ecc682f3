import fc from 'fast-check';
import { ApiHarness } from '../e2e/support/api-harness';
import { availableExpert, caseAt, tokens, type Tokens } from '../e2e/support/scenario';

/**
 * Property-based requests for every operation of /docs-json: bodies and queries drawn from each
 * schema, mixed with hostile values (wrong types, odd dates, control characters, deep nesting,
 * unknown keys), every role's token or none or a forged one. Whatever is sent: never a 5xx, every
 * refusal in the one error shape, and no event written by a refused request. Seeded, so a failure
 * replays; bounded to about a minute on this machine.
 */
type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  allOf?: Schema[];
};
type Operation = {
  parameters?: { name: string; in: 'path' | 'query'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

const SEED = Number(process.env.KEYSTONE_FUZZ_SEED ?? 20261127);
// About 6,000 requests in all, as when the API had 33 operations (180 each); it has 67 now.
const RUNS_PER_OPERATION = Number(process.env.KEYSTONE_FUZZ_RUNS ?? 90);

const ODD_TIMES = ['20260101', '2026-W01-1', '2026-01-01T10:00,5Z', '2026-02-30T00:00:00Z', '1e20'];
const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    'null',
    '-1',
    'NaN',
    '../../etc/passwd',
    '=cmd|"/C calc"!A0',
    'Robert\u0000); DROP TABLE events;--',
    'left\u202eright',
    '\u001b[31mred',
    '\ud800',
    'x'.repeat(6_000),
    ...ODD_TIMES,
  ),
);
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e20, -1, 0, Number.MAX_SAFE_INTEGER),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);

/** A URL cannot carry a lone surrogate: it becomes U+FFFD, as a browser would send it. */
const wellFormed = (text: string) => text.replace(/[\uD800-\uDFFF]/g, '\uFFFD');

function resolve(schema: Schema, components: Record<string, Schema>): Schema {
  if (schema.$ref) return resolve(components[schema.$ref.split('/').pop()!], components);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => resolve(s, components)));
  return schema;
}

/** Mostly what the schema says, sometimes anything at all. */
function fromSchema(
  schema: Schema,
  components: Record<string, Schema>,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(schema, components);
  const valid = validFrom(s, components, depth);
  return fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

function validFrom(
  s: Schema,
  components: Record<string, Schema>,
  depth: number,
): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'string':
      if (s.format === 'date-time')
        return fc
          .date({ min: new Date('2025-01-01'), max: new Date('2026-05-31'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (s.format === 'date') return fc.constantFrom('2026-06-15', '2026-01-01', '2027-12-31');
      return fc.oneof(
        fc.constantFrom('MWI', 'ZMB', 'Torture prevention', 'A/HRC/53/10, 121.4'),
        fc.lorem({ maxCount: 4 }),
      );
    case 'integer':
      return fc.integer({ min: s.minimum ?? -10, max: Math.min(s.maximum ?? 100_000, 100_000) });
    case 'number':
      return fc.double({ noNaN: true, min: -1e6, max: 1e6 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3
        ? fc.constant([])
        : fc.array(fromSchema(s.items ?? {}, components, depth + 1), { maxLength: 3 });
    case 'object':
    default: {
      if (!s.properties || depth > 3) return fc.jsonValue({ maxDepth: 1 });
      const required = new Set(s.required ?? []);
      const fields = Object.entries(s.properties).map(([name, p]) =>
        fc.option(
          fromSchema(p, components, depth + 1).map((v) => [name, v] as const),
          {
            freq: required.has(name) ? 12 : 2,
            nil: null,
          },
        ),
      );
      const unknown = fc.option(
        fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor'), hostile),
        { freq: 6, nil: null },
      );
      return fc
        .tuple(fc.tuple(...fields), unknown)
        .map(([entries, extra]) =>
          Object.fromEntries([...entries, extra].filter((e) => e !== null) as [string, unknown][]),
        );
    }
  }
}

describe('fuzzing every operation of /docs-json', () => {
  // Redis is left unreachable on purpose: nothing but the requests themselves may write to the log.
  const h = new ApiHarness('sqlite', { KEYSTONE_REDIS_URL: 'redis://127.0.0.1:1' });
  let t: Tokens;
  let ids: { caseId: string; offerId: string; expertId: string };
  const figures = { requests: 0, serverErrors: 0, refusals: 0, refusalsThatWrote: 0, accepted: 0 };

  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
    const at = await caseAt(h, t, 'offered');
    ids = { caseId: at.caseId, offerId: at.offerId!, expertId: await availableExpert(h, t) };
  }, 60_000);
  afterAll(async () => {
    console.log(
      `fuzz: ${JSON.stringify(figures)} (seed ${SEED}, ${RUNS_PER_OPERATION} runs per operation)`,
    );
    await h.stop();
  });

  it('never answers 5xx, always in the error shape, and no refused request writes', async () => {
    const docs = (await h.call('GET', '/docs-json')).body as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, Schema> };
    };
    const log = await h.openLog();
    const tokenArb = fc.constantFrom<string | undefined>(
      ...Object.values(t),
      undefined,
      'not.a.jwt',
    );
    const pathValue = (name: string) =>
      name === 'year'
        ? fc.oneof(fc.integer({ min: 1990, max: 2100 }).map(String), hostileString)
        : fc.oneof(
            { weight: 3, arbitrary: fc.constant(name === 'offerId' ? ids.offerId : ids.caseId) },
            { weight: 1, arbitrary: fc.constant(ids.expertId) },
            { weight: 1, arbitrary: fc.uuid() },
            { weight: 1, arbitrary: hostileString.filter((s) => s.length > 0) },
          );
    try {
      for (const [template, methods] of Object.entries(docs.paths)) {
        for (const [method, operation] of Object.entries(methods)) {
          const params = operation.parameters ?? [];
          const bodySchema = operation.requestBody?.content['application/json']?.schema;
          const request = fc.record({
            token: tokenArb,
            path: fc
              .tuple(
                ...params
                  .filter((p) => p.in === 'path')
                  .map((p) => pathValue(p.name).map((v) => [p.name, v] as const)),
              )
              .map((pairs) =>
                pairs.reduce(
                  (path, [name, v]) =>
                    path.replace(`{${name}}`, encodeURIComponent(wellFormed(String(v)))),
                  template,
                ),
              ),
            query: fc
              .tuple(
                ...params
                  .filter((p) => p.in === 'query')
                  .map((p) =>
                    fc.option(
                      fromSchema(p.schema ?? { type: 'string' }, docs.components.schemas).map(
                        (v) => [p.name, v] as const,
                      ),
                      { nil: null },
                    ),
                  ),
              )
              .map((pairs) =>
                new URLSearchParams(
                  (pairs.filter((p) => p !== null) as [string, unknown][]).map(
                    ([k, v]): [string, string] => [
                      k,
                      typeof v === 'string' ? v : JSON.stringify(v),
                    ],
                  ),
                ).toString(),
              ),
            body: bodySchema
              ? fromSchema(bodySchema, docs.components.schemas)
              : fc.constant(undefined),
          });
          await fc.assert(
            fc.asyncProperty(request, async ({ token, path, query, body }) => {
              const before = await log.lastPosition();
              const reply = await h.call(
                method.toUpperCase(),
                `${path}${query ? `?${query}` : ''}`,
                {
                  ...(token === undefined ? {} : { token }),
                  ...(body === undefined ? {} : { body }),
                },
              );
              const after = await log.lastPosition();
              figures.requests++;
              const where = `${method.toUpperCase()} ${path}?${query} → ${reply.status}`;
              if (reply.status >= 500) figures.serverErrors++;
              expect([where, reply.status < 500]).toEqual([where, true]);
              if (reply.status >= 400) {
                figures.refusals++;
                if (after !== before) figures.refusalsThatWrote++;
                expect([where, after]).toEqual([where, before]);
                expect(reply.body).toEqual({
                  code: expect.stringMatching(/^[A-Z_]+\.[A-Z_]+$/),
                  message: expect.any(String),
                  details: expect.any(Object),
                });
              } else figures.accepted++;
            }),
            { numRuns: RUNS_PER_OPERATION, seed: SEED, endOnFailure: true },
          );
        }
      }
    } finally {
      await log.close();
    }
    const operations = Object.values(docs.paths).flatMap((methods) => Object.keys(methods)).length;
    expect(operations).toBeGreaterThanOrEqual(33);
    expect(figures.requests).toBe(RUNS_PER_OPERATION * operations);
  }, 240_000);
});
