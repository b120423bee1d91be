#include "brokers/tastytrade/tastytrade_api.hpp"

#include "brokers/broker_call.hpp"
#include "brokers/tastytrade/tastytrade_accounts.hpp"

#include <cstdlib>

namespace bmcp::tastytrade {

upstream::Endpoint tastytrade_endpoint(const Json& vars, std::string_view server_version) {
  upstream::Endpoint ep = brokers::base_endpoint(brokers::Broker::Tastytrade, vars,
                                                 "TASTYTRADE_API_BASE", kDefaultApiBase);
  ep.correlation_header = "X-Request-Id";
  ep.user_agent =
      "broker-mcp/" + (server_version.empty() ? std::string("1.0") : std::string(server_version));
  ep.error_message = tastytrade_error_message;
  return ep;
}

std::string tastytrade_error_message(const Json& body) {
  std::string out;
  auto add = [&out](const std::string& s) {
    if (s.empty() || out.find(s) != std::string::npos || out.size() > 400) return;
    out += (out.empty() ? "" : "; ") + s;
  };
  const Json* err = find_member(body, "error");
  if (err && err->is_string()) add(err->get<std::string>());
  const Json& e = err && err->is_object() ? *err : body;
  std::string code = get_string(e, "code").value_or(get_string(body, "error_code").value_or(""));
  std::string msg =
      get_string(e, "message").value_or(get_string(body, "error_description").value_or(""));
  if (!code.empty() && !msg.empty()) add(code + ": " + msg);
  else add(code.empty() ? msg : code);
  if (const Json* list = find_member(e, "errors"); list && list->is_array()) {
    for (const Json& item : *list) {
      std::string m = get_string(item, "message").value_or(get_string(item, "reason").value_or(""));
      if (auto d = get_string(item, "domain"); d && !m.empty()) m = *d + ": " + m;
      add(m);
    }
  }
  return out;
}

const Json& data_of(const Json& body) {
  const Json* d = find_member(body, "data");
  return d ? *d : body;
}

Json items_of(const Json& body) {
  const Json& d = data_of(body);
  if (const Json* items = find_member(d, "items"); items && items->is_array()) return *items;
  if (d.is_array()) return d;
  if (d.is_object()) return Json::array({d});
  return Json::array();
}

Json pagination_of(const Json& body) {
  const Json* p = find_member(body, "pagination");
  if (!p || !p->is_object()) return Json();
  Json out = Json::object();
  if (auto v = get_int(*p, "page-offset")) out["page"] = *v;
  if (auto v = get_int(*p, "total-pages")) out["pages"] = *v;
  if (auto v = get_int(*p, "per-page")) out["perPage"] = *v;
  if (auto v = get_int(*p, "total-items")) out["total"] = *v;
  return out;
}

std::optional<double> decimal(const Json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  if (s.empty() || s.size() > 40) return std::nullopt;
  // Only plain decimal notation: digits, one point, a leading sign, an exponent.
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> decimal_member(const Json& object, std::string_view key) {
  const Json* v = find_member(object, key);
  return v ? decimal(*v) : std::nullopt;
}

std::optional<double> signed_amount(const Json& object, std::string_view key) {
  auto v = decimal_member(object, key);
  if (!v) return std::nullopt;
  std::string effect_key = std::string(key) + "-effect";
  std::string effect = get_string(object, effect_key).value_or("");
  double magnitude = *v < 0 ? -*v : *v;
  if (effect == "Debit") return -magnitude;
  if (effect == "Credit") return magnitude;
  return *v;
}

std::string user_key(std::string_view user_id, std::string_view what) {
  std::string k = "user:";
  k += user_id;
  k += ":tastytrade:";
  k += what;
  return k;
}

std::string quote_key(std::string_view instrument_type, std::string_view symbol) {
  std::string k = "quote:tastytrade:";
  k += instrument_type;
  k += ':';
  for (char c : symbol) k.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  return k;
}

Json TypedError::to_json() const {
  Json out = {{"code", code}, {"message", message}, {"retryable", retryable}, {"status", status}};
  if (retry_after_seconds > 0) out["retryAfter"] = retry_after_seconds;
  return out;
}

TypedError typed_error(const upstream::UpstreamError& e) {
  TypedError t;
  t.message = e.message;
  using upstream::ErrorCode;
  switch (e.code) {
    case ErrorCode::InvalidToken: t.code = "AUTHENTICATION_ERROR", t.status = 401; break;
    case ErrorCode::InsufficientScope: t.code = "PERMISSION_DENIED", t.status = 403; break;
    case ErrorCode::NotFound: t.code = "NOT_FOUND", t.status = 404; break;
    case ErrorCode::RateLimited: t.code = "RATE_LIMIT", t.status = 429, t.retryable = true; break;
    case ErrorCode::InvalidRequest:
      // tastytrade answers 422 for an order it will not take.
      if (e.http_status == 422) t.code = "ORDER_REJECTED", t.status = 422;
      else t.code = "VALIDATION_ERROR", t.status = 400;
      break;
    case ErrorCode::NetworkError:
      t.code = "UPSTREAM_UNAVAILABLE", t.status = 503, t.retryable = !e.outcome_unknown;
      break;
    case ErrorCode::InternalError: t.code = "INTERNAL_ERROR", t.status = 500; break;
    case ErrorCode::ServerError:
      t.code = "UPSTREAM_ERROR", t.status = 502, t.retryable = !e.outcome_unknown;
      break;
    case ErrorCode::InvalidResponse: t.code = "UPSTREAM_ERROR", t.status = 502; break;
  }
  if (e.retry_after_ms > 0) t.retry_after_seconds = (e.retry_after_ms + 999) / 1000;
  if (t.code == "RATE_LIMIT" && t.retry_after_seconds == 0) t.retry_after_seconds = 1;
  if (e.outcome_unknown)
    t.message +=
        " The order may or may not have reached tastytrade: check get_orders before trying again.";
  return t;
}

TypedError validation_error(std::string message) {
  TypedError t;
  t.code = "VALIDATION_ERROR";
  t.status = 400;
  t.message = std::move(message);
  return t;
}

namespace {
std::string error_words(const upstream::UpstreamError& e) {
  TypedError t = typed_error(e);
  return t.code + ": " + t.message;
}

mcp::ToolResult error_result(const upstream::UpstreamError& e,
                             const privacy::AccountDisplayMap* map) {
  TypedError t = typed_error(e);
  t.message = brokers::scrub_text(t.message, map);
  Json body = {{"error", t.to_json()}};
  mcp::ToolResult r = mcp::ToolResult::structured_json(std::move(body));
  r.content = Json::array(
      {Json{{"type", "text"},
            {"text", t.code + ": " + t.message + (t.retryable ? " (retryable)" : "")}}});
  r.is_error = true;
  return r;
}
}  // namespace

const brokers::BrokerProfile& tastytrade_profile() {
  static const brokers::BrokerProfile profile{
      brokers::Broker::Tastytrade,
      "/customers/me/accounts",
      nullptr,
      [](const Json& accounts, const Json&) { return account_identities(accounts); },
      error_words,
      error_result};
  return profile;
}

}  // namespace bmcp::tastytrade
