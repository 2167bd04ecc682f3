import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import Database from 'better-sqlite3';
import express from 'express';
import {
  Idempotency,
  RequestPrincipals,
  signLocalToken,
  SqlIdempotencyStore,
  TokenVerifier,
} from '@keystone/access';
import { SqliteDatabase } from '@keystone/sql';
import { idempotentPosts } from './idempotency';

const settings = { mode: 'local' as const, secret: 'x'.repeat(32), issuer: 'keystone-local' };

/**
 * The keyed request's answer leaves only once it is stored under its key: when storing it fails,
 * the client gets the failure (and may retry under the same key, which is served again), never an
 * answer its key does not hold. A real HTTP server, the real store on SQLite; the one fault
 * injected is the store's `complete` failing once.
 */
describe('idempotentPosts', () => {
  const file = new Database(':memory:');
  const store = new SqlIdempotencyStore(new SqliteDatabase(file));
  let failNextComplete = false;
  const complete = store.complete.bind(store);
  store.complete = async (...args) => {
    if (failNextComplete) {
      failNextComplete = false;
      throw new Error('the disk went away');
    }
    return complete(...args);
  };
  let served = 0;
  let server: Server;
  let base: string;
  let token: string;

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.use(
      idempotentPosts(
        new Idempotency(store, 30_000),
        new RequestPrincipals(new TokenVerifier(settings)),
      ),
    );
    app.post('/things', (_request, response) => {
      served++;
      response.status(201).json({ thing: served });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    token = await signLocalToken(settings, { sub: 'officer:1', role: 'case-officer' });
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    file.close();
  });

  const post = (key: string) =>
    fetch(`${base}/things`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ name: 'a thing' }),
    });

  it('answers the failure to store, not the answer, and serves the retry under the same key', async () => {
    failNextComplete = true;
    const failed = await post('fails-once');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({ code: 'INTERNAL' });
    expect(served).toBe(1);

    const retried = await post('fails-once');
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([201, null]);
    expect(await retried.json()).toEqual({ thing: 2 });

    const replayed = await post('fails-once');
    expect([replayed.status, replayed.headers.get('idempotent-replayed')]).toEqual([201, 'true']);
    expect(await replayed.json()).toEqual({ thing: 2 });
    expect(served).toBe(2);
  });
});
