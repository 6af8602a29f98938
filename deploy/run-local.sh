#!/usr/bin/env bash
# The whole system on its embedded defaults, in one command: an embedded single-node KRaft Kafka broker, the
# producer-simulator, the stream-analytics on Spark local mode and the results-consumer with an embedded H2
# database. Ctrl-C (or SIGTERM) stops everything cleanly, the broker last.
#
#   ./deploy/run-local.sh            build the jars if missing, then run
#   ./deploy/run-local.sh --build    rebuild the jars first
#   ./deploy/run-local.sh --fresh    forget earlier runs (broker data, weather files) first
#
# State (broker data, checkpoints, database, weather files) lives in deploy/local-run/ so that a restart continues
# where the last run stopped. Environment: BROKER_PORT (9092), BROKER_CONTROLLER_PORT (9093),
# SIMULATOR_METRICS_PORT (9401), ANALYTICS_METRICS_PORT (9402), HTTP_PORT (8080), LOCAL_RUN_DIR
# (deploy/local-run); every simulator and analytics variable (SCOTSMEN_RATE, SEED, PIPELINES, ...) passes through.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=0
fresh=0
for arg in "$@"; do
  case "$arg" in
    --build) build=1 ;;
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

broker_port="${BROKER_PORT:-9092}"
controller_port="${BROKER_CONTROLLER_PORT:-9093}"
simulator_metrics_port="${SIMULATOR_METRICS_PORT:-9401}"
analytics_metrics_port="${ANALYTICS_METRICS_PORT:-9402}"
http_port="${HTTP_PORT:-8080}"
run_dir="${LOCAL_RUN_DIR:-$root/deploy/local-run}"
weather_dir="${WEATHER_DIR:-$run_dir/weather}"
jars=(embedded-kafka/target/embedded-kafka.jar producer-simulator/target/producer-simulator.jar
      stream-analytics/target/stream-analytics.jar results-consumer/target/results-consumer.jar)

missing=0
for jar in "${jars[@]}"; do [ -f "$jar" ] || missing=1; done
if [ "$build" = 1 ] || [ "$missing" = 1 ]; then
  echo "Building the services (./mvnw package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests
fi

if [ "$fresh" = 1 ]; then rm -rf "$run_dir"; fi
mkdir -p "$run_dir/kafka" "$weather_dir" "$run_dir/db"

. deploy/lib/services.sh

BROKER_PORT="$broker_port" BROKER_CONTROLLER_PORT="$controller_port" BROKER_DATA_DIR="$run_dir/kafka" \
  service_start kafka java -Xmx512m -jar embedded-kafka/target/embedded-kafka.jar
service_await_port "$broker_port" kafka

export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$broker_port"
METRICS_PORT="$simulator_metrics_port" WEATHER_DIR="$weather_dir" \
  service_start simulator java -Xmx256m -jar producer-simulator/target/producer-simulator.jar

METRICS_PORT="$analytics_metrics_port" WEATHER_DIR="$weather_dir" CHECKPOINT_DIR="$run_dir/checkpoints" \
SPARK_LOCAL_IP=127.0.0.1 service_start analytics java -Xmx1g -jar stream-analytics/target/stream-analytics.jar

HTTP_PORT="$http_port" RESULTS_DB_URL="${RESULTS_DB_URL:-jdbc:h2:file:$run_dir/db/results;DB_CLOSE_ON_EXIT=FALSE}" \
  service_start results-consumer java -Xmx512m -jar results-consumer/target/results-consumer.jar
# The consumer answers once it has its database and its Kafka partitions.
service_await_port "$http_port" results-consumer

cat <<INFO

  Streaming analytics, local stack
  Dashboard          http://localhost:$http_port/
  REST API           http://localhost:$http_port/api/pipelines
  Metrics            http://localhost:$simulator_metrics_port/metrics (simulator), http://localhost:$analytics_metrics_port/metrics (analytics), http://localhost:$http_port/metrics (consumer)
  Kafka broker       127.0.0.1:$broker_port
  State              $run_dir (--fresh to start over)

  Press Ctrl-C to stop everything.

INFO

# Run until a signal arrives or a service stops. A simulator told to send a finite number of events ends with
# status 0 when it is done; the rest keeps running so that its results can be looked at.
service_supervise
