# Shared helpers for the project's scripts (sourced, not run).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export WRANGLER_SEND_METRICS=false
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}"   # Debian's emscripten needs it

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Starts a command in its own process group (so the whole tree can be stopped) and
# records the group id in the given pid file. Output goes to the given log file.
start_group() {
  local pidfile="$1" logfile="$2"; shift 2
  setsid "$@" >"$logfile" 2>&1 < /dev/null &
  echo $! >"$pidfile"
}

stop_group() {
  local pidfile="$1"
  [ -f "$pidfile" ] || return 0
  local pid; pid="$(cat "$pidfile")"
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

wait_for_url() {
  local url="$1" seconds="${2:-60}"
  for _ in $(seq 1 $((seconds * 5))); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# Applies the D1 migrations (migrations/) to the DB binding; the arguments say where:
# `--local --persist-to DIR` for wrangler dev's storage, `--remote` for Cloudflare.
apply_d1_migrations() {
  (cd "$ROOT" && npx wrangler d1 migrations apply DB "$@" >/dev/null)
}

# Uploads the knowledge documents (knowledge/**/*.md -> R2 key knowledge/<path>, which the
# knowledge:// resources read) to the KNOWLEDGE bucket; the arguments say where, as above.
upload_knowledge_documents() {
  local file key bucket
  [ -d "$ROOT/knowledge" ] || return 0
  bucket="$(knowledge_bucket)"
  while IFS= read -r file; do
    key="${file#"$ROOT"/}"
    (cd "$ROOT" && npx wrangler r2 object put "$bucket/$key" --file "$file" \
      --content-type "text/markdown; charset=utf-8" "$@" >/dev/null)
  done < <(find "$ROOT/knowledge" -name '*.md' -type f | sort)
}

# The bucket_name of the KNOWLEDGE binding in wrangler.toml.
knowledge_bucket() {
  awk '/^\[\[r2_buckets\]\]/{r=1} r && /^bucket_name/{gsub(/[" ]/,"",$0); split($0,a,"="); print a[2]; exit}' "$ROOT/wrangler.toml"
}
