# Process supervision shared by deploy/run-local.sh and deploy/cluster/run-cluster.sh (sourced, not run).
#
#   service_start NAME COMMAND...   run COMMAND in the background; its output goes to $SERVICE_LOG_DIR/NAME.log
#                                   when SERVICE_LOG_DIR is set, else to the terminal; its pid to NAME.pid there
#   service_await_port PORT NAME    wait up to two minutes until service NAME accepts connections on PORT
#   service_supervise               block until a signal arrives or a service ends; see below
#
# A signal (Ctrl-C, SIGTERM) or the end of this script stops every service, in reverse order of start.

service_pids=()
service_names=()
# Services whose end leaves the rest running: the simulator when it has sent everything (status 0), and any
# service named in SERVICES_MAY_END (e.g. one broker of a replicated Kafka cluster).
SERVICES_MAY_END="${SERVICES_MAY_END:-}"

# How long a service may take to stop after SIGTERM before it is killed. A Kafka node that has lost its
# controller quorum (the other nodes of the cluster stopped first, or died) never completes its controlled
# shutdown; by then every other service has stopped, so nothing is in flight to it.
SERVICE_STOP_TIMEOUT="${SERVICE_STOP_TIMEOUT:-30}"

service_stop_all() {
  # A second Ctrl-C must not cut the shutdown short and leave services running without this script.
  trap '' INT TERM
  trap - EXIT
  echo
  echo "Stopping (Spark finishes its current micro-batches first) ..."
  # In reverse order of start: Kafka last, so that everything sent is flushed to it.
  local i
  for (( i=${#service_pids[@]}-1; i>=0; i-- )); do
    service_stop "${service_pids[$i]}" "${service_names[$i]}"
  done
  echo "Stopped."
}

service_stop() { # pid name
  local pid="$1" name="$2"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 $((SERVICE_STOP_TIMEOUT * 2))); do
    service_running "$pid" || break
    sleep 0.5
  done
  if service_running "$pid"; then
    echo "$name did not stop within $SERVICE_STOP_TIMEOUT s after SIGTERM; killing it." >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

service_running() { # pid: running, not merely waiting to be reaped. Without /proc (macOS) it answers no, and
  local stat      # service_stop then waits for the process as long as it takes.
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  [[ "${stat##*) }" != Z* ]]
}
trap 'service_stop_all; exit 0' INT TERM
trap 'service_stop_all' EXIT

service_start() {
  local name="$1"; shift
  if [ -n "${SERVICE_LOG_DIR:-}" ]; then
    "$@" > "$SERVICE_LOG_DIR/$name.log" 2>&1 &
    echo $! > "$SERVICE_LOG_DIR/$name.pid"
  else
    "$@" &
  fi
  service_pids+=($!)
  service_names+=("$name")
}

service_await_port() {
  local port="$1" name="$2" pid i
  for i in "${!service_names[@]}"; do
    if [ "${service_names[$i]}" = "$name" ]; then pid="${service_pids[$i]}"; fi
  done
  for _ in $(seq 1 240); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name failed to start${SERVICE_LOG_DIR:+; see $SERVICE_LOG_DIR/$name.log}." >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "$name did not open port $port within two minutes${SERVICE_LOG_DIR:+; see $SERVICE_LOG_DIR/$name.log}." >&2
  exit 1
}

service_supervise() {
  local running=("${service_pids[@]}") exited status i name
  while [ "${#running[@]}" -gt 0 ]; do
    status=0
    wait -n -p exited "${running[@]}" || status=$?
    for i in "${!service_pids[@]}"; do
      if [ "${service_pids[$i]}" = "$exited" ]; then name="${service_names[$i]}"; fi
    done
    if [ "$name" = simulator ] && [ "$status" = 0 ]; then
      echo "The simulator has sent all its events; the other services keep running."
    elif [[ " $SERVICES_MAY_END " == *" $name "* ]]; then
      echo "$name ended (status $status); the other services keep running." >&2
    else
      echo "$name ended (status $status); stopping the others." >&2
      exit 1
    fi
    for i in "${!running[@]}"; do
      if [ "${running[$i]}" = "$exited" ]; then unset 'running[i]'; fi
    done
    running=("${running[@]}")
  done
}
