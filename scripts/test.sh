#!/usr/bin/env bash
# npm test: set up, build, and run every test layer. Each layer reports its counts; the
# run ends with one line "N passed, M failed" and fails if any layer failed.
#   1. native   Catch2 unit tests of the core (g++), after the checks that the code is
#               formatted (scripts/format.sh --check) and that every file a comment names
#               exists (scripts/check-file-references.mjs)
#   2. harness  the built core.wasm driven by the real shim with fake bindings (node:test)
#   3. sandbox  the sandbox brokerage's own tests (node:test)
#   4. deploy   `npm run deploy` without Cloudflare: the dry-run bundle, the checks that stop it
#   5. e2e      the MCP SDK client and a real browser against `wrangler dev` + sandbox
#   6. interop  MCP clients nobody here wrote (SDK v2, Inspector's CLI), from the lockfile,
#               against `wrangler dev` + sandbox (each of e2e and interop starts its own)
#   7. conformance  the official MCP conformance suite against the fixture build (0.1.16, and
#               the 2026-07-28 requirements of 0.2.0-alpha.12 with a baseline of known gaps)
# Set TEST_LAYERS="native harness" to run a subset.
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/local-env.sh"
layers="${TEST_LAYERS:-native harness sandbox deploy e2e interop conformance}"
artifacts="$ROOT/test-artifacts"
mkdir -p "$artifacts"

bash "$ROOT/scripts/setup.sh" test

total_pass=0
total_fail=0
failed_layers=()
record() {  # layer pass fail
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3))
  [ "$3" -eq 0 ] || failed_layers+=("$1")
  say "$1: $2 passed, $3 failed"
}

# node --test prints "# pass N" and "# fail N" at the end of its TAP summary.
node_layer() {
  local name="$1"; shift
  local log="$artifacts/$name.log" status=0
  node --test --test-reporter=tap "$@" >"$log" 2>&1 || status=$?
  local pass fail
  pass="$(grep -E '^# pass ' "$log" | tail -1 | awk '{print $3}')"
  fail="$(grep -E '^# fail ' "$log" | tail -1 | awk '{print $3}')"
  pass="${pass:-0}"; fail="${fail:-0}"
  if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  [ "$fail" -eq 0 ] || { grep -E '^not ok|# Subtest|error|Error' "$log" | head -40 >&2 || true; }
  record "$name" "$pass" "$fail"
}

# Runs a node:test layer against a fresh `wrangler dev` and sandbox brokerage: new local
# storage, so one layer's use of the deployment-wide Schwab budget (120 requests a minute,
# counted in D1) or of the sandbox's accounts never spills into the next layer.
# With PRIVATE_DEPLOYMENT=1, a second Worker on PRIVATE_WORKER_PORT beside it: the setup of
# a person's own deployment (tastytrade personal-grant sign-in, ALLOWED_USERS), against the
# same sandbox, with its own storage.
with_dev_server() {
  local name="$1"; shift
  bash "$ROOT/scripts/build.sh" wasm
  ensure_dev_vars
  local state="$ROOT/build/test-state"
  rm -rf "$state"
  apply_migrations "$state"
  upload_knowledge "$state"
  sandbox_pid="$ROOT/build/test-sandbox.pid"; worker_pid="$ROOT/build/test-worker.pid"
  private_pid="$ROOT/build/test-private-worker.pid"
  trap 'stop_group "$sandbox_pid"; stop_group "$worker_pid"; stop_group "$private_pid"' EXIT
  if [ -f "$ROOT/tests/sandbox-brokerage/server.mjs" ]; then
    start_group "$sandbox_pid" "$artifacts/$name-sandbox-server.log" node "$ROOT/tests/sandbox-brokerage/server.mjs" --port "$SANDBOX_PORT"
    wait_for_url "$SANDBOX_URL/_sandbox/stats" 30 || die "the sandbox brokerage did not start (see $artifacts/$name-sandbox-server.log)"
  fi
  start_group "$worker_pid" "$artifacts/$name-wrangler-dev.log" \
    npx wrangler dev --ip 127.0.0.1 --port "$WORKER_PORT" --persist-to "$state" "${LOCAL_VARS[@]}" --var BENCH_ROUTES:1
  wait_for_url "$WORKER_URL/health" 90 || die "wrangler dev did not start (see $artifacts/$name-wrangler-dev.log)"
  export BROKER_MCP_URL="$WORKER_URL" SANDBOX_URL ARTIFACTS_DIR="$artifacts" WRANGLER_DEV_LOG="$artifacts/$name-wrangler-dev.log"
  if [ "${PRIVATE_DEPLOYMENT:-}" = 1 ]; then
    local private_state="$ROOT/build/test-state-private" private_url="http://127.0.0.1:$PRIVATE_WORKER_PORT"
    rm -rf "$private_state"
    apply_migrations "$private_state"
    upload_knowledge "$private_state"
    start_group "$private_pid" "$artifacts/$name-private-wrangler-dev.log" \
      npx wrangler dev --ip 127.0.0.1 --port "$PRIVATE_WORKER_PORT" --inspector-port "$PRIVATE_INSPECTOR_PORT" \
      --persist-to "$private_state" "${LOCAL_VARS[@]}" "${PRIVATE_VARS[@]}"
    wait_for_url "$private_url/health" 90 || die "the private wrangler dev did not start (see $artifacts/$name-private-wrangler-dev.log)"
    export PRIVATE_MCP_URL="$private_url" PRIVATE_WRANGLER_DEV_LOG="$artifacts/$name-private-wrangler-dev.log"
  fi
  node_layer "$name" "$@"
  stop_group "$worker_pid"; stop_group "$sandbox_pid"; stop_group "$private_pid"
  trap - EXIT
}

for layer in $layers; do
  case "$layer" in
    native)
      # The layout is clang-format's and Prettier's (`npm run format` writes it).
      if bash "$ROOT/scripts/format.sh" --check >"$artifacts/format.log" 2>&1; then
        record format 1 0
      else
        cat "$artifacts/format.log" >&2
        record format 0 1
      fi
      # Comments that name a file must name one that exists (scripts/check-file-references.mjs).
      if node "$ROOT/scripts/check-file-references.mjs" >"$artifacts/file-references.log" 2>&1; then
        record references 1 0
      else
        cat "$artifacts/file-references.log" >&2
        record references 0 1
      fi
      bash "$ROOT/scripts/build.sh" native
      log="$artifacts/native.log"; status=0
      # The counting operator new of tests/support/allocation_counter.cpp pairs with
      # malloc/free, which ASan would otherwise report as a mismatch.
      ASAN_OPTIONS="alloc_dealloc_mismatch=0:detect_leaks=0" UBSAN_OPTIONS="print_stacktrace=1" \
        "$ROOT/build/native/unit_tests" >"$log" 2>&1 || status=$?
      # Catch2 v2: "All tests passed (A assertions in N test cases)" or
      # "test cases: N | P passed | F failed".
      if [ "$status" -eq 0 ]; then
        cases="$(grep -Eo '[0-9]+ test cases?\)' "$log" | grep -Eo '^[0-9]+' | tail -1)"
        record native "${cases:-0}" 0
      else
        grep -B2 -A12 'FAILED' "$log" | head -80 >&2 || tail -30 "$log" >&2
        line="$(grep -E '^test cases:' "$log" | tail -1)"
        passed="$(echo "$line" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)"
        failed="$(echo "$line" | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+' || echo 1)"
        record native "${passed:-0}" "${failed:-1}"
      fi
      ;;
    harness)
      bash "$ROOT/scripts/build.sh" wasm
      node_layer harness "$ROOT"/tests/harness/*.test.mjs
      ;;
    sandbox)
      if compgen -G "$ROOT/tests/sandbox-brokerage/test/*.test.mjs" >/dev/null; then
        node_layer sandbox "$ROOT"/tests/sandbox-brokerage/test/*.test.mjs
      fi
      ;;
    deploy)
      node_layer deploy "$ROOT"/tests/deploy/*.test.mjs
      ;;
    e2e)
      PRIVATE_DEPLOYMENT=1 with_dev_server e2e "$ROOT"/tests/e2e/*.test.mjs $(compgen -G "$ROOT/tests/browser/*.test.mjs" || true)
      ;;
    interop)
      with_dev_server interop "$ROOT"/tests/interop/*.test.mjs
      ;;
    conformance)
      # The suite's scenarios (✓/✗ lines of its summary), then the SDK transport tests
      # that scripts/conformance.sh runs against the same fixture server.
      log="$artifacts/conformance.log"; status=0
      bash "$ROOT/scripts/conformance.sh" >"$log" 2>&1 || status=$?
      pass="$(grep -c '^✓' "$artifacts/conformance/conformance.log" 2>/dev/null || true)"
      fail="$(grep -c '^✗' "$artifacts/conformance/conformance.log" 2>/dev/null || true)"
      # The 2026-07-28 suite: its fully passing scenarios count; a failure it expected
      # (tests/conformance/expected-failures-2026.yaml) counts neither way, anything
      # unexpected makes conformance.sh fail.
      pass26="$(grep -c '^✓' "$artifacts/conformance/conformance-2026.log" 2>/dev/null || true)"
      pass=$(( ${pass:-0} + ${pass26:-0} ))
      tlog="$artifacts/conformance/transport-e2e.log"
      tpass="$(grep -E '^# pass ' "$tlog" 2>/dev/null | awk '{print $3}' || true)"
      tfail="$(grep -E '^# fail ' "$tlog" 2>/dev/null | awk '{print $3}' || true)"
      pass=$(( ${pass:-0} + ${tpass:-0} )); fail=$(( ${fail:-0} + ${tfail:-0} ))
      if [ "$status" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
      [ "$status" -eq 0 ] || tail -30 "$log" >&2
      record conformance "$pass" "$fail"
      ;;
    *) die "unknown test layer $layer" ;;
  esac
done

echo
if [ "${#failed_layers[@]}" -gt 0 ]; then
  echo "failed layers: ${failed_layers[*]}"
fi
echo "${total_pass} passed, ${total_fail} failed"
[ "$total_fail" -eq 0 ]
