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
  (cd "$dir" && emmake make -j"$jobs" core 2>&1 | grep -Ev '^\[|^make|deprecated-experimental-coroutine|^\s*$' || true)
  [ -f "$dir/core.wasm" ] || die "core.wasm was not built"
  node "$ROOT/scripts/check-wasm-imports.mjs" "$dir/core.wasm"
}

build_native() {
  local dir="$ROOT/build/native"
  mkdir -p "$dir"
  if [ ! -f "$dir/CMakeCache.txt" ]; then
    say "configuring the native build"
    (cd "$dir" && cmake "$ROOT" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null)
  fi
  say "building native library and unit tests"
  (cd "$dir" && make -j"$jobs" unit_tests 2>&1 | grep -E 'error|warning' || true)
  [ -x "$dir/unit_tests" ] || die "unit_tests was not built"
}

case "$target" in
  wasm) build_wasm wasm production ;;
  conformance) build_wasm wasm-conformance conformance ;;
  native) build_native ;;
  all) build_native; build_wasm wasm production ;;
  *) die "unknown target $target" ;;
esac
