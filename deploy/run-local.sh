#!/usr/bin/env bash
# The whole system on its embedded defaults, in one command: an embedded single-node KRaft Kafka broker and the
# producer-simulator (later also the analytics on Spark local mode and the results consumer with H2).
# Ctrl-C (or SIGTERM) stops everything cleanly: the simulator flushes what it sent before the broker stops.
#
#   ./deploy/run-local.sh            build the jars if missing, then run
#   ./deploy/run-local.sh --build    rebuild the jars first
#   ./deploy/run-local.sh --fresh    forget earlier runs (broker data, weather files) first
#
# State lives in deploy/local-run/ so that a restart continues where the last run stopped.
# Environment: BROKER_PORT (9092), BROKER_CONTROLLER_PORT (9093), SIMULATOR_METRICS_PORT (9401),
# LOCAL_RUN_DIR (deploy/local-run); every producer-simulator variable (SCOTSMEN_RATE, SEED, ...) passes through.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=0
fresh=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

broker_port="${BROKER_PORT:-9092}"
controller_port="${BROKER_CONTROLLER_PORT:-9093}"
simulator_metrics_port="${SIMULATOR_METRICS_PORT:-9401}"
run_dir="${LOCAL_RUN_DIR:-$root/deploy/local-run}"
jars=(embedded-kafka/target/embedded-kafka.jar producer-simulator/target/producer-simulator.jar)

missing=0
for jar in "${jars[@]}"; do [ -f "$jar" ] || missing=1; done
if [ "$build" = 1 ] || [ "$missing" = 1 ]; then
  echo "Building the services (./mvnw package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests
fi

if [ "$fresh" = 1 ]; then rm -rf "$run_dir"; fi
mkdir -p "$run_dir/kafka" "$run_dir/weather"

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "Stopping ..."
  # Producers first, the broker last, so that everything sent is flushed to it.
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  echo "Stopped."
}
trap 'stop_all; exit 0' INT TERM
trap 'stop_all' EXIT

BROKER_PORT="$broker_port" BROKER_CONTROLLER_PORT="$controller_port" BROKER_DATA_DIR="$run_dir/kafka" \
  java -Xmx512m -jar embedded-kafka/target/embedded-kafka.jar &
pids+=($!)

# The broker is ready when it accepts connections; give it a minute on a slow machine.
for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$broker_port") 2>/dev/null; then break; fi
  if ! kill -0 "${pids[0]}" 2>/dev/null; then echo "The Kafka broker failed to start." >&2; exit 1; fi
  sleep 0.5
done

export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$broker_port"
METRICS_PORT="$simulator_metrics_port" WEATHER_DIR="${WEATHER_DIR:-$run_dir/weather}" \
  java -Xmx256m -jar producer-simulator/target/producer-simulator.jar &
pids+=($!)

cat <<INFO

  Streaming analytics, local stack
  Kafka broker       127.0.0.1:$broker_port  (data in $run_dir/kafka)
  Simulator metrics  http://localhost:$simulator_metrics_port/metrics
  Weather CSV files  ${WEATHER_DIR:-$run_dir/weather}

  Press Ctrl-C to stop everything.

INFO

# Run until a service exits on its own or a signal arrives.
wait -n "${pids[@]}" || true
echo "A service exited; stopping the others." >&2
exit 1
