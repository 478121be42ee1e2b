#!/bin/sh
# Sets up a fresh machine for kefu3d: pnpm itself, the locked dependencies and, with --for-tests,
# the system packages the tests drive (Chromium, PostgreSQL, Redis, HAProxy, Maven for the sentence model). Safe to run again: it skips what is there.
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
pnpm install --frozen-lockfile

# The media engine: found on PATH or in .cache/livekit, else built once from the Go module proxy.
pnpm --filter @kefu/signal run livekit:ensure

if [ "${1:-}" = "--for-tests" ]; then
  # Chromium for the browser tests, and a CJK font so screenshots of Chinese chats are readable.
  missing=""
  if ! command -v chromium >/dev/null 2>&1 && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
    missing="chromium"
  fi
  if ! fc-list 2>/dev/null | grep -qi "wqy\|noto sans cjk"; then
    missing="$missing fonts-wqy-zenhei"
  fi
  # Maven's own client fetches the sentence model (it follows the machine's repository settings).
  if ! command -v mvn >/dev/null 2>&1; then
    missing="$missing maven"
  fi
  # PostgreSQL for the PostgreSQL store's tests, which start a throwaway cluster of their own.
  if [ -z "${PG_BIN:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    missing="$missing postgresql"
  fi
  # Redis for the cluster's tests: each node's shared state (a throwaway server per run), and
  # HAProxy, the load balancer `kefu cluster` puts in front of the nodes.
  if [ -z "${REDIS_SERVER:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
    missing="$missing redis-server"
  fi
  if ! command -v haproxy >/dev/null 2>&1 && [ ! -x /usr/sbin/haproxy ]; then
    missing="$missing haproxy"
  fi
  # Prometheus, which a cluster test runs to scrape every node as an operator's would.
  if [ -z "${PROMETHEUS:-}" ] && ! command -v prometheus >/dev/null 2>&1; then
    missing="$missing prometheus"
  fi
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq
      # shellcheck disable=SC2086
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
    else
      echo "The tests want Debian's packages:$missing (set CHROMIUM_PATH, PG_BIN, REDIS_SERVER or PROMETHEUS if installed elsewhere)." >&2
      case "$missing" in *chromium* | *postgresql* | *redis* | *haproxy* | *prometheus*) exit 1 ;; esac
    fi
  fi
fi

# The sentence model the knowledge base reranks with (16 MB, an artifact fetched by Maven and checked
# by its digest): put once into .cache/models, never fetched by the server. Without Maven, the
# product still starts and ranks by words alone; the tests want it.
pnpm --filter @kefu/signal run model:ensure
