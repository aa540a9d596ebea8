#!/usr/bin/env bash
# Starts or stops a Docker engine for CI's container tests:
#   .ci/docker.sh start   install Debian's docker.io when dockerd is missing, start dockerd in the background, wait for it
#   .ci/docker.sh stop    stop the dockerd this script started (by its pid), and nothing else
# An engine that already answers is used as is and never stopped. .ci/run calls `stop` from an EXIT trap, so the
# daemon stops even when the tests fail.
#
# dockerd first starts with its defaults (overlay2 when the kernel allows, else it falls back on its own, down to vfs;
# iptables NAT for the bridge). Where iptables is not permitted (some sandboxes and nested containers) that start
# fails, and the script retries with --iptables=false: containers on a user-defined network still reach each other
# over the bridge, and ports published on 127.0.0.1 still work through docker-proxy (the userland proxy).
# Extra flags for both attempts: $DOCKERD_FLAGS. State (pid, log): $DOCKER_STATE_DIR, default /tmp/mesh-platform-docker.
set -euo pipefail

STATE_DIR="${DOCKER_STATE_DIR:-${TMPDIR:-/tmp}/mesh-platform-docker}"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"
READY_TIMEOUT_S=60
STOP_TIMEOUT_S=30
FALLBACK_FLAGS=(--iptables=false)

say() { echo "docker.sh: $*" >&2; }

engine_reachable() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

# Prefix for commands that need root: nothing when root, else sudo. An array, not a function, so that `$!` of a
# backgrounded dockerd is dockerd's own pid (or sudo's, which forwards signals), never a subshell's.
if [[ "$(id -u)" == 0 ]]; then AS_ROOT=()
elif command -v sudo >/dev/null; then AS_ROOT=(sudo)
else AS_ROOT=(false "need root (or sudo) for:")
fi

install_engine() {
  say "dockerd not found: installing Debian's docker.io"
  "${AS_ROOT[@]}" apt-get update -qq
  "${AS_ROOT[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
}

# Starts dockerd with the given extra flags; returns 0 once `docker version` reaches it, 1 if it exits or times out.
launch() {
  # shellcheck disable=SC2086 # DOCKERD_FLAGS is a list of flags
  "${AS_ROOT[@]}" dockerd ${DOCKERD_FLAGS:-} "$@" >>"$LOG_FILE" 2>&1 &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  for ((waited = 0; waited < READY_TIMEOUT_S * 2; waited++)); do
    engine_reachable && { say "dockerd ready (pid $pid${*:+, flags: $*})"; return 0; }
    kill -0 "$pid" 2>/dev/null || { say "dockerd exited during start-up${*:+ (flags: $*)}"; rm -f "$PID_FILE"; return 1; }
    sleep 0.5
  done
  say "dockerd not ready after ${READY_TIMEOUT_S}s"
  stop_daemon
  return 1
}

start() {
  if engine_reachable; then say "a Docker engine is already reachable: using it, not starting one"; return 0; fi
  command -v dockerd >/dev/null || install_engine
  mkdir -p "$STATE_DIR"
  : >"$LOG_FILE"
  launch || launch "${FALLBACK_FLAGS[@]}" || {
    say "could not start dockerd; its log ($LOG_FILE) ends with:"
    tail -n 30 "$LOG_FILE" >&2
    exit 1
  }
}

stop_daemon() {
  [[ -f "$PID_FILE" ]] || { say "no dockerd started by this script: nothing to stop"; return 0; }
  local pid
  pid="$(cat "$PID_FILE")"
  "${AS_ROOT[@]}" kill -TERM "$pid" 2>/dev/null || true
  for ((waited = 0; waited < STOP_TIMEOUT_S * 2; waited++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "dockerd (pid $pid) still running after ${STOP_TIMEOUT_S}s: killing it"
    "${AS_ROOT[@]}" kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
  say "dockerd (pid $pid) stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop_daemon ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
