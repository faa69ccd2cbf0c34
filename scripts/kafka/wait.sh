#!/usr/bin/env bash
# Waits until the local Kafka broker (127.0.0.1:9092) answers a metadata request.
# Usage: bash scripts/kafka/wait.sh [TIMEOUT_SECONDS]   (default: $KAFKA_WAIT_TIMEOUT or 90)
# Exit 0 when ready; otherwise prints the broker log tail and exits 1.
set -euo pipefail

# shellcheck source=env.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

timeout_seconds="${1:-${KAFKA_WAIT_TIMEOUT:-90}}"
case "$timeout_seconds" in
  '' | *[!0-9]*) echo "wait.sh: timeout must be a whole number of seconds, got '$timeout_seconds'" >&2; exit 2 ;;
esac

args=(--timeout "$timeout_seconds" --brokers "$KAFKA_HOST:$KAFKA_PORT")
# When we started the broker, stop waiting as soon as its process dies.
if pid="$(kafka_running_pid)"; then
  args+=(--pid "$pid")
fi

if node "$KAFKA_SCRIPT_DIR/wait-for-broker.mjs" "${args[@]}" < /dev/null; then
  exit 0
fi
kafka_print_log_tail 40
exit 1
