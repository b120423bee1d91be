// VerifiedJwtCache: the JWTs this isolate verified the signature of in the last minutes,
// so an MCP client's stream of requests with one access token costs one HMAC and one
// decoding of the token, not one per request (they were a third of the core's time for a
// ping).
//
// What is remembered is only what the signature proves: that this exact header and payload
// (the signing input, RFC 7515 §5.1) carry this exact signature, with the decoded header and
// claims. A token is found only when both its signing input and its signature text equal a
// remembered one — the signature compared in constant time, so a lookup says nothing about
// a signature it did not already hold. Everything that depends on the moment or the request
// (alg/typ, exp, nbf, iat, aud, iss; the grant's liveness, oauth/grant_cache.hpp) is still
// checked on every request by verify_jwt_hs256. Only tokens whose signature verified enter,
// so only tokens this server signed. One cache per signing secret (the App's Services, built
// per configuration). Bounded: at most kMaxEntries, kept kTtlSeconds; expired entries go first.
#pragma once

#include "base/json.hpp"
#include "crypto/crypto_port.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace bmcp::oauth {

class VerifiedJwtCache {
 public:
  static constexpr std::int64_t kTtlSeconds = 300;
  static constexpr std::size_t kMaxEntries = 1024;

  struct Verified {
    Json header;  // the decoded JOSE header
    Json claims;  // the decoded payload (a JSON object)
  };

  // What was verified for `signing_input` with exactly `signature` (its base64url text), or
  // nullptr. `now` in seconds since the epoch.
  const Verified* find(const CryptoPort& crypto, std::string_view signing_input,
                       std::string_view signature, std::int64_t now) const;
  void remember(std::string_view signing_input, std::string_view signature, Verified verified,
                std::int64_t now);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string signature;
    Verified verified;
    std::int64_t until = 0;
  };
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace bmcp::oauth
