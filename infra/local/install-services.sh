#!/usr/bin/env bash
# Installs what Keystone's tests and the postgres profile need, from Debian's packages, when missing:
# PostgreSQL's server binaries (initdb, pg_ctl, postgres), redis-server, and chromium (the report
# test opens the panel in a headless browser). No Docker involved.
set -euo pipefail

have_postgres() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null; }
have_redis() { command -v redis-server >/dev/null; }
have_chromium() { command -v chromium >/dev/null; }

missing=()
have_postgres || missing+=(postgresql)
have_redis || missing+=(redis-server)
have_chromium || missing+=(chromium) # the panel report is checked in a real headless browser
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-services: PostgreSQL, redis-server and chromium are already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "install-services: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
else
  SUDO=
fi

echo "install-services: installing ${missing[*]} from Debian's packages"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's packages start system services where an init system runs; Keystone starts its own.
if command -v service >/dev/null; then
  $SUDO service redis-server stop >/dev/null 2>&1 || true
fi
echo "install-services: done"
