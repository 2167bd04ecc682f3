/**
 * The event log's tables in PostgreSQL. Positions come from the single row of keystone_log_head,
 * bumped by every append just before it commits: the row lock makes appends commit in position
 * order, so a reader can never see position p + 1 before p (no in-flight-transaction gaps), and a
 * rolled-back append gives its positions back (no holes).
 */
/**
 * A log made before the log-wide chain gets its log hashes once (under the DDL lock, in the set-up's
 * transaction): the columns, each event's hash in position order, the head's last log hash, and a
 * row in keystone_log_migrations saying they were computed by migration. The append-only trigger
 * does not exist yet at this point of the set-up on a new log, and is re-created right after.
 */
const LOG_CHAIN_MIGRATION = `
ALTER TABLE keystone_events ADD COLUMN IF NOT EXISTS log_hash TEXT;
ALTER TABLE keystone_log_head ADD COLUMN IF NOT EXISTS last_log_hash TEXT;
DO $migrate$
DECLARE
  r record;
  v_previous text := repeat('0', 64);
  v_through bigint := 0;
BEGIN
  IF (SELECT last_log_hash FROM keystone_log_head WHERE id = 1) IS NOT NULL THEN RETURN; END IF;
  IF EXISTS (SELECT 1 FROM keystone_events) THEN
    DROP TRIGGER IF EXISTS keystone_events_no_change ON keystone_events;
    FOR r IN SELECT global_position, hash FROM keystone_events ORDER BY global_position LOOP
      v_previous := keystone_log_hash(v_previous, r.global_position, r.hash);
      UPDATE keystone_events SET log_hash = v_previous WHERE global_position = r.global_position;
      v_through := r.global_position;
    END LOOP;
    INSERT INTO keystone_log_migrations (name, applied_at, through_position)
    VALUES ('log-chain', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), v_through);
  END IF;
  UPDATE keystone_log_head SET last_log_hash = v_previous WHERE id = 1;
END
$migrate$;
`;

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
  log_hash        TEXT,
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
CREATE TABLE IF NOT EXISTS keystone_append_receipts (
  owner         TEXT   NOT NULL,
  key           TEXT   NOT NULL,
  request_hash  TEXT   NOT NULL,
  outcome       JSON   NOT NULL,
  last_position BIGINT NOT NULL,
  PRIMARY KEY (owner, key)
);
CREATE TABLE IF NOT EXISTS keystone_log_migrations (
  name             TEXT        PRIMARY KEY,
  applied_at       TEXT        NOT NULL,
  through_position BIGINT      NOT NULL
);
-- The log-wide chain (hash-chain.ts, logHash): the same canonical JSON text, hashed by PostgreSQL.
CREATE OR REPLACE FUNCTION keystone_log_hash(p_previous text, p_position bigint, p_hash text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    '{"globalPosition":' || p_position || ',"hash":"' || p_hash || '","previousLogHash":"' || p_previous || '"}',
    'UTF8')), 'hex')
$$;
${LOG_CHAIN_MIGRATION}
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

/**
 * One call, one transaction: lock the streams' rows in a fixed order, check that each is still at
 * the version its hashes were computed from (else return the stream and its actual version, having
 * written nothing), then take positions from the log head, insert, move the heads, store the
 * request's receipt (refusing with KS001, and so writing nothing, when its twin stored it), notify.
 */
export const APPEND_FUNCTION = `
DROP FUNCTION IF EXISTS keystone_append(text[], int[], uuid[], text[], int[], text[], int[], json[], json[], text[], int[], text[]);
CREATE OR REPLACE FUNCTION keystone_append(
  p_stream_ids text[], p_based_on int[],
  p_event_ids uuid[], p_event_streams text[], p_versions int[], p_types text[], p_schema_versions int[],
  p_data json[], p_metadata json[], p_hashes text[], p_head_versions int[], p_head_hashes text[],
  p_receipt_owner text, p_receipt_key text, p_receipt_hash text, p_receipt_outcome json
) RETURNS TABLE (base bigint, conflict_stream text, conflict_version int)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_actual int;
  v_base bigint;
  v_count int := cardinality(p_event_ids);
  v_log_hash text;
  v_log_hashes text[] := '{}';
BEGIN
  PERFORM 1 FROM keystone_streams WHERE stream_id = ANY(p_stream_ids) ORDER BY stream_id FOR UPDATE;
  FOR i IN 1 .. cardinality(p_stream_ids) LOOP
    v_actual := (SELECT s.version FROM keystone_streams s WHERE s.stream_id = p_stream_ids[i]);
    IF coalesce(v_actual, 0) <> p_based_on[i] THEN
      RETURN QUERY SELECT NULL::bigint, p_stream_ids[i], coalesce(v_actual, 0);
      RETURN;
    END IF;
  END LOOP;
  SELECT last_position, last_log_hash INTO v_base, v_log_hash FROM keystone_log_head WHERE id = 1 FOR UPDATE;
  FOR i IN 1 .. v_count LOOP
    v_log_hash := keystone_log_hash(v_log_hash, v_base + i, p_hashes[i]);
    v_log_hashes := v_log_hashes || v_log_hash;
  END LOOP;
  UPDATE keystone_log_head SET last_position = v_base + v_count, last_log_hash = v_log_hash WHERE id = 1;
  INSERT INTO keystone_events
    (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, log_hash)
  SELECT v_base + e.ord, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.data, e.metadata, e.hash, e.log_hash
  FROM unnest(p_event_ids, p_event_streams, p_versions, p_types, p_schema_versions, p_data, p_metadata, p_hashes, v_log_hashes)
    WITH ORDINALITY AS e(event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, log_hash, ord);
  INSERT INTO keystone_streams (stream_id, version, head_hash)
  SELECT * FROM unnest(p_stream_ids, p_head_versions, p_head_hashes)
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash;
  IF p_receipt_owner IS NOT NULL THEN
    INSERT INTO keystone_append_receipts (owner, key, request_hash, outcome, last_position)
    VALUES (p_receipt_owner, p_receipt_key, p_receipt_hash, p_receipt_outcome, v_base + v_count)
    ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      -- Stored by a twin of this request: undo everything, so the change is made once.
      RAISE EXCEPTION 'receipt % is taken', p_receipt_key USING ERRCODE = 'KS001';
    END IF;
  END IF;
  PERFORM pg_notify('keystone_events', (v_base + v_count)::text);
  RETURN QUERY SELECT v_base, NULL::text, NULL::int;
END
$fn$;
`;

/** What an append needs to know first, in one round trip: the streams' heads and any stored ids. */
export const APPEND_READ = `
SELECT
  (SELECT coalesce(json_agg(json_build_array(stream_id, version, head_hash)), '[]'::json)
     FROM keystone_streams WHERE stream_id = ANY($1::text[])) AS heads,
  (SELECT coalesce(json_agg(e), '[]'::json) FROM (
     SELECT global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash
     FROM keystone_events WHERE event_id = ANY($2::uuid[])) e) AS stored
`;
