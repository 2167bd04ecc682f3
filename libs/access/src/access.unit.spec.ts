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
