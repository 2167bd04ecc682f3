import { DomainError, EventStoreUnavailable, StorageFull } from '@keystone/event-store';
import { toHttpError } from './error.filter';

/** 503s that tell the truth: "nothing was written" only when that is known. */
describe('toHttpError on storage failures', () => {
  const lost = new Error('Connection terminated unexpectedly');

  it('a connection lost while a change was in flight: outcome unknown, retry with the same key', () => {
    const { status, body } = toHttpError(new EventStoreUnavailable('postgres', lost, 'unknown'));
    expect(status).toBe(503);
    expect(body.code).toBe('STORAGE.UNAVAILABLE');
    expect(body.details).toEqual({ outcome: 'unknown', retryAfterSeconds: 5 });
    expect(body.message).toContain('whether its change was recorded is unknown');
    expect(body.message).toContain('same Idempotency-Key');
    expect(body.message).not.toContain('nothing');
  });

  it('a raw driver error met outside the append (a read, a read model) on a write: unknown too', () => {
    const { status, body } = toHttpError(lost, true);
    expect({ status, code: body.code, outcome: body.details.outcome }).toEqual({
      status: 503,
      code: 'STORAGE.UNAVAILABLE',
      outcome: 'unknown',
    });
  });

  it('a write the database rolled back: nothing was written, said so', () => {
    const timeout = Object.assign(new Error('canceling statement due to statement timeout'), {
      code: '57014',
    });
    const { body } = toHttpError(timeout, true);
    expect(body.details.outcome).toBe('not-written');
    expect(body.message).toContain('nothing of this request was written');
  });

  it('a full disk (SQLite or PostgreSQL): STORAGE.FULL, nothing written', () => {
    const sqliteFull = Object.assign(new Error('database or disk is full'), {
      code: 'SQLITE_FULL',
    });
    const pgFull = Object.assign(new Error('could not extend file'), { code: '53100' });
    for (const error of [sqliteFull, pgFull, new StorageFull('sqlite', sqliteFull)])
      expect(toHttpError(error, true)).toMatchObject({
        status: 503,
        body: { code: 'STORAGE.FULL', details: { outcome: 'not-written' } },
      });
  });

  it('a read: no claim about writes at all', () => {
    const { status, body } = toHttpError(lost, false);
    expect(status).toBe(503);
    expect(body.details).toEqual({ retryAfterSeconds: 5 });
    expect(body.message).not.toMatch(/written|Idempotency/);
  });

  it('leaves a refusal by a rule, and a bug, as they were', () => {
    expect(toHttpError(new DomainError('CASE.CLOSED', 'rule', 'closed')).status).toBe(422);
    const bug = toHttpError(new TypeError('x is undefined'));
    expect(bug.status).toBe(500);
    expect(bug.body.message).not.toContain('nothing of this request was written');
  });
});
