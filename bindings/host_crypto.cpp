#include "host_crypto.hpp"

#include "host_imports.hpp"

namespace bmcp::bindings {

std::string HostCrypto::sha256(std::string_view data) const {
  std::string out(32, '\0');
  host_sha256(data.data(), static_cast<std::uint32_t>(data.size()), out.data());
  return out;
}

std::string HostCrypto::hmac_sha256(std::string_view key, std::string_view data) const {
  std::string out(32, '\0');
  host_hmac_sha256(key.data(), static_cast<std::uint32_t>(key.size()), data.data(),
                   static_cast<std::uint32_t>(data.size()), out.data());
  return out;
}

std::optional<std::string> HostCrypto::aes256gcm_seal(std::string_view key, std::string_view iv,
                                                      std::string_view plaintext,
                                                      std::string_view aad) const {
  if (key.size() != 32 || iv.size() != 12) return std::nullopt;
  std::string out(plaintext.size() + 16, '\0');
  std::int32_t n = host_aes256gcm_seal(key.data(), iv.data(), plaintext.data(),
                                       static_cast<std::uint32_t>(plaintext.size()), aad.data(),
                                       static_cast<std::uint32_t>(aad.size()), out.data());
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::optional<std::string> HostCrypto::aes256gcm_open(std::string_view key, std::string_view iv,
                                                      std::string_view sealed,
                                                      std::string_view aad) const {
  if (key.size() != 32 || iv.size() != 12 || sealed.size() < 16) return std::nullopt;
  std::string out(sealed.size(), '\0');
  std::int32_t n = host_aes256gcm_open(key.data(), iv.data(), sealed.data(),
                                       static_cast<std::uint32_t>(sealed.size()), aad.data(),
                                       static_cast<std::uint32_t>(aad.size()), out.data());
  if (n < 0) return std::nullopt;
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string HostCrypto::random_bytes(std::size_t count) const {
  std::string out(count, '\0');
  if (count) host_random_bytes(out.data(), static_cast<std::uint32_t>(count));
  return out;
}

bool HostCrypto::constant_time_equal(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  return host_constant_time_equal(a.data(), b.data(), static_cast<std::uint32_t>(a.size())) != 0;
}

}  // namespace bmcp::bindings
