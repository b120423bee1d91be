// Property: whatever Schwab answers — identifiers in keys, values, numbers, inside longer
// strings, in odd places and at any depth — no account number or hash reaches the model
// through any Schwab tool, in results or in errors.
#include "unit/brokers/schwab/schwab_harness.hpp"

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
      case 3:
        return "/trader/v1/accounts/" + identifier_text() + "/orders/" +
               std::to_string(pick(100000));
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
    static const std::vector<std::string> ids = {kNumberA, kNumberB, kNumberC,
                                                 kHashA,   kHashB,   kHashC};
    std::string id = ids[pick(ids.size())];
    if (pick(2))
      for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return id;
  }
  Json identifier_string() { return pick(3) ? Json(identifier_text()) : Json("00" + kNumberA); }
  Json identifier_number() {
    static const std::vector<long long> numbers = {28476123LL, 40217123LL, 51930456LL, 2847612399LL,
                                                   140217123LL};
    return numbers[pick(numbers.size())];
  }
  std::string key() {
    static const std::vector<std::string> keys = {"accountNumber", "hashValue", "accountId",
                                                  "note",          "data",      "x"};
    int k = pick(keys.size() + 2);
    if (k == static_cast<int>(keys.size())) return identifier_text();
    if (k == static_cast<int>(keys.size()) + 1) return "acct_" + identifier_text();
    return keys[k];
  }
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("no account number or hash survives any Schwab tool, whatever Schwab answers",
          "[schwab][privacy][property]") {
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
      {"previewOrder",
       {{"account", kNameA},
        {"order",
         {{"orderType", "MARKET"},
          {"session", "NORMAL"},
          {"duration", "DAY"},
          {"orderStrategyType", "SINGLE"}}}}},
  };
  int replaced = 0, errors = 0;
  for (unsigned seed = 1; seed <= 60; ++seed) {
    ToolBench b;
    Planter planter(seed);
    Json payload = planter.value(0);
    int status = seed % 5 == 0 ? 400 : 200;
    b.schwab.route = [&](const std::string&, const std::string& path,
                         const Json&) -> std::optional<Json> {
      if (path == "/trader/v1/accounts/accountNumbers" || path == "/trader/v1/userPreference")
        return std::nullopt;
      Json body = payload;
      if (status == 400)
        body = {{"message", dump_json(payload).substr(0, 200)}, {"errors", {payload}}};
      return response(status, path == "/trader/v1/accounts" ? Json::array({payload}) : body);
    };
    for (const auto& [tool, args] : calls) {
      INFO("seed " << seed << ", " << tool << ", payload " << dump_json(payload));
      Json r = b.call(tool, args);
      CHECK_FALSE(leaks(r));
      errors += is_error(r);
      std::string text = dump_json(r);
      replaced += text.find(kNameA) != std::string::npos ||
                  text.find(kNameB) != std::string::npos || text.find(kNameC) != std::string::npos;
    }
    for (const auto& line : b.sink.lines) CHECK_FALSE(leaks(Json(line)));
  }
  // The payloads did reach the answers (and the errors), with their identifiers replaced.
  CHECK(replaced > 300);
  CHECK(errors > 50);
}

namespace {

// An identifier in one of the spellings Schwab, tastytrade or a person uses: as stored,
// lower case, hyphenated in the middle ("2847-6123", "2847_6123"), with leading zeros.
class Speller {
 public:
  explicit Speller(unsigned seed) : rng_(seed) {}
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  std::string spelled() {
    static const std::vector<std::string> ids = {kNumberA, kNumberB, kNumberC,
                                                 kHashA,   kHashB,   kHashC};
    std::string id = ids[pick(ids.size())];
    std::size_t half = id.size() / 2;
    switch (pick(5)) {
      case 0:
        for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return id;
      case 1: return id.substr(0, half) + "-" + id.substr(half);
      case 2: return id.substr(0, half) + "_" + id.substr(half);
      case 3: return id.size() == 8 ? "00" + id : id;
      default: return id;
    }
  }
  std::string message() {
    switch (pick(4)) {
      case 0: return "Account " + spelled() + " is not approved for this option level";
      case 1: return spelled() + ": insufficient buying power for this order";
      case 2: return "see /trader/v1/accounts/" + spelled() + "/orders for details";
      default: return "Order for account #" + spelled() + " will be reviewed";
    }
  }
  Json details(int n) {
    Json out = Json::array();
    for (int i = 0; i < n; ++i) {
      std::string m = message();
      out.push_back({{"validationRuleName", "Rule" + std::to_string(i)},
                     {"message", m},
                     {"activityMessage", m},
                     {"originalSeverity", "ALERT"},
                     {"overrideName", "Rule"},
                     {"overrideSeverity", "ALERT"}});
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

// No identifier in any spelling: case ignored, separators removed before looking.
bool leaks_in_any_spelling(const std::string& text) {
  std::string s;
  for (char c : text)
    if (c != '-' && c != ' ' && c != '_')
      s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const std::string& id : {kNumberA, kNumberB, kNumberC, kHashA, kHashB, kHashC})
    if (s.find(id) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE(
    "no identifier in any spelling leaves the server: order validation, streamer info, errors",
    "[schwab][privacy][property][guard]") {
  int warned = 0, errors = 0;
  for (unsigned seed = 1; seed <= 40; ++seed) {
    ToolBench b;
    Speller speller(seed);
    Json preview = fixture("preview.json");
    preview["orderValidationResult"] = {{"warns", speller.details(1 + speller.pick(2))},
                                        {"rejects", speller.details(speller.pick(2))},
                                        {"alerts", speller.details(speller.pick(2))},
                                        {"reviews", speller.details(speller.pick(2))},
                                        {"accepts", Json::array()}};
    if (preview.contains("orderStrategy"))
      preview["orderStrategy"]["accountNumber"] = std::stoll(kNumberA);
    bool failing = seed % 4 == 0;
    std::string failure = speller.message();
    b.schwab.route = [&](const std::string&, const std::string& path,
                         const Json&) -> std::optional<Json> {
      if (path.size() > 13 && path.substr(path.size() - 13) == "/previewOrder") {
        if (failing)
          return response(400, {{"message", failure}, {"errors", Json::array({failure})}});
        return response(200, preview);
      }
      return std::nullopt;
    };
    Json order = {
        {"orderType", "LIMIT"},
        {"session", "NORMAL"},
        {"duration", "DAY"},
        {"orderStrategyType", "SINGLE"},
        {"price", 1.5},
        {"orderLegCollection",
         Json::array(
             {{{"instruction", "BUY_TO_OPEN"},
               {"quantity", 1},
               {"instrument", {{"symbol", "AAPL  261218C00250000"}, {"assetType", "OPTION"}}}}})}};
    std::vector<std::pair<std::string, Json>> answers;
    answers.emplace_back(
        "previewOrder", b.call_via_server("previewOrder", {{"account", kNameA}, {"order", order}}));
    // Asked through elicitation: the message shows the order and Schwab's warnings.
    answers.emplace_back(
        "placeOrder",
        b.call_via_server("placeOrder", {{"account", kNameA}, {"order", order}}, true));
    answers.emplace_back("getUserPreference", b.call_via_server("getUserPreference"));
    for (const auto& [tool, r] : answers) {
      INFO("seed " << seed << ", " << tool << ": " << dump_json(r));
      CHECK_FALSE(leaks_in_any_spelling(dump_json(r)));
      errors += is_error(r);
    }
    std::string preview_text = dump_json(answers[0].second);
    warned += preview_text.find("will be reviewed") != std::string::npos ||
              preview_text.find("not approved") != std::string::npos ||
              preview_text.find("insufficient") != std::string::npos ||
              preview_text.find("for details") != std::string::npos;
    // The streamer info's identity fields are gone; the rest of it stays.
    std::string prefs = dump_json(answers[2].second);
    CHECK(prefs.find("cust-fake-001") == std::string::npos);
    CHECK(prefs.find("correl-fake-001") == std::string::npos);
    CHECK(prefs.find("schwabClientCustomerId") == std::string::npos);
    CHECK(prefs.find("streamerSocketUrl") != std::string::npos);
    for (const Json& sent : b.outbound.sent) {
      INFO("seed " << seed << ", sent to the client: " << dump_json(sent));
      CHECK_FALSE(leaks_in_any_spelling(dump_json(sent)));
    }
    for (const auto& line : b.sink.lines) {
      INFO("log: " << line);
      CHECK_FALSE(leaks_in_any_spelling(line));
    }
  }
  // The messages did reach the answers, scrubbed, and the failures were answered as errors.
  CHECK(warned > 30);
  CHECK(errors >= 10);
}
