#!/usr/bin/env bash
# Keystone on Node 24 LTS, beside the machine's Node 20: installs Node 24 from the npm registry into
# .node24/ (the node-linux-<arch> package, with its headers), puts the better-sqlite3 that production
# runs on Node 24 in a folder of its own (13: Node-API, its binaries shipped in the package; 12, which
# Node 20 needs, aborts Node 24 when a statement is garbage-collected), then runs the libraries' unit,
# integration and contract suites and the case-lifecycle e2e suite on Node 24. Versions come from
# package.json's "keystone.node24"; both steps are kept in .node24/ and skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

NODE24_VERSION="$(node -p "require('./package.json').keystone.node24.node")"
sqlite_version="$(node -p "require('./package.json').keystone.node24['better-sqlite3']")"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "test:node24: no Node 24 package for $(uname -m)" >&2; exit 1 ;;
esac
root="$PWD/.node24"
runtime="$root/runtime/node_modules/node-linux-$arch"
node24="$runtime/bin/node"
npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"

if ! "$node24" --version 2>/dev/null | grep -qx "v$NODE24_VERSION"; then
  echo "test:node24: installing Node $NODE24_VERSION into .node24/runtime"
  rm -rf "$root/runtime"
  npm install --prefix "$root/runtime" --no-save --no-package-lock --no-audit --no-fund \
    "node-linux-$arch@$NODE24_VERSION" >/dev/null
fi

echo "test:node24: node --version → $("$node24" --version)"

native="$root/native-$NODE24_VERSION"
if [ "$(cat "$native/.built" 2>/dev/null)" != "$sqlite_version" ]; then
  echo "test:node24: installing better-sqlite3 $sqlite_version for Node $NODE24_VERSION"
  rm -rf "$native" && mkdir -p "$native"
  echo '{ "name": "keystone-node24-native", "private": true }' >"$native/package.json"
  # With Node 24's headers, in case the package has no binary for this platform and must build one.
  PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" \
    "$node24" "$npm_cli" install --prefix "$native" --no-save --no-package-lock --no-audit \
    --no-fund "better-sqlite3@$sqlite_version" >/dev/null
  echo "$sqlite_version" >"$native/.built"
fi

KEYSTONE_NODE24_MODULES="$native/node_modules" PATH="$runtime/bin:$PATH" \
  "$node24" node_modules/jest/bin/jest.js --ci --config jest.node24.config.js "$@"
