// Functions the host provides to core.wasm (module "env"), implemented by
// worker-shim/host-imports.js. Synchronous, and only for primitives that must not be
// written by hand: hashing, MACs, AEAD, randomness, constant-time compare,
// and logging. Buffers are (pointer, length) pairs in the module's memory.
#pragma once

#include <cstdint>

// Each import is named explicitly, so the link can refuse every other undefined symbol.
#define BMCP_HOST_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

extern "C" {
BMCP_HOST_IMPORT(host_sha256) void host_sha256(const void* data, std::uint32_t len, void* out32);
BMCP_HOST_IMPORT(host_hmac_sha256)
void host_hmac_sha256(const void* key, std::uint32_t key_len, const void* data,
                      std::uint32_t data_len, void* out32);
// Returns the output length (plaintext + 16), or -1 on failure.
BMCP_HOST_IMPORT(host_aes256gcm_seal)
std::int32_t host_aes256gcm_seal(const void* key32, const void* iv12, const void* plain,
                                 std::uint32_t plain_len, const void* aad, std::uint32_t aad_len,
                                 void* out);
// Returns the plaintext length, or -1 when authentication fails.
BMCP_HOST_IMPORT(host_aes256gcm_open)
std::int32_t host_aes256gcm_open(const void* key32, const void* iv12, const void* sealed,
                                 std::uint32_t sealed_len, const void* aad, std::uint32_t aad_len,
                                 void* out);
BMCP_HOST_IMPORT(host_random_bytes) void host_random_bytes(void* out, std::uint32_t len);
BMCP_HOST_IMPORT(host_constant_time_equal)
std::int32_t host_constant_time_equal(const void* a, const void* b, std::uint32_t len);
BMCP_HOST_IMPORT(host_log)
void host_log(std::int32_t level, const void* message, std::uint32_t len);
}
