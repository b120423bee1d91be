#include "oauth/consent_ticket.hpp"

#include "base/json.hpp"
#include "crypto/sealed_box.hpp"

namespace bmcp::oauth {

std::optional<std::string> seal_consent_ticket(const CryptoPort& crypto, std::string_view key,
                                               const ConsentTicket& ticket, std::string_view iv) {
  if (ticket.request.client_id.empty() || ticket.request.redirect_uri.empty() ||
      ticket.request.code_challenge.empty() || ticket.csrf_nonce.empty())
    return std::nullopt;
  Json payload = Json::object();
  payload["v"] = 1;
  payload["client_id"] = ticket.request.client_id;
  payload["redirect_uri"] = ticket.request.redirect_uri;
  payload["state"] = ticket.request.state;
  payload["code_challenge"] = ticket.request.code_challenge;
  payload["scope"] = ticket.request.scope;
  payload["resource"] = ticket.request.resource;
  payload["csrf"] = ticket.csrf_nonce;
  payload["trade"] = ticket.offer_trade;
  payload["exp"] = ticket.expires_at;
  return crypto::seal(crypto, key, dump_json(payload), kConsentTicketAad, iv);
}

std::optional<ConsentTicket> open_consent_ticket(const CryptoPort& crypto, std::string_view key,
                                                 std::string_view sealed, std::int64_t now) {
  if (sealed.empty() || sealed.size() > 8192) return std::nullopt;
  auto plaintext = crypto::open(crypto, key, sealed, kConsentTicketAad);
  if (!plaintext) return std::nullopt;
  auto payload = parse_json(*plaintext);
  if (!payload || get_int(*payload, "v") != 1) return std::nullopt;
  auto exp = get_int(*payload, "exp");
  if (!exp || now >= *exp) return std::nullopt;
  ConsentTicket ticket;
  ticket.expires_at = *exp;
  ticket.offer_trade = get_bool(*payload, "trade").value_or(false);
  struct Field {
    std::string_view name;
    std::string* target;
  };
  for (const Field& f :
       {Field{"client_id", &ticket.request.client_id},
        Field{"redirect_uri", &ticket.request.redirect_uri}, Field{"state", &ticket.request.state},
        Field{"code_challenge", &ticket.request.code_challenge},
        Field{"scope", &ticket.request.scope}, Field{"resource", &ticket.request.resource},
        Field{"csrf", &ticket.csrf_nonce}}) {
    auto value = get_string(*payload, f.name);
    if (!value) return std::nullopt;
    *f.target = std::move(*value);
  }
  if (ticket.request.client_id.empty() || ticket.request.redirect_uri.empty() ||
      ticket.request.code_challenge.empty() || ticket.csrf_nonce.empty())
    return std::nullopt;
  return ticket;
}

}  // namespace bmcp::oauth
