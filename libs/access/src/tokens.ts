import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
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

/** Verifies bearer tokens: Keystone's own (HS256, local secret) or an OIDC issuer's (its JWKS). */
export class TokenVerifier {
  private readonly verify: (token: string) => Promise<JWTPayload>;

  constructor(settings: TokenSettings) {
    if (settings.mode === 'local') {
      const key = new TextEncoder().encode(settings.secret);
      this.verify = async (token) =>
        (await jwtVerify(token, key, { issuer: settings.issuer, algorithms: [LOCAL_ALGORITHM] }))
          .payload;
    } else {
      const keys = createRemoteJWKSet(new URL(settings.jwksUrl));
      this.verify = async (token) =>
        (await jwtVerify(token, keys, { issuer: settings.issuer, audience: settings.audience }))
          .payload;
    }
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
