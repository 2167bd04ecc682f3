import type * as Client from 'openid-client';
import { principalFromClaims, type KeystoneClaims } from '@keystone/access';
import { DomainError } from '@keystone/event-store';

export interface OidcBrowserSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly scopes: string;
  /** <public URL>/auth/oidc/callback, as registered at the issuer. */
  readonly redirectUri: string;
}

/** What a sign-in in progress keeps between the two legs: the PKCE verifier, state and nonce. */
export interface PendingSignIn {
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

export const oidcError = {
  off: () =>
    new DomainError(
      'AUTH.OIDC_OFF',
      'not-found',
      'Signing in through an identity provider is not set up here (KEYSTONE_AUTH_MODE=oidc with KEYSTONE_OIDC_CLIENT_ID).',
    ),
  noRole: (why: string) =>
    new DomainError(
      'AUTH.OIDC_NO_ROLE',
      'forbidden',
      `The identity provider signed you in, but its claims give no Keystone role and scope: ${why.replace(/^The bearer token was refused: /, '')}. Ask your administrator.`,
    ),
  failed: (why: string) =>
    new DomainError(
      'AUTH.OIDC_FAILED',
      'unauthenticated',
      `The identity provider’s answer was refused: ${why}. Sign in again.`,
    ),
};

/** openid-client is an ES module: loaded when first needed (Node 20.19+ and 22+ require it). */
const load = (): Promise<typeof Client> => import('openid-client');

/**
 * Signing in through the deployment's OpenID Connect issuer with openid-client: authorization code
 * with PKCE (S256), state and nonce checked, the userinfo read for the role and scope claims, which
 * are read exactly as a bearer token's (principalFromClaims).
 */
export class OidcSignIn {
  private configuration: Promise<Client.Configuration> | null = null;

  constructor(private readonly settings: OidcBrowserSettings) {}

  get redirectUri(): string {
    return this.settings.redirectUri;
  }

  private async config(): Promise<Client.Configuration> {
    const client = await load();
    this.configuration ??= client
      .discovery(
        new URL(this.settings.issuer),
        this.settings.clientId,
        this.settings.clientSecret ?? undefined,
        this.settings.clientSecret ? undefined : client.None(),
        // A plain-http issuer is accepted only on this machine (development and the tests).
        /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(this.settings.issuer)
          ? { execute: [client.allowInsecureRequests] }
          : undefined,
      )
      .catch((error: unknown) => {
        this.configuration = null;
        throw error;
      });
    return this.configuration;
  }

  /** The issuer's authorization URL, and what the callback must find again. */
  async start(): Promise<{ url: string; pending: PendingSignIn }> {
    const client = await load();
    const config = await this.config();
    const pending = {
      verifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: client.randomNonce(),
    };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** The callback: the code exchanged, the ID token and userinfo checked, the person's claims. */
  async finish(
    callbackUrl: URL,
    pending: PendingSignIn,
  ): Promise<KeystoneClaims & Record<string, unknown>> {
    const client = await load();
    const config = await this.config();
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = { ...idClaims, ...userinfo };
    } catch (error) {
      throw oidcError.failed(error instanceof Error ? error.message : String(error));
    }
    try {
      principalFromClaims(claims); // the same reading as a bearer token's: refuse what it would
    } catch (error) {
      throw error instanceof DomainError ? oidcError.noRole(error.message) : error;
    }
    return claims;
  }
}
