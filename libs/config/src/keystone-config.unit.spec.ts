import { ConfigError, loadConfig, redactUrl } from './keystone-config';

describe('loadConfig', () => {
  it('runs on the embedded SQLite default with nothing set', () => {
    expect(loadConfig({})).toEqual({
      store: { kind: 'sqlite', path: './data/keystone.db', synchronous: 'normal' },
      redisUrl: 'redis://127.0.0.1:6379',
      http: { host: '127.0.0.1', port: 3000, maxBodyBytes: 1048576 },
      auth: {
        mode: 'local',
        secret: null,
        secretFile: 'data/local-signing-secret',
        issuer: 'keystone-local',
      },
      apiRunsProjections: true,
      apiRunsReactions: true,
      queuePrefix: 'keystone',
      followUp: { reportReminderDays: [30, 7], consentReminderDays: 14, screeningServiceDays: 30 },
      webhook: null,
      evidenceKeyFile: 'data/evidence-signing-key.pem',
    });
  });

  it('reads the postgres profile', () => {
    const config = loadConfig({
      KEYSTONE_STORE: 'postgres',
      KEYSTONE_POSTGRES_URL: 'postgres://u:p@db/k',
      KEYSTONE_POSTGRES_POOL_SIZE: '4',
      KEYSTONE_AUTH_SECRET: 's'.repeat(32),
    });
    expect(config.store).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db/k',
      schema: 'public',
      poolSize: 4,
    });
  });

  it('lists every problem at once', () => {
    const attempt = () =>
      loadConfig({ KEYSTONE_STORE: 'postgres', PORT: 'eighty', KEYSTONE_REDIS_URL: 'localhost' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'KEYSTONE_POSTGRES_URL must be a postgres:// URL when KEYSTONE_STORE=postgres, got ""',
        'KEYSTONE_REDIS_URL must start with redis:// or rediss://, got "localhost"',
        'PORT must be a whole number from 0 to 65535, got "eighty"',
        'KEYSTONE_AUTH_SECRET is required in local auth mode outside the embedded profile (or use KEYSTONE_AUTH_MODE=oidc)',
      ]);
    }
  });

  it('reads the OIDC mode and refuses it half-configured', () => {
    expect(
      loadConfig({
        KEYSTONE_AUTH_MODE: 'oidc',
        KEYSTONE_OIDC_ISSUER: 'https://id.example',
        KEYSTONE_OIDC_JWKS_URL: 'https://id.example/jwks',
      }).auth,
    ).toEqual({
      mode: 'oidc',
      issuer: 'https://id.example',
      jwksUrl: 'https://id.example/jwks',
    });
    expect(() => loadConfig({ KEYSTONE_AUTH_MODE: 'oidc' })).toThrow(
      /KEYSTONE_OIDC_ISSUER is required/,
    );
  });

  it('refuses an unknown store', () => {
    expect(() => loadConfig({ KEYSTONE_STORE: 'mongo' })).toThrow(
      /KEYSTONE_STORE must be sqlite or postgres, got "mongo"/,
    );
  });

  it('hides passwords in URLs it shows', () => {
    expect(redactUrl('redis://:secret@cache:6379')).toBe('redis://:***@cache:6379');
  });
});
