import { readFileSync } from 'node:fs';
import { verifyLog } from '@keystone/audit';
import type { EventStore } from '@keystone/event-store';
import { SqliteEventStore } from '@keystone/event-store/adapters';
import { ApiHarness, EVERY_STORE } from './support/api-harness';
import { caseAt, tokens, type Tokens } from './support/scenario';

/** Where the key of one expert can still be found, for each store. */
async function keyTraces(
  h: ApiHarness,
  log: EventStore,
  keyId: string,
  key: Buffer,
): Promise<{ rows: number; inFileBytes: boolean | null }> {
  if (log instanceof SqliteEventStore) {
    const rows = (
      log.database.prepare('SELECT count(*) AS n FROM expert_keys WHERE key_id = ?').get(keyId) as {
        n: number;
      }
    ).n;
    const bytes = Buffer.concat([
      readFileSync(h.path),
      readFileSync(`${h.path}-wal`, { flag: 'a+' }),
    ]);
    return { rows, inFileBytes: bytes.includes(key) };
  }
  const { rows } = await postgresPool(log).query(
    'SELECT count(*)::int AS n FROM keystone_expert_keys WHERE key_id = $1',
    [keyId],
  );
  return { rows: rows[0].n, inFileBytes: null };
}

/** The PostgreSQL beside the log: the log's own schema, or with KurrentDB the companion database. */
function postgresPool(log: EventStore) {
  const sql = log.companionSql();
  if (sql.kind !== 'postgres') throw new Error(`no PostgreSQL beside the ${log.adapter} log`);
  return sql.pool;
}

async function keyOf(log: EventStore, keyId: string): Promise<Buffer> {
  if (log instanceof SqliteEventStore)
    return (
      log.database.prepare('SELECT key FROM expert_keys WHERE key_id = ?').get(keyId) as {
        key: Buffer;
      }
    ).key;
  const { rows } = await postgresPool(log).query(
    'SELECT key FROM keystone_expert_keys WHERE key_id = $1',
    [keyId],
  );
  return rows[0].key;
}

describe.each(EVERY_STORE)('erasing an expert (crypto-shredding) [%s]', (store) => {
  const h = new ApiHarness(store);
  let t: Tokens;
  beforeAll(async () => {
    await h.start();
    t = await tokens(h);
  });
  afterAll(() => h.stop());

  it('makes the personal data unreadable everywhere while the log and its hash chains stay intact', async () => {
    const name = 'Zanele Mokoena-Erasable';
    const contact = 'zanele.erasable@example.org';
    const { caseId, offerId } = await caseAt(h, t, 'matched');
    const registered = await h.call('POST', '/experts', {
      token: t.officer,
      body: {
        name,
        contact,
        nationality: 'South Africa',
        languages: ['en', 'zu'],
        themes: ['Torture prevention'],
      },
    });
    const { expertId } = registered.body;
    await h.call('PATCH', `/experts/${expertId}/availability`, {
      token: t.officer,
      body: { periods: [{ from: '2026-01-01', to: '2026-12-31' }] },
    });
    await h.call('POST', `/cases/${caseId}/deployments`, {
      token: t.officer,
      body: {
        offerId,
        expertId,
        startDate: '2026-06-15',
        endDate: '2026-07-15',
        funding: 'provider',
      },
    });

    const before = await h.call('GET', `/experts/${expertId}`, { token: t.auditor });
    expect(before.body).toMatchObject({
      erased: false,
      personal: { name, contact, nationality: 'South Africa' },
      themes: ['torture-prevention'],
    });

    const log = await h.openLog();
    const rawLog = JSON.stringify(await log.readAll({ limit: 10_000, raw: true }));
    expect(rawLog).not.toContain(name); // sealed from the start: never in the log in clear
    expect(rawLog).not.toContain(contact);
    const { keyId } = (await log.readStream(`expert-${expertId}`))[0].data.personal as {
      keyId: string;
    };
    const key = await keyOf(log, keyId);
    // Stored wrapped by the key-encryption key (IV 12 + tag 16 + key 32 bytes), not in the clear.
    expect(key).toHaveLength(60);
    const traces = await keyTraces(h, log, keyId, key);
    expect(traces.rows).toBe(1);
    if (traces.inFileBytes !== null) expect(traces.inFileBytes).toBe(true); // so the check after erasure can fail

    expect((await h.call('DELETE', `/experts/${expertId}`, { token: t.officer })).status).toBe(204);
    expect((await h.call('DELETE', `/experts/${expertId}`, { token: t.officer })).status).toBe(204); // again: still gone

    const after = await h.call('GET', `/experts/${expertId}`, { token: t.auditor });
    expect(after.body).toMatchObject({ erased: true, personal: null });
    expect(JSON.stringify(after.body)).not.toContain(name);
    const caseEvents = await h.call('GET', `/cases/${caseId}/events`, { token: t.officer });
    expect(JSON.stringify(caseEvents.body)).not.toContain(name);

    const gone = await keyTraces(h, log, keyId, key);
    expect(gone.rows).toBe(0);
    if (gone.inFileBytes !== null) expect(gone.inFileBytes).toBe(false);

    const stream = await log.readStream(`expert-${expertId}`);
    expect(stream.map((e) => e.type)).toEqual([
      'ExpertRegistered',
      'ExpertAvailabilitySet',
      'ExpertBooked',
      'ExpertErased',
    ]);
    expect((await verifyLog(log)).findings).toEqual([]);
    await log.close();

    const redeploy = await caseAt(h, t, 'matched');
    const refused = await h.call('POST', `/cases/${redeploy.caseId}/deployments`, {
      token: t.officer,
      body: {
        offerId: redeploy.offerId,
        expertId,
        startDate: '2026-09-01',
        endDate: '2026-09-30',
        funding: 'provider',
      },
    });
    expect(refused).toMatchObject({ status: 422, body: { code: 'ROSTER.EXPERT_ERASED' } });
  });
});
