#include "brokers/schwab/schwab_api.hpp"

#include "brokers/broker_call.hpp"
#include "brokers/schwab/schwab_accounts.hpp"

namespace bmcp::schwab {

upstream::Endpoint schwab_endpoint(const Json& vars) {
  upstream::Endpoint ep =
      brokers::base_endpoint(brokers::Broker::Schwab, vars, "SCHWAB_API_BASE", kDefaultApiBase);
  ep.correlation_header = "Schwab-Client-CorrelId";
  if (auto t = get_string(vars, "SCHWAB_TIMEOUT_MS")) {
    std::int64_t ms = 0;
    bool ok = !t->empty() && t->size() < 7;
    for (char c : *t) ok = ok && c >= '0' && c <= '9', ms = ms * 10 + (c - '0');
    if (ok && ms >= 1000) ep.timeout_ms = ms;
  }
  ep.error_message = schwab_error_message;
  return ep;
}

std::string schwab_error_message(const Json& body) {
  std::string out;
  auto add = [&out](const std::string& s) {
    if (s.empty() || out.find(s) != std::string::npos) return;
    out += (out.empty() ? "" : "; ") + s;
  };
  if (auto m = get_string(body, "message")) add(*m);
  if (auto m = get_string(body, "error_description")) add(*m);
  else if (auto m = get_string(body, "error")) add(*m);
  if (const Json* errors = find_member(body, "errors"); errors && errors->is_array()) {
    for (const Json& e : *errors) {
      if (out.size() > 400) break;
      if (e.is_string()) {
        add(e.get<std::string>());
      } else if (e.is_object()) {
        std::string item = get_string(e, "detail").value_or(get_string(e, "title").value_or(""));
        if (const Json* src = find_member(e, "source"))
          if (auto p = get_string(*src, "parameter")) item += " (parameter " + *p + ")";
        add(item);
      }
    }
  }
  return out;
}

namespace {
std::string error_words(const upstream::UpstreamError& e) {
  return e.describe(brokers::broker_label(brokers::Broker::Schwab));
}
mcp::ToolResult error_result(const upstream::UpstreamError& e,
                             const privacy::AccountDisplayMap* map) {
  return mcp::ToolResult::error(brokers::scrub_text(error_words(e), map));
}
}  // namespace

const brokers::BrokerProfile& schwab_profile() {
  // Account numbers and hashes, and the preferences that name them, asked together.
  static const brokers::BrokerProfile profile{brokers::Broker::Schwab,
                                              "/trader/v1/accounts/accountNumbers",
                                              "/trader/v1/userPreference",
                                              account_identities,
                                              error_words,
                                              error_result};
  return profile;
}

}  // namespace bmcp::schwab
