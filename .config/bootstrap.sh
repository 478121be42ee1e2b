#!/bin/sh
# Installs the workspace on a fresh machine: pnpm itself, then the locked dependencies.
set -e
cd "$(dirname "$0")/.."
PNPM_VERSION=12.4.2
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION"
fi
# NOTE: pnpm's node-gyp ignores ~/.npmrc; without a local nodedir the better-sqlite3 build
# tries to download Node headers, which fails on machines without general internet access.
if [ -z "${npm_config_nodedir:-}" ] && [ -d /usr/include/node ]; then
  export npm_config_nodedir=/usr
fi
if [ -f pnpm-lock.yaml ]; then
  pnpm install --frozen-lockfile
else
  pnpm install
fi
