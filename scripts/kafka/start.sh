#!/usr/bin/env bash
# Starts the local single-node KRaft Kafka broker on 127.0.0.1:9092 (controller on 127.0.0.1:9093)
# and waits until it answers metadata requests. Idempotent: exits 0 at once if a broker already answers.
#
# First run: downloads the broker's jars from Maven Central into scripts/kafka/lib (via pom.xml), formats
# the storage under $KAFKA_DATA_DIR (default <repo>/.kafka/data) and saves the cluster id there.
#
# Env: KAFKA_DATA_DIR, KAFKA_HEAP_OPTS (default -Xmx512m -Xms512m), KAFKA_WAIT_TIMEOUT (default 90 s),
#      JAVA_HOME / KAFKA_JAVA (Java 17+).
set -euo pipefail

# shellcheck source=env.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

wait_timeout="${KAFKA_WAIT_TIMEOUT:-90}"

log() { printf '[kafka] %s\n' "$*"; }
die() { printf '[kafka] error: %s\n' "$*" >&2; exit 1; }

# Succeeds when whatever listens on the broker port answers a Kafka metadata request.
broker_answers() {
  node "$KAFKA_SCRIPT_DIR/wait-for-broker.mjs" --timeout "${1:-5}" --quiet \
    --brokers "$KAFKA_HOST:$KAFKA_PORT" < /dev/null 2>/dev/null
}

# Exits (through wait.sh) when our broker is already running; returns 0 when another broker answers.
already_running() {
  local pid
  if pid="$(kafka_running_pid)"; then
    log "broker already running (pid $pid, data in $KAFKA_DATA_DIR); waiting until it is ready"
    exec bash "$KAFKA_SCRIPT_DIR/wait.sh" "$wait_timeout" 9>&-
  fi
  if kafka_port_open; then
    if broker_answers 10; then
      log "a Kafka broker already answers on $KAFKA_HOST:$KAFKA_PORT; nothing to do"
      return 0
    fi
    die "port $KAFKA_PORT on $KAFKA_HOST is in use by something that does not answer as a Kafka broker"
  fi
  return 1
}

# Downloads the jars when lib/ is missing or pom.xml changed since the last download.
ensure_jars() {
  local pom_sum
  pom_sum="$(sha256sum "$KAFKA_SCRIPT_DIR/pom.xml" | cut -d' ' -f1)"
  if [ -f "$KAFKA_LIB_STAMP" ] && [ "$(cat "$KAFKA_LIB_STAMP")" = "$pom_sum" ]; then
    return 0
  fi
  command -v mvn > /dev/null || die "mvn (Maven) is needed to download the Kafka jars; install it (apt-get install maven)"
  log "downloading Kafka jars from Maven Central into $KAFKA_LIB_DIR (first run or pom.xml changed)..."
  rm -rf "$KAFKA_LIB_DIR"
  # Debian's Maven prints stray colour codes even in quiet batch mode: strip them.
  mvn -B -q -Dstyle.color=never -f "$KAFKA_SCRIPT_DIR/pom.xml" \
    dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIB_DIR" < /dev/null 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' \
    || die "Maven could not download the Kafka jars (see the output above)"
  printf '%s\n' "$pom_sum" > "$KAFKA_LIB_STAMP"
}

check_java() {
  local version major
  command -v "$KAFKA_JAVA" > /dev/null || die "java not found; Kafka 4.x needs Java 17+ (set JAVA_HOME)"
  version="$("$KAFKA_JAVA" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
  major="${version%%.*}"
  case "$major" in '' | *[!0-9]*) die "cannot read the Java version from '$KAFKA_JAVA -version'" ;; esac
  [ "$major" -ge 17 ] || die "Kafka 4.x needs Java 17+, found $version ($KAFKA_JAVA)"
}

# The broker config with log.dirs pointing into the data dir (properties files cannot read env vars).
render_config() {
  {
    cat "$KAFKA_SCRIPT_DIR/server.properties"
    printf '\n# Added by start.sh\nlog.dirs=%s\n' "$KAFKA_LOG_DIRS"
  } > "$KAFKA_RENDERED_CONFIG"
}

java_common_opts=(
  "-Dlog4j2.configurationFile=$KAFKA_SCRIPT_DIR/log4j2.yaml"
  "-Dkafka.logs.dir=$KAFKA_APP_LOG_DIR"
  -Djava.awt.headless=true
  -cp "$KAFKA_LIB_DIR/*"
)

format_storage_once() {
  local cluster_id
  [ -f "$KAFKA_LOG_DIRS/meta.properties" ] && return 0
  if [ -s "$KAFKA_CLUSTER_ID_FILE" ]; then
    cluster_id="$(cat "$KAFKA_CLUSTER_ID_FILE")"
  else
    cluster_id="$("$KAFKA_JAVA" -Xmx128m "${java_common_opts[@]}" kafka.tools.StorageTool random-uuid < /dev/null | tail -n 1)"
    [ -n "$cluster_id" ] || die "kafka.tools.StorageTool random-uuid printed no cluster id"
    printf '%s\n' "$cluster_id" > "$KAFKA_CLUSTER_ID_FILE"
  fi
  log "formatting storage in $KAFKA_LOG_DIRS (cluster id $cluster_id)"
  "$KAFKA_JAVA" -Xmx256m "${java_common_opts[@]}" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$KAFKA_RENDERED_CONFIG" < /dev/null \
    || die "formatting the storage failed (see the output above)"
}

launch_broker() {
  local heap_opts perf_opts waited=0
  # shellcheck disable=SC2206  # word splitting of the option strings is intended
  heap_opts=(${KAFKA_HEAP_OPTS:--Xmx512m -Xms512m})
  # shellcheck disable=SC2206
  perf_opts=(${KAFKA_JVM_PERFORMANCE_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError})
  rm -f "$KAFKA_PID_FILE"
  printf '\n===== %s start.sh: starting broker =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >> "$KAFKA_STDOUT_LOG"
  # The launcher shell writes its own pid, then execs the JVM (same pid). setsid puts the broker in its
  # own session, so killing the caller's process group (a test runner, a CI step) leaves it alone.
  # The background subshell closes fd 9 (the start lock) and execs the launcher, so neither it nor the
  # broker holds the lock after start.sh is done.
  # shellcheck disable=SC2016  # $$, $1 and $@ are expanded by the launcher shell, not here
  local launcher=(bash -c 'printf "%s\n" "$$" > "$1"; shift; exec nohup "$@"' kafka-launcher "$KAFKA_PID_FILE")
  command -v setsid > /dev/null && launcher=(setsid "${launcher[@]}")
  (
    exec 9>&- < /dev/null >> "$KAFKA_STDOUT_LOG" 2>&1
    cd "$KAFKA_DATA_DIR"
    exec "${launcher[@]}" "$KAFKA_JAVA" "${heap_opts[@]}" "${perf_opts[@]}" \
      "${java_common_opts[@]}" kafka.Kafka "$KAFKA_RENDERED_CONFIG"
  ) &
  while [ ! -s "$KAFKA_PID_FILE" ] && [ "$waited" -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
  [ -s "$KAFKA_PID_FILE" ] || die "the broker did not start (no pid file after 5 s); see $KAFKA_STDOUT_LOG"
  log "broker starting (pid $(cat "$KAFKA_PID_FILE")); logs: $KAFKA_APP_LOG_DIR/server.log, $KAFKA_STDOUT_LOG"
}

already_running && exit 0

mkdir -p "$KAFKA_DATA_DIR" "$KAFKA_APP_LOG_DIR"
# Serialise concurrent start.sh runs (several engineers/tests may call it at once).
exec 9> "$KAFKA_START_LOCK"
flock 9
if already_running; then exit 0; fi

ensure_jars
check_java
render_config
format_storage_once
launch_broker
exec 9>&-

exec bash "$KAFKA_SCRIPT_DIR/wait.sh" "$wait_timeout"
