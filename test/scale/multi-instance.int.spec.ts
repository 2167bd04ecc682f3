import { signLocalToken } from '@keystone/access';
import { verifyLog } from '@keystone/audit';
import { PostgresEventStore } from '@keystone/event-store/adapters';
import { PROJECTIONS } from '@keystone/projections';
import { PostgresDatabase } from '@keystone/sql';
import { straightFold, tableRows } from '@keystone/projections/testing/straight-fold';
import { InboxNotifier } from '@keystone/reactions';
import { freePort } from '../support/local-services';
import { testPostgresUrl, testRedisUrl, uniqueSchema } from '../support/test-env';
import { launchApp, stopProcess as stop } from '../support/processes';

/**
 * Several instances, one truth: 2 API and 2 worker processes (compiled) on one PostgreSQL and one Redis.
 * Cases go through both APIs at once, with conflicting writes on shared cases; one worker is killed
 * midway. Then: every successful command's event is in the log once, no gap anywhere, the read model
 * equals a clean fold, and every due job ran once.
 */
const CASES = 3_000;
const EXPERTS = 12;
const SECRET = 'scale-test-secret-'.padEnd(48, 's');
const UPR = { source: 'upr', reference: 'A/HRC/53/10, 121.4', text: 'Establish an NPM' };

describe('two APIs and two workers on one PostgreSQL and one Redis', () => {
  jest.setTimeout(300_000); // about 140 s alone on 2 cores; more beside the rest of the suite

  it('keep one truth while cases go through both at once and a worker dies', async () => {
    const schema = uniqueSchema('scale');
    const common = {
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: testPostgresUrl(),
      KEYSTONE_POSTGRES_SCHEMA: schema,
      KEYSTONE_POSTGRES_POOL_SIZE: '4',
      KEYSTONE_AUTH_SECRET: SECRET,
      KEYSTONE_REDIS_URL: testRedisUrl(),
      KEYSTONE_QUEUE_PREFIX: schema,
    };
    const store = await PostgresEventStore.connect({
      connectionString: testPostgresUrl(),
      schema,
      poolSize: 4,
    }); // creates the schema first
    const ports = [await freePort(), await freePort()];
    const apis = ports.map((port) =>
      launchApp('api', {
        env: { ...common, PORT: String(port), KEYSTONE_ROLES: 'api' },
        readyOn: ['API on http'],
      }),
    );
    const workerEnv = { ...common, KEYSTONE_ROLES: 'projections,reactors,processors' };
    const workers = [
      launchApp('worker', { env: workerEnv, readyOn: ['worker: ready'] }),
      launchApp('worker', { env: workerEnv, readyOn: ['worker: ready'] }),
    ];
    const processes = [...apis, ...workers];
    try {
      await Promise.all(processes.map((p) => p.ready));
      const settings = { mode: 'local' as const, secret: SECRET, issuer: 'keystone-local' };
      const admin = await signLocalToken(settings, { sub: 'admin:scale', role: 'admin' });
      for (const port of ports) {
        const health = await (
          await fetch(`http://127.0.0.1:${port}/health/details`, {
            headers: { authorization: `Bearer ${admin}` },
          })
        ).json();
        expect(health).toMatchObject({ status: 'ok', roles: ['api'] });
      }
      const officer = await signLocalToken(settings, {
        sub: 'officer:scale',
        role: 'case-officer',
      });
      const focal = await signLocalToken(settings, {
        sub: 'focal:mwi',
        role: 'state-focal-point',
        state: 'MWI',
      });
      const member = await signLocalToken(settings, {
        sub: 'member:af',
        role: 'committee-member',
        region: 'african',
      });
      const provider = await signLocalToken(settings, {
        sub: 'prov:apt',
        role: 'provider',
        provider: 'prov:apt',
        provider_kind: 'ngo',
        provider_name: 'APT',
      });
      const registered = await fetch(`http://127.0.0.1:${ports[0]}/providers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ providerId: 'prov:apt', kind: 'ngo', name: 'APT' }),
      });
      expect(registered.status).toBe(201);
      const call = async (
        api: number,
        method: string,
        path: string,
        token: string,
        body?: unknown,
      ) => {
        const response = await fetch(`http://127.0.0.1:${ports[api]}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as any };
      };
      const ok = async (reply: Promise<{ status: number; body: any }>) => {
        const r = await reply;
        if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
      };

      const experts: string[] = [];
      for (let e = 0; e < EXPERTS; e++) {
        const { expertId } = await ok(
          call(e % 2, 'POST', '/experts', officer, {
            name: `Expert ${e}`,
            contact: `e${e}@example.org`,
            nationality: 'Kenya',
          }),
        );
        await ok(
          call(e % 2, 'PATCH', `/experts/${expertId}/availability`, officer, {
            periods: [{ from: '2025-01-01', to: '2026-12-31' }],
          }),
        );
        experts.push(expertId);
      }

      const succeeded = new Map<string, number>(); // case → successful commands (each writes one case event)
      const conflicts = { refused: 0 };
      let killed = false;
      const drive = async (n: number) => {
        const api = n % 2;
        const other = 1 - api;
        const { caseId } = await ok(
          call(api, 'POST', '/cases', focal, {
            state: 'MWI',
            themes: ['nmirf'],
            description: `Case ${n}`,
            supportSought: 'advice',
            recommendations: [UPR],
            occurredAt: '2025-01-01T00:00:00.000Z',
          }),
        );
        let count = 1;
        if (n % 8 === 0) {
          // The same consent sent to both APIs at once: exactly one is written.
          const both = await Promise.all([
            call(api, 'POST', `/cases/${caseId}/consent`, focal, {}),
            call(other, 'POST', `/cases/${caseId}/consent`, officer, {}),
          ]);
          expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
          conflicts.refused++;
        } else {
          await ok(call(api, 'POST', `/cases/${caseId}/consent`, focal, {}));
        }
        count++;
        await ok(
          call(other, 'POST', `/cases/${caseId}/screening`, member, { decision: 'accepted' }),
        );
        const { offerId } = await ok(
          call(api, 'POST', `/cases/${caseId}/offers`, provider, {
            offered: 'advice',
            funding: 'provider',
          }),
        );
        await ok(call(other, 'POST', `/cases/${caseId}/offers/${offerId}/match`, focal, {}));
        const day = new Date(Date.UTC(2025, 0, 1) + Math.floor(n / EXPERTS) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        await ok(
          call(api, 'POST', `/cases/${caseId}/deployments`, officer, {
            offerId,
            expertId: experts[n % EXPERTS],
            startDate: day,
            endDate: day,
            funding: 'provider',
          }),
        );
        count += 4;
        succeeded.set(caseId, count);
        if (!killed && succeeded.size === CASES / 2) {
          killed = true;
          workers[0].child.kill('SIGKILL'); // a worker dies midway
        }
      };
      for (let n = 0; n < CASES; n += 8)
        await Promise.all(Array.from({ length: Math.min(8, CASES - n) }, (_, k) => drive(n + k)));
      expect(killed).toBe(true);
      expect(conflicts.refused).toBe(CASES / 8);

      // Every successful command's event is in the log once; versions and positions run on; chains hold.
      const head = await store.lastPosition();
      const db = new PostgresDatabase(store.sqlPool);
      for (let i = 0; i < 900; i++) {
        const overdue = (await store.readAll({ limit: 10_000, types: ['ProgressReportOverdue'] }))
          .length;
        const told = (await new InboxNotifier(db).inbox('case-officer')).filter(
          (n) => n.kind === 'report-overdue',
        ).length;
        const checkpoints = await db.all<{ position: string }>(
          'SELECT position FROM projection_checkpoints',
        );
        const position =
          checkpoints.length < PROJECTIONS.length
            ? 0
            : Math.min(...checkpoints.map((c) => Number(c.position)));
        if (overdue === CASES && told === CASES && position >= (await store.lastPosition())) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const overdue = await store.readAll({ limit: 10_000, types: ['ProgressReportOverdue'] });
      expect(overdue).toHaveLength(CASES); // every due job ran, once
      expect(new Set(overdue.map((e) => e.streamId)).size).toBe(CASES);
      // Each case: its successful commands' events, plus the one overdue record. Nothing lost, nothing twice.
      for (const [caseId, count] of succeeded)
        expect({ caseId, events: (await store.readStream(`case-${caseId}`)).length }).toEqual({
          caseId,
          events: count + 1,
        });
      expect(
        (await new InboxNotifier(db).inbox('case-officer')).filter(
          (n) => n.kind === 'report-overdue',
        ),
      ).toHaveLength(CASES);
      expect(head).toBeGreaterThan(CASES * 6);
      const verification = await verifyLog(store);
      expect(verification.findings).toEqual([]);
      for (const projection of PROJECTIONS)
        expect({ [projection.name]: await tableRows(db, projection) }).toEqual({
          [projection.name]: await straightFold(store, projection),
        });
    } finally {
      await Promise.all(processes.map((p) => stop(p.child)));
      await store.close();
    }
  });
});
