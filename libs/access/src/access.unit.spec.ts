import { principalFromClaims, signLocalToken, TokenVerifier } from './index';

const settings = { mode: 'local' as const, secret: 'x'.repeat(32), issuer: 'keystone-local' };

describe('tokens', () => {
  it('round-trips a local token into a principal', async () => {
    const token = await signLocalToken(settings, {
      sub: 'member:af',
      role: 'committee-member',
      region: 'african',
    });
    expect(await new TokenVerifier(settings).principalOf(`Bearer ${token}`)).toEqual({
      subject: 'member:af',
      role: 'committee-member',
      region: 'african',
    });
  });

  it('refuses a missing, foreign or tampered token with its reason', async () => {
    const verifier = new TokenVerifier(settings);
    await expect(verifier.principalOf(undefined)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_REQUIRED',
    });
    const foreign = await signLocalToken(
      { ...settings, secret: 'y'.repeat(32) },
      { sub: 's', role: 'auditor' },
    );
    await expect(verifier.principalOf(`Bearer ${foreign}`)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
      message: expect.stringMatching(/signature/),
    });
  });

  it('keeps a verified token only until it expires, then refuses it with the reason', async () => {
    let now = new Date();
    const verifier = new TokenVerifier(settings, undefined, { now: () => now });
    const token = await signLocalToken(settings, { sub: 'auditor:1', role: 'auditor' }, '2m');
    const principal = { subject: 'auditor:1', role: 'auditor' };
    expect(await verifier.principalOf(`Bearer ${token}`)).toMatchObject(principal);
    // A token kept as verified does not vouch for an altered copy of it.
    const [header, payload] = token.split('.');
    await expect(
      verifier.principalOf(`Bearer ${header}.${payload}.${'A'.repeat(43)}`),
    ).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
    // Inside exp + the 60 s skew: the kept verification answers.
    now = new Date(now.getTime() + 170_000);
    expect(await verifier.principalOf(`Bearer ${token}`)).toMatchObject(principal);
    // Past it: verified again, and refused as jose refuses an expired token.
    now = new Date(now.getTime() + 20_000);
    await expect(verifier.principalOf(`Bearer ${token}`)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
      message: expect.stringMatching(/"exp" claim/),
    });
  });

  it('refuses claims that do not scope a role', () => {
    expect(() =>
      principalFromClaims({ sub: 's', role: 'state-focal-point', state: 'XXX' }),
    ).toThrow(/UN member State/);
    expect(() => principalFromClaims({ sub: 's', role: 'committee-member' })).toThrow(
      /regional group/,
    );
    expect(() => principalFromClaims({ sub: 's', role: 'president' })).toThrow(
      /role must be one of/,
    );
  });
});
