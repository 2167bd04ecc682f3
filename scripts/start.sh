#!/usr/bin/env bash
# Runs Keystone on its embedded default (SQLite file under ./data) from a fresh clone: installs
# dependencies when missing, builds, and starts the API in this one process.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "start: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
npx tsc -p tsconfig.build.json
npm run --silent web:build # the browser app, served at /
exec node -r ./scripts/register-paths.js dist/apps/api/src/main.js
