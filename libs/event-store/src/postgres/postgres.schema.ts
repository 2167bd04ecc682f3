/**
 * The event log's tables in PostgreSQL. Positions come from the single row of keystone_log_head,
 * locked by every batch of appends first and held to its commit: the row lock makes batches commit in
 * position order, so a reader can never see position p + 1 before p (no in-flight-transaction gaps), and a
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
-- Not ON CONFLICT: that waits for an append holding the head's row, while this set-up holds locks
-- on keystone_events the append needs (a deadlock). NOT EXISTS reads without waiting.
INSERT INTO keystone_log_head (id, last_position) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM keystone_log_head);
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
 * One call, one transaction, for a batch of appends coalesced by one process (group commit). First
 * the batch's streams are locked (advisory locks, in one global order) and checked: a member whose
 * stream is no longer at the version its hashes were computed from is answered 'conflict' (with the
 * stream and its version) and writes nothing. Then the log head's row lock, held to the commit:
 * positions are given in commit order (a reader never sees p + 1 before p, a rolled-back batch leaves
 * no hole). Under it each remaining member stores its receipt ('receipt' when its twin did) and gets
 * its positions and log hashes; then one insert for every accepted event, one for the heads, one
 * notification. Members never share a stream (the caller sees to it). An event id stored before (a
 * retry the caller did not know of) fails the insert with a unique violation, and so the whole batch:
 * the caller then writes each member alone. (Every statement here is planned once per connection and
 * kept: each must find its rows by an index whatever the table's size was then, so none looks up a
 * list of ids with = ANY.)
 *
 * Stream appends come as parallel arrays (member, stream, based-on version, new head, event count),
 * events likewise in the same order (their data and metadata as one JSON array each); receipts one
 * entry per member (NULL for none).
 */
export const APPEND_FUNCTION = `
DROP FUNCTION IF EXISTS keystone_append(text[], int[], uuid[], text[], int[], text[], int[], json[], json[], text[], int[], text[]);
DROP FUNCTION IF EXISTS keystone_append(text[], int[], uuid[], text[], int[], text[], int[], json[], json[], text[], int[], text[], text, text, text, json);
DROP FUNCTION IF EXISTS keystone_append_batch(int[], text[], int[], int[], text[], int[], uuid[], text[], int[], text[], int[], json[], json[], text[], text[], text[], text[], json[]);
CREATE OR REPLACE FUNCTION keystone_append_batch(
  p_sa_members int[], p_sa_streams text[], p_sa_based_on int[], p_sa_head_versions int[],
  p_sa_head_hashes text[], p_sa_counts int[],
  p_event_ids uuid[], p_event_streams text[], p_versions int[], p_types text[], p_schema_versions int[],
  p_data json, p_metadata json, p_hashes text[],
  p_receipt_owners text[], p_receipt_keys text[], p_receipt_hashes text[], p_receipt_outcomes json[]
) RETURNS TABLE (r_member int, r_status text, r_base bigint, r_stream text, r_version int)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_position bigint;
  v_log_hash text;
  v_first_sa int := 1;
  v_last_sa int;
  v_first_ev int := 1;
  v_count int;
  v_status text;
  v_actual int;
  v_statuses text[];
  a_events int[] := '{}';
  a_positions bigint[] := '{}';
  a_log_hashes text[] := '{}';
  a_streams int[] := '{}';
  -- The events' data and metadata come as one JSON array each: a json[] parameter costs the client
  -- an escaped copy of every document (most of its work for a batch of large events).
  v_data json[] := ARRAY(SELECT d FROM json_array_elements(p_data) WITH ORDINALITY AS x(d, n) ORDER BY n);
  v_metadata json[] := ARRAY(SELECT d FROM json_array_elements(p_metadata) WITH ORDINALITY AS x(d, n) ORDER BY n);
BEGIN
  -- Every stream of the batch, locked in one global order (so batches of different processes never
  -- wait on each other in a cycle), then checked, all before the log head is taken: the head's lock,
  -- which every batch waits for, is held only for positions, hashes, inserts and the commit.
  PERFORM pg_advisory_xact_lock(k.key)
    FROM (SELECT DISTINCT hashtextextended(s, 0) AS key FROM unnest(p_sa_streams) AS s ORDER BY 1) AS k;
  v_statuses := array_fill('ok'::text, ARRAY[cardinality(p_receipt_owners)]);
  FOR i IN 1 .. cardinality(p_sa_members) LOOP
    IF v_statuses[p_sa_members[i]] = 'ok' THEN
      v_actual := coalesce((SELECT s.version FROM keystone_streams s WHERE s.stream_id = p_sa_streams[i]), 0);
      IF v_actual <> p_sa_based_on[i] THEN
        v_statuses[p_sa_members[i]] := 'conflict';
        RETURN QUERY SELECT p_sa_members[i], 'conflict'::text, NULL::bigint, p_sa_streams[i], v_actual;
      END IF;
    END IF;
  END LOOP;
  SELECT h.last_position, h.last_log_hash INTO v_position, v_log_hash
    FROM keystone_log_head h WHERE h.id = 1 FOR UPDATE;
  FOR m IN 1 .. cardinality(p_receipt_owners) LOOP
    v_last_sa := v_first_sa;
    WHILE v_last_sa < cardinality(p_sa_members) AND p_sa_members[v_last_sa + 1] = m LOOP
      v_last_sa := v_last_sa + 1;
    END LOOP;
    v_count := 0;
    FOR i IN v_first_sa .. v_last_sa LOOP v_count := v_count + p_sa_counts[i]; END LOOP;
    v_status := v_statuses[m];
    IF v_status = 'ok' AND p_receipt_owners[m] IS NOT NULL THEN
      INSERT INTO keystone_append_receipts (owner, key, request_hash, outcome, last_position)
      VALUES (p_receipt_owners[m], p_receipt_keys[m], p_receipt_hashes[m], p_receipt_outcomes[m], v_position + v_count)
      ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        v_status := 'receipt';
        RETURN QUERY SELECT m, v_status, NULL::bigint, NULL::text, NULL::int;
      END IF;
    END IF;
    IF v_status = 'ok' THEN
      RETURN QUERY SELECT m, v_status, v_position, NULL::text, NULL::int;
      FOR j IN v_first_ev .. v_first_ev + v_count - 1 LOOP
        v_position := v_position + 1;
        -- keystone_log_hash, written out: a call of an SQL function from PL/pgSQL costs more than the hash.
        v_log_hash := encode(sha256(convert_to('{"globalPosition":' || v_position || ',"hash":"' || p_hashes[j]
                      || '","previousLogHash":"' || v_log_hash || '"}', 'UTF8')), 'hex');
        a_events := a_events || j;
        a_positions := a_positions || v_position;
        a_log_hashes := a_log_hashes || v_log_hash;
      END LOOP;
      FOR i IN v_first_sa .. v_last_sa LOOP a_streams := a_streams || i; END LOOP;
    END IF;
    v_first_sa := v_last_sa + 1;
    v_first_ev := v_first_ev + v_count;
  END LOOP;
  IF cardinality(a_events) = 0 THEN RETURN; END IF;
  UPDATE keystone_log_head SET last_position = v_position, last_log_hash = v_log_hash WHERE id = 1;
  INSERT INTO keystone_events
    (global_position, event_id, stream_id, stream_version, type, schema_version, data, metadata, hash, log_hash)
  SELECT a.pos, p_event_ids[a.i], p_event_streams[a.i], p_versions[a.i], p_types[a.i], p_schema_versions[a.i],
         v_data[a.i], v_metadata[a.i], p_hashes[a.i], a.log_hash
  FROM unnest(a_events, a_positions, a_log_hashes) AS a(i, pos, log_hash);
  INSERT INTO keystone_streams (stream_id, version, head_hash)
  SELECT p_sa_streams[s.i], p_sa_head_versions[s.i], p_sa_head_hashes[s.i] FROM unnest(a_streams) AS s(i)
  ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash;
  PERFORM pg_notify('keystone_events', v_position::text);
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
