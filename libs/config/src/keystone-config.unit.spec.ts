import { ConfigError, loadConfig, redactUrl } from './keystone-config';

describe('loadConfig', () => {
  it('runs on the embedded SQLite default with nothing set', () => {
    expect(loadConfig({})).toEqual({
      store: { kind: 'sqlite', path: './data/keystone.db', synchronous: 'normal' },
      redisUrl: 'redis://127.0.0.1:6379',
      http: {
        host: '127.0.0.1',
        port: 3000,
        maxBodyBytes: 262144,
        idempotencyLeaseMs: 30000,
        rateLimit: { perAddress: 1200, perCaller: 600, store: 'memory' },
      },
      auth: {
        mode: 'local',
        secret: null,
        secretFile: 'data/local-signing-secret',
        issuer: 'keystone-local',
      },
      tokenPolicy: { maxLifetimeSeconds: 43_200, clockSkewSeconds: 60 },
      roles: { api: true, projections: true, reactors: true, processors: true },
      queuePrefix: 'keystone',
      followUp: {
        reportReminderDays: [30, 7],
        consentReminderDays: 14,
        screeningServiceDays: 30,
        reportBackMonths: 24,
      },
      webhook: null,
      publicUrl: 'http://127.0.0.1:3000',
      mail: null,
      evidenceKeyFile: 'data/evidence-signing-key.pem',
      checkpointEveryMinutes: 60,
      keyEncryptionKeyFile: 'data/key-encryption-key',
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
      statementTimeoutMs: 5000,
      connectTimeoutMs: 3000,
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
        KEYSTONE_OIDC_AUDIENCE: 'keystone',
      }).auth,
    ).toEqual({
      mode: 'oidc',
      issuer: 'https://id.example',
      jwksUrl: 'https://id.example/jwks',
      audience: 'keystone',
      browser: null,
    });
    // With a client id, people sign in in the browser through the issuer.
    expect(
      loadConfig({
        KEYSTONE_AUTH_MODE: 'oidc',
        KEYSTONE_OIDC_ISSUER: 'https://id.example',
        KEYSTONE_OIDC_JWKS_URL: 'https://id.example/jwks',
        KEYSTONE_OIDC_AUDIENCE: 'keystone',
        KEYSTONE_OIDC_CLIENT_ID: 'keystone-web',
      }).auth,
    ).toMatchObject({
      browser: {
        clientId: 'keystone-web',
        clientSecret: null,
        scopes: 'openid profile email keystone',
      },
    });
    // The issue "nobody in who does not belong": iss and aud are both checked in OIDC mode.
    expect(() =>
      loadConfig({
        KEYSTONE_AUTH_MODE: 'oidc',
        KEYSTONE_OIDC_ISSUER: 'https://id.example',
        KEYSTONE_OIDC_JWKS_URL: 'https://id.example/jwks',
      }),
    ).toThrow(/KEYSTONE_OIDC_AUDIENCE is required/);
    expect(() => loadConfig({ KEYSTONE_AUTH_MODE: 'oidc' })).toThrow(
      /KEYSTONE_OIDC_ISSUER is required/,
    );
  });

  it('refuses an unknown store', () => {
    expect(() => loadConfig({ KEYSTONE_STORE: 'mongo' })).toThrow(
      /KEYSTONE_STORE must be sqlite, postgres or kurrentdb, got "mongo"/,
    );
  });

  it('reads the kurrentdb profile: the log on KurrentDB, read models in PostgreSQL', () => {
    const config = loadConfig({
      KEYSTONE_STORE: 'kurrentdb',
      KEYSTONE_KURRENTDB_URL: 'kurrentdb+discover://kdb-1:2113,kdb-2:2113?tls=true',
      KEYSTONE_KURRENTDB_NAMESPACE: 'un.',
      KEYSTONE_POSTGRES_URL: 'postgres://u:p@db/k',
      KEYSTONE_POSTGRES_SCHEMA: 'read_models',
      KEYSTONE_AUTH_SECRET: 's'.repeat(32),
    });
    expect(config.store).toEqual({
      kind: 'kurrentdb',
      url: 'kurrentdb+discover://kdb-1:2113,kdb-2:2113?tls=true',
      namespace: 'un.',
      companion: {
        url: 'postgres://u:p@db/k',
        schema: 'read_models',
        poolSize: 10,
        statementTimeoutMs: 5000,
        connectTimeoutMs: 3000,
      },
    });
    expect(() =>
      loadConfig({
        KEYSTONE_STORE: 'kurrentdb',
        KEYSTONE_KURRENTDB_URL: 'http://kdb:2113',
        KEYSTONE_AUTH_SECRET: 's'.repeat(32),
      }),
    ).toThrow(
      /KEYSTONE_KURRENTDB_URL must be a kurrentdb:\/\/ connection string[\s\S]*KEYSTONE_POSTGRES_URL must be a postgres:\/\/ URL when KEYSTONE_STORE=kurrentdb/,
    );
  });

  it('reads the roles a process plays, and refuses unknown ones', () => {
    expect(loadConfig({ KEYSTONE_ROLES: 'api' }).roles).toEqual({
      api: true,
      projections: false,
      reactors: false,
      processors: false,
    });
    expect(loadConfig({ KEYSTONE_ROLES: ' projections, processors ' }).roles).toEqual({
      api: false,
      projections: true,
      reactors: false,
      processors: true,
    });
    expect(() => loadConfig({ KEYSTONE_ROLES: 'api,scheduler' })).toThrow(
      /KEYSTONE_ROLES must name one or more of api, projections, reactors, processors, got "api,scheduler"/,
    );
    expect(() => loadConfig({ KEYSTONE_ROLES: ',' })).toThrow(/KEYSTONE_ROLES must name/);
  });

  it('hides passwords in URLs it shows', () => {
    expect(redactUrl('redis://:secret@cache:6379')).toBe('redis://:***@cache:6379');
  });

  it('sends notices by e-mail only when an SMTP server is named, and checks its URLs', () => {
    expect(
      loadConfig({
        KEYSTONE_SMTP_URL: 'smtp://mail.example.org:587',
        KEYSTONE_PUBLIC_URL: 'https://keystone.example.org/',
      }).mail,
    ).toEqual({
      smtpUrl: 'smtp://mail.example.org:587',
      from: 'Keystone <keystone@localhost>',
      publicUrl: 'https://keystone.example.org',
      attempts: 6,
    });
    expect(() => loadConfig({ KEYSTONE_SMTP_URL: 'mail.example.org' })).toThrow(
      /KEYSTONE_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => loadConfig({ KEYSTONE_PUBLIC_URL: 'keystone.example.org' })).toThrow(
      /KEYSTONE_PUBLIC_URL must be an http\(s\) URL/,
    );
  });
});
