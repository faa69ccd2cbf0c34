# shellcheck shell=bash disable=SC2034  # sourced by the other scripts, which use these variables
# Shared paths and settings for start.sh, wait.sh and stop.sh. Sourced, never run.
# Every path is computed from this file's location, so the scripts work from any cwd.

KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KAFKA_REPO_ROOT="$(cd "$KAFKA_SCRIPT_DIR/../.." && pwd)"

# Everything the broker writes lives here (git-ignored through `.kafka/`).
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$KAFKA_REPO_ROOT/.kafka/data}"
KAFKA_LOG_DIRS="$KAFKA_DATA_DIR/kraft-logs"      # topic partitions and KRaft metadata (log.dirs)
KAFKA_APP_LOG_DIR="$KAFKA_DATA_DIR/logs"          # log4j2 output: server.log
KAFKA_STDOUT_LOG="$KAFKA_DATA_DIR/kafka.out"      # JVM stdout/stderr (crashes, GC errors)
KAFKA_PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
KAFKA_CLUSTER_ID_FILE="$KAFKA_DATA_DIR/cluster.id"
KAFKA_RENDERED_CONFIG="$KAFKA_DATA_DIR/server.properties"
KAFKA_START_LOCK="$KAFKA_DATA_DIR/.start.lock"

KAFKA_LIB_DIR="$KAFKA_SCRIPT_DIR/lib"
KAFKA_LIB_STAMP="$KAFKA_LIB_DIR/.pom.sha256"

KAFKA_HOST=127.0.0.1
KAFKA_PORT=9092

if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  KAFKA_JAVA="${KAFKA_JAVA:-$JAVA_HOME/bin/java}"
else
  KAFKA_JAVA="${KAFKA_JAVA:-java}"
fi

# Prints the pid from the pid file when that process is alive and is our broker; fails otherwise.
kafka_running_pid() {
  local pid
  [ -f "$KAFKA_PID_FILE" ] || return 1
  pid="$(tr -dc '0-9' < "$KAFKA_PID_FILE")"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: the process must be a kafka.Kafka JVM.
  if [ -r "/proc/$pid/cmdline" ] && ! tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'kafka\.Kafka'; then
    return 1
  fi
  printf '%s\n' "$pid"
}

# True when something accepts TCP connections on the broker port.
kafka_port_open() {
  (exec 3<>"/dev/tcp/$KAFKA_HOST/$KAFKA_PORT") 2>/dev/null
}

# Prints the last lines of the broker's logs, for failure messages.
kafka_print_log_tail() {
  local lines="${1:-40}" file
  for file in "$KAFKA_APP_LOG_DIR/server.log" "$KAFKA_STDOUT_LOG"; do
    if [ -s "$file" ]; then
      echo "----- last $lines lines of $file -----" >&2
      tail -n "$lines" "$file" >&2
    fi
  done
}
