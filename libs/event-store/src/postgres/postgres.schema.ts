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

/**
 * One call, one transaction: lock the streams' rows in a fixed order, check that each is still at
 * the version its hashes were computed from (else return the stream and its actual version, having
 * written nothing), then take positions from the log head, insert, move the heads, notify.
 */
export const APPEND_FUNCTION = `
CREATE OR REPLACE FUNCTION keystone_append(
  p_stream_ids text[], p_based_on int[],
  p_event_ids uuid[], p_event_streams text[], p_versions int[], p_types text[], p_schema_versions int[],
  p_data json[], p_metadata json[], p_hashes text[], p_head_versions int[], p_head_hashes text[]
) RETURNS TABLE (base bigint, conflict_stream text, conflict_version int)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_actual int;
  v_base bigint;
  v_count int := cardinality(p_event_ids);
BEGIN
  PERFORM 1 FROM keystone_streams WHERE stream_id = ANY(p_stream_ids) ORDER BY stream_id FOR UPDATE;
  FOR i IN 1 .. cardinality(p_stream_ids) LOOP
    v_actual := (SELECT s.version FROM keystone_streams s WHERE s.stream_id = p_stream_ids[i]);
    IF coalesce(v_actual, 0) <> p_based_on[i] THEN
      RETURN QUERY SELECT NULL::bigint, p_stream_ids[i], coalesce(v_actual, 0);
      RETURN;
    END IF;
  END LOOP;
  UPDATE keystone_log_head SET last_position = last_position + v_count WHERE id = 1
    RETURNING last_position - v_count INTO v_base;
  INSERT INTO keystone_events
    (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash)
  SELECT v_base + e.ord, e.event_id, e.stream_id, e.stream_version, e.type, e.schema_version, e.data, e.metadata, e.hash
  FROM unnest(p_event_ids, p_event_streams, p_versions, p_types, p_schema_versions, p_data, p_metadata, p_hashes)
    WITH ORDINALITY AS e(event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, ord);
  INSERT INTO keystone_streams (stream_id, version, head_hash)
  SELECT * FROM unnest(p_stream_ids, p_head_versions, p_head_hashes)
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash;
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
