#!/usr/bin/env bash
# Installs what the project needs on a Debian machine, then the npm packages from the
# lockfile. Usage: scripts/setup.sh [dev|test|bench|fuzz]  (default: dev)
#   dev    compilers and libraries to build core.wasm, Node packages
#   test   + native test libraries, Chromium for the browser tests, clang-format for the
#          format check
#   bench  + wrk and hyperfine
#   fuzz   + clang (libFuzzer comes with its runtime; scripts/fuzz.sh checks it links)
source "$(dirname "$0")/lib.sh"
profile="${1:-dev}"

packages=(emscripten nlohmann-json3-dev cmake g++ make curl)
case "$profile" in
  dev) ;;
  test) packages+=(catch2 libssl-dev libsqlite3-dev chromium clang-format) ;;
  bench) packages+=(wrk hyperfine) ;;
  fuzz) packages+=(clang) ;;
  *) die "unknown profile $profile (dev, test, bench or fuzz)" ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    die "missing Debian packages; run: sudo apt-get install -y ${missing[*]}"
  fi
fi

node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
[ "$node_major" -ge 20 ] || die "Node.js 20 or newer is needed (found $(node --version 2>/dev/null || echo none))"

# npm ci when node_modules is missing or older than the lockfile.
if [ ! -f "$ROOT/node_modules/.package-lock.json" ] ||
   [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
  say "installing npm packages from the lockfile"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
fi
