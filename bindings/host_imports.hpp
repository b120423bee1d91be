// Functions the host provides to core.wasm (module "env"), implemented by
// worker-shim/host-imports.js. Synchronous, and only for primitives that must not be
// written by hand (DESIGN.md §1): hashing, MACs, AEAD, randomness, constant-time compare,
// and logging. Buffers are (pointer, length) pairs in the module's memory.
#pragma once

#include <cstdint>

extern "C" {
void host_sha256(const void* data, std::uint32_t len, void* out32);
void host_hmac_sha256(const void* key, std::uint32_t key_len, const void* data,
                      std::uint32_t data_len, void* out32);
// Returns the output length (plaintext + 16), or -1 on failure.
std::int32_t host_aes256gcm_seal(const void* key32, const void* iv12, const void* plain,
                                 std::uint32_t plain_len, const void* aad, std::uint32_t aad_len,
                                 void* out);
// Returns the plaintext length, or -1 when authentication fails.
std::int32_t host_aes256gcm_open(const void* key32, const void* iv12, const void* sealed,
                                 std::uint32_t sealed_len, const void* aad, std::uint32_t aad_len,
                                 void* out);
void host_random_bytes(void* out, std::uint32_t len);
std::int32_t host_constant_time_equal(const void* a, const void* b, std::uint32_t len);
void host_log(std::int32_t level, const void* message, std::uint32_t len);
}
