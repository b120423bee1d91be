#!/usr/bin/env bash
# npm run bench: broker-mcp under `wrangler dev` beside the peer Worker (the official MCP
# SDK v1 and v2, stateless, and Cloudflare agents' McpAgent with a session per Durable
# Object; their source is in ../shared/peers or $BENCH_PEERS_SRC, copied to build/peers),
# measured in one run, as costs above each Worker's static floor and ratios between them
# (this machine is noisy; absolute numbers mean little). scripts/bench/measure.mjs says
# what each case is. Then the upload size. Not a test: nothing here passes or fails.
source "$(dirname "$0")/lib.sh"
SANDBOX_PORT="${BENCH_SANDBOX_PORT:-8798}"   # its own ports, so it can run beside npm run dev
source "$ROOT/scripts/local-env.sh"
bash "$ROOT/scripts/setup.sh" bench
bash "$ROOT/scripts/build.sh" wasm
ensure_dev_vars

export BENCH_SECONDS="${BENCH_SECONDS:-6}" BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-4}" BENCH_SOAK="${BENCH_SOAK:-100000}"
PEERS_SRC="${BENCH_PEERS_SRC:-$ROOT/../shared/peers}"
PEERS_PORT="${BENCH_PEERS_PORT:-8796}"
PORT="${BENCH_PORT:-8797}"
URL="http://127.0.0.1:$PORT"
out="$ROOT/build/bench"
rm -rf "$out"; mkdir -p "$out"
apply_migrations "$out/state"

pidfile="$out/wrangler.pid"
sandbox_pid="$out/sandbox.pid"
peers_pid="$out/peers.pid"
trap 'stop_group "$pidfile"; stop_group "$sandbox_pid"; stop_group "$peers_pid"' EXIT

# The peers: a copy (the source may be read-only), their own lockfile, their own port.
[ -f "$PEERS_SRC/package-lock.json" ] || die "no peer Worker at $PEERS_SRC (set BENCH_PEERS_SRC)"
peers="$ROOT/build/peers"
if ! cmp -s "$PEERS_SRC/package-lock.json" "$peers/package-lock.json" 2>/dev/null || [ ! -d "$peers/node_modules" ]; then
  say "installing the peer Worker's packages (build/peers)"
  rm -rf "$peers"; mkdir -p "$peers"
  cp -r "$PEERS_SRC/." "$peers/"
  (cd "$peers" && npm ci --no-audit --no-fund >"$out/peers-npm.log" 2>&1) || die "npm ci for the peers failed (see $out/peers-npm.log)"
fi
start_group "$peers_pid" "$out/peers.log" bash -c "cd '$peers' && exec npx wrangler dev --ip 127.0.0.1 --port $PEERS_PORT --persist-to '$out/peers-state'"
# Sign-in goes through the sandbox brokerage, as in npm run dev.
start_group "$sandbox_pid" "$out/sandbox.log" node "$ROOT/tests/sandbox-brokerage/server.mjs" --port "$SANDBOX_PORT"
wait_for_url "$SANDBOX_URL/_sandbox/stats" 30 || die "the sandbox brokerage did not start (see $out/sandbox.log)"
export SANDBOX_URL
t0=$(date +%s%N)
start_group "$pidfile" "$out/wrangler.log" npx wrangler dev --ip 127.0.0.1 --port "$PORT" \
  --persist-to "$out/state" "${LOCAL_VARS[@]}" --var BENCH_ROUTES:1
wait_for_url "$URL/bench/floor" 120 || die "wrangler dev did not start (see $out/wrangler.log)"
ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))

wait_for_url "http://127.0.0.1:$PEERS_PORT/floor" 120 || die "the peer Worker did not start (see $out/peers.log)"

AUTH="$(node "$ROOT/scripts/bench-token.mjs" "$URL")"
BENCH_URL="$URL" BENCH_PEERS_URL="http://127.0.0.1:$PEERS_PORT" BENCH_TOKEN="$AUTH" \
  BENCH_PEERS_SECRET="$(sed -n 's/^JWT_SECRET = "\(.*\)"/\1/p' "$peers/wrangler.toml")" \
  node "$ROOT/scripts/bench/measure.mjs" "$out" | tee "$out/report.txt"

# What each read tool costs at the broker (the sandbox counts the requests it receives).
node "$ROOT/scripts/bench/broker-requests.mjs" "$URL" "$SANDBOX_URL" | tee -a "$out/report.txt"

# Where one request's time goes inside the core (Node: workerd's clocks stand still while
# code runs).
node "$ROOT/scripts/bench/core-time.mjs" 2000 | tee -a "$out/report.txt"

# Upload size: what `wrangler deploy` would send, beside the peers' (each SDK bundled alone
# would be smaller than their shared Worker; the figure is the whole peer Worker).
(cd "$ROOT" && npx wrangler deploy --dry-run --outdir "$out/bundle" >"$out/bundle.log" 2>&1) || die "bundling failed (see $out/bundle.log)"
(cd "$peers" && npx wrangler deploy --dry-run --outdir "$out/peers-bundle" >"$out/peers-bundle.log" 2>&1) || die "bundling the peers failed (see $out/peers-bundle.log)"
gz() { local n=0 f; for f in "$@"; do [ -f "$f" ] && n=$((n + $(gzip -9 -c "$f" | wc -c))); done; echo "$n"; }
js_gz="$(gz "$out"/bundle/*.js)"
wasm_gz="$(gz "$ROOT/build/wasm/core.wasm")"
wasm_raw="$(wc -c <"$ROOT/build/wasm/core.wasm")"
peers_gz="$(gz "$out"/peers-bundle/*.js "$out"/peers-bundle/*.wasm)"
cat <<REPORT | tee -a "$out/report.txt"
  upload size (gzip -9): core.wasm $((wasm_gz / 1024)) KB (raw $((wasm_raw / 1024)) KB) + JS $((js_gz / 1024)) KB = $(((wasm_gz + js_gz) / 1024)) KB (aim <= 150 KB); the peer Worker (SDK v1 + v2 + agents) $((peers_gz / 1024)) KB
  server ready after ${ready_ms} ms
REPORT
