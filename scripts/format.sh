#!/usr/bin/env bash
# The code's layout: clang-format (.clang-format) for the C++ of src/, bindings/ and tests/,
# Prettier (.prettierrc, .prettierignore) for the JavaScript.
#   scripts/format.sh          rewrites every file that is not formatted (npm run format)
#   scripts/format.sh --check  changes nothing; lists the files that are not formatted and
#                              exits 1 (run by npm test, scripts/test.sh)
# The style is checked with Debian 12's clang-format 14; other versions lay out some lines
# differently.
source "$(dirname "$0")/lib.sh"
mode="${1:-write}"
case "$mode" in write | --check) ;; *) die "usage: scripts/format.sh [--check]" ;; esac
cd "$ROOT"

# Tracked files and new ones not yet added (never what .gitignore ignores, such as build/).
list() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard -- "$@"
  else
    local args=() p
    for p in "$@"; do args+=(-o -path "./$p"); done
    find . \( -name node_modules -o -name build -o -name .wrangler \) -prune -o \
      \( -false "${args[@]}" \) -type f -print0 | sed -z 's|^\./||'
  fi
}
cpp=() js=()
while IFS= read -r -d '' f; do [ -f "$f" ] && cpp+=("$f"); done \
  < <(list 'src/*.cpp' 'src/*.hpp' 'bindings/*.cpp' 'bindings/*.hpp' 'tests/*.cpp' 'tests/*.hpp')
while IFS= read -r -d '' f; do [ -f "$f" ] && js+=("$f"); done < <(list '*.js' '*.mjs' '*.cjs')

clang_format="$(command -v clang-format-14 || command -v clang-format || true)"
[ -n "$clang_format" ] || die "clang-format is missing; run: sudo apt-get install -y clang-format (or bash scripts/setup.sh test)"
clang_version="$("$clang_format" --version | grep -Eo 'version [0-9]+' | grep -Eo '[0-9]+' || echo '?')"
# The C++ files clang-format would change: --dry-run warns "FILE:LINE:COL: warning: …"
# (the first difference of each file is enough).
unformatted_cpp() {
  printf '%s\0' "${cpp[@]}" | xargs -0 -r "$clang_format" --dry-run --ferror-limit=1 2>&1 |
    sed -nE 's/^(.+\.[ch]pp):[0-9]+:[0-9]+: (warning|error): .*/\1/p' | sort -u
}
prettier="$ROOT/node_modules/.bin/prettier"
[ -x "$prettier" ] || die "Prettier is missing; run: npm ci"

if [ "$mode" = write ]; then
  printf '%s\0' "${cpp[@]}" | xargs -0 -r -n 50 -P "$(nproc)" "$clang_format" -i
  # A few constructs settle only on a second pass; repeat while anything still changes.
  for _ in 1 2; do
    unsettled="$(unformatted_cpp)"
    [ -n "$unsettled" ] || break
    # shellcheck disable=SC2086
    "$clang_format" -i $unsettled
  done
  "$prettier" --write --cache --cache-strategy content --log-level warn "${js[@]}"
  say "formatted ${#cpp[@]} C++ files (clang-format $clang_version) and ${#js[@]} JavaScript files (Prettier $("$prettier" --version))"
  exit 0
fi

# --check: a C++ file is formatted when clang-format would print it unchanged.
bad_cpp="$(unformatted_cpp)"
bad_js="$("$prettier" --list-different --cache --cache-strategy content "${js[@]}" 2>&1 || true)"
if [ -z "$bad_cpp" ] && [ -z "$bad_js" ]; then
  echo "formatted: ${#cpp[@]} C++ files and ${#js[@]} JavaScript files"
  exit 0
fi
{
  echo "these files are not formatted:"
  [ -z "$bad_cpp" ] || sed 's/^/  /' <<<"$bad_cpp"
  [ -z "$bad_js" ] || sed 's/^/  /' <<<"$bad_js"
  echo "run \`npm run format\` to format them, then commit the result."
  [ "$clang_version" = 14 ] ||
    echo "(this is clang-format $clang_version; the style is that of Debian 12's clang-format 14)"
} >&2
exit 1
