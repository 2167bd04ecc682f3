import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { from, lastValueFrom, Observable, of } from 'rxjs';
import { canonicalJson, DomainError, EVENT_STORE, type EventStore } from '@keystone/event-store';
import { sqlBesideLog, StaleWrite, type SqlDatabase } from '@keystone/sql';
import type { Principal } from '../principal';

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

/** The one idempotency store, on the SQL beside the log (SQLite file or PostgreSQL). */
export class SqlIdempotencyStore implements IdempotencyStore {
  private readonly table: string;
  private readonly ready: Promise<void>;

  constructor(private readonly db: SqlDatabase) {
    const sqlite = db.dialect === 'sqlite';
    this.table = sqlite ? 'idempotency_keys' : 'keystone_idempotency_keys';
    const now = sqlite ? "(strftime('%Y-%m-%dT%H:%M:%fZ','now'))" : 'now()';
    this.ready = db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (
      owner TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status INTEGER, body TEXT, etag TEXT,
      created_at ${sqlite ? 'TEXT' : 'TIMESTAMPTZ'} NOT NULL DEFAULT ${now}, PRIMARY KEY (owner, key))`);
  }

  async reserve(owner: string, key: string, requestHash: string): Promise<Stored | null> {
    await this.ready;
    try {
      await this.db.write((tx) =>
        tx.run(
          `INSERT INTO ${this.table} (owner, key, request_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
          [owner, key, requestHash],
          { mustChange: true },
        ),
      );
      return null;
    } catch (error) {
      if (!(error instanceof StaleWrite)) throw error;
    }
    const [row] = await this.db.all<{
      request_hash: string;
      status: number | null;
      body: string | null;
      etag: string | null;
    }>(`SELECT request_hash, status, body, etag FROM ${this.table} WHERE owner = ? AND key = ?`, [
      owner,
      key,
    ]);
    return { requestHash: row.request_hash, status: row.status, body: row.body, etag: row.etag };
  }

  async complete(
    owner: string,
    key: string,
    status: number,
    body: string,
    etag: string | null,
  ): Promise<void> {
    await this.db.write((tx) =>
      tx.run(
        `UPDATE ${this.table} SET status = ?, body = ?, etag = ? WHERE owner = ? AND key = ?`,
        [status, body, etag, owner, key],
      ),
    );
  }

  async release(owner: string, key: string): Promise<void> {
    await this.db.write((tx) =>
      tx.run(`DELETE FROM ${this.table} WHERE owner = ? AND key = ? AND status IS NULL`, [
        owner,
        key,
      ]),
    );
  }
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

export const idempotencyStoreProvider = {
  provide: IDEMPOTENCY_STORE,
  useFactory: (store: EventStore) => new SqlIdempotencyStore(sqlBesideLog(store)),
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
    const owner = ownerOf(request.principal!);
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

/**
 * Whose key an Idempotency-Key is: the subject in one role and scope. The same person acting in
 * another role (or for another State) never gets a reply stored for the first.
 */
function ownerOf(principal: Principal): string {
  const scope =
    principal.role === 'committee-member'
      ? principal.region
      : principal.role === 'state-focal-point'
        ? principal.state
        : principal.role === 'provider'
          ? principal.provider.id
          : '';
  return `${principal.role}|${scope}|${principal.subject}`;
}
