import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { TokenVerifier } from './tokens';

/** An OIDC issuer's JWKS served over real HTTP on loopback, as a deployment's identity provider would. */
describe('TokenVerifier in OIDC mode', () => {
  let server: Server;
  let privateKey: KeyLike;
  let jwksUrl = '';
  const issuer = 'https://id.example.org/realms/keystone';

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) =>
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    jwksUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/certs`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (
    claims: Record<string, unknown>,
    options: { issuer?: string; audience?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? 'keystone')
      .setSubject('member@un.org')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  it("accepts the issuer's token and reads its role and scope", async () => {
    const verifier = new TokenVerifier({ mode: 'oidc', issuer, jwksUrl, audience: 'keystone' });
    const token = await sign({ role: 'committee-member', region: 'latin-american-caribbean' });
    expect(await verifier.principalOf(`Bearer ${token}`)).toEqual({
      subject: 'member@un.org',
      role: 'committee-member',
      region: 'latin-american-caribbean',
    });
  });

  it('refuses a token of another issuer or audience', async () => {
    const verifier = new TokenVerifier({ mode: 'oidc', issuer, jwksUrl, audience: 'keystone' });
    await expect(
      verifier.principalOf(
        `Bearer ${await sign({ role: 'auditor' }, { issuer: 'https://evil.example' })}`,
      ),
    ).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    await expect(
      verifier.principalOf(`Bearer ${await sign({ role: 'auditor' }, { audience: 'other-app' })}`),
    ).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });
});
