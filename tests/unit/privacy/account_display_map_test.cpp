#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "privacy/account_display_map.hpp"

using bmcp::Json;
using bmcp::privacy::AccountDisplayMap;
using bmcp::privacy::AccountIdentity;

namespace {

const std::string kSchwabHash = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";

std::set<std::string> normalized_names(const AccountDisplayMap& map) {
  std::set<std::string> names;
  for (const auto& entry : map.entries()) {
    names.insert(AccountDisplayMap::normalize_display_name(entry.display_name));
  }
  return names;
}

}  // namespace

TEST_CASE("display names follow the <Type>-...<last3> format", "[privacy][display-map]") {
  auto map = AccountDisplayMap::build({
      {"123456789", "", "Individual", ""},
      {"987654321", "", "IRA", ""},
      {"11223344", kSchwabHash, "", "Brokerage"},
      {"5WX34382", "", "Roth IRA", "Main"},
      {"44556677", "", "", ""},
  });
  REQUIRE(map.entries().size() == 5);

  SECTION("type first, nickname when there is no type, Account when neither") {
    CHECK(map.display_name_for("123456789") == "Individual-...789");
    CHECK(map.display_name_for("987654321") == "IRA-...321");
    CHECK(map.display_name_for("11223344") == "Brokerage-...344");
    CHECK(map.display_name_for("5WX34382") == "Roth IRA-...382");
    CHECK(map.display_name_for("44556677") == "Account-...677");
  }

  SECTION("the hash names the same account as its number") {
    CHECK(map.display_name_for(kSchwabHash) == "Brokerage-...344");
    CHECK(
        map.display_name_for("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") ==
        "Brokerage-...344");
  }

  SECTION("unknown identifiers have no name") {
    CHECK_FALSE(map.display_name_for("99999999").has_value());
    CHECK_FALSE(map.display_name_for("").has_value());
    CHECK_FALSE(map.display_name_for("12345678").has_value());  // a substring is not a match
  }

  SECTION("no display name contains an identifier") {
    for (const auto& entry : map.entries()) {
      CHECK_FALSE(map.matcher().contains_any(entry.display_name));
    }
  }
}

TEST_CASE("display names are unique even when accounts end alike", "[privacy][display-map]") {
  SECTION("same type, same last 3: both show 4 characters") {
    auto map = AccountDisplayMap::build({
        {"11110123", "", "Individual", ""},
        {"22221123", "", "Individual", ""},
        {"33330456", "", "Individual", ""},
    });
    CHECK(map.display_name_for("11110123") == "Individual-...0123");
    CHECK(map.display_name_for("22221123") == "Individual-...1123");
    CHECK(map.display_name_for("33330456") == "Individual-...456");  // not involved: unchanged
  }

  SECTION("same last 4 as well: ordinal suffix in ascending account-number order") {
    auto map = AccountDisplayMap::build({
        {"99990123", "", "Individual", ""},
        {"11110123", "", "Individual", ""},
        {"55550123", "", "Individual", ""},
    });
    CHECK(map.display_name_for("11110123") == "Individual-...0123");
    CHECK(map.display_name_for("55550123") == "Individual-...0123 (2)");
    CHECK(map.display_name_for("99990123") == "Individual-...0123 (3)");
    CHECK(normalized_names(map).size() == 3);
  }

  SECTION("short numbers never show a 4th character") {
    auto map = AccountDisplayMap::build({
        {"100123", "", "IRA", ""},
        {"200123", "", "IRA", ""},
    });
    CHECK(map.display_name_for("100123") == "IRA-...123");
    CHECK(map.display_name_for("200123") == "IRA-...123 (2)");
  }

  SECTION("labels that differ only in case, spaces or hyphens count as equal") {
    auto map = AccountDisplayMap::build({
        {"10000789", "", "Roth IRA", ""},
        {"20000789", "", "roth-ira", ""},
        {"30000789", "", "ROTHIRA", ""},
    });
    CHECK(normalized_names(map).size() == 3);
    CHECK(map.display_name_for("10000789") == "Roth IRA-...0789");
    CHECK(map.display_name_for("20000789") == "roth-ira-...0789 (2)");
  }

  SECTION("the order the broker lists accounts in does not change the names") {
    std::vector<AccountIdentity> accounts = {{"99990123", "", "Individual", ""},
                                             {"11110123", "", "Individual", ""},
                                             {"55550123", "", "Individual", ""},
                                             {"12345678", "", "IRA", ""}};
    auto forward = AccountDisplayMap::build(accounts);
    std::vector<AccountIdentity> reversed(accounts.rbegin(), accounts.rend());
    auto backward = AccountDisplayMap::build(reversed);
    for (const auto& account : accounts) {
      CHECK(forward.display_name_for(account.account_number) ==
            backward.display_name_for(account.account_number));
    }
  }

  SECTION("many accounts with one type and one ending stay unique") {
    std::vector<AccountIdentity> accounts;
    for (int i = 0; i < 40; ++i) {
      accounts.push_back({std::to_string(10000000 + i * 1000 + (i % 2) * 10000), "", "Margin", ""});
    }
    for (auto& account : accounts) account.account_number.replace(5, 3, "777");
    auto map = AccountDisplayMap::build(accounts);
    CHECK(normalized_names(map).size() == map.entries().size());
  }
}

TEST_CASE("labels never reveal identifiers", "[privacy][display-map]") {
  auto map = AccountDisplayMap::build({
      {"11223344", "", "", "My 11223344 account"},
      {"55667788", "", "Savings 123456", ""},
      {"99887766", "", "  Joint\t(WROS)... ", ""},
      {"12121212", "", "Trust-...999", ""},
  });
  CHECK(map.display_name_for("11223344") == "Account-...344");
  CHECK(map.display_name_for("55667788") == "Account-...788");
  CHECK(map.display_name_for("99887766") == "Joint WROS-...766");
  CHECK(map.display_name_for("12121212") == "Trust- 999-...212");  // no "..." of its own
}

TEST_CASE("invalid and repeated accounts", "[privacy][display-map]") {
  auto map = AccountDisplayMap::build({
      {"", "", "Individual", ""},
      {"12345", "", "Individual", ""},          // too short to be found safely
      {"1234 5678", "", "Individual", ""},      // not letters and digits
      {" 11223344 ", "", "", ""},               // surrounding whitespace is trimmed
      {"11223344", kSchwabHash, "Margin", ""},  // repeated: fills the gaps
      {"55667788", "short", "IRA", ""},         // an unusable hash is dropped
  });
  REQUIRE(map.entries().size() == 2);
  CHECK(map.entries()[0].account_number == "11223344");
  CHECK(map.entries()[0].hash_value == kSchwabHash);
  CHECK(map.entries()[0].display_name == "Margin-...344");
  CHECK(map.entries()[1].hash_value.empty());
  CHECK(AccountDisplayMap().empty());
  CHECK(AccountDisplayMap().resolve("Margin-...344") == nullptr);
}

TEST_CASE("tool input resolves display names tolerantly and never needs a number",
          "[privacy][display-map]") {
  auto map = AccountDisplayMap::build({
      {"123456789", "", "Individual", ""},
      {"11223344", kSchwabHash, "Roth IRA", ""},
  });

  SECTION("exact, case-insensitive and whitespace-tolerant display names") {
    for (const char* input : {"Individual-...789", "individual-...789", "  INDIVIDUAL-...789\n",
                              "Individual - ...789", "Individual ...789", "individual...789",
                              "Individual-\xE2\x80\xA6"
                              "789"}) {
      const auto* entry = map.resolve(input);
      INFO(input);
      REQUIRE(entry != nullptr);
      CHECK(entry->account_number == "123456789");
    }
    const auto* roth = map.resolve("roth ira-...344");
    REQUIRE(roth != nullptr);
    CHECK(roth->hash_value == kSchwabHash);
  }

  SECTION("numbers and hashes are accepted from server-side callers") {
    REQUIRE(map.resolve("11223344") != nullptr);
    CHECK(map.resolve("11223344")->display_name == "Roth IRA-...344");
    REQUIRE(map.resolve(kSchwabHash) != nullptr);
  }

  SECTION("anything else is rejected") {
    CHECK(map.resolve("") == nullptr);
    CHECK(map.resolve("...789") == nullptr);
    CHECK(map.resolve("Individual-...788") == nullptr);
    CHECK(map.resolve("IRA-...344") == nullptr);
    CHECK(map.resolve("1234567") == nullptr);
  }

  SECTION("round trip: every display name resolves to its own account") {
    for (const auto& entry : map.entries()) {
      const auto* found = map.resolve(entry.display_name);
      REQUIRE(found != nullptr);
      CHECK(found->account_number == entry.account_number);
      CHECK(map.display_name_for(found->account_number) == entry.display_name);
    }
  }
}

TEST_CASE("contains_unknown tells when the cached map is stale", "[privacy][display-map]") {
  auto map = AccountDisplayMap::build({{"11223344", kSchwabHash, "Margin", ""}});
  CHECK_FALSE(map.contains_unknown({}));
  CHECK_FALSE(map.contains_unknown({"11223344", kSchwabHash, " "}));
  CHECK(map.contains_unknown({"11223344", "99887766"}));
  CHECK(map.contains_unknown({"ABCDEF0123456789"}));
}

TEST_CASE("the display map round-trips through its cache JSON", "[privacy][display-map]") {
  auto map = AccountDisplayMap::build({
      {"11110123", "", "Individual", ""},
      {"22220123", "", "Individual", ""},
      {"11223344", kSchwabHash, "", "Brokerage"},
  });

  SECTION("to_json then from_json gives the same names") {
    Json cached = map.to_json();
    CHECK(cached["version"] == 1);
    auto text = bmcp::dump_json(cached);
    auto reparsed = bmcp::parse_json(text);
    REQUIRE(reparsed.has_value());
    auto restored = AccountDisplayMap::from_json(*reparsed);
    REQUIRE(restored.has_value());
    REQUIRE(restored->entries().size() == map.entries().size());
    for (std::size_t i = 0; i < map.entries().size(); ++i) {
      CHECK(restored->entries()[i].account_number == map.entries()[i].account_number);
      CHECK(restored->entries()[i].hash_value == map.entries()[i].hash_value);
      CHECK(restored->entries()[i].display_name == map.entries()[i].display_name);
    }
  }

  SECTION("malformed cache entries are rejected, never trusted") {
    for (const char* text :
         {"null", "[]", "{}", R"({"version":2,"accounts":[]})", R"({"version":1})",
          R"({"version":1,"accounts":{}})", R"({"version":1,"accounts":[{}]})",
          R"({"version":1,"accounts":[{"account_number":11223344}]})",
          R"({"version":1,"accounts":[{"account_number":"11223344","type":7}]})",
          R"({"version":"1","accounts":[]})"}) {
      INFO(text);
      auto json = bmcp::parse_json(text);
      REQUIRE(json.has_value());
      CHECK_FALSE(AccountDisplayMap::from_json(*json).has_value());
    }
  }

  SECTION("optional members may be absent or null") {
    auto json = bmcp::parse_json(
        R"({"version":1,"accounts":[{"account_number":"11223344","hash_value":null}]})");
    REQUIRE(json.has_value());
    auto restored = AccountDisplayMap::from_json(*json);
    REQUIRE(restored.has_value());
    CHECK(restored->display_name_for("11223344") == "Account-...344");
  }
}
