// CryptoPort over the host imports: what the core's crypto calls become inside the Worker.
#pragma once

#include "crypto/crypto_port.hpp"

namespace bmcp::bindings {

class HostCrypto final : public CryptoPort {
 public:
  std::string sha256(std::string_view data) const override;
  std::string hmac_sha256(std::string_view key, std::string_view data) const override;
  std::optional<std::string> aes256gcm_seal(std::string_view key, std::string_view iv,
                                            std::string_view plaintext,
                                            std::string_view aad) const override;
  std::optional<std::string> aes256gcm_open(std::string_view key, std::string_view iv,
                                            std::string_view sealed,
                                            std::string_view aad) const override;
  std::string random_bytes(std::size_t count) const override;
  bool constant_time_equal(std::string_view a, std::string_view b) const override;
};

}  // namespace bmcp::bindings
