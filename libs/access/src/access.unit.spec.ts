import {
  assertCaseScope,
  principalFromClaims,
  signLocalToken,
  TokenVerifier,
  type Principal,
} from './index';

const settings = { mode: 'local' as const, secret: 'x'.repeat(32), issuer: 'keystone-local' };
const scope = { state: 'MWI', region: 'african' as const, openForOffers: true };

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

describe('case access', () => {
  const allowed = (
    principal: Principal,
    action: Parameters<typeof assertCaseScope>[1],
    over = {},
  ) => {
    try {
      assertCaseScope(principal, action, { ...scope, ...over });
      return true;
    } catch {
      return false;
    }
  };
  it('holds members to their region and focal points to their State', () => {
    expect(allowed({ subject: 'm', role: 'committee-member', region: 'african' }, 'screen')).toBe(
      true,
    );
    expect(
      allowed({ subject: 'm', role: 'committee-member', region: 'asia-pacific' }, 'screen'),
    ).toBe(false);
    expect(allowed({ subject: 'f', role: 'state-focal-point', state: 'MWI' }, 'consent')).toBe(
      true,
    );
    expect(allowed({ subject: 'f', role: 'state-focal-point', state: 'ZMB' }, 'consent')).toBe(
      false,
    );
  });
  it('never lets an auditor write, and shows providers only requests open for offers', () => {
    expect(allowed({ subject: 'a', role: 'auditor' }, 'read')).toBe(true);
    expect(allowed({ subject: 'a', role: 'auditor' }, 'close')).toBe(false);
    const provider: Principal = {
      subject: 'p',
      role: 'provider',
      provider: { id: 'p', kind: 'ngo', name: 'NGO' },
    };
    expect(allowed(provider, 'offer')).toBe(true);
    expect(allowed(provider, 'offer', { openForOffers: false })).toBe(false);
  });
});
