import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AuthConfig } from './keystone-config';

export type ResolvedAuth =
  | { readonly mode: 'local'; readonly secret: string; readonly issuer: string }
  | Extract<AuthConfig, { mode: 'oidc' }>;

/**
 * The token settings a process runs with. In local mode without a configured secret (the embedded
 * profile), a random secret is made once and kept beside the SQLite file, readable by its owner only.
 */
export function tokenSettings(auth: AuthConfig): ResolvedAuth {
  if (auth.mode === 'oidc') return auth;
  if (auth.secret) return { mode: 'local', secret: auth.secret, issuer: auth.issuer };
  if (!existsSync(auth.secretFile)) {
    mkdirSync(dirname(auth.secretFile), { recursive: true });
    writeFileSync(auth.secretFile, randomBytes(48).toString('base64url'), {
      mode: 0o600,
      flag: 'wx',
    });
  }
  return {
    mode: 'local',
    secret: readFileSync(auth.secretFile, 'utf8').trim(),
    issuer: auth.issuer,
  };
}
