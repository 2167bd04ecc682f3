import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from '@keystone/event-store';
import { openEventStore } from '@keystone/event-store/adapters';
import { freePort } from '../support/local-services';
import { launchApp, stopProcess } from '../support/processes';
import { testPostgresUrl, uniqueSchema } from '../support/test-env';
import { ApiHarness, E2E_SECRET } from './support/api-harness';
import { fundTwentyThenFive, offersAtOnce } from './support/contention';
import { tokens, type Tokens } from './support/scenario';

/**
 * No valid command refused because others were busy, when the others are in another process: two
 * API processes (compiled) on one log, every command of a burst sent to one or the other in turn.
 * Each process decides on what it read; the loser of a version race is decided again on the new
 * history. Checked in the log itself (the APIs run no projections here).
 */
describe.each(['sqlite', 'postgres'] as const)('two API processes on one %s log', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'keystone-two-apis-'));
  const schema = uniqueSchema('twoapis');
  const bases: string[] = [];
  const apis: ReturnType<typeof launchApp>[] = [];
  let log: EventStore;
  let t: Tokens;
  let turn = 0;
  /** An ApiHarness whose calls go to the two processes in turn. */
  const h = new ApiHarness('sqlite');
  h.call = ((method: string, path: string, options?: object) =>
    ApiHarness.prototype.call.call(
      Object.assign(Object.create(ApiHarness.prototype), { base: bases[turn++ % 2] }),
      method,
      path,
      options,
    )) as ApiHarness['call'];

  beforeAll(async () => {
    const storeEnv: Record<string, string> =
      kind === 'sqlite'
        ? { KEYSTONE_STORE: 'sqlite', KEYSTONE_SQLITE_PATH: join(dir, 'keystone.db') }
        : {
            KEYSTONE_STORE: 'postgres',
            KEYSTONE_POSTGRES_URL: testPostgresUrl(),
            KEYSTONE_POSTGRES_SCHEMA: schema,
          };
    log = await openEventStore(
      kind === 'sqlite'
        ? { kind: 'sqlite', path: join(dir, 'keystone.db') }
        : { kind: 'postgres', url: testPostgresUrl(), schema },
    );
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      bases.push(`http://127.0.0.1:${port}`);
      apis.push(
        launchApp('api', {
          env: {
            ...storeEnv,
            PORT: String(port),
            KEYSTONE_ROLES: 'api',
            KEYSTONE_AUTH_SECRET: E2E_SECRET,
          },
          readyOn: ['API on http'],
        }),
      );
    }
    await Promise.all(apis.map((a) => a.ready));
    t = await tokens(h);
    // This harness starts no API of its own, so its tokens registered nobody: the providers that
    // offer are registered through the two processes, as an officer would.
    await h.registerProvider(t.officer, {
      providerId: 'prov:nor',
      kind: 'state',
      name: 'Norway',
      state: 'NOR',
    });
    await h.registerProvider(t.officer, { providerId: 'prov:apt', kind: 'ngo', name: 'APT' });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(apis.map((a) => stopProcess(a.child)));
    await log?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes 50 different offers sent at once to one case, every one', async () => {
    const { caseId, replies } = await offersAtOnce(h, t, 50);
    expect(replies.map((r) => r.status)).toEqual(Array(50).fill(201));
    const offers = (await log.readStream(`case-${caseId}`)).filter((e) => e.type === 'OfferMade');
    expect(offers.map((e) => (e.data as { offered: string }).offered).sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `Offer number ${i + 1}`).sort(),
    );
  }, 90_000);

  it('commits the trust fund to every deployment it can pay for, and refuses exactly the rest', async () => {
    await fundTwentyThenFive(h, t);
    const fundEvents = await log.readStream('trust-fund');
    const total = (type: string) =>
      fundEvents
        .filter((e) => e.type === type)
        .reduce((sum, e) => sum + Number((e.data as { amount: number }).amount), 0);
    expect(fundEvents.map((e) => e.type).sort()).toEqual(
      [...Array(2).fill('ContributionReceived'), ...Array(25).fill('FundsCommitted')].sort(),
    );
    expect(total('FundsCommitted')).toBe(25_000);
  }, 180_000);
});
