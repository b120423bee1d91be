#!/usr/bin/env bash
# npm run conformance — the official MCP conformance suite (@modelcontextprotocol/conformance,
# pinned in package.json) against the conformance fixture build of the core
# (tests/conformance/), served by `wrangler dev` on 127.0.0.1:8790.
#
#   1. builds core.wasm with -DBMCP_FLAVOR=conformance into build/wasm-conformance/
#   2. starts wrangler dev (tests/conformance/wrangler.toml) in its own process group,
#      with fresh local state, and waits for /health
#   3. runs the suite's default (active) server scenarios against http://localhost:8790/mcp,
#      then the 2026-07-28 requirement set of the newer suite (0.2.0-alpha.12, installed as
#      @modelcontextprotocol/conformance-2026) with the known failures of
#      tests/conformance/expected-failures-2026.yaml: a new failure, or a listed one that
#      passes, fails the run
#   4. stops wrangler dev, and exits with the suites' exit code (0: no unexpected result)
#
# Everything runs offline from node_modules. Output goes to test-artifacts/conformance/:
# conformance.log (the suite's report), results/<scenario>/checks.json, wrangler.log,
# build.log. CONFORMANCE_PORT overrides the port.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SUITE="@modelcontextprotocol/conformance@0.1.16"
SUITE_JS="node_modules/@modelcontextprotocol/conformance/dist/index.js"
SUITE_2026_JS="node_modules/@modelcontextprotocol/conformance-2026/dist/index.js"
PORT="${CONFORMANCE_PORT:-8790}"
BUILD_DIR="build/wasm-conformance"
ARTIFACTS="test-artifacts/conformance"

say() { printf '[conformance] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

rm -rf "$ARTIFACTS"
mkdir -p "$ARTIFACTS" "$BUILD_DIR"
STARTED=$SECONDS

# ---- 1. build -------------------------------------------------------------------------
say "building the conformance core.wasm in $BUILD_DIR (log: $ARTIFACTS/build.log)"
if ! (
  cd "$BUILD_DIR" &&
    NODE_PATH=/usr/share/nodejs emcmake cmake ../.. -DCMAKE_BUILD_TYPE=Release -DBMCP_FLAVOR=conformance &&
    NODE_PATH=/usr/share/nodejs emmake make -j"$(nproc)" core
) >"$ARTIFACTS/build.log" 2>&1; then
  tail -n 40 "$ARTIFACTS/build.log" >&2
  die "the build failed"
fi
say "built in $((SECONDS - STARTED)) s"

# ---- 2. wrangler dev ------------------------------------------------------------------
health_url="http://127.0.0.1:$PORT/health"
if curl -fsS -o /dev/null --max-time 2 "$health_url" 2>/dev/null; then
  die "something already answers on 127.0.0.1:$PORT; stop it or set CONFORMANCE_PORT"
fi

RUN_DIR="$(mktemp -d)"
WRANGLER_PGID=""
stop_wrangler() {
  if [[ -n "$WRANGLER_PGID" ]]; then
    kill -TERM -- "-$WRANGLER_PGID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 -- "-$WRANGLER_PGID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$WRANGLER_PGID" 2>/dev/null || true
    WRANGLER_PGID=""
  fi
  rm -rf "$RUN_DIR"
}
trap stop_wrangler EXIT
trap 'exit 130' INT TERM

# The fixture's D1 holds the used multi round-trip states (migrations/0011).
npx --no --offline wrangler d1 migrations apply DB --local --config tests/conformance/wrangler.toml \
  --persist-to "$RUN_DIR/state" </dev/null >"$ARTIFACTS/migrations.log" 2>&1 ||
  { tail -n 20 "$ARTIFACTS/migrations.log" >&2; die "the D1 migrations failed"; }

say "starting wrangler dev on 127.0.0.1:$PORT (log: $ARTIFACTS/wrangler.log)"
# setsid gives wrangler, workerd and esbuild their own process group, so one signal stops
# them all; the inner shell records its pid, which is that group's id, before exec.
WRANGLER_SEND_METRICS=false setsid bash -c 'echo $$ >"$0"; exec "$@"' "$RUN_DIR/pgid" \
  npx --no --offline wrangler dev --config tests/conformance/wrangler.toml \
  --ip 127.0.0.1 --port "$PORT" --persist-to "$RUN_DIR/state" \
  </dev/null >"$ARTIFACTS/wrangler.log" 2>&1 &
for _ in $(seq 1 50); do
  [[ -s "$RUN_DIR/pgid" ]] && break
  sleep 0.1
done
WRANGLER_PGID="$(cat "$RUN_DIR/pgid" 2>/dev/null || true)"
[[ -n "$WRANGLER_PGID" ]] || die "wrangler dev did not start"

ready=""
for _ in $(seq 1 180); do
  if curl -fsS -o /dev/null --max-time 2 "$health_url" 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 -- "-$WRANGLER_PGID" 2>/dev/null || break
  sleep 0.5
done
if [[ -z "$ready" ]]; then
  tail -n 40 "$ARTIFACTS/wrangler.log" >&2
  die "wrangler dev did not answer $health_url"
fi
say "wrangler dev is ready after $((SECONDS - STARTED)) s"

# ---- 3. the suite ---------------------------------------------------------------------
suite_env=()
if (($(node -p 'process.versions.node.split(".")[0]') < 22)); then
  # The suite's bundle imports fs.globSync (Node >= 22); see tests/conformance/node20/.
  suite_env=(NODE_OPTIONS="--import=\"$ROOT/tests/conformance/node20/register.mjs\" ${NODE_OPTIONS:-}")
fi
say "running $SUITE server --url http://localhost:$PORT/mcp"
suite_started=$SECONDS
set +e
# Each suite by its own path: both packages name their command `conformance`.
env "${suite_env[@]}" node "$SUITE_JS" server --url "http://localhost:$PORT/mcp" \
  -o "$ARTIFACTS/results" 2>&1 | tee "$ARTIFACTS/conformance.log"
status=${PIPESTATUS[0]}
say "suite finished in $((SECONDS - suite_started)) s (total $((SECONDS - STARTED)) s), exit code $status"
say "running the 2026-07-28 requirements (0.2.0-alpha.12) with tests/conformance/expected-failures-2026.yaml"
env "${suite_env[@]}" node "$SUITE_2026_JS" server --url "http://localhost:$PORT/mcp" --requirements 2026-07-28 \
  --expected-failures tests/conformance/expected-failures-2026.yaml \
  -o "$ARTIFACTS/results-2026" >"$ARTIFACTS/conformance-2026.log" 2>&1
status_2026=$?
set -e
grep -E '^Total' "$ARTIFACTS/conformance-2026.log" >&2 || true
say "2026-07-28 suite exit code $status_2026"
[[ "$status" -eq 0 ]] && status=$status_2026

# ---- 4. the SDK client over both transports against the same fixture -------------------
say "running the transport tests (tests/e2e-fixture) with the MCP SDK client"
set +e
FIXTURE_URL="http://127.0.0.1:$PORT" node --test --test-reporter=tap tests/e2e-fixture/*.test.mjs \
  >"$ARTIFACTS/transport-e2e.log" 2>&1
transport_status=$?
set -e
grep -E '^# (pass|fail) ' "$ARTIFACTS/transport-e2e.log" >&2 || true
[[ "$transport_status" -eq 0 ]] || grep -E '^not ok|error' "$ARTIFACTS/transport-e2e.log" | head -20 >&2

stop_wrangler
[[ "$status" -ne 0 ]] && exit "$status"
exit "$transport_status"
