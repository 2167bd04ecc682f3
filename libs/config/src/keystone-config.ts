import { dirname, join } from 'node:path';
import {
  KURRENTDB_CONNECTION_STRING,
  KURRENTDB_NAMESPACE,
  POSTGRES_SCHEMA_NAME,
  type EventStoreConfig,
} from '@keystone/event-store/adapters';

/** Everything a Keystone process is told by its environment, typed and checked once at boot. */
export type AuthConfig =
  /** Keystone signs its own tokens; without a secret, the embedded profile keeps one in secretFile. */
  | {
      readonly mode: 'local';
      readonly secret: string | null;
      readonly secretFile: string;
      readonly issuer: string;
    }
  | {
      readonly mode: 'oidc';
      readonly issuer: string;
      readonly jwksUrl: string;
      readonly audience: string;
      /** People sign in in the browser through the issuer (authorization code with PKCE). */
      readonly browser: {
        readonly clientId: string;
        readonly clientSecret: string | null;
        readonly scopes: string;
      } | null;
    };

export interface KeystoneConfig {
  readonly store: EventStoreConfig;
  readonly redisUrl: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly maxBodyBytes: number;
    /** How long an Idempotency-Key reservation holds before a retry may take it over. */
    readonly idempotencyLeaseMs: number;
    /** Requests per minute before 429: per client address, and per credential (bearer token). */
    readonly rateLimit: {
      readonly perAddress: number;
      readonly perCaller: number;
      readonly store: 'memory' | 'redis';
    };
  };
  readonly auth: AuthConfig;
  /** What a bearer token must show: an expiry, a lifetime no longer than this, iat not ahead of now. */
  readonly tokenPolicy: { readonly maxLifetimeSeconds: number; readonly clockSkewSeconds: number };
  /** What this process does; the embedded profile's one process does everything. */
  readonly roles: ProcessRoles;
  /** Prefix of Keystone's BullMQ keys in Redis. */
  readonly queuePrefix: string;
  readonly followUp: {
    readonly reportReminderDays: readonly number[];
    readonly consentReminderDays: number;
    readonly screeningServiceDays: number;
    readonly reportBackMonths: number;
  };
  readonly webhook: {
    readonly url: string;
    readonly secret: string;
    readonly attempts: number;
    readonly backoffMs: number;
  } | null;
  /** Where people open the web app (links in e-mails, the identity provider's redirect URI). */
  readonly publicUrl: string;
  /** Notices also go by e-mail through this SMTP server (null: the in-app inbox only). */
  readonly mail: {
    readonly smtpUrl: string;
    readonly from: string;
    /** Where the web app is, for the links in e-mails. */
    readonly publicUrl: string;
    readonly attempts: number;
  } | null;
  /** The Ed25519 key evidence bundles are signed with (PKCS#8 PEM; made on first use). */
  readonly evidenceKeyFile: string;
  /** Minutes between the signed checkpoints workers take (0: only `keystone checkpoint`). */
  readonly checkpointEveryMinutes: number;
  /** The key that wraps experts' data keys, kept outside the database (made on first use, 0600). */
  readonly keyEncryptionKeyFile: string;
}

/**
 * The roles of a process: serve the HTTP API; keep the read models caught up with the log; follow
 * the log and schedule jobs on the queues (reactors); run those jobs (processors).
 */
export const PROCESS_ROLES = ['api', 'projections', 'reactors', 'processors'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];
export type ProcessRoles = { readonly [role in ProcessRole]: boolean };

/** Every variable the code knows, with its default; the README's table and docker-compose follow it. */
export const CONFIG_VARIABLES = {
  KEYSTONE_STORE: {
    default: 'sqlite',
    help: 'event log adapter: sqlite (embedded default), postgres, or kurrentdb (read models then in PostgreSQL)',
  },
  KEYSTONE_SQLITE_PATH: {
    default: './data/keystone.db',
    help: 'SQLite file of the embedded profile',
  },
  KEYSTONE_SQLITE_SYNCHRONOUS: {
    default: 'normal',
    help: "'normal' survives a process crash, 'full' also a power cut",
  },
  KEYSTONE_POSTGRES_URL: {
    default: '',
    help: 'PostgreSQL connection URL (required when KEYSTONE_STORE=postgres, and with kurrentdb for read models)',
  },
  KEYSTONE_POSTGRES_SCHEMA: {
    default: 'public',
    help: 'PostgreSQL schema holding the log (or, with kurrentdb, the read models)',
  },
  KEYSTONE_POSTGRES_POOL_SIZE: { default: '10', help: 'PostgreSQL connections per process' },
  KEYSTONE_IDEMPOTENCY_LEASE_SECONDS: {
    default: '30',
    help: 'how long a request with an Idempotency-Key holds its key: a retry after that takes over the key of a request that died (finding its change made, or making it once)',
  },
  KEYSTONE_POSTGRES_STATEMENT_TIMEOUT_MS: {
    default: '5000',
    help: 'longest a PostgreSQL statement may run (and the client waits for an answer, plus 1 s) before the request gets 503 STORAGE.UNAVAILABLE',
  },
  KEYSTONE_POSTGRES_CONNECT_TIMEOUT_MS: {
    default: '3000',
    help: 'longest Keystone waits for a PostgreSQL connection before answering 503 STORAGE.UNAVAILABLE',
  },
  KEYSTONE_KURRENTDB_URL: {
    default: '',
    help: 'KurrentDB connection string, e.g. kurrentdb://host:2113?tls=false (required when KEYSTONE_STORE=kurrentdb)',
  },
  KEYSTONE_KURRENTDB_NAMESPACE: {
    default: '',
    help: 'prefix of every KurrentDB stream name, to keep several Keystone logs apart on one cluster',
  },
  KEYSTONE_ROLES: {
    default: PROCESS_ROLES.join(','),
    help: 'what this process does, comma-separated: api, projections, reactors (schedule jobs), processors (run jobs)',
  },
  KEYSTONE_REDIS_URL: {
    default: 'redis://127.0.0.1:6379',
    help: 'Redis for queues; the API serves without it',
  },
  KEYSTONE_AUTH_MODE: {
    default: 'local',
    help: "'local': Keystone signs its own tokens; 'oidc': tokens of an OIDC issuer",
  },
  KEYSTONE_AUTH_SECRET: {
    default: '',
    help: 'local mode: HS256 secret, at least 32 characters (embedded profile: generated into ./data when empty)',
  },
  KEYSTONE_OIDC_ISSUER: { default: '', help: 'oidc mode: the issuer (iss) tokens must name' },
  KEYSTONE_OIDC_JWKS_URL: { default: '', help: "oidc mode: the issuer's JWKS URL" },
  KEYSTONE_OIDC_CLIENT_ID: {
    default: '',
    help: 'oidc mode: Keystone’s client id at the issuer, for signing in in the browser (authorization code with PKCE; redirect URI <KEYSTONE_PUBLIC_URL>/auth/oidc/callback)',
  },
  KEYSTONE_OIDC_CLIENT_SECRET: {
    default: '',
    help: 'oidc mode: the client secret, when the issuer registered Keystone as a confidential client',
  },
  KEYSTONE_OIDC_SCOPES: {
    default: 'openid profile email keystone',
    help: 'oidc mode: the scopes asked for; the issuer answers with role and scope claims (role, region, state, provider…)',
  },
  KEYSTONE_OIDC_AUDIENCE: {
    default: '',
    help: 'oidc mode: the audience (aud) tokens must name (required)',
  },
  KEYSTONE_EVIDENCE_KEY_FILE: {
    default: '',
    help: 'Ed25519 key (PKCS#8 PEM) for evidence bundles; made on first use; default beside the SQLite file, ./data otherwise',
  },
  KEYSTONE_QUEUE_PREFIX: { default: 'keystone', help: "prefix of Keystone's BullMQ keys in Redis" },
  KEYSTONE_CHECKPOINT_EVERY_MINUTES: {
    default: '60',
    help: 'workers running processors sign a checkpoint of the log (position and log hash) this often when it moved; 0: only on demand (keystone checkpoint)',
  },
  KEYSTONE_WEBHOOK_URL: {
    default: '',
    help: 'also deliver every notification to this URL (JSON, HMAC-SHA256 signed)',
  },
  KEYSTONE_WEBHOOK_SECRET: {
    default: '',
    help: 'the shared secret of the webhook signature (required with KEYSTONE_WEBHOOK_URL)',
  },
  KEYSTONE_WEBHOOK_ATTEMPTS: {
    default: '6',
    help: 'tries before a webhook delivery is dead-lettered',
  },
  KEYSTONE_SMTP_URL: {
    default: '',
    help: 'also send notices by e-mail through this SMTP server (smtp:// or smtps://, credentials in the URL), each in the person’s language',
  },
  KEYSTONE_MAIL_FROM: {
    default: 'Keystone <keystone@localhost>',
    help: 'the From of Keystone’s e-mails',
  },
  KEYSTONE_PUBLIC_URL: {
    default: 'http://127.0.0.1:3000',
    help: 'where people open the web app: the links in e-mails point there',
  },
  KEYSTONE_REPORT_REMINDER_DAYS: {
    default: '30,7',
    help: 'days before a progress report falls due when reminders go out',
  },
  KEYSTONE_CONSENT_REMINDER_DAYS: {
    default: '14',
    help: 'days a request may wait for consent before its State and the officers are reminded',
  },
  KEYSTONE_REPORT_BACK_MONTHS: {
    default: '24',
    help: 'months after a deployment when its State is due to report back at a platform session',
  },
  KEYSTONE_SCREENING_SERVICE_DAYS: {
    default: '30',
    help: "days a consented request may wait for screening before the region's member is reminded",
  },
  KEYSTONE_MAX_BODY_BYTES: { default: '262144', help: 'largest request body the API reads' },
  KEYSTONE_RATE_LIMIT_PER_ADDRESS: {
    default: '1200',
    help: 'requests a minute one client address may send before 429 (Retry-After says when to retry)',
  },
  KEYSTONE_RATE_LIMIT_PER_CALLER: {
    default: '600',
    help: 'requests a minute one credential (bearer token) may send before 429',
  },
  KEYSTONE_RATE_LIMIT_STORE: {
    default: '',
    help: 'where the rate counters live: memory (one process) or redis (shared); default memory on sqlite, redis otherwise',
  },
  KEYSTONE_TOKEN_MAX_LIFETIME_MINUTES: {
    default: '720',
    help: 'the longest a bearer token may live (exp − iat); tokens without exp are refused',
  },
  KEYSTONE_KEY_ENCRYPTION_KEY_FILE: {
    default: '',
    help: "file of the key that wraps experts' data keys (default: beside the SQLite file; made on first run, mode 0600)",
  },
  HOST: { default: '127.0.0.1', help: 'address the API listens on (0.0.0.0 in containers)' },
  PORT: { default: '3000', help: 'port the API listens on' },
} as const;

export type ConfigVariable = keyof typeof CONFIG_VARIABLES;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Keystone's configuration is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Readonly<Record<string, string | undefined>>): KeystoneConfig {
  const problems: string[] = [];
  const read = (name: ConfigVariable): string => {
    const value = env[name];
    return value === undefined || value === '' ? CONFIG_VARIABLES[name].default : value;
  };
  const integer = (name: ConfigVariable, min: number, max: number): number => {
    const raw = read(name);
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };

  const store = storeConfig(read, integer, problems);
  const redisUrl = read('KEYSTONE_REDIS_URL');
  if (!/^rediss?:\/\//.test(redisUrl))
    problems.push(`KEYSTONE_REDIS_URL must start with redis:// or rediss://, got "${redisUrl}"`);
  const http = {
    host: read('HOST'),
    port: integer('PORT', 0, 65535),
    maxBodyBytes: integer('KEYSTONE_MAX_BODY_BYTES', 1024, 64 * 1024 * 1024),
    idempotencyLeaseMs: integer('KEYSTONE_IDEMPOTENCY_LEASE_SECONDS', 1, 3600) * 1000,
    rateLimit: {
      perAddress: integer('KEYSTONE_RATE_LIMIT_PER_ADDRESS', 1, 10_000_000),
      perCaller: integer('KEYSTONE_RATE_LIMIT_PER_CALLER', 1, 10_000_000),
      store: rateLimitStore(read('KEYSTONE_RATE_LIMIT_STORE'), store, problems),
    },
  };
  const auth = authConfig(read, store, problems);
  const tokenPolicy = {
    maxLifetimeSeconds: integer('KEYSTONE_TOKEN_MAX_LIFETIME_MINUTES', 1, 60 * 24 * 31) * 60,
    clockSkewSeconds: 60,
  };

  const roles = rolesConfig(read('KEYSTONE_ROLES'), problems);
  const queuePrefix = read('KEYSTONE_QUEUE_PREFIX');
  if (!/^[a-zA-Z0-9_-]{1,60}$/.test(queuePrefix)) {
    problems.push(`KEYSTONE_QUEUE_PREFIX must be letters, digits, _ or -, got "${queuePrefix}"`);
  }

  const webhookUrl = read('KEYSTONE_WEBHOOK_URL');
  const webhookSecret = read('KEYSTONE_WEBHOOK_SECRET');
  const webhookAttempts = integer('KEYSTONE_WEBHOOK_ATTEMPTS', 1, 50);
  if (webhookUrl && !/^https?:\/\//.test(webhookUrl))
    problems.push(`KEYSTONE_WEBHOOK_URL must be an http(s) URL, got "${webhookUrl}"`);
  if (webhookUrl && webhookSecret.length < 16)
    problems.push(
      'KEYSTONE_WEBHOOK_SECRET of 16 or more characters is required with KEYSTONE_WEBHOOK_URL',
    );
  const webhook = webhookUrl
    ? { url: webhookUrl, secret: webhookSecret, attempts: webhookAttempts, backoffMs: 5_000 }
    : null;

  const smtpUrl = read('KEYSTONE_SMTP_URL');
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
    problems.push(
      `KEYSTONE_SMTP_URL must be an smtp:// or smtps:// URL, got "${redactUrl(smtpUrl)}"`,
    );
  const publicUrl = read('KEYSTONE_PUBLIC_URL').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicUrl))
    problems.push(`KEYSTONE_PUBLIC_URL must be an http(s) URL, got "${publicUrl}"`);
  const mail = smtpUrl
    ? { smtpUrl, from: read('KEYSTONE_MAIL_FROM'), publicUrl, attempts: 6 }
    : null;

  const reminderDays = read('KEYSTONE_REPORT_REMINDER_DAYS')
    .split(',')
    .map((d) => Number(d.trim()));
  if (reminderDays.some((d) => !Number.isInteger(d) || d < 1 || d > 365)) {
    problems.push(
      `KEYSTONE_REPORT_REMINDER_DAYS must be whole numbers of days from 1 to 365, comma-separated, got "${read('KEYSTONE_REPORT_REMINDER_DAYS')}"`,
    );
  }
  const checkpointEveryMinutes = integer('KEYSTONE_CHECKPOINT_EVERY_MINUTES', 0, 60 * 24 * 31);
  const followUp = {
    reportReminderDays: reminderDays,
    consentReminderDays: integer('KEYSTONE_CONSENT_REMINDER_DAYS', 1, 365),
    screeningServiceDays: integer('KEYSTONE_SCREENING_SERVICE_DAYS', 1, 365),
    reportBackMonths: integer('KEYSTONE_REPORT_BACK_MONTHS', 1, 120),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  const dataDir = dirname(
    store.kind === 'sqlite' && store.path !== ':memory:' ? store.path : './data/keystone.db',
  );
  const evidenceKeyFile =
    read('KEYSTONE_EVIDENCE_KEY_FILE') || join(dataDir, 'evidence-signing-key.pem');
  const keyEncryptionKeyFile =
    read('KEYSTONE_KEY_ENCRYPTION_KEY_FILE') || join(dataDir, 'key-encryption-key');
  return {
    store,
    redisUrl,
    http,
    auth,
    tokenPolicy,
    roles,
    queuePrefix,
    followUp,
    webhook,
    publicUrl,
    mail,
    evidenceKeyFile,
    checkpointEveryMinutes,
    keyEncryptionKeyFile,
  };
}

function rateLimitStore(
  raw: string,
  store: EventStoreConfig,
  problems: string[],
): 'memory' | 'redis' {
  if (raw === '') return store.kind === 'sqlite' ? 'memory' : 'redis';
  if (raw === 'memory' || raw === 'redis') return raw;
  problems.push(`KEYSTONE_RATE_LIMIT_STORE must be memory or redis, got "${raw}"`);
  return 'memory';
}

function authConfig(
  read: (name: ConfigVariable) => string,
  store: EventStoreConfig,
  problems: string[],
): AuthConfig {
  const mode = read('KEYSTONE_AUTH_MODE');
  if (mode === 'oidc') {
    const issuer = read('KEYSTONE_OIDC_ISSUER');
    const jwksUrl = read('KEYSTONE_OIDC_JWKS_URL');
    if (!issuer) problems.push('KEYSTONE_OIDC_ISSUER is required when KEYSTONE_AUTH_MODE=oidc');
    if (!/^https?:\/\//.test(jwksUrl))
      problems.push(
        `KEYSTONE_OIDC_JWKS_URL must be an http(s) URL when KEYSTONE_AUTH_MODE=oidc, got "${jwksUrl}"`,
      );
    const audience = read('KEYSTONE_OIDC_AUDIENCE');
    // A token minted for another application of the same issuer must not open Keystone.
    if (!audience)
      problems.push(
        'KEYSTONE_OIDC_AUDIENCE is required when KEYSTONE_AUTH_MODE=oidc: the audience (aud) Keystone’s tokens are issued for',
      );
    const clientId = read('KEYSTONE_OIDC_CLIENT_ID');
    const browser = clientId
      ? {
          clientId,
          clientSecret: read('KEYSTONE_OIDC_CLIENT_SECRET') || null,
          scopes: read('KEYSTONE_OIDC_SCOPES'),
        }
      : null;
    return { mode, issuer, jwksUrl, audience, browser };
  }
  if (mode !== 'local') problems.push(`KEYSTONE_AUTH_MODE must be local or oidc, got "${mode}"`);
  const secret = read('KEYSTONE_AUTH_SECRET') || null;
  if (secret !== null && secret.length < 32)
    problems.push('KEYSTONE_AUTH_SECRET must be at least 32 characters');
  if (secret === null && store.kind !== 'sqlite') {
    problems.push(
      'KEYSTONE_AUTH_SECRET is required in local auth mode outside the embedded profile (or use KEYSTONE_AUTH_MODE=oidc)',
    );
  }
  const secretFile = join(
    dirname(
      store.kind === 'sqlite' && store.path !== ':memory:' ? store.path : './data/keystone.db',
    ),
    'local-signing-secret',
  );
  return { mode: 'local', secret, secretFile, issuer: 'keystone-local' };
}

function rolesConfig(value: string, problems: string[]): ProcessRoles {
  const named = value
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role !== '');
  const unknown = named.filter((role) => !(PROCESS_ROLES as readonly string[]).includes(role));
  if (unknown.length > 0 || named.length === 0) {
    problems.push(
      `KEYSTONE_ROLES must name one or more of ${PROCESS_ROLES.join(', ')}, got "${value}"`,
    );
  }
  return Object.fromEntries(
    PROCESS_ROLES.map((role) => [role, named.includes(role)]),
  ) as unknown as ProcessRoles;
}

function storeConfig(
  read: (name: ConfigVariable) => string,
  integer: (name: ConfigVariable, min: number, max: number) => number,
  problems: string[],
): EventStoreConfig {
  const kind = read('KEYSTONE_STORE');
  const postgres = () => {
    const url = read('KEYSTONE_POSTGRES_URL');
    if (!/^postgres(ql)?:\/\//.test(url)) {
      problems.push(
        `KEYSTONE_POSTGRES_URL must be a postgres:// URL when KEYSTONE_STORE=${kind}, got "${url}"`,
      );
    }
    const schema = read('KEYSTONE_POSTGRES_SCHEMA');
    if (!POSTGRES_SCHEMA_NAME.test(schema)) {
      problems.push(
        `KEYSTONE_POSTGRES_SCHEMA must be lower-case letters, digits and _, got "${schema}"`,
      );
    }
    return {
      url,
      schema,
      poolSize: integer('KEYSTONE_POSTGRES_POOL_SIZE', 1, 500),
      statementTimeoutMs: integer('KEYSTONE_POSTGRES_STATEMENT_TIMEOUT_MS', 100, 3_600_000),
      connectTimeoutMs: integer('KEYSTONE_POSTGRES_CONNECT_TIMEOUT_MS', 100, 600_000),
    };
  };
  if (kind === 'postgres') return { kind, ...postgres() };
  if (kind === 'kurrentdb') {
    const url = read('KEYSTONE_KURRENTDB_URL');
    if (!KURRENTDB_CONNECTION_STRING.test(url)) {
      problems.push(
        `KEYSTONE_KURRENTDB_URL must be a kurrentdb:// connection string when KEYSTONE_STORE=kurrentdb, got "${url}"`,
      );
    }
    const namespace = read('KEYSTONE_KURRENTDB_NAMESPACE');
    if (!KURRENTDB_NAMESPACE.test(namespace)) {
      problems.push(
        `KEYSTONE_KURRENTDB_NAMESPACE must be up to 40 letters, digits, '.', '_' or '-', got "${namespace}"`,
      );
    }
    return { kind, url, namespace, companion: postgres() };
  }
  if (kind !== 'sqlite')
    problems.push(`KEYSTONE_STORE must be sqlite, postgres or kurrentdb, got "${kind}"`);
  const synchronous = read('KEYSTONE_SQLITE_SYNCHRONOUS');
  if (synchronous !== 'normal' && synchronous !== 'full') {
    problems.push(`KEYSTONE_SQLITE_SYNCHRONOUS must be normal or full, got "${synchronous}"`);
  }
  return {
    kind: 'sqlite',
    path: read('KEYSTONE_SQLITE_PATH'),
    synchronous: synchronous as 'normal' | 'full',
  };
}

/** A URL fit for logs and health: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
