#!/usr/bin/env bash
# npm run bench: throughput and size of the production Worker under `wrangler dev`, as
# ratios taken in one run (this machine is noisy; absolute numbers mean little).
#   floor        a static JSON response from the Worker's JS, never entering the core
#   core-static  a static JSON response produced by the core (wasm round trip only)
#   tools/list   an authenticated MCP request in a session (Worker → session object → core)
#   tools/call   `status`, likewise
# plus first-request latency after start and the gzip size of core.wasm + bundled JS.
source "$(dirname "$0")/lib.sh"
SANDBOX_PORT="${BENCH_SANDBOX_PORT:-8798}"   # its own ports, so it can run beside npm run dev
source "$ROOT/scripts/local-env.sh"
bash "$ROOT/scripts/setup.sh" bench
bash "$ROOT/scripts/build.sh" wasm
ensure_dev_vars

DURATION="${BENCH_SECONDS:-8}"
CONNECTIONS="${BENCH_CONNECTIONS:-8}"
PORT="${BENCH_PORT:-8797}"
URL="http://127.0.0.1:$PORT"
out="$ROOT/build/bench"
rm -rf "$out"; mkdir -p "$out"
apply_migrations "$out/state"

pidfile="$out/wrangler.pid"
sandbox_pid="$out/sandbox.pid"
trap 'stop_group "$pidfile"; stop_group "$sandbox_pid"' EXIT
# Sign-in goes through the sandbox brokerage, as in npm run dev.
start_group "$sandbox_pid" "$out/sandbox.log" node "$ROOT/tests/sandbox-brokerage/server.mjs" --port "$SANDBOX_PORT"
wait_for_url "$SANDBOX_URL/_sandbox/stats" 30 || die "the sandbox brokerage did not start (see $out/sandbox.log)"
export SANDBOX_URL
t0=$(date +%s%N)
start_group "$pidfile" "$out/wrangler.log" npx wrangler dev --ip 127.0.0.1 --port "$PORT" \
  --persist-to "$out/state" "${LOCAL_VARS[@]}" --var BENCH_ROUTES:1
wait_for_url "$URL/bench/floor" 120 || die "wrangler dev did not start (see $out/wrangler.log)"
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

# An access token and a session for the MCP requests.
AUTH="$(node "$ROOT/scripts/bench-token.mjs" "$URL")"
first_ms="$(curl -s -o /dev/null -w '%{time_total}' -X POST "$URL/mcp" \
  -H 'content-type: application/json' -H 'accept: application/json, text/event-stream' ${AUTH:+-H "authorization: Bearer $AUTH"} \
  -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}' \
  -D "$out/init.headers" | awk '{printf "%.1f", $1*1000}')"
SESSION="$(grep -i '^mcp-session-id:' "$out/init.headers" | awk '{print $2}' | tr -d '\r')"
[ -n "$SESSION" ] || die "initialize did not return a session (see $out/init.headers)"

auth_line=""
[ -z "$AUTH" ] || auth_line="wrk.headers[\"authorization\"] = \"Bearer $AUTH\""
lua() {  # method params-json → a wrk script posting one JSON-RPC request
  cat >"$out/$1.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"$2","params":$3}'
wrk.headers["content-type"] = "application/json"
wrk.headers["accept"] = "application/json, text/event-stream"
wrk.headers["mcp-session-id"] = "$SESSION"
wrk.headers["mcp-protocol-version"] = "2025-11-25"
$auth_line
LUA
}
lua list tools/list '{}'
lua call tools/call '{"name":"status","arguments":{}}'

rate() {  # name url [script]
  local args=(-t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency)
  [ -n "${3:-}" ] && args+=(-s "$3")
  wrk "${args[@]}" "$2" >"$out/$1.txt" 2>&1
  local r; r="$(grep 'Requests/sec' "$out/$1.txt" | awk '{print $2}')"
  local errors; errors="$(grep -E 'Non-2xx|Socket errors' "$out/$1.txt" || true)"
  [ -z "$errors" ] || say "$1: $errors"
  echo "${r:-0}"
}
say "measuring (${DURATION}s each, $CONNECTIONS connections)"
floor="$(rate floor "$URL/bench/floor")"
core_static="$(rate core-static "$URL/bench/static")"
list="$(rate tools-list "$URL/mcp" "$out/list.lua")"
call="$(rate tools-call "$URL/mcp" "$out/call.lua")"

# Upload size: what `wrangler deploy` would send.
(cd "$ROOT" && npx wrangler deploy --dry-run --outdir "$out/bundle" >"$out/bundle.log" 2>&1) || die "bundling failed (see $out/bundle.log)"
js_gz=0
for f in "$out"/bundle/*.js; do js_gz=$((js_gz + $(gzip -9 -c "$f" | wc -c))); done
wasm_gz="$(gzip -9 -c "$ROOT/build/wasm/core.wasm" | wc -c)"
wasm_raw="$(wc -c <"$ROOT/build/wasm/core.wasm")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
cat <<REPORT | tee "$out/report.txt"

broker-mcp benchmark ($(date -u +%Y-%m-%dT%H:%MZ), ${DURATION}s per run, $CONNECTIONS connections, wrk -t1)
  floor (static JSON from the Worker's JS)   ${floor} req/s
  core-static (static JSON from the core)    ${core_static} req/s   ratio to floor $(ratio "$core_static" "$floor")
  tools/list (session, through the object)   ${list} req/s   ratio to floor $(ratio "$list" "$floor")
  tools/call status                          ${call} req/s   ratio to floor $(ratio "$call" "$floor")
  first MCP request after start              ${first_ms} ms (server ready after ${ready_ms} ms)
  upload size (gzip -9)                      core.wasm $((wasm_gz / 1024)) KB (raw $((wasm_raw / 1024)) KB) + JS $((js_gz / 1024)) KB = $(((wasm_gz + js_gz) / 1024)) KB
REPORT
