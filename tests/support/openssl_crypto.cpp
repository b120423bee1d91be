#include "support/openssl_crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>

namespace bmcp::testing {
namespace {
const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
}  // namespace

std::string OpenSslCrypto::sha256(std::string_view data) const {
  std::string out(SHA256_DIGEST_LENGTH, '\0');
  SHA256(bytes(data), data.size(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

std::string OpenSslCrypto::hmac_sha256(std::string_view key, std::string_view data) const {
  std::string out(32, '\0');
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), bytes(data), data.size(),
       reinterpret_cast<unsigned char*>(out.data()), &len);
  out.resize(len);
  return out;
}

std::optional<std::string> OpenSslCrypto::aes256gcm_seal(std::string_view key, std::string_view iv,
                                                         std::string_view plaintext,
                                                         std::string_view aad) const {
  if (key.size() != 32 || iv.size() != 12) return std::nullopt;
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(plaintext.size() + 16, '\0');
  int len = 0, total = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(iv)))
    return std::nullopt;
  if (!aad.empty() &&
      !EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())))
    return std::nullopt;
  if (!EVP_EncryptUpdate(ctx.get(), o, &len, bytes(plaintext), static_cast<int>(plaintext.size())))
    return std::nullopt;
  total = len;
  if (!EVP_EncryptFinal_ex(ctx.get(), o + total, &len)) return std::nullopt;
  total += len;
  if (!EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, o + total)) return std::nullopt;
  out.resize(static_cast<std::size_t>(total) + 16);
  return out;
}

std::optional<std::string> OpenSslCrypto::aes256gcm_open(std::string_view key, std::string_view iv,
                                                         std::string_view sealed,
                                                         std::string_view aad) const {
  if (key.size() != 32 || iv.size() != 12 || sealed.size() < 16) return std::nullopt;
  std::string_view body = sealed.substr(0, sealed.size() - 16);
  std::string tag(sealed.substr(sealed.size() - 16));
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out(body.size() + 16, '\0');
  int len = 0, total = 0;
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  if (!EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(iv)))
    return std::nullopt;
  if (!aad.empty() &&
      !EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())))
    return std::nullopt;
  if (!EVP_DecryptUpdate(ctx.get(), o, &len, bytes(body), static_cast<int>(body.size())))
    return std::nullopt;
  total = len;
  if (!EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag.data())) return std::nullopt;
  if (EVP_DecryptFinal_ex(ctx.get(), o + total, &len) <= 0) return std::nullopt;
  total += len;
  out.resize(static_cast<std::size_t>(total));
  return out;
}

std::string OpenSslCrypto::random_bytes(std::size_t count) const {
  std::string out(count, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(count));
  return out;
}

bool OpenSslCrypto::constant_time_equal(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace bmcp::testing
