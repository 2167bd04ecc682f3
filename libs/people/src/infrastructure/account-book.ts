import { createHash, randomBytes } from 'node:crypto';
import type { EventStore } from '@keystone/event-store';
import { sqlBesideLog, type SqlDatabase } from '@keystone/sql';

/** A person's account: what is personal (name, e-mail, language, password) and so not history. */
export interface Account {
  readonly personId: string;
  readonly email: string;
  readonly name: string;
  readonly language: string;
  readonly hasPassword: boolean;
  readonly invitationExpiresAt: string | null;
  readonly createdAt: string;
}

interface AccountRow {
  person_id: string;
  email: string;
  name: string;
  language: string;
  password_hash: string | null;
  invitation_expires_at: string | null;
  failed_sign_ins: number;
  locked_until: string | null;
  created_at: string;
}

export interface SessionRow {
  person_id: string;
  expires_at: string;
  /** A session through the identity provider: its claims (JSON); null for a local account. */
  claims: string | null;
}

/** A secret handed out once (an invitation, a session); only its SHA-256 is kept. */
export function newSecret(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: secretHash(token) };
}
export const secretHash = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

export class EmailTaken extends Error {}

/**
 * Accounts and sign-in sessions, in the SQL beside the log (the same SQLite file or PostgreSQL
 * database): personal data that must be erasable, and secrets that must never reach the log.
 */
export class AccountBook {
  private static readonly TABLES = `
    CREATE TABLE IF NOT EXISTS keystone_accounts (
      person_id             TEXT PRIMARY KEY,
      email                 TEXT NOT NULL UNIQUE,
      name                  TEXT NOT NULL,
      language              TEXT NOT NULL,
      password_hash         TEXT,
      invitation_hash       TEXT UNIQUE,
      invitation_expires_at TEXT,
      failed_sign_ins       INTEGER NOT NULL DEFAULT 0,
      locked_until          TEXT,
      created_at            TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS keystone_sessions (
      token_hash TEXT PRIMARY KEY,
      person_id  TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL,
      ended_at   TEXT,
      claims     TEXT
    );
    CREATE TABLE IF NOT EXISTS keystone_sign_in_attempts (
      id_hash    TEXT PRIMARY KEY,
      pending    TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`;
  private ready: Promise<void> | null = null;

  constructor(private readonly store: EventStore) {}

  private async db(): Promise<SqlDatabase> {
    const db = sqlBesideLog(this.store);
    this.ready ??= db.exec(AccountBook.TABLES);
    await this.ready;
    return db;
  }

  async open(account: {
    personId: string;
    email: string;
    name: string;
    language: string;
    passwordHash: string | null;
    invitationHash: string | null;
    invitationExpiresAt: string | null;
    createdAt: string;
  }): Promise<void> {
    const db = await this.db();
    const taken = await db.all('SELECT 1 FROM keystone_accounts WHERE email = ?', [account.email]);
    if (taken.length) throw new EmailTaken(account.email);
    try {
      await db.write((tx) =>
        tx.run(
          `INSERT INTO keystone_accounts (person_id, email, name, language, password_hash,
             invitation_hash, invitation_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            account.personId,
            account.email,
            account.name,
            account.language,
            account.passwordHash,
            account.invitationHash,
            account.invitationExpiresAt,
            account.createdAt,
          ],
        ),
      );
    } catch (error) {
      // Two invitations to one address at the same moment: the unique index answers.
      if (/unique|duplicate/i.test(String((error as Error).message)))
        throw new EmailTaken(account.email);
      throw error;
    }
  }

  /** Undoes open() when the grant that goes with it was refused: no account without a role. */
  async discard(personId: string): Promise<void> {
    const db = await this.db();
    await db.write((tx) => tx.run('DELETE FROM keystone_accounts WHERE person_id = ?', [personId]));
  }

  async byEmail(email: string): Promise<(AccountRow & { password_hash: string | null }) | null> {
    const rows = await (
      await this.db()
    ).all<AccountRow>('SELECT * FROM keystone_accounts WHERE email = ?', [email]);
    return rows[0] ?? null;
  }

  async byId(personId: string): Promise<Account | null> {
    const rows = await (
      await this.db()
    ).all<AccountRow>('SELECT * FROM keystone_accounts WHERE person_id = ?', [personId]);
    return rows[0] ? toAccount(rows[0]) : null;
  }

  async all(): Promise<Account[]> {
    const rows = await (
      await this.db()
    ).all<AccountRow>('SELECT * FROM keystone_accounts ORDER BY created_at, email');
    return rows.map(toAccount);
  }

  async count(): Promise<number> {
    const rows = await (
      await this.db()
    ).all<{ n: number | string }>('SELECT COUNT(*) AS n FROM keystone_accounts');
    return Number(rows[0]?.n ?? 0);
  }

  /** Sets the password of the account invited with this token, if the invitation still stands. */
  async acceptInvitation(token: string, passwordHash: string, now: string): Promise<string | null> {
    const db = await this.db();
    const rows = await db.all<AccountRow>(
      'SELECT * FROM keystone_accounts WHERE invitation_hash = ? AND invitation_expires_at > ?',
      [secretHash(token), now],
    );
    const row = rows[0];
    if (!row) return null;
    await db.write((tx) =>
      tx.run(
        `UPDATE keystone_accounts SET password_hash = ?, invitation_hash = NULL,
           invitation_expires_at = NULL WHERE person_id = ? AND invitation_hash = ?`,
        [passwordHash, row.person_id, secretHash(token)],
        { mustChange: true },
      ),
    );
    return row.person_id;
  }

  async recordSignIn(
    personId: string,
    succeeded: boolean,
    lockUntil: string | null,
  ): Promise<void> {
    const db = await this.db();
    await db.write((tx) =>
      succeeded
        ? tx.run(
            'UPDATE keystone_accounts SET failed_sign_ins = 0, locked_until = NULL WHERE person_id = ?',
            [personId],
          )
        : tx.run(
            'UPDATE keystone_accounts SET failed_sign_ins = failed_sign_ins + 1, locked_until = ? WHERE person_id = ?',
            [lockUntil, personId],
          ),
    );
  }

  async startSession(
    personId: string,
    now: string,
    expiresAt: string,
    claims: Record<string, unknown> | null = null,
  ): Promise<string> {
    const { token, hash } = newSecret();
    const db = await this.db();
    await db.write((tx) =>
      tx.run(
        'INSERT INTO keystone_sessions (token_hash, person_id, created_at, expires_at, claims) VALUES (?, ?, ?, ?, ?)',
        [hash, personId, now, expiresAt, claims === null ? null : JSON.stringify(claims)],
      ),
    );
    return token;
  }

  /** A sign-in through the identity provider, between its two legs (10 minutes at most). */
  async keepAttempt(pending: object, expiresAt: string): Promise<string> {
    const { token, hash } = newSecret();
    const db = await this.db();
    await db.write((tx) =>
      tx.run(
        'INSERT INTO keystone_sign_in_attempts (id_hash, pending, expires_at) VALUES (?, ?, ?)',
        [hash, JSON.stringify(pending), expiresAt],
      ),
    );
    return token;
  }

  /** Takes the attempt back, once: a second callback with the same cookie finds nothing. */
  async takeAttempt<T>(token: string, now: string): Promise<T | null> {
    const db = await this.db();
    const rows = await db.all<{ pending: string }>(
      'SELECT pending FROM keystone_sign_in_attempts WHERE id_hash = ? AND expires_at > ?',
      [secretHash(token), now],
    );
    await db.write((tx) =>
      tx.run('DELETE FROM keystone_sign_in_attempts WHERE id_hash = ? OR expires_at <= ?', [
        secretHash(token),
        now,
      ]),
    );
    return rows[0] ? (JSON.parse(rows[0].pending) as T) : null;
  }

  async session(token: string, now: string): Promise<SessionRow | null> {
    const rows = await (
      await this.db()
    ).all<SessionRow>(
      'SELECT person_id, expires_at, claims FROM keystone_sessions WHERE token_hash = ? AND ended_at IS NULL AND expires_at > ?',
      [secretHash(token), now],
    );
    return rows[0] ?? null;
  }

  async endSession(token: string, now: string): Promise<void> {
    const db = await this.db();
    await db.write((tx) =>
      tx.run(
        'UPDATE keystone_sessions SET ended_at = ? WHERE token_hash = ? AND ended_at IS NULL',
        [now, secretHash(token)],
      ),
    );
  }

  /** Every session of a person ends (their access was revoked or changed). */
  async endSessionsOf(personId: string, now: string): Promise<void> {
    const db = await this.db();
    await db.write((tx) =>
      tx.run('UPDATE keystone_sessions SET ended_at = ? WHERE person_id = ? AND ended_at IS NULL', [
        now,
        personId,
      ]),
    );
  }
}

function toAccount(row: AccountRow): Account {
  return {
    personId: row.person_id,
    email: row.email,
    name: row.name,
    language: row.language,
    hasPassword: row.password_hash !== null,
    invitationExpiresAt: row.invitation_expires_at,
    createdAt: row.created_at,
  };
}
