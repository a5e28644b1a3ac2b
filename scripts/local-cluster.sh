#!/usr/bin/env bash
# A real Spark standalone cluster on loopback, from the Maven-resolved Spark jars: one Master and
# WORKERS Worker JVMs, each Worker starting its own executor JVMs. For multi-process tests and for
# trying spark-submit without a Spark installation.
#
#   scripts/local-cluster.sh start    # prints the master URL; SPARK_HOME for submit.sh is printed too
#   scripts/local-cluster.sh status
#   scripts/local-cluster.sh stop     # stops everything it started (by process id), executors included
#
# Settings (environment): CLUSTER_DIR (default target/local-cluster), MASTER_PORT (7177),
# MASTER_UI_PORT (8180), WORKERS (2), WORKER_CORES (1), WORKER_MEMORY (2g).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${CLUSTER_DIR:-$ROOT/target/local-cluster}"
HOME_DIR="$STATE/spark-home"
MASTER_PORT="${MASTER_PORT:-7177}"
UI_PORT="${MASTER_UI_PORT:-8180}"
WORKERS="${WORKERS:-2}"
WORKER_CORES="${WORKER_CORES:-1}"
WORKER_MEMORY="${WORKER_MEMORY:-2g}"
MASTER_URL="spark://127.0.0.1:$MASTER_PORT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

opens() { grep '^java17.opens=' "$ROOT/conf/jvm.properties" | cut -d= -f2-; }

assemble_home() {
  local cp_file="$ROOT/spark-job/target/embedded-classpath.txt"
  if [ ! -f "$cp_file" ]; then
    (cd "$ROOT" && mvn -B -q -ntp -DskipTests package)
  fi
  rm -rf "$HOME_DIR"
  mkdir -p "$HOME_DIR/jars" "$HOME_DIR/bin" "$HOME_DIR/conf"
  tr ':' '\n' < "$cp_file" | while read -r jar; do
    [ -n "$jar" ] && ln -sf "$jar" "$HOME_DIR/jars/$(basename "$jar")"
  done
  # A RELEASE file tells Spark's launcher that jars/ holds its classpath.
  echo "Spark assembled by isrank from Maven Central jars" > "$HOME_DIR/RELEASE"
  cat > "$HOME_DIR/bin/spark-submit" <<SUBMIT
#!/usr/bin/env bash
exec "$JAVA" $(opens) -Xmx1g -cp "$HOME_DIR/conf:$HOME_DIR/jars/*" org.apache.spark.deploy.SparkSubmit "\$@"
SUBMIT
  chmod +x "$HOME_DIR/bin/spark-submit"
  cp "$ROOT/conf/log4j2.properties" "$HOME_DIR/conf/log4j2.properties"
}

alive_workers() {
  curl -fs "http://127.0.0.1:$UI_PORT/json/" 2>/dev/null | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0
}

start() {
  if [ -f "$STATE/master.pid" ] && kill -0 "$(cat "$STATE/master.pid")" 2>/dev/null; then
    echo "already running: $MASTER_URL" >&2
    exit 1
  fi
  mkdir -p "$STATE"
  assemble_home
  export SPARK_HOME="$HOME_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
  # shellcheck disable=SC2046
  nohup "$JAVA" $(opens) -Xmx512m -cp "$HOME_DIR/conf:$HOME_DIR/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$UI_PORT" > "$STATE/master.log" 2>&1 &
  echo $! > "$STATE/master.pid"
  for i in $(seq 1 "$WORKERS"); do
    mkdir -p "$STATE/work-$i"
    # shellcheck disable=SC2046
    nohup "$JAVA" $(opens) -Xmx512m -cp "$HOME_DIR/conf:$HOME_DIR/jars/*" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" --webui-port $((UI_PORT + i)) \
      --work-dir "$STATE/work-$i" "$MASTER_URL" > "$STATE/worker-$i.log" 2>&1 &
    echo $! > "$STATE/worker-$i.pid"
  done
  for _ in $(seq 1 120); do
    if [ "$(alive_workers)" -ge "$WORKERS" ]; then
      echo "$MASTER_URL"
      echo "SPARK_HOME=$HOME_DIR" >&2
      return 0
    fi
    sleep 0.5
  done
  echo "workers did not register within 60 s; see $STATE/*.log" >&2
  stop
  exit 1
}

stop() {
  for f in "$STATE"/worker-*.pid "$STATE"/master.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  sleep 1
  # Executors and cluster-mode drivers are the Workers' children; their command lines name our home.
  pkill -f "$HOME_DIR" 2>/dev/null || true
  sleep 0.5
  pkill -9 -f "$HOME_DIR" 2>/dev/null || true
}

status() {
  for f in "$STATE"/master.pid "$STATE"/worker-*.pid; do
    [ -f "$f" ] || continue
    if kill -0 "$(cat "$f")" 2>/dev/null; then echo "$(basename "$f" .pid): running ($(cat "$f"))"; else echo "$(basename "$f" .pid): dead"; fi
  done
  echo "alive workers: $(alive_workers)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
