/**
 * The event log's tables in PostgreSQL. Positions come from the single row of keystone_log_head,
 * bumped by every append just before it commits: the row lock makes appends commit in position
 * order, so a reader can never see position p + 1 before p (no in-flight-transaction gaps), and a
 * rolled-back append gives its positions back (no holes).
 */
export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS keystone_events (
  global_position BIGINT  PRIMARY KEY,
  event_id        UUID    NOT NULL UNIQUE,
  stream_id       TEXT    NOT NULL,
  stream_version  INTEGER NOT NULL,
  type            TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  data            JSON    NOT NULL,
  metadata        JSON    NOT NULL,
  hash            TEXT    NOT NULL,
  CONSTRAINT keystone_events_stream_version UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS keystone_events_by_type ON keystone_events (type, global_position);
CREATE TABLE IF NOT EXISTS keystone_streams (
  stream_id TEXT    PRIMARY KEY,
  version   INTEGER NOT NULL,
  head_hash TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS keystone_log_head (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  last_position BIGINT  NOT NULL
);
INSERT INTO keystone_log_head (id, last_position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
CREATE OR REPLACE FUNCTION keystone_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the event log is append-only: events are never updated or deleted'
    USING ERRCODE = 'restrict_violation';
END $$;
DROP TRIGGER IF EXISTS keystone_events_no_change ON keystone_events;
CREATE TRIGGER keystone_events_no_change BEFORE UPDATE OR DELETE ON keystone_events
  FOR EACH ROW EXECUTE FUNCTION keystone_events_append_only();
DROP TRIGGER IF EXISTS keystone_events_no_truncate ON keystone_events;
CREATE TRIGGER keystone_events_no_truncate BEFORE TRUNCATE ON keystone_events
  FOR EACH STATEMENT EXECUTE FUNCTION keystone_events_append_only();
`;

/** One statement: take positions (locking the log head until commit), insert, move stream heads, notify. */
export const APPEND_STATEMENT = `
WITH positions AS (
  UPDATE keystone_log_head SET last_position = last_position + $1::bigint
  RETURNING last_position - $1::bigint AS base
),
inserted AS (
  INSERT INTO keystone_events
    (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash)
  SELECT positions.base + e.ord, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version,
         e.data, e.metadata, e.hash
  FROM positions,
       unnest($2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::json[], $8::json[], $9::text[])
         WITH ORDINALITY AS e(event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, ord)
  RETURNING 1
),
heads AS (
  INSERT INTO keystone_streams (stream_id, version, head_hash)
  SELECT * FROM unnest($10::text[], $11::int[], $12::text[])
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash
  RETURNING 1
)
SELECT positions.base, (SELECT count(*) FROM inserted) AS inserted, (SELECT count(*) FROM heads) AS heads,
       pg_notify('keystone_events', (positions.base + $1::bigint)::text)
FROM positions
`;
