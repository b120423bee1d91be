#include "oauth/jwt.hpp"

#include "crypto/base64.hpp"

namespace bmcp::oauth {
namespace {

constexpr std::size_t kHs256SignatureBytes = 32;

JwtVerification reject(JwtError error, std::string_view message) {
  JwtVerification result;
  result.error = error;
  result.message = std::string(message);
  return result;
}

bool equals_ignoring_ascii_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) {
      return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// RFC 7515 §4.1.9: "typ" is a media type; "application/" may be omitted.
bool type_matches(std::string_view actual, std::string_view expected) {
  constexpr std::string_view prefix = "application/";
  if (actual.size() > prefix.size() &&
      equals_ignoring_ascii_case(actual.substr(0, prefix.size()), prefix))
    actual.remove_prefix(prefix.size());
  return equals_ignoring_ascii_case(actual, expected);
}

// RFC 7519 §2: NumericDate is a JSON number of seconds (fractions allowed).
// Returns false when the claim is present but not a number.
bool read_numeric_date(const Json& claims, std::string_view name, std::optional<double>& out) {
  const Json* value = find_member(claims, name);
  if (value == nullptr) return true;
  if (!value->is_number()) return false;
  out = value->get<double>();
  return true;
}

JwtVerification check_audience(const Json& claims, const JwtExpectations& expectations) {
  const Json* aud = find_member(claims, "aud");
  if (aud == nullptr) {
    if (expectations.audience) return reject(JwtError::WrongAudience, "token has no audience");
    return {};
  }
  // RFC 7519 §4.1.3: "aud" is a StringOrURI or an array of them.
  bool names_us = false;
  if (aud->is_string()) {
    names_us =
        expectations.audience && aud->get_ref<const std::string&>() == *expectations.audience;
  } else if (aud->is_array()) {
    for (const Json& entry : *aud) {
      if (!entry.is_string()) return reject(JwtError::InvalidClaim, "aud array holds a non-string");
      if (expectations.audience && entry.get_ref<const std::string&>() == *expectations.audience)
        names_us = true;
    }
  } else {
    return reject(JwtError::InvalidClaim, "aud is neither a string nor an array");
  }
  if (!names_us) return reject(JwtError::WrongAudience, "token is for another audience");
  return {};
}

JwtVerification check_claims(const Json& claims, const JwtExpectations& expectations) {
  // RFC 7519 §4.1.1, §4.1.2, §4.1.7: iss, sub and jti are strings.
  for (std::string_view name : {"iss", "sub", "jti"}) {
    const Json* value = find_member(claims, name);
    if (value != nullptr && !value->is_string())
      return reject(JwtError::InvalidClaim, std::string(name) + " is not a string");
  }

  std::optional<double> exp, nbf, iat;
  if (!read_numeric_date(claims, "exp", exp))
    return reject(JwtError::InvalidClaim, "exp is not a number");
  if (!read_numeric_date(claims, "nbf", nbf))
    return reject(JwtError::InvalidClaim, "nbf is not a number");
  if (!read_numeric_date(claims, "iat", iat))
    return reject(JwtError::InvalidClaim, "iat is not a number");

  const double now = static_cast<double>(expectations.now);
  const double leeway = static_cast<double>(expectations.leeway_seconds);
  if (!exp && expectations.require_expiry)
    return reject(JwtError::InvalidClaim, "token has no exp");
  // RFC 7519 §4.1.4: the current time MUST be before exp.
  if (exp && now >= *exp + leeway) return reject(JwtError::Expired, "token has expired");
  // RFC 7519 §4.1.5: the current time MUST be on or after nbf.
  if (nbf && now + leeway < *nbf) return reject(JwtError::NotYetValid, "token is not valid yet");
  // RFC 7519 §4.1.6 only records iat; one from the future means a forged or skewed issuer.
  if (iat && *iat > now + leeway)
    return reject(JwtError::NotYetValid, "token was issued in the future");

  if (expectations.issuer) {
    std::optional<std::string> iss = get_string(claims, "iss");
    if (!iss || *iss != *expectations.issuer)
      return reject(JwtError::WrongIssuer, "token is from another issuer");
  }
  return check_audience(claims, expectations);
}

}  // namespace

std::string_view jwt_error_name(JwtError error) {
  switch (error) {
    case JwtError::None: return "none";
    case JwtError::Malformed: return "malformed";
    case JwtError::BadAlgorithm: return "bad_algorithm";
    case JwtError::BadType: return "bad_type";
    case JwtError::BadSignature: return "bad_signature";
    case JwtError::Expired: return "expired";
    case JwtError::NotYetValid: return "not_yet_valid";
    case JwtError::WrongAudience: return "wrong_audience";
    case JwtError::WrongIssuer: return "wrong_issuer";
    case JwtError::InvalidClaim: return "invalid_claim";
  }
  return "unknown";
}

std::optional<std::string> sign_jwt_hs256(const CryptoPort& crypto, std::string_view secret,
                                          const Json& claims, std::string_view type) {
  if (!claims.is_object() || secret.empty()) return std::nullopt;
  Json header = Json::object();
  header["alg"] = "HS256";
  if (!type.empty()) header["typ"] = std::string(type);
  std::string token = crypto::base64url_encode(dump_json(header));
  token.push_back('.');
  token.append(crypto::base64url_encode(dump_json(claims)));
  // RFC 7515 §5.1: the signing input is the ASCII of "header.payload".
  std::string signature = crypto.hmac_sha256(secret, token);
  token.push_back('.');
  token.append(crypto::base64url_encode(signature));
  return token;
}

JwtVerification verify_jwt_hs256(const CryptoPort& crypto, std::string_view secret,
                                 std::string_view token, const JwtExpectations& expectations,
                                 VerifiedJwtCache* verified) {
  if (token.size() > kMaxJwtLength) return reject(JwtError::Malformed, "token is too long");
  if (secret.empty()) return reject(JwtError::BadSignature, "no signing secret is configured");

  // RFC 7515 §7.1: compact serialization is exactly three base64url parts joined by '.'.
  std::size_t first_dot = token.find('.');
  if (first_dot == std::string_view::npos)
    return reject(JwtError::Malformed, "token is not three segments");
  std::size_t second_dot = token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos ||
      token.find('.', second_dot + 1) != std::string_view::npos)
    return reject(JwtError::Malformed, "token is not three segments");
  std::string_view header_part = token.substr(0, first_dot);
  std::string_view payload_part = token.substr(first_dot + 1, second_dot - first_dot - 1);
  std::string_view signature_part = token.substr(second_dot + 1);
  std::string_view signing_input = token.substr(0, second_dot);

  // Steps 1-4 were passed by exactly this token moments ago (verified_jwt_cache.hpp): only
  // what depends on the caller's expectations and the clock is checked again.
  if (verified)
    if (const VerifiedJwtCache::Verified* known =
            verified->find(crypto, signing_input, signature_part, expectations.now)) {
      if (expectations.type) {
        std::optional<std::string> typ = get_string(known->header, "typ");
        if (!typ || !type_matches(*typ, *expectations.type))
          return reject(JwtError::BadType, "typ is not the expected type");
      }
      JwtVerification result = check_claims(known->claims, expectations);
      if (result.ok()) result.claims = known->claims;
      return result;
    }

  std::optional<std::string> header_text = crypto::base64url_decode(header_part);
  std::optional<std::string> payload_text = crypto::base64url_decode(payload_part);
  std::optional<std::string> signature = crypto::base64url_decode(signature_part);
  if (!header_text || !payload_text || !signature)
    return reject(JwtError::Malformed, "a segment is not base64url");

  // RFC 7515 §5.2 step 3-4: the header is a UTF-8 JSON object.
  std::optional<Json> header = parse_json(*header_text);
  if (!header || !header->is_object())
    return reject(JwtError::Malformed, "header is not a JSON object");

  // RFC 8725 §3.1: the algorithm is fixed by us, never taken from the token. The comparison
  // is exact: "hs256" is a different (unregistered) algorithm name (RFC 7515 §4.1.1).
  std::optional<std::string> alg = get_string(*header, "alg");
  if (!alg || *alg != "HS256") return reject(JwtError::BadAlgorithm, "alg is not HS256");
  // RFC 7515 §4.1.11: critical extensions we do not understand make the JWS invalid.
  if (find_member(*header, "crit") != nullptr)
    return reject(JwtError::Malformed, "header lists critical extensions");
  if (expectations.type) {
    std::optional<std::string> typ = get_string(*header, "typ");
    if (!typ || !type_matches(*typ, *expectations.type))
      return reject(JwtError::BadType, "typ is not the expected type");
  }

  // RFC 7515 §5.2 step 8 with RFC 7518 §3.2: recompute and compare in constant time.
  std::string expected = crypto.hmac_sha256(secret, signing_input);
  if (signature->size() != kHs256SignatureBytes ||
      !crypto.constant_time_equal(*signature, expected))
    return reject(JwtError::BadSignature, "signature does not verify");

  // RFC 7519 §7.2 step 10: the claims set is a JSON object.
  std::optional<Json> claims = parse_json(*payload_text);
  if (!claims || !claims->is_object())
    return reject(JwtError::Malformed, "payload is not a JSON object");

  if (verified)
    verified->remember(signing_input, signature_part, {std::move(*header), *claims},
                       expectations.now);
  JwtVerification result = check_claims(*claims, expectations);
  if (result.ok()) result.claims = std::move(*claims);
  return result;
}

}  // namespace bmcp::oauth
