// A real OpenID Connect provider for the tests (panva's oidc-provider, its development login and
// consent pages): `node test/support/oidc-provider.mjs <port> <redirect URI>`. People log in with
// any password; each account's claims carry a Keystone role and scope, as a deployment's issuer would.
import process from 'node:process';
import console from 'node:console';
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const ACCOUNTS = {
  'focal-mwi': {
    role: 'state-focal-point',
    state: 'MWI',
    name: 'Chikondi Banda',
    email: 'chikondi@mwi.example',
    locale: 'fr',
  },
  'no-role': { name: 'Someone Else', email: 'someone@example.org', locale: 'en' },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'keystone-web',
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'keystone'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'locale'],
    email: ['email'],
    keystone: [
      'role',
      'region',
      'state',
      'provider',
      'provider_kind',
      'provider_name',
      'provider_state',
    ],
  },
  findAccount: (_ctx, id) =>
    ACCOUNTS[id] && {
      accountId: id,
      claims: () => ({ sub: id, ...ACCOUNTS[id] }),
    },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['keystone-test-oidc-provider-cookies'] },
});
provider.listen(Number(port), '127.0.0.1');
console.log(`oidc-provider ready at ${issuer}`);
