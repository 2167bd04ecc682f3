import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { signLocalToken, type KeystoneClaims } from '@keystone/access';
import { loadConfig } from '@keystone/config';
import { EVENT_STORE, type Clock, type EventStore } from '@keystone/event-store';
import {
  KurrentDbEventStore,
  PostgresEventStore,
  SqliteEventStore,
} from '@keystone/event-store/adapters';
import { InMemoryKurrent } from '@keystone/event-store/kurrentdb/testing/in-memory-kurrent';
import { Pool } from 'pg';
import { createApi } from '../../../apps/api/src/bootstrap';
import { freePort } from '../../support/local-services';
import { NO_RATE_LIMITS } from '../../support/processes';
import { testPostgresUrl, testRedisUrl, uniqueSchema } from '../../support/test-env';

const SECRET = 'e2e-secret-'.padEnd(40, 'x');
/** The secret the harness signs its tokens with, for API processes started beside it. */
export const E2E_SECRET = SECRET;

export class MovableClock implements Clock {
  constructor(private current = new Date('2026-06-01T12:00:00.000Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface Reply<T = any> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * `kurrentdb stand-in`: the KurrentDB adapter on the in-memory stand-in of a server (not a server),
 * with its read models, keys and idempotency records in a PostgreSQL schema, as in production.
 */
export const EVERY_STORE = ['sqlite', 'postgres', 'kurrentdb stand-in'] as const;
export type StoreKind = (typeof EVERY_STORE)[number];

/** The real API over HTTP on a fresh store (a SQLite file, or a PostgreSQL schema), with tokens of any role. */
export class ApiHarness {
  readonly clock = new MovableClock();
  private app!: INestApplication;
  private dir!: string;
  private schema = '';
  private kurrent: InMemoryKurrent | null = null;
  base = '';
  path = '';
  keyEncryptionKeyFile = '';

  /** `env` adds to (or overrides) the configuration, e.g. low rate limits for the test of them. */
  constructor(
    readonly store: StoreKind = 'sqlite',
    private readonly env: Record<string, string> = {},
  ) {}

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), 'keystone-e2e-'));
    this.path = join(this.dir, 'keystone.db');
    this.keyEncryptionKeyFile = join(this.dir, 'key-encryption-key');
    const port = await freePort();
    this.schema = uniqueSchema('api');
    const storeEnv =
      this.store === 'sqlite'
        ? { KEYSTONE_SQLITE_PATH: this.path }
        : {
            KEYSTONE_STORE: this.store === 'postgres' ? 'postgres' : 'kurrentdb',
            KEYSTONE_KURRENTDB_URL: 'kurrentdb://stand-in.invalid:2113?tls=false',
            KEYSTONE_POSTGRES_URL: testPostgresUrl(),
            KEYSTONE_POSTGRES_SCHEMA: this.schema,
          };
    const config = loadConfig({
      ...storeEnv,
      KEYSTONE_REDIS_URL: testRedisUrl(),
      KEYSTONE_QUEUE_PREFIX: this.schema,
      KEYSTONE_AUTH_SECRET: SECRET,
      PORT: String(port),
      KEYSTONE_KEY_ENCRYPTION_KEY_FILE: this.keyEncryptionKeyFile,
      ...NO_RATE_LIMITS,
      ...this.env,
    });
    this.app = await createApi(config, {
      logger: false,
      clock: this.clock,
      ...(this.store === 'kurrentdb stand-in' ? { eventStore: await this.kurrentStandIn() } : {}),
    });
    await this.app.listen(port, '127.0.0.1');
    this.base = `http://127.0.0.1:${port}`;
    return this;
  }

  private companionPool(max: number): Pool {
    return new Pool({
      connectionString: testPostgresUrl(),
      max,
      options: `-c search_path=${this.schema}`,
    });
  }

  private async kurrentStandIn(): Promise<EventStore> {
    this.kurrent = new InMemoryKurrent();
    const companionPool = this.companionPool(4);
    await companionPool.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
    return new KurrentDbEventStore(this.kurrent.client(), {
      clock: () => this.clock.now(),
      companionPool,
    });
  }

  /** The event store the API runs on (to break it on purpose in reliability tests). */
  eventStore(): EventStore {
    return this.app.get<EventStore>(EVENT_STORE);
  }

  async stop(): Promise<void> {
    await this.app?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * A token with these claims. A provider's token names a registered provider, so its provider is
   * registered first (by an officer, as a deployment would before the provider's people sign in),
   * with the kind, name and State the claims give.
   */
  async token(claims: KeystoneClaims & { role: string }): Promise<string> {
    const sub =
      typeof claims.sub === 'string'
        ? claims.sub
        : `${claims.role}:${claims.region ?? claims.state ?? claims.provider ?? 'x'}`;
    const sign = (payload: KeystoneClaims & { sub: string; role: string }) =>
      signLocalToken({ mode: 'local', secret: SECRET, issuer: 'keystone-local' }, payload);
    if (claims.role === 'provider' && typeof claims.provider === 'string' && this.app)
      await this.registerProvider(await sign({ sub: 'officer:registry', role: 'case-officer' }), {
        providerId: claims.provider,
        kind: claims.provider_kind,
        name: claims.provider_name ?? claims.provider,
        state: claims.provider_state,
      });
    return sign({ ...claims, sub });
  }

  /** Registers a provider unless it is already (409 PROVIDER.ALREADY_REGISTERED). */
  async registerProvider(officerToken: string, provider: Record<string, unknown>): Promise<void> {
    const reply = await this.call('POST', '/providers', { token: officerToken, body: provider });
    if (reply.status !== 201 && reply.body?.code !== 'PROVIDER.ALREADY_REGISTERED')
      throw new Error(
        `registering provider ${JSON.stringify(provider)}: ${reply.status} ${JSON.stringify(reply.body)}`,
      );
  }

  async call<T = any>(
    method: string,
    path: string,
    options: {
      token?: string;
      body?: unknown;
      headers?: Record<string, string>;
      raw?: string;
    } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined || options.raw !== undefined)
      headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: !text
        ? null
        : (response.headers.get('content-type') ?? '').includes('json')
          ? JSON.parse(text)
          : text,
      headers: response.headers,
    };
  }

  /** A second connection to the same log, as an auditor's tool would have. */
  async openLog(): Promise<EventStore> {
    if (this.store === 'sqlite') return new SqliteEventStore({ path: this.path });
    if (this.kurrent)
      return new KurrentDbEventStore(this.kurrent.client(), {
        companionPool: this.companionPool(2),
      });
    return PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema: this.schema,
      poolSize: 2,
    });
  }

  /** The SQLite file's own connection, for tests that look at its bytes and tables. */
  openSqlite(): SqliteEventStore {
    if (this.store !== 'sqlite') throw new Error('openSqlite is for the SQLite harness');
    return new SqliteEventStore({ path: this.path });
  }
}

export const recommendation = {
  source: 'upr',
  reference: 'A/HRC/53/10, 121.4',
  text: 'Establish a national preventive mechanism',
};

export function requestBody(state = 'MWI', over: Record<string, unknown> = {}) {
  return {
    state,
    themes: ['Torture prevention'],
    description: 'Set up a national preventive mechanism (NPM) under OPCAT',
    supportSought: 'Expert advice on the NPM law and its first visits',
    recommendations: [recommendation],
    occurredAt: '2026-01-10T00:00:00.000Z',
    ...over,
  };
}
