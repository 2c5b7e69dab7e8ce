#!/usr/bin/env bash
# The test database on machines without mongod: FerretDB v1.24.2 (MongoDB wire protocol) on SQLite.
#
#   scripts/test-db.sh start   installs FerretDB if missing, starts it on a free loopback port in a
#                              temporary directory, waits until it answers, prints MONGODB_URI=…
#   scripts/test-db.sh stop    stops the instance that `start` recorded
#
# `eval "$(scripts/test-db.sh start)"` exports the URI into the calling shell.
set -euo pipefail

FERRETDB_VERSION=v1.24.2
root=$(cd "$(dirname "$0")/.." && pwd)
run_dir="${FINDO_TEST_DB_DIR:-$root/.tmp/test-db}"
bin_dir="${FERRETDB_BIN_DIR:-$HOME/.cache/findo/ferretdb-$FERRETDB_VERSION}"
bin="$bin_dir/ferretdb"

install_ferretdb() {
  [ -x "$bin" ] && return 0
  command -v go >/dev/null || { echo "test-db: Go is needed to build FerretDB (https://go.dev/dl)" >&2; exit 1; }
  echo "test-db: building FerretDB $FERRETDB_VERSION (once)…" >&2
  # `go install …@v1.24.2` builds a binary that panics at start: the module lacks the
  # build/version/version.txt that FerretDB's own build writes. So fetch the module from the Go
  # module proxy, add that file to a writable copy, and build it.
  local mod_dir src
  mod_dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  src=$(mktemp -d)
  cp -r "$mod_dir/." "$src"
  chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" > "$src/build/version/version.txt"
  mkdir -p "$bin_dir"
  (cd "$src" && go build -o "$bin" ./cmd/ferretdb)
  rm -rf "$src"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  install_ferretdb
  stop_quietly
  mkdir -p "$run_dir"
  local data port
  data=$(mktemp -d "$run_dir/data.XXXXXX")
  port=$(free_port)
  "$bin" --handler=sqlite --sqlite-url="file:$data/" --listen-addr="127.0.0.1:$port" \
    --state-dir="$data" --debug-addr=- --telemetry=disable --log-level=warn \
    >"$run_dir/ferretdb.log" 2>&1 &
  echo $! >"$run_dir/pid"
  echo "$data" >"$run_dir/data"
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "MONGODB_URI=mongodb://127.0.0.1:$port/findo"
      echo "export MONGODB_URI" 
      return 0
    fi
    kill -0 "$(cat "$run_dir/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "test-db: FerretDB did not start; its log:" >&2
  cat "$run_dir/ferretdb.log" >&2
  exit 1
}

stop_quietly() {
  if [ -f "$run_dir/pid" ]; then
    kill "$(cat "$run_dir/pid")" 2>/dev/null || true
    rm -f "$run_dir/pid"
  fi
  if [ -f "$run_dir/data" ]; then
    rm -rf "$(cat "$run_dir/data")"
    rm -f "$run_dir/data"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly ;;
  *) echo "usage: scripts/test-db.sh start|stop" >&2; exit 2 ;;
esac
