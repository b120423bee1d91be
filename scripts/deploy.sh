#!/usr/bin/env bash
# npm run deploy: the whole deployment to your Cloudflare account, after the one-time
# resource creation of the README's "Deploy" section:
#   1. checks what would make the deployment fail or serve nothing, and stops with what to
#      do: the example ids wrangler.toml ships with (never created resources), not logged in, a missing secret, queue or bucket;
#   2. builds core.wasm;
#   3. applies the D1 migrations to the remote database;
#   4. uploads the knowledge documents to the R2 bucket (the knowledge:// resources);
#   5. wrangler deploy.
#
#   npm run deploy -- --dry-run   builds and bundles (wrangler deploy --dry-run) into
#                                 build/deploy without contacting Cloudflare; npm test runs it.
source "$(dirname "$0")/lib.sh"

dry_run=0
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    *) die "unknown argument $arg (only --dry-run)" ;;
  esac
done

# The value of `key = "value"` inside the first [[table]] block of wrangler.toml.
toml_value() {
  local table="$1" key="$2"
  awk -v t="[[$table]]" -v k="$key" '
    $0 == t { inside = 1; next }
    /^\[/ { inside = 0 }
    inside && $1 == k { sub(/^[^=]*=[ \t]*/, ""); gsub(/"/, ""); print; exit }' "$ROOT/wrangler.toml"
}

problems=()
problem() { problems+=("$1"); }

check_wrangler_toml() {
  local db kv
  db="$(toml_value d1_databases database_id)"
  kv="$(toml_value kv_namespaces id)"
  [[ "$db" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] && [ "$db" != "00000000-0000-0000-0000-000000000000" ] ||
    problem "wrangler.toml has no D1 database_id: run \`npx wrangler d1 create broker-mcp\` and put the printed database_id under [[d1_databases]]"
  [[ "$kv" =~ ^[0-9a-f]{32}$ ]] ||
    problem "wrangler.toml has no KV namespace id: run \`npx wrangler kv namespace create CACHE\` and put the printed id under [[kv_namespaces]]"
}

check_account() {
  local secrets queues buckets queue bucket
  if ! (cd "$ROOT" && npx wrangler whoami >/dev/null 2>&1); then
    problem "wrangler is not logged in to Cloudflare (or cannot reach it): run \`npx wrangler login\`"
    return
  fi
  secrets="$(cd "$ROOT" && npx wrangler secret list 2>/dev/null || true)"
  for s in JWT_SECRET COOKIE_ENCRYPTION_KEY TOKEN_ENCRYPTION_KEY; do
    grep -q "\"$s\"" <<<"$secrets" || problem "the secret $s is not set: run \`npx wrangler secret put $s\`"
  done
  if ! { grep -q '"SCHWAB_CLIENT_ID"' <<<"$secrets" && grep -q '"SCHWAB_CLIENT_SECRET"' <<<"$secrets"; } &&
     ! { grep -q '"TASTYTRADE_CLIENT_ID"' <<<"$secrets" && grep -q '"TASTYTRADE_CLIENT_SECRET"' <<<"$secrets"; }; then
    problem "no broker credentials: put SCHWAB_CLIENT_ID and SCHWAB_CLIENT_SECRET, or TASTYTRADE_CLIENT_ID and TASTYTRADE_CLIENT_SECRET, with \`npx wrangler secret put\`"
  fi
  queue="$(toml_value queues.producers queue)"
  queues="$(cd "$ROOT" && npx wrangler queues list 2>/dev/null || true)"
  grep -q -- "$queue" <<<"$queues" || problem "the queue $queue does not exist: run \`npx wrangler queues create $queue\`"
  bucket="$(knowledge_bucket)"
  buckets="$(cd "$ROOT" && npx wrangler r2 bucket list 2>/dev/null || true)"
  grep -q -- "$bucket" <<<"$buckets" || problem "the R2 bucket $bucket does not exist: run \`npx wrangler r2 bucket create $bucket\`"
}

stop_if_problems() {
  [ "${#problems[@]}" -eq 0 ] && return 0
  printf 'error: the deployment cannot go ahead:\n' >&2
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
}

bash "$ROOT/scripts/setup.sh" dev

if [ "$dry_run" -eq 1 ]; then
  bash "$ROOT/scripts/build.sh" wasm
  out="$ROOT/build/deploy"
  rm -rf "$out"
  say "bundling the Worker (wrangler deploy --dry-run) into build/deploy"
  (cd "$ROOT" && npx wrangler deploy --dry-run --outdir "$out")
  exit 0
fi

# Everything that can be checked before anything changes at Cloudflare.
check_wrangler_toml
stop_if_problems
check_account
stop_if_problems

bash "$ROOT/scripts/build.sh" wasm
say "applying D1 migrations to the remote database"
apply_d1_migrations --remote
say "uploading the knowledge documents to R2 ($(knowledge_bucket))"
upload_knowledge_documents --remote
say "deploying the Worker"
(cd "$ROOT" && npx wrangler deploy)
