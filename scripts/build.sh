#!/usr/bin/env bash
# Builds the core. Usage: scripts/build.sh [wasm|native|all]  (default: wasm)
#   wasm     build/wasm/core.wasm (Emscripten), then checks its imports
#   native   build/native/unit_tests (g++, Catch2)
source "$(dirname "$0")/lib.sh"
target="${1:-wasm}"
jobs="$(nproc 2>/dev/null || echo 2)"

build_wasm() {
  local dir="$ROOT/build/${1:-wasm}" flavor="${2:-production}"
  mkdir -p "$dir"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    say "configuring the wasm build ($flavor)"
    (cd "$dir" && emcmake cmake "$ROOT" -DCMAKE_BUILD_TYPE=Release -DBMCP_FLAVOR="$flavor" >/dev/null)
  fi
  say "building core.wasm ($flavor)"
  if ! (cd "$dir" && emmake make -j"$jobs" core) >"$dir/build.log" 2>&1; then
    grep -E 'error|Error' "$dir/build.log" | head -30 >&2
    die "the wasm build failed (full log: $dir/build.log)"
  fi
  node "$ROOT/scripts/check-wasm-imports.mjs" "$dir/core.wasm"
}

build_native() {
  local dir="$ROOT/build/native"
  mkdir -p "$dir"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    say "configuring the native build"
    (cd "$dir" && cmake "$ROOT" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -g1" -DBMCP_SANITIZE=ON >/dev/null)
  fi
  say "building native library and unit tests"
  if ! (cd "$dir" && make -j"$jobs" unit_tests) >"$dir/build.log" 2>&1; then
    grep -E 'error' "$dir/build.log" | head -30 >&2
    die "the native build failed (full log: $dir/build.log)"
  fi
}

# Coroutine patterns GCC 12 miscompiles are refused before any build.
node "$ROOT/scripts/check-coroutine-rules.mjs" || die "fix the coroutine patterns above"

case "$target" in
  wasm) build_wasm wasm production ;;
  conformance) build_wasm wasm-conformance conformance ;;
  native) build_native ;;
  all) build_native; build_wasm wasm production ;;
  *) die "unknown target $target" ;;
esac
