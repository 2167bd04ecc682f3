import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import {
  canonicalJson,
  DomainError,
  EVENT_STORE,
  type EventStore,
  type IdempotencyScope,
} from '@keystone/event-store';
import { sqlBesideLog, StaleWrite, type SqlDatabase } from '@keystone/sql';
import type { Principal } from '../principal';

interface Stored {
  readonly requestHash: string;
  readonly status: number | null;
  readonly body: string | null;
  readonly etag: string | null;
  /** When the request serving the key reserved it (ISO 8601). */
  readonly reservedAt: string;
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
  /** Takes over a reservation made before `olderThan` (its request died); false if another did. */
  takeOver(owner: string, key: string, olderThan: string): Promise<boolean>;
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

  async takeOver(owner: string, key: string, olderThan: string): Promise<boolean> {
    try {
      await this.db.write((tx) =>
        tx.run(
          `UPDATE ${this.table} SET created_at = ? WHERE owner = ? AND key = ? AND status IS NULL AND created_at < ?`,
          [new Date().toISOString(), owner, key, olderThan],
          { mustChange: true },
        ),
      );
      return true;
    } catch (error) {
      if (error instanceof StaleWrite) return false;
      throw error;
    }
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
      created_at: string | Date;
    }>(
      `SELECT request_hash, status, body, etag, created_at FROM ${this.table} WHERE owner = ? AND key = ?`,
      [owner, key],
    );
    const reservedAt =
      row.created_at instanceof Date ? row.created_at.toISOString() : String(row.created_at);
    return {
      requestHash: row.request_hash,
      status: row.status,
      body: row.body,
      etag: row.etag,
      reservedAt,
    };
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

/**
 * How long a reservation holds before a retry may take it over: longer than any request can run
 * (every storage call has a time limit), so only a request that died leaves one this old.
 */
export const IDEMPOTENCY_LEASE_MS = Symbol('IDEMPOTENCY_LEASE_MS');

export const idempotencyStoreProvider = {
  provide: IDEMPOTENCY_STORE,
  useFactory: (store: EventStore) => new SqlIdempotencyStore(sqlBesideLog(store)),
  inject: [EVENT_STORE],
};

const KEY = /^[A-Za-z0-9_\-:.]{1,200}$/;

/** A POST carrying an Idempotency-Key, from a signed-in caller. */
export interface KeyedRequest {
  readonly principal: Principal;
  readonly key: string;
  readonly method: string;
  /** The path and query, as the client sent them. */
  readonly url: string;
  readonly body: unknown;
}

/** What a request served under its key answered (a refusal leaves the key free). */
export interface KeyedOutcome {
  readonly status: number;
  readonly body: string;
  readonly etag: string | null;
}

/** A keyed request is answered from what its key stored, or served once in its key's scope. */
export type Admission =
  | ({ readonly kind: 'replay' } & KeyedOutcome)
  | {
      readonly kind: 'serve';
      readonly scope: Pick<IdempotencyScope, 'owner' | 'key' | 'requestHash'>;
      /** Stores the answer under the key, or (null: the request was refused) frees the key. */
      finish(outcome: KeyedOutcome | null): Promise<void>;
    };

/**
 * Idempotency-Key on a POST: the same key and body again answers the first response and writes
 * nothing; the same key with another body is a 422; a key still being served is a 409 (with
 * Retry-After). The request runs in an idempotency scope (its ids derived from the key, each command
 * leaving a receipt in the transaction of its events), so a key whose request died, in a crash or an
 * outage, never sticks: its reservation expires after the lease, and the retry finds the receipt
 * (answering the same ids, writing nothing) or nothing (making the change once). The HTTP edge
 * (apps/api's idempotency middleware) admits each keyed request here before routing, so a request
 * without a key costs nothing.
 */
@Injectable()
export class Idempotency {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(IDEMPOTENCY_LEASE_MS) private readonly leaseMs: number,
  ) {}

  async admit(request: KeyedRequest): Promise<Admission> {
    if (!KEY.test(request.key))
      throw new DomainError(
        'IDEMPOTENCY.INVALID_KEY',
        'validation',
        'Idempotency-Key must be 1 to 200 letters, digits, or _ - : .',
      );
    const owner = ownerOf(request.principal);
    const { key } = request;
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.url}\n${canonicalJson(request.body ?? {})}`)
      .digest('hex');
    const stored = await this.store.reserve(owner, key, requestHash);
    if (stored) {
      const abandoned =
        stored.status === null &&
        stored.requestHash === requestHash &&
        Date.now() - Date.parse(stored.reservedAt) >= this.leaseMs;
      const olderThan = new Date(Date.now() - this.leaseMs).toISOString();
      if (!abandoned || !(await this.store.takeOver(owner, key, olderThan)))
        return this.replay(stored, requestHash);
    }
    return {
      kind: 'serve',
      scope: { owner, key, requestHash },
      finish: async (outcome) => {
        if (!outcome) return this.store.release(owner, key);
        try {
          await this.store.complete(owner, key, outcome.status, outcome.body, outcome.etag);
        } catch (error) {
          await this.store.release(owner, key);
          throw error;
        }
      },
    };
  }

  private replay(stored: Stored, requestHash: string): Admission {
    if (stored.requestHash !== requestHash) {
      throw new DomainError(
        'IDEMPOTENCY.KEY_REUSED',
        'rule',
        'This Idempotency-Key was used with a different request; use a new key for a new request.',
      );
    }
    if (stored.status === null) {
      const wait = Math.max(
        1,
        Math.ceil((Date.parse(stored.reservedAt) + this.leaseMs - Date.now()) / 1000),
      );
      throw new DomainError(
        'IDEMPOTENCY.IN_PROGRESS',
        'conflict',
        `A request with this Idempotency-Key is still being served; retry in ${wait} s (a request that died is taken over then).`,
        { retryAfterSeconds: wait },
      );
    }
    return {
      kind: 'replay',
      status: stored.status,
      body: stored.body ?? 'null',
      etag: stored.etag,
    };
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
