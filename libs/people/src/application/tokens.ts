/** The sign-in through the identity provider (an OidcSignIn), or null when it is not set up. */
export const OIDC_SIGN_IN = Symbol('OIDC_SIGN_IN');
