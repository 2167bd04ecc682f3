#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what it needs, checks types, lint, format and
# layer rules, then runs every jest tier (unit, int, e2e) on this machine's Node, and the libraries'
# suites with one e2e suite again on Node 24 LTS (scripts/test-node24.sh). jest's global setup starts
# throwaway PostgreSQL and Redis on free loopback ports and stops them after.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test: installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
bash infra/local/install-services.sh

echo "test: type check"; npx tsc -p tsconfig.json --noEmit
echo "test: lint"; npx eslint . --max-warnings 0
echo "test: layer rules (docs/architecture.md, .dependency-cruiser.cjs)"; npx depcruise apps libs --config .dependency-cruiser.cjs --output-type err
echo "test: format"; npx prettier --check . --log-level warn
echo "test: build (the crash and scale tests run the compiled apps)"; npx tsc -p tsconfig.build.json
echo "test: OpenAPI document (Redocly, recommended rules)"; REDOCLY_SUPPRESS_UPDATE_NOTICE=true REDOCLY_TELEMETRY=off npx redocly lint apps/web/src/api/openapi.json --format=summary
echo "test: web app (types, build into dist/web)"; npx tsc -p apps/web/tsconfig.json && npm run --silent web:build
echo "test: jest"; npx jest --ci "$@"
echo "test: Node 24 LTS (npm run test:node24)"; bash scripts/test-node24.sh
if [ -z "${KURRENTDB_URL:-}" ]; then
  echo "test: the KurrentDB contract suite did NOT run against a server: KURRENTDB_URL is not set, and no"
  echo "      KurrentDB server can be installed here. The adapter ran the suite on its in-memory stand-in only."
fi
