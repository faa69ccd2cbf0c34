#!/usr/bin/env bash
# The README's test command (`npm test`). From nothing it sets up what the tests need: dependencies,
# a real Kafka broker (scripts/kafka), a test database in the PostgreSQL at DATABASE_URL or 127.0.0.1:5432,
# and a browser once browser tests exist; then static checks, unit and integration tests. It stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started_at=$(date +%s)
step() { printf '\n=== %s (at %ss)\n' "$*" "$(( $(date +%s) - started_at ))"; }

step "dependencies"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  echo "node_modules is up to date with package-lock.json"
fi

if compgen -G "services/*/test/*.browser.int-spec.ts" >/dev/null || compgen -G "libs/*/test/*.browser.int-spec.ts" >/dev/null; then
  step "browser"
  bash scripts/ensure-chromium.sh
fi

step "kafka"
started_kafka=no
if ! node scripts/kafka/wait-for-broker.mjs --timeout 2 >/dev/null 2>&1; then
  bash scripts/kafka/start.sh
  started_kafka=yes
else
  echo "a broker already answers on 127.0.0.1:9092"
fi
cleanup() {
  if [ "$started_kafka" = yes ]; then
    step "stopping the broker this run started"
    bash scripts/kafka/stop.sh || true
  fi
}
trap cleanup EXIT

step "database"
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cascade_test}"
node scripts/ensure-test-database.mjs
export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"

step "contracts are generated from proto/"
bash scripts/contracts/check.sh

step "type check"
npx tsc -p tsconfig.json
npx tsc -p services/studio/ui/tsconfig.json

step "lint and format"
# The module-boundary rule reads Nx's project graph; compute it first (a fresh clone has none cached).
export NX_DAEMON=false NX_NO_CLOUD=true
npx nx show projects >/dev/null
npx eslint --max-warnings 0 .
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "prettier: files above are not formatted (npx prettier --write .)"; exit 1; }

step "build"
node scripts/build.mjs

step "tests (unit and integration)"
mkdir -p test-artifacts
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json || status=$?
node scripts/test-summary.mjs test-artifacts/vitest.json
exit $status
