#!/usr/bin/env bash
# npm run dev: set up, build, and serve the server on http://127.0.0.1:8787 together with
# the local sandbox brokerage on http://127.0.0.1:8788. Ctrl-C stops both.
# `npm run dev -- --personal`: tastytrade sign-in with a personal grant's refresh token
# (TASTYTRADE_SIGN_IN=personal; the sandbox makes grants at /tastytrade/personal-grants).
source "$(dirname "$0")/lib.sh"
source "$ROOT/scripts/local-env.sh"
bash "$ROOT/scripts/setup.sh" dev
bash "$ROOT/scripts/build.sh" wasm
ensure_dev_vars
persist="$ROOT/.wrangler/state"
apply_migrations "$persist"
upload_knowledge "$persist"

sandbox_pid="$ROOT/build/sandbox.pid"
trap 'stop_group "$sandbox_pid"' EXIT INT TERM
if [ -f "$ROOT/tests/sandbox-brokerage/server.mjs" ]; then
  start_group "$sandbox_pid" "$ROOT/build/sandbox.log" node "$ROOT/tests/sandbox-brokerage/server.mjs" --port "$SANDBOX_PORT"
  say "sandbox brokerage on $SANDBOX_URL (log: build/sandbox.log)"
fi
mode_vars=()
for arg in "$@"; do
  case "$arg" in
    --personal)
      mode_vars=(--var "TASTYTRADE_SIGN_IN:personal")
      say "tastytrade sign-in with a personal grant: create one at $SANDBOX_URL/tastytrade/personal-grants" ;;
    *) die "unknown option $arg (npm run dev [-- --personal])" ;;
  esac
done
say "serving broker-mcp on $WORKER_URL/mcp"
cd "$ROOT" && npx wrangler dev --ip 127.0.0.1 --port "$WORKER_PORT" --persist-to "$persist" "${LOCAL_VARS[@]}" "${mode_vars[@]}"
