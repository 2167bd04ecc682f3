import { ROLES, signLocalToken } from '@keystone/access';
import { tokenSettings } from '@keystone/config';
import { option, UsageError, type Command } from '../cli-kit';

/** Mints a local bearer token for a role (local auth mode only). */
export const token: Command = async ({ config, values }) => {
  const auth = tokenSettings(config.auth);
  if (auth.mode !== 'local')
    throw new UsageError(
      'keystone token mints local tokens only; in oidc mode tokens come from the issuer',
    );
  const role = option(values, 'role');
  if (!role) throw new UsageError(`token needs --role (one of ${ROLES.join(', ')})`);
  const scope =
    option(values, 'region') ?? option(values, 'state') ?? option(values, 'provider') ?? 'local';
  const claims = {
    sub: option(values, 'subject') ?? `${role}:${scope}`,
    role,
    region: option(values, 'region'),
    state: option(values, 'state'),
    provider: option(values, 'provider'),
    provider_kind: option(values, 'provider-kind'),
    provider_state: option(values, 'provider-state'),
    provider_name: option(values, 'provider-name'),
  };
  try {
    console.log(await signLocalToken(auth, claims, option(values, 'expires') ?? '8h'));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return 0;
};
