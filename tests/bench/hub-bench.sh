# hub-bench.sh: sourced by the hub benchmarks: builds what they need, runs a
# private hub on loopback over a throwaway database, and always cleans up.
# The caller sets -euo pipefail and bench_name before sourcing.

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_root=$(cd "$bench_dir/../.." && pwd)
build_dir=${RELAIS_BUILD_DIR:-$source_root/build}
hub_bin=$build_dir/mediator/hub/relais-hub
bench_bin=$build_dir/tests/bench
hub_pid=
hub_url=
bench_tmp=

bench_log () {
  printf '%s: %s\n' "$bench_name" "$*" >&2
}

# Only the targets the benchmark runs: a half-edited screen elsewhere in the
# tree must not stop a hub benchmark.
bench_build () {
  local attempt log
  if [ ! -f "$build_dir/build.ninja" ]; then
    meson setup "$build_dir" "$source_root" >&2
  fi
  # Another build in the same folder (meson regenerating) makes ninja fail
  # at once: wait for it rather than fail the benchmark.
  log=$(mktemp "${TMPDIR:-/tmp}/relais-$bench_name-build-XXXXXX")
  for attempt in 1 2 3 4 5 6; do
    if ninja -C "$build_dir" mediator/hub/relais-hub tests/bench/bench-hub-setup "$@" >"$log" 2>&1; then
      cat "$log" >&2
      rm -f -- "$log"
      return 0
    fi
    if ! grep -q 'Some other Meson process is already using this build directory' "$log"; then
      break
    fi
    bench_log "another meson run holds $build_dir; retrying in 5 s"
    sleep 5
  done
  cat "$log" >&2
  rm -f -- "$log"
  bench_log "the build failed"
  return 1
}

# Stops the hub with SIGTERM as systemd would, SIGKILL after 10 s.
# Returns the hub's exit status.
hub_stop () {
  local pid=$hub_pid status=0 i
  [ -n "$pid" ] || return 0
  hub_pid=
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    bench_log "the hub (pid $pid) ignored SIGTERM for 10 s: killed"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || status=$?
  return "$status"
}

bench_cleanup () {
  local status=$?
  trap - EXIT INT TERM
  hub_stop || true
  if [ -n "$bench_tmp" ]; then
    rm -rf -- "$bench_tmp"
  fi
  exit "$status"
}

bench_init () {
  bench_tmp=$(mktemp -d "${TMPDIR:-/tmp}/relais-$bench_name-XXXXXX")
  trap bench_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # No user configuration may leak into the hub.
  export XDG_CONFIG_HOME=$bench_tmp/config XDG_DATA_HOME=$bench_tmp/data
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
}

# hub_enroll N_STATIONS N_CONSOLES: a fresh database and its tokens file.
hub_enroll () {
  hub_db=$bench_tmp/hub.db
  hub_tokens=$bench_tmp/tokens
  "$bench_bin/bench-hub-setup" enroll "$hub_db" "$hub_tokens" "$1" "$2"
}

# Starts the hub on a free port and waits for its "listening" line; sets
# hub_pid and hub_url. Retries when another program took the port.
# A load, not a runaway: each simulated station raises thousands of help
# requests, so the cap on a station's open requests is off (0).
hub_start () {
  local attempt port i
  printf '[hub]\nmax-open-help-per-station=0\n' >"$bench_tmp/hub.conf"
  for attempt in 1 2 3 4 5; do
    port=$("$bench_bin/bench-hub-setup" free-port)
    : >"$bench_tmp/hub.out"
    "$hub_bin" -c "$bench_tmp/hub.conf" -d "$hub_db" -p "$port" >"$bench_tmp/hub.out" 2>"$bench_tmp/hub.err" &
    hub_pid=$!
    for i in $(seq 1 200); do
      if grep -q '^relais-hub listening on ' "$bench_tmp/hub.out"; then
        hub_url=http://127.0.0.1:$port
        return 0
      fi
      kill -0 "$hub_pid" 2>/dev/null || break
      sleep 0.05
    done
    bench_log "the hub did not start on port $port (attempt $attempt): $(tail -n 3 "$bench_tmp/hub.err")"
    hub_stop || true
  done
  bench_log "giving up: the hub does not start"
  return 1
}

# Shows what the hub said on stderr (warnings, criticals) and how it ended.
# Sets hub_warnings and hub_exit.
hub_finish () {
  hub_exit=0
  if [ -n "$hub_pid" ] && ! kill -0 "$hub_pid" 2>/dev/null; then
    bench_log "the hub died during the run"
  fi
  hub_stop || hub_exit=$?
  hub_warnings=$(grep -c . "$bench_tmp/hub.err" || true)
  if [ "$hub_warnings" -gt 0 ]; then
    bench_log "the hub wrote $hub_warnings line(s) on stderr; the first ones:"
    head -n 20 "$bench_tmp/hub.err" >&2
  fi
  if [ "$hub_exit" -ne 0 ]; then
    bench_log "the hub exited with status $hub_exit after SIGTERM"
  fi
}
