#include "brokers/tastytrade/quote_cache.hpp"

#include "brokers/tastytrade/tastytrade_api.hpp"
#include "brokers/upstream/url.hpp"
#include "effects/host_api.hpp"
#include "effects/when_all.hpp"

namespace bmcp::tastytrade {

namespace {
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool looks_occ(const std::string& s) {
  // root (1-6, padded with spaces to 6 in OCC) + yymmdd + C|P + 8 digits
  if (s.size() < 16) return false;
  std::size_t n = s.size();
  for (std::size_t i = n - 8; i < n; ++i)
    if (!is_digit(s[i])) return false;
  char cp = s[n - 9];
  if (cp != 'C' && cp != 'P') return false;
  for (std::size_t i = n - 15; i < n - 9; ++i)
    if (!is_digit(s[i])) return false;
  return true;
}

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}
}  // namespace

QuoteRequest classify_symbol(std::string symbol) {
  std::string s = upper(std::move(symbol));
  while (!s.empty() && s.back() == ' ') s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  if (s.rfind("./", 0) == 0) return {"future-option", s};
  if (!s.empty() && s[0] == '/') return {"future", s};
  if (s.find('/') != std::string::npos) return {"cryptocurrency", s};
  if (looks_occ(s)) {
    // OCC pads the root to six characters with spaces.
    std::string root = s.substr(0, s.size() - 15);
    while (!root.empty() && root.back() == ' ') root.pop_back();
    if (root.size() < 6) root.append(6 - root.size(), ' ');
    return {"equity-option", root + s.substr(s.size() - 15)};
  }
  if (!s.empty() && s[0] == '$') return {"index", s.substr(1)};
  static const char* kIndices[] = {"SPX", "VIX", "NDX",   "RUT", "DJX",
                                   "XSP", "DJI", "COMPX", "OEX", "VIX9D"};
  for (const char* i : kIndices)
    if (s == i) return {"index", s};
  return {"equity", s};
}

Task<upstream::Outcome<QuoteBatch>> get_quotes(Io& io, const upstream::UpstreamClient& client,
                                               std::string user_id,
                                               std::vector<QuoteRequest> wanted) {
  QuoteBatch out;
  const std::int64_t now = io.now_ms();
  std::vector<Task<std::optional<std::string>>> reads;
  for (const auto& w : wanted)
    reads.push_back(host::kv_get(io, quote_key(w.instrument_type, w.symbol)));
  std::vector<std::optional<std::string>> cached = co_await when_all(std::move(reads));

  std::vector<std::optional<Json>> found(wanted.size());
  upstream::QueryString query;
  std::vector<std::size_t> to_fetch;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (cached[i]) {
      auto parsed = parse_json(*cached[i]);
      std::int64_t at = parsed ? get_int(*parsed, "fetchedAt").value_or(0) : 0;
      const Json* q = parsed ? find_member(*parsed, "quote") : nullptr;
      if (q && at <= now && now - at < kQuoteTtlMs) {
        found[i] = *q;
        ++out.cache_hits;
        if (!out.oldest_fetched_at_ms || at < out.oldest_fetched_at_ms)
          out.oldest_fetched_at_ms = at;
        continue;
      }
    }
    to_fetch.push_back(i);
    query.add(wanted[i].instrument_type, wanted[i].symbol);
  }

  if (!to_fetch.empty()) {
    upstream::UpstreamRequest req;
    req.path = "/market-data/by-type";
    req.query = query.str();
    upstream::UpstreamResult res = co_await client.send(io, user_id, std::move(req));
    if (!res.ok) co_return upstream::Outcome<QuoteBatch>::failed(std::move(res.error));
    Json items = items_of(res.response.json);
    std::vector<Task<bool>> writes;
    for (std::size_t i : to_fetch) {
      for (const Json& item : items) {
        std::string sym = upper(get_string(item, "symbol").value_or(""));
        if (sym != wanted[i].symbol && sym != upper(wanted[i].symbol)) continue;
        found[i] = item;
        Json entry = {{"fetchedAt", now}, {"quote", item}};
        writes.push_back(host::kv_put(io, quote_key(wanted[i].instrument_type, wanted[i].symbol),
                                      dump_json(entry), 60));
        break;
      }
    }
    if (!writes.empty()) co_await when_all(std::move(writes));
    if (!out.oldest_fetched_at_ms) out.oldest_fetched_at_ms = now;
  }
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    if (found[i]) out.quotes.push_back(std::move(*found[i]));
    else out.missing.push_back(wanted[i].symbol);
  }
  co_return upstream::Outcome<QuoteBatch>::of(std::move(out));
}

}  // namespace bmcp::tastytrade
