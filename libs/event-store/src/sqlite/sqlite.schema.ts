/**
 * The event log's tables in SQLite. Append-only is enforced by triggers, not by convention.
 * Metadata lives in columns (not one JSON text) so reads parse only the data, and as-of queries
 * can filter on recorded_at and occurred_at. log_hash is the log-wide chain (hash-chain.ts): NULL only
 * in a log made before it existed and not yet migrated (SQLITE_LOG_CHAIN_MIGRATION).
 */
const SQLITE_TRIGGERS_TEXT = `
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events are never updated'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'the event log is append-only: events are never deleted'); END;
`;

/** The append-only triggers alone (what the migration puts back; what tamper tests restore). */
export const SQLITE_TRIGGERS = SQLITE_TRIGGERS_TEXT;

export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY,
  event_id        TEXT    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  data            TEXT    NOT NULL,
  actor           TEXT    NOT NULL,
  role            TEXT    NOT NULL,
  correlation_id  TEXT    NOT NULL,
  causation_id    TEXT,
  occurred_at     TEXT    NOT NULL,
  recorded_at     TEXT    NOT NULL,
  extra           TEXT,
  hash            TEXT    NOT NULL,
  log_hash        TEXT,
  UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, global_position);
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  version   INTEGER NOT NULL,
  head_hash TEXT    NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS append_receipts (
  owner         TEXT    NOT NULL,
  key           TEXT    NOT NULL,
  request_hash  TEXT    NOT NULL,
  outcome       TEXT    NOT NULL,
  last_position INTEGER NOT NULL,
  PRIMARY KEY (owner, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS log_migrations (
  name             TEXT PRIMARY KEY,
  applied_at       TEXT    NOT NULL,
  through_position INTEGER NOT NULL
) WITHOUT ROWID;
${SQLITE_TRIGGERS_TEXT}`;

/**
 * Gives a log made before the log-wide chain its log hashes, once, in one transaction: the column,
 * each event's hash in position order, and a row in log_migrations saying it was computed by
 * migration (through which position, when), which `keystone verify` reports. The append-only
 * trigger is lifted inside the transaction only.
 */
export const SQLITE_ADD_LOG_HASH = 'ALTER TABLE events ADD COLUMN log_hash TEXT';
export const SQLITE_LIFT_UPDATE_TRIGGER = 'DROP TRIGGER IF EXISTS events_no_update';
