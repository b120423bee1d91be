// In the last 24 hours of a Schwab sign-in (Schwab ends each one 7 days after it was made),
// a tool result that reached Schwab carries one short notice after its own content; the
// structured answer is unchanged. Earlier, nothing is added.
#include "unit/brokers/schwab/schwab_harness.hpp"

using namespace bmcp;
using namespace bmcp::testing::schwab;

TEST_CASE("a Schwab sign-in about to end: results carry one notice", "[schwab][expiry]") {
  ToolBench b;
  b.broker.signin_expires_at_ms = b.host.now_ms + 3 * 24 * 3600 * 1000LL;
  Json early = b.call_via_server("getAccounts");
  REQUIRE_FALSE(is_error(early));
  CHECK(early["content"].size() == 1);

  b.broker.signin_expires_at_ms = b.host.now_ms + 3 * 3600 * 1000LL + 60'000;
  Json late = b.call_via_server("getAccounts");
  REQUIRE_FALSE(is_error(late));
  REQUIRE(late["content"].size() == 2);
  const std::string note = late["content"][1]["text"];
  CHECK(note.find("Note: Your Schwab sign-in on this server ends in 3 hours") == 0);
  CHECK(note.find("every 7 days") != std::string::npos);
  CHECK(late["structuredContent"] == early["structuredContent"]);
  // A tool that asks Schwab twice still carries it once.
  Json positions = b.call_via_server("getAccountPositions");
  REQUIRE_FALSE(is_error(positions));
  int notes = 0;
  for (const Json& c : positions["content"])
    notes += c["text"].get<std::string>().rfind("Note: ", 0) == 0;
  CHECK(notes == 1);
}
