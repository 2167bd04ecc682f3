import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import type { Principal } from '@keystone/access';
import {
  runSerializedDdl,
  canonicalJson,
  DomainError,
  companionSqlOf,
  EVENT_STORE,
  type EventStore,
} from '@keystone/event-store';

interface Stored {
  readonly requestHash: string;
  readonly status: number | null;
  readonly body: string | null;
  readonly etag: string | null;
}

/** Responses remembered per (caller, Idempotency-Key), in the same database as the log. */
export interface IdempotencyStore {
  /** Reserves the key, or returns what is stored under it. */
  reserve(owner: string, key: string, requestHash: string): Promise<Stored | null>;
  complete(
    owner: string,
    key: string,
    status: number,
    body: string,
    etag: string | null,
  ): Promise<void>;
  release(owner: string, key: string): Promise<void>;
}

class SqliteIdempotencyStore implements IdempotencyStore {
  constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      owner TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER, body TEXT, etag TEXT,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), PRIMARY KEY (owner, key))`);
  }

  async reserve(owner: string, key: string, requestHash: string): Promise<Stored | null> {
    const inserted = this.db
      .prepare(
        'INSERT INTO idempotency_keys (owner, key, request_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(owner, key, requestHash);
    if (inserted.changes === 1) return null;
    const row = this.db
      .prepare<
        [string, string],
        { request_hash: string; status: number | null; body: string | null; etag: string | null }
      >('SELECT request_hash, status, body, etag FROM idempotency_keys WHERE owner = ? AND key = ?')
      .get(owner, key)!;
    return { requestHash: row.request_hash, status: row.status, body: row.body, etag: row.etag };
  }

  async complete(
    owner: string,
    key: string,
    status: number,
    body: string,
    etag: string | null,
  ): Promise<void> {
    this.db
      .prepare(
        'UPDATE idempotency_keys SET status = ?, body = ?, etag = ? WHERE owner = ? AND key = ?',
      )
      .run(status, body, etag, owner, key);
  }

  async release(owner: string, key: string): Promise<void> {
    this.db
      .prepare('DELETE FROM idempotency_keys WHERE owner = ? AND key = ? AND status IS NULL')
      .run(owner, key);
  }
}

class PostgresIdempotencyStore implements IdempotencyStore {
  private readonly ready: Promise<unknown>;

  constructor(private readonly pool: Pool) {
    this.ready = runSerializedDdl(
      pool,
      `CREATE TABLE IF NOT EXISTS keystone_idempotency_keys (
      owner TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER, body TEXT, etag TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (owner, key))`,
    );
  }

  async reserve(owner: string, key: string, requestHash: string): Promise<Stored | null> {
    await this.ready;
    const inserted = await this.pool.query(
      'INSERT INTO keystone_idempotency_keys (owner, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [owner, key, requestHash],
    );
    if (inserted.rowCount === 1) return null;
    const { rows } = await this.pool.query<{
      request_hash: string;
      status: number | null;
      body: string | null;
      etag: string | null;
    }>(
      'SELECT request_hash, status, body, etag FROM keystone_idempotency_keys WHERE owner = $1 AND key = $2',
      [owner, key],
    );
    return {
      requestHash: rows[0].request_hash,
      status: rows[0].status,
      body: rows[0].body,
      etag: rows[0].etag,
    };
  }

  async complete(
    owner: string,
    key: string,
    status: number,
    body: string,
    etag: string | null,
  ): Promise<void> {
    await this.pool.query(
      'UPDATE keystone_idempotency_keys SET status = $1, body = $2, etag = $3 WHERE owner = $4 AND key = $5',
      [status, body, etag, owner, key],
    );
  }

  async release(owner: string, key: string): Promise<void> {
    await this.pool.query(
      'DELETE FROM keystone_idempotency_keys WHERE owner = $1 AND key = $2 AND status IS NULL',
      [owner, key],
    );
  }
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export function idempotencyStoreFor(store: EventStore): IdempotencyStore {
  const sql = companionSqlOf(store);
  return sql.kind === 'sqlite'
    ? new SqliteIdempotencyStore(sql.database)
    : new PostgresIdempotencyStore(sql.pool);
}

export const idempotencyStoreProvider = {
  provide: IDEMPOTENCY_STORE,
  useFactory: idempotencyStoreFor,
  inject: [EVENT_STORE],
};

const KEY = /^[A-Za-z0-9_\-:.]{1,200}$/;

/**
 * Idempotency-Key on a POST: the same key and body again answers the first response and writes
 * nothing; the same key with another body is a 422; a key still being served is a 409.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { principal?: Principal }>();
    const key = request.header('idempotency-key');
    if (request.method !== 'POST' || key === undefined || !request.principal) return next.handle();
    return from(this.handle(key, request, http.getResponse<Response>(), next));
  }

  private async handle(
    key: string,
    request: Request & { principal?: Principal },
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    if (!KEY.test(key))
      throw new DomainError(
        'IDEMPOTENCY.INVALID_KEY',
        'validation',
        'Idempotency-Key must be 1 to 200 letters, digits, or _ - : .',
      );
    const owner = request.principal!.subject;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl}\n${canonicalJson(request.body ?? {})}`)
      .digest('hex');
    const stored = await this.store.reserve(owner, key, requestHash);
    if (stored) return this.replay(stored, requestHash, response);
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const etag = response.getHeader('etag');
      await this.store.complete(
        owner,
        key,
        response.statusCode,
        JSON.stringify(body ?? null),
        typeof etag === 'string' ? etag : null,
      );
      return body;
    } catch (error) {
      await this.store.release(owner, key);
      throw error;
    }
  }

  private replay(stored: Stored, requestHash: string, response: Response): Promise<unknown> {
    if (stored.requestHash !== requestHash) {
      throw new DomainError(
        'IDEMPOTENCY.KEY_REUSED',
        'rule',
        'This Idempotency-Key was used with a different request; use a new key for a new request.',
      );
    }
    if (stored.status === null) {
      throw new DomainError(
        'IDEMPOTENCY.IN_PROGRESS',
        'conflict',
        'A request with this Idempotency-Key is still being served; retry shortly.',
      );
    }
    response.setHeader('Idempotent-Replayed', 'true');
    if (stored.etag) response.setHeader('ETag', stored.etag);
    return lastValueFrom(of(JSON.parse(stored.body ?? 'null')));
  }
}
