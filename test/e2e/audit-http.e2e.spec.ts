import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Keyring, publicKeyPem, verifyBundle } from '@keystone/audit';
import { apiForSuite, caseAt } from './support/scenario';

/**
 * What an auditor does from the browser: verify the log on demand, and download a case's signed
 * evidence bundle, which then checks offline against the deployment's public key.
 */
describe('audit over HTTP', () => {
  const { h, t } = apiForSuite();

  it('verifies the log and hands out a signed evidence bundle of a case', async () => {
    const { caseId } = await caseAt(h, t, 'matched');
    const verified = await h.call('POST', '/audit/verifications', { token: t.auditor });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      intact: true,
      findingsCount: 0,
      eventsChecked: await (async () => {
        const log = await h.openLog();
        try {
          return await log.lastPosition();
        } finally {
          await log.close();
        }
      })(),
    });
    expect(verified.body.logHead.logHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await h.call('POST', '/audit/verifications', { token: t.focalMalawi })).status).toBe(
      403,
    );

    const evidence = await h.call('GET', `/audit/evidence?caseId=${caseId}`, { token: t.auditor });
    expect(evidence.status).toBe(200);
    expect(evidence.headers.get('content-disposition')).toBe(
      `attachment; filename="keystone-evidence-${caseId}.json"`,
    );
    // Checked as an auditor would, offline, trusting only the deployment's key.
    const key = publicKeyPem(
      readFileSync(join(dirname(h.path), 'evidence-signing-key.pem'), 'utf8'),
    );
    const check = verifyBundle(JSON.stringify(evidence.body), Keyring.of([key]));
    expect(check.problems).toEqual([]);
    expect(evidence.body.events).toHaveLength(5);
    const missing = await h.call('GET', '/audit/evidence', { token: t.auditor });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('REQUEST.INVALID');
  });
});
