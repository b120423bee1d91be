// Property: whatever Schwab answers — identifiers in keys, values, numbers, inside longer
// strings, in odd places and at any depth — no account number or hash reaches the model
// through any Schwab tool, in results or in errors.
#include "unit/schwab/schwab_harness.hpp"

#include <random>

using namespace bmcp;
using namespace bmcp::testing::schwab;

namespace {

// A random JSON value that hides identifiers in random places and spellings.
class Planter {
 public:
  explicit Planter(unsigned seed) : rng_(seed) {}

  Json value(int depth) {
    int kind = pick(depth > 4 ? 5 : 9);
    switch (kind) {
      case 0: return identifier_string();
      case 1: return identifier_number();
      case 2: return "see account " + identifier_text() + " for details";
      case 3: return "/trader/v1/accounts/" + identifier_text() + "/orders/" + std::to_string(pick(100000));
      case 4: return static_cast<double>(pick(100000)) / 100.0;
      case 5:
      case 6: {
        Json o = Json::object();
        int n = 1 + pick(4);
        for (int i = 0; i < n; ++i) o[key()] = value(depth + 1);
        return o;
      }
      default: {
        Json a = Json::array();
        int n = pick(4);
        for (int i = 0; i < n; ++i) a.push_back(value(depth + 1));
        return a;
      }
    }
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  std::string identifier_text() {
    static const std::vector<std::string> ids = {kNumberA, kNumberB, kNumberC, kHashA, kHashB, kHashC};
    std::string id = ids[pick(ids.size())];
    if (pick(2)) for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return id;
  }
  Json identifier_string() { return pick(3) ? Json(identifier_text()) : Json("00" + kNumberA); }
  Json identifier_number() {
    static const std::vector<long long> numbers = {28476123LL, 40217123LL, 51930456LL, 2847612399LL, 140217123LL};
    return numbers[pick(numbers.size())];
  }
  std::string key() {
    static const std::vector<std::string> keys = {"accountNumber", "hashValue", "accountId", "note", "data", "x"};
    int k = pick(keys.size() + 2);
    if (k == static_cast<int>(keys.size())) return identifier_text();
    if (k == static_cast<int>(keys.size()) + 1) return "acct_" + identifier_text();
    return keys[k];
  }
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("no account number or hash survives any Schwab tool, whatever Schwab answers", "[schwab][privacy][property]") {
  const std::vector<std::pair<std::string, Json>> calls = {
      {"getAccounts", {{"fields", "positions"}, {"detail", "full"}}},
      {"getAccount", {{"account", kNameA}, {"detail", "full"}}},
      {"getAccountPositions", {{"detail", "full"}}},
      {"getOrders", Json::object()},
      {"getOrder", {{"account", kNameB}, {"orderId", 1}}},
      {"getTransactions", {{"account", kNameC}}},
      {"getUserPreference", Json::object()},
      {"getQuotes", {{"symbols", "AAPL"}}},
      {"getOptionChain", {{"symbol", "AAPL"}, {"detail", "full"}}},
      {"previewOrder", {{"account", kNameA}, {"order", {{"orderType", "MARKET"}, {"session", "NORMAL"}, {"duration", "DAY"}, {"orderStrategyType", "SINGLE"}}}}},
  };
  int replaced = 0, errors = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    ToolBench b;
    Planter planter(seed);
    Json payload = planter.value(0);
    int status = seed % 5 == 0 ? 400 : 200;
    b.schwab.route = [&](const std::string&, const std::string& path, const Json&) -> std::optional<Json> {
      if (path == "/trader/v1/accounts/accountNumbers" || path == "/trader/v1/userPreference") return std::nullopt;
      Json body = payload;
      if (status == 400) body = {{"message", dump_json(payload).substr(0, 200)}, {"errors", {payload}}};
      return response(status, path == "/trader/v1/accounts" ? Json::array({payload}) : body);
    };
    for (const auto& [tool, args] : calls) {
      INFO("seed " << seed << ", " << tool << ", payload " << dump_json(payload));
      Json r = b.call(tool, args);
      CHECK_FALSE(leaks(r));
      errors += is_error(r);
      std::string text = dump_json(r);
      replaced += text.find(kNameA) != std::string::npos || text.find(kNameB) != std::string::npos ||
                  text.find(kNameC) != std::string::npos;
    }
    for (const auto& line : b.sink.lines) CHECK_FALSE(leaks(Json(line)));
  }
  // The payloads did reach the answers (and the errors), with their identifiers replaced.
  CHECK(replaced > 300);
  CHECK(errors > 50);
}
