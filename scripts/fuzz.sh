#!/usr/bin/env bash
# Builds the libFuzzer target for the core's parsers (tests/fuzz/parsers_fuzz.cpp) with
# AddressSanitizer and UndefinedBehaviorSanitizer through CMake (BMCP_FUZZ=ON, clang, in
# build/fuzz), then runs it.
#
#   scripts/fuzz.sh [seconds]        run for N seconds (default 60); npm run fuzz
#
# Installs clang (scripts/setup.sh fuzz) unless CXX_FUZZ names another compiler; when its
# libFuzzer runtime is missing and the script runs as root it installs
# libclang-rt-<version>-dev with apt-get. Crashes are written to
# build/fuzz/artifacts/ and the corpus grows in build/fuzz/corpus/. Exits non-zero on a
# crash (libFuzzer's own exit status).
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${FUZZ_WORK_DIR:-$root/build/fuzz}"
cxx="${CXX_FUZZ:-clang++}"

# clang and nlohmann/json from Debian (installed when missing, as every script here does).
[ -n "${CXX_FUZZ:-}" ] || bash "$root/scripts/setup.sh" fuzz
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "fuzz.sh: $cxx not found; install clang (apt-get install -y clang)" >&2
  exit 1
fi
if [ ! -f /usr/include/nlohmann/json.hpp ]; then
  echo "fuzz.sh: nlohmann/json not found; install nlohmann-json3-dev" >&2
  exit 1
fi

mkdir -p "$work/corpus" "$work/artifacts"

# Can this clang link a libFuzzer binary?
probe_libfuzzer() {
  printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' \
    > "$work/probe.cpp"
  "$cxx" -fsanitize=fuzzer "$work/probe.cpp" -o "$work/probe" >/dev/null 2>&1
}
if ! probe_libfuzzer; then
  clang_major="$("$cxx" -dumpversion | cut -d. -f1)"
  package="libclang-rt-${clang_major}-dev"
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "fuzz.sh: libFuzzer runtime missing, installing $package" >&2
    apt-get install -y "$package" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$package"; }
    probe_libfuzzer || { echo "fuzz.sh: still cannot link -fsanitize=fuzzer" >&2; exit 1; }
  else
    echo "fuzz.sh: clang cannot link -fsanitize=fuzzer; install $package (as root)" >&2
    exit 1
  fi
fi

binary="$work/parsers_fuzz"
echo "fuzz.sh: building $binary" >&2
if [ ! -f "$work/CMakeCache.txt" ]; then
  (cd "$work" && CXX="$cxx" cmake "$root" -DBMCP_FUZZ=ON -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CXX_FLAGS_RELEASE="-O1" >/dev/null)
fi
if ! (cd "$work" && make -j"$(nproc 2>/dev/null || echo 2)" parsers_fuzz) >"$work/build.log" 2>&1; then
  grep -E 'error' "$work/build.log" | head -30 >&2
  echo "fuzz.sh: the fuzz build failed (full log: $work/build.log)" >&2
  exit 1
fi

# A few well-formed inputs give the fuzzer a head start.
seed() { printf '%s' "$2" > "$work/corpus/seed-$1"; }
seed form 'grant_type=authorization_code&code=abc%40&redirect_uri=https%3A%2F%2Fa.example%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
seed cookie 'mcp-approved-clients=v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA; theme="dark"'
seed bearer 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.AAAA'
seed basic 'Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3'
seed claims '{"sub":"u","aud":["https://mcp.example.com/mcp"],"iss":"https://mcp.example.com","exp":1760000100,"iat":1759999990,"nbf":1}'
seed redirect 'http://127.0.0.1:33418/callback?x=1'
seed state '{"v":1,"clients":[{"id":"a","exp":1}],"client_id":"c","broker":"schwab"}'
seed rpc '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"},"name":"status","arguments":{"a":[1,{"b":null}]}}}'
seed deep '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]'
seed document '{"client_id":"https://client.example/doc.json","client_name":"A","redirect_uris":["https://client.example/cb"],"token_endpoint_auth_method":"none"}'
seed frame '{"type":"subscribe","channels":["analysis:1"]}'
seed url 'https://client.example:8443/doc.json?x=1'
seed sse $'a\r\nb\rc\nevent: x\n\ndata: y'

echo "fuzz.sh: running for ${seconds}s" >&2
cd "$work/artifacts"
"$binary" -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus"
