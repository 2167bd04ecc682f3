#!/usr/bin/env bash
# Restore drill: back up the log, restore it into an empty database, rebuild the read models from it,
# and prove it with `keystone verify`. The log (events, stream heads, the position counter) is the only
# truth and the only thing backed up; read models are rebuilt, never restored. Experts' keys live
# outside the log and cannot be rebuilt, so they are backed up with it.
#
#   KEYSTONE_POSTGRES_URL=postgres://…/keystone KEYSTONE_POSTGRES_SCHEMA=public infra/restore-drill.sh
set -euo pipefail
cd "$(dirname "$0")/.."

: "${KEYSTONE_POSTGRES_URL:?set KEYSTONE_POSTGRES_URL to the database to drill}"
SCHEMA="${KEYSTONE_POSTGRES_SCHEMA:-public}"
bin_of() { command -v "$1" || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -1; }
PG_DUMP="$(bin_of pg_dump)"; PSQL="$(bin_of psql)"
[ -x "$PG_DUMP" ] && [ -x "$PSQL" ] || { echo "restore-drill: pg_dump and psql are needed (Debian's postgresql-client)" >&2; exit 2; }
[ -f dist/apps/cli/src/main.js ] || npx tsc -p tsconfig.build.json

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
dump="$work/keystone-log.sql"
source_db="${KEYSTONE_POSTGRES_URL##*/}"; source_db="${source_db%%\?*}"
target_db="${source_db}_restore_drill_$(date +%s)"
target_url="${KEYSTONE_POSTGRES_URL%/*}/${target_db}"

echo "restore-drill: 1. back up the log of schema \"$SCHEMA\" (read models left out)"
"$PG_DUMP" --dbname="$KEYSTONE_POSTGRES_URL" --schema="$SCHEMA" --no-owner --no-privileges \
  --exclude-table="$SCHEMA.rm_*" --exclude-table="$SCHEMA.projection_checkpoints" \
  --exclude-table="$SCHEMA.notifications" --exclude-table="$SCHEMA.keystone_idempotency_keys" --file="$dump"
echo "restore-drill:    $(grep -c '' "$dump") lines, $(du -h "$dump" | cut -f1)"

echo "restore-drill: 2. restore into the empty database \"$target_db\""
"$PSQL" --dbname="$KEYSTONE_POSTGRES_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$target_db\""
# The dump creates the schema itself (even "public"), so the fresh database starts without it.
"$PSQL" --dbname="$target_url" -q -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS \"$SCHEMA\" CASCADE"
"$PSQL" --dbname="$target_url" -q -v ON_ERROR_STOP=1 -f "$dump" >/dev/null

export KEYSTONE_STORE=postgres KEYSTONE_POSTGRES_URL="$target_url" KEYSTONE_POSTGRES_SCHEMA="$SCHEMA"
export KEYSTONE_AUTH_SECRET="${KEYSTONE_AUTH_SECRET:-restore-drill-only-$(head -c 24 /dev/urandom | base64)}"
echo "restore-drill: 3. rebuild every read model from the restored log"
node scripts/keystone.js rebuild all
echo "restore-drill: 4. verify the restored log"
node scripts/keystone.js status
node scripts/keystone.js verify
echo "restore-drill: passed — the restored log verifies and the read models are rebuilt (database $target_db)"
