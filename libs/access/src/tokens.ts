import { createSecretKey } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { systemClock, type Clock } from '@keystone/event-store';
import { LruMap } from '@keystone/event-store/lru-map';
import { accessError, principalFromClaims, type KeystoneClaims, type Principal } from './principal';

export type TokenSettings =
  | { readonly mode: 'local'; readonly secret: string; readonly issuer: string }
  | {
      readonly mode: 'oidc';
      readonly issuer: string;
      readonly jwksUrl: string;
      readonly audience?: string;
    };

const LOCAL_ALGORITHM = 'HS256';

/** How many verified local tokens a process remembers (the oldest forgotten first). */
export const VERIFIED_TOKENS_KEPT = 10_000;

/** Verifies bearer tokens: Keystone's own (HS256, local secret) or an OIDC issuer's (its JWKS). */
export interface TokenPolicy {
  /** The longest a token may live, exp − iat. */
  readonly maxLifetimeSeconds: number;
  /** How far clocks may disagree when checking exp, nbf and iat. */
  readonly clockSkewSeconds: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = {
  maxLifetimeSeconds: 12 * 3600,
  clockSkewSeconds: 60,
};

/**
 * Verifies bearer tokens: Keystone's own (HS256, local secret) or an OIDC issuer's (its JWKS, its
 * issuer and, when configured, its audience). Every token must carry exp and iat, live no longer
 * than the policy allows, and not be issued ahead of now (beyond a small clock skew).
 */
export class TokenVerifier {
  private readonly verify: (token: string) => Promise<JWTPayload>;
  /** Local tokens already verified, with the second (epoch) before which they stay valid. */
  private readonly verified = new LruMap<string, { payload: JWTPayload; validBefore: number }>(
    VERIFIED_TOKENS_KEPT,
  );

  constructor(
    settings: TokenSettings,
    private readonly policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
    /** The time tokens are checked at (tests pass their own). */
    private readonly clock: Clock = systemClock,
  ) {
    const common = {
      requiredClaims: ['exp', 'iat'],
      clockTolerance: policy.clockSkewSeconds,
      // iat must be in the past (with the skew) and no older than the longest lifetime.
      maxTokenAge: policy.maxLifetimeSeconds,
    };
    if (settings.mode === 'local') {
      // One key object for the process, not one made from the secret's bytes on every request.
      const key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
      const check = async (token: string) =>
        (
          await jwtVerify(token, key, {
            ...common,
            issuer: settings.issuer,
            algorithms: [LOCAL_ALGORITHM],
            currentDate: this.clock.now(),
          })
        ).payload;
      this.verify = (token) => this.verifiedBefore(token, check);
    } else {
      const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
      this.verify = async (token) =>
        (
          await jwtVerify(token, keys, {
            ...common,
            issuer: settings.issuer,
            audience: settings.audience,
            currentDate: this.clock.now(),
          })
        ).payload;
    }
  }

  /**
   * A local token is checked once: its signature and issuer hold for the process's life (one secret,
   * never rotated while it runs), and of its claims only exp and the longest lifetime (iat + the
   * policy's) turn a valid token invalid later. So until the earlier of the two (with the clock
   * skew, as jose counts them) the same token string is the same verified payload; past it, or
   * when forgotten, it is verified again in full and refused with jose's own reason. OIDC tokens
   * are not kept: the issuer's keys rotate.
   */
  private async verifiedBefore(
    token: string,
    check: (token: string) => Promise<JWTPayload>,
  ): Promise<JWTPayload> {
    const now = this.clock.now().getTime() / 1000;
    const known = this.verified.get(token);
    if (known && now < known.validBefore) return known.payload;
    this.verified.delete(token);
    const payload = await check(token);
    const skew = this.policy.clockSkewSeconds;
    const validBefore = Math.min(
      (payload.exp ?? 0) + skew,
      (payload.iat ?? 0) + this.policy.maxLifetimeSeconds + skew,
    );
    this.verified.set(token, { payload, validBefore });
    return payload;
  }

  async principalOf(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw accessError.tokenRequired();
    let payload: JWTPayload;
    try {
      payload = await this.verify(match[1]);
    } catch (error) {
      throw accessError.tokenInvalid(
        error instanceof Error ? error.message : 'it could not be verified',
      );
    }
    const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
    if (lifetime > this.policy.maxLifetimeSeconds)
      throw accessError.tokenInvalid(
        `its lifetime (exp − iat) is ${Math.round(lifetime / 60)} minutes, longer than the ${this.policy.maxLifetimeSeconds / 60} allowed`,
      );
    return principalFromClaims(payload as KeystoneClaims);
  }
}

/** Mints local tokens (embedded mode; `keystone token`). */
export async function signLocalToken(
  settings: Extract<TokenSettings, { mode: 'local' }>,
  claims: KeystoneClaims & { sub: string; role: string },
  expiresIn = '8h',
): Promise<string> {
  principalFromClaims(claims); // refuse to mint a token Keystone would refuse
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: LOCAL_ALGORITHM })
    .setIssuer(settings.issuer)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(settings.secret));
}
