#!/usr/bin/env bash
# The distributed path on one machine: a 3-node KRaft Kafka cluster (replication factor 3, min.insync.replicas 2)
# and a Spark standalone master and worker, all on loopback and all from Maven artifacts; then the analytics is
# submitted to the cluster with Spark's own SparkSubmit (as spark-submit does) using the jar without Spark inside,
# and the simulator feeds the cluster. Ctrl-C (or SIGTERM) stops everything.
#
#   ./deploy/cluster/run-cluster.sh             build what is missing, then run
#   ./deploy/cluster/run-cluster.sh --fresh     forget earlier runs first
#
# Environment: CLUSTER_RUN_DIR (deploy/cluster-run), SPARK_HOME_DIR (CLUSTER_RUN_DIR/spark-home), KAFKA_PORTS ("19092 19093 19094"),
# CONTROLLER_PORTS ("19192 19193 19194"), SPARK_MASTER_PORT (7077), SPARK_MASTER_WEBUI_PORT (8180),
# SPARK_WORKER_WEBUI_PORT (8181), WORKER_CORES (2), WORKER_MEMORY (2g), RUN_SIMULATOR (1), SIMULATOR_METRICS_PORT (9401), and every
# variable of the analytics (PIPELINES, METRICS_PORT, ...) and the simulator (SCOTSMEN_RATE, ...).
# Each node's process id is written to CLUSTER_RUN_DIR/<name>.pid (kafka-1 .. kafka-3, spark-master, ...).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

fresh=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

run_dir="${CLUSTER_RUN_DIR:-$root/deploy/cluster-run}"
read -r -a kafka_ports <<< "${KAFKA_PORTS:-19092 19093 19094}"
read -r -a controller_ports <<< "${CONTROLLER_PORTS:-19192 19193 19194}"
master_port="${SPARK_MASTER_PORT:-7077}"
analytics_jar=stream-analytics/target/stream-analytics-spark-provided.jar
opens="-XX:+IgnoreUnrecognizedVMOptions"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"
done
opens="$opens --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED"

if [ "$fresh" = 1 ]; then rm -rf "$run_dir"; fi
mkdir -p "$run_dir"

spark_home="${SPARK_HOME_DIR:-$run_dir/spark-home}"
if [ ! -f embedded-kafka/target/embedded-kafka.jar ] || [ ! -f producer-simulator/target/producer-simulator.jar ] \
   || [ ! -f "$analytics_jar" ]; then
  echo "Building the jars ..."
  ./mvnw -B -q package -DskipTests -pl embedded-kafka,producer-simulator,stream-analytics -am
fi
if [ ! -d "$spark_home/jars" ]; then
  echo "Assembling a Spark home from Maven artifacts in $spark_home ..."
  # What a Spark distribution holds; the Kafka connector travels in the application jar, as on a real cluster.
  ./mvnw -B -q -f deploy/cluster/spark-distribution/pom.xml dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$spark_home/jars.partial"
  mv "$spark_home/jars.partial" "$spark_home/jars"
fi

. deploy/lib/services.sh
export SERVICE_LOG_DIR="$run_dir"
# With replication factor 3 and min.insync.replicas 2 the cluster serves on with any two nodes: losing one is
# something to watch in its log, not a reason to stop the rest.
export SERVICES_MAY_END="kafka-1 kafka-2 kafka-3"

# Kafka: three combined broker+controller nodes sharing one cluster id and one controller quorum.
[ -f "$run_dir/cluster-id" ] || head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' > "$run_dir/cluster-id"
voters=""
for i in 0 1 2; do voters="$voters${voters:+,}$((i + 1))@127.0.0.1:${controller_ports[$i]}"; done
bootstrap=""
for i in 0 1 2; do
  bootstrap="$bootstrap${bootstrap:+,}127.0.0.1:${kafka_ports[$i]}"
  BROKER_NODE_ID=$((i + 1)) BROKER_PORT="${kafka_ports[$i]}" BROKER_CONTROLLER_PORT="${controller_ports[$i]}" \
  BROKER_QUORUM_VOTERS="$voters" BROKER_CLUSTER_ID="$(cat "$run_dir/cluster-id")" BROKER_REPLICATION_FACTOR=3 \
  BROKER_DATA_DIR="$run_dir/kafka-$((i + 1))" service_start "kafka-$((i + 1))" java -Xmx384m -jar embedded-kafka/target/embedded-kafka.jar
done
for i in 0 1 2; do service_await_port "${kafka_ports[$i]}" "kafka-$((i + 1))"; done

# Spark standalone: a master and one worker, from the assembled Spark home.
export SPARK_HOME="$spark_home" SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_IP=127.0.0.1
log_config="-Dlog4j.configurationFile=$root/deploy/cluster/log4j2.properties"
service_start spark-master java -Xmx256m $opens $log_config -cp "$spark_home/jars/*" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$master_port" --webui-port "${SPARK_MASTER_WEBUI_PORT:-8180}"
service_await_port "$master_port" spark-master
service_start spark-worker java -Xmx256m $opens $log_config -cp "$spark_home/jars/*" org.apache.spark.deploy.worker.Worker \
  --host 127.0.0.1 --webui-port "${SPARK_WORKER_WEBUI_PORT:-8181}" --cores "${WORKER_CORES:-2}" \
  --memory "${WORKER_MEMORY:-2g}" "spark://127.0.0.1:$master_port"

export KAFKA_BOOTSTRAP_SERVERS="$bootstrap"
# The analytics as spark-submit runs it: SparkSubmit with the jar that leaves Spark to the cluster.
CHECKPOINT_DIR="${CHECKPOINT_DIR:-$run_dir/checkpoints}" WEATHER_DIR="${WEATHER_DIR:-$run_dir/weather}" \
service_start analytics java -Xmx768m $opens $log_config -cp "$spark_home/jars/*" org.apache.spark.deploy.SparkSubmit \
  --master "spark://127.0.0.1:$master_port" --deploy-mode client \
  --class io.streamanalytics.analytics.AnalyticsMain \
  --conf spark.executor.memory=1g --conf "spark.executor.extraJavaOptions=$log_config" \
  "$analytics_jar"

if [ "${RUN_SIMULATOR:-1}" = 1 ]; then
  REPLICATION_FACTOR=3 WEATHER_DIR="${WEATHER_DIR:-$run_dir/weather}" METRICS_PORT="${SIMULATOR_METRICS_PORT:-9401}" \
  service_start simulator java -Xmx256m -jar producer-simulator/target/producer-simulator.jar
fi

cat <<INFO

  Streaming analytics, distributed path (logs and pids in $run_dir)
  Kafka cluster      $bootstrap  (replication factor 3, min.insync.replicas 2)
  Spark master       spark://127.0.0.1:$master_port  (UI http://localhost:${SPARK_MASTER_WEBUI_PORT:-8180})
  Analytics          submitted with $analytics_jar

  Press Ctrl-C to stop everything.

INFO
service_supervise
