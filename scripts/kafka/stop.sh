#!/usr/bin/env bash
# Stops the local Kafka broker started by start.sh: SIGTERM (controlled shutdown), up to
# $KAFKA_STOP_TIMEOUT seconds (default 30) for it to exit, then SIGKILL. No-op when it is not running.
# Usage: bash scripts/kafka/stop.sh [--wipe]    --wipe also deletes the broker's data (all topics and logs).
set -euo pipefail

# shellcheck source=env.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

wipe=false
for arg in "$@"; do
  case "$arg" in
    --wipe) wipe=true ;;
    -h | --help) sed -n '2,4p' "$0"; exit 0 ;;
    *) echo "stop.sh: unknown argument '$arg' (expected --wipe)" >&2; exit 2 ;;
  esac
done

stop_timeout="${KAFKA_STOP_TIMEOUT:-30}"

if pid="$(kafka_running_pid)"; then
  echo "Stopping Kafka broker (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  waited=0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((stop_timeout * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "Kafka broker (pid $pid) still running after ${stop_timeout}s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  echo "Kafka broker stopped."
else
  echo "Kafka broker is not running (no live pid in $KAFKA_PID_FILE)."
  if kafka_port_open; then
    echo "Note: something else listens on $KAFKA_HOST:$KAFKA_PORT; it was not started by start.sh, so it is left alone." >&2
  fi
fi
rm -f "$KAFKA_PID_FILE"

if [ "$wipe" = true ]; then
  case "$KAFKA_DATA_DIR" in
    '' | / | "$KAFKA_REPO_ROOT" | "$HOME")
      echo "stop.sh: refusing to wipe suspicious data dir '$KAFKA_DATA_DIR'" >&2; exit 1 ;;
  esac
  # Delete only what start.sh creates, so a mistyped KAFKA_DATA_DIR cannot take other files with it.
  echo "Deleting the broker's data in $KAFKA_DATA_DIR"
  rm -rf -- "$KAFKA_LOG_DIRS" "$KAFKA_APP_LOG_DIR" "$KAFKA_STDOUT_LOG" "$KAFKA_PID_FILE" \
    "$KAFKA_CLUSTER_ID_FILE" "$KAFKA_RENDERED_CONFIG" "$KAFKA_START_LOCK"
  rmdir -- "$KAFKA_DATA_DIR" 2>/dev/null || true
fi
