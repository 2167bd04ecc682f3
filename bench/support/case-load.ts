import { Agent, request as httpRequest } from 'node:http';
import { signLocalToken } from '@keystone/access';

/** The case load the HTTP and scale benchmarks drive: one full case life, command by command. */

export const BENCH_SECRET = 'bench-secret-'.padEnd(48, 'b');

export interface Sample {
  readonly command: string;
  readonly ms: number;
  readonly ok: boolean;
}

export type Tokens = Awaited<ReturnType<typeof mintTokens>>;

/**
 * The load's own HTTP client: node:http on kept-alive connections. fetch (undici) costs the load
 * process so much CPU per request that on 2 cores it measured the client, not the API.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function send(
  base: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, string> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, json: text ? JSON.parse(text) : {} });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

export async function lifecycle(
  base: string,
  t: Tokens,
  expertId: string,
  worker: number,
  round: number,
  record: (s: Sample) => void,
): Promise<void> {
  const call = async (
    command: string,
    method: string,
    path: string,
    token: string,
    body: unknown,
  ) => {
    const start = process.hrtime.bigint();
    const response = await send(base, method, path, token, body);
    const ok = response.status >= 200 && response.status < 300;
    record({ command, ms: Number(process.hrtime.bigint() - start) / 1e6, ok });
    if (!ok) throw new Error(`${command}: ${response.status} ${JSON.stringify(response.json)}`);
    return response.json;
  };
  const { caseId } = await call('request', 'POST', '/cases', t.focal, {
    state: 'MWI',
    themes: ['torture-prevention'],
    description: 'National preventive mechanism',
    supportSought: 'Expert advice',
    recommendations: [{ source: 'upr', reference: 'A/HRC/53/10, 121.4', text: 'Establish an NPM' }],
    occurredAt: '2026-01-10T00:00:00.000Z',
  });
  await call('consent', 'POST', `/cases/${caseId}/consent`, t.focal, {});
  await call('screen', 'POST', `/cases/${caseId}/screening`, t.member, { decision: 'accepted' });
  const { offerId } = await call('offer', 'POST', `/cases/${caseId}/offers`, t.provider, {
    offered: 'Two experts',
    funding: 'provider',
  });
  await call('match', 'POST', `/cases/${caseId}/offers/${offerId}/match`, t.focal, {});
  // One-day deployments on distinct days, so each worker's expert stays free.
  const day = new Date(Date.UTC(2027, 0, 1) + round * 86_400_000).toISOString().slice(0, 10);
  await call('deploy', 'POST', `/cases/${caseId}/deployments`, t.officer, {
    offerId,
    expertId,
    startDate: day,
    endDate: day,
    funding: 'provider',
  });
  await call('report', 'POST', `/cases/${caseId}/progress-reports`, t.focal, {
    progress: [
      { reference: 'A/HRC/53/10, 121.4', status: 'in-progress', narrative: `worker ${worker}` },
    ],
  });
}

export async function mintTokens() {
  const settings = { mode: 'local' as const, secret: BENCH_SECRET, issuer: 'keystone-local' };
  return {
    officer: await signLocalToken(settings, { sub: 'officer:bench', role: 'case-officer' }),
    focal: await signLocalToken(settings, {
      sub: 'focal:mwi',
      role: 'state-focal-point',
      state: 'MWI',
    }),
    member: await signLocalToken(settings, {
      sub: 'member:af',
      role: 'committee-member',
      region: 'african',
    }),
    provider: await signLocalToken(settings, {
      sub: 'prov:nor',
      role: 'provider',
      provider: 'prov:nor',
      provider_kind: 'state',
      provider_state: 'NOR',
    }),
  };
}

/** The provider the load's offers come from, registered as an officer does before it offers. */
export async function registerBenchProvider(base: string, officerToken: string): Promise<void> {
  const post = await fetch(`${base}/providers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${officerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ providerId: 'prov:nor', kind: 'state', name: 'Norway', state: 'NOR' }),
  });
  if (post.status !== 201 && post.status !== 409)
    throw new Error(`registering the bench provider: ${post.status} ${await post.text()}`);
}

export async function registerExpert(base: string, token: string): Promise<string> {
  const post = await fetch(`${base}/experts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Bench Expert',
      contact: 'bench@example.org',
      nationality: 'Kenya',
    }),
  });
  const { expertId } = (await post.json()) as { expertId: string };
  await fetch(`${base}/experts/${expertId}/availability`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ periods: [{ from: '2027-01-01', to: '2099-12-31' }] }),
  });
  return expertId;
}

export async function waitUntilUp(base: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('The API did not come up');
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export const round = (n: number) => Math.round(n * 100) / 100;
