#!/usr/bin/env bash
# npm run size: where core.wasm's bytes go. Links the names-preserving variant of the same
# objects (CMake target core_named, built in build/wasm beside core.wasm) and prints the code
# by source area, the biggest functions and the data; then what the upload is, gzip -9.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/build.sh" wasm
dir="$ROOT/build/wasm"
say "linking core_named.wasm (function names kept)"
(cd "$dir" && emmake make core_named >"$dir/size.log" 2>&1) || die "linking core_named failed (see $dir/size.log)"
node "$ROOT/scripts/size/report.mjs" "$dir/core_named.wasm" "${1:-25}"
echo
echo "upload (gzip -9): core.wasm $(( $(gzip -9 -c "$dir/core.wasm" | wc -c) / 1024 )) KB"
