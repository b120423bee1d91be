// The logging port: lines below LOG_LEVEL are dropped; every line is redacted before the
// sink sees it (secrets, account numbers).
#include <catch2/catch.hpp>

#include "logging/logger.hpp"

#include <vector>

using namespace bmcp;

namespace {
class Capture final : public logging::LogSink {
 public:
  mutable std::vector<std::pair<logging::LogLevel, std::string>> lines;
  void write(logging::LogLevel level, std::string_view line) const override {
    lines.emplace_back(level, std::string(line));
  }
};
}  // namespace

TEST_CASE("the logger filters by level and redacts every line", "[logging]") {
  Capture sink;
  logging::Logger log(sink, logging::LogLevel::kWarn);
  CHECK_FALSE(log.enabled(logging::LogLevel::kInfo));
  CHECK(log.enabled(logging::LogLevel::kError));
  log.log(logging::LogLevel::kInfo, "not written");
  REQUIRE(sink.lines.empty());

  auto accounts = privacy::AccountDisplayMap::build(
      {{"28476123", "9395F260FFE0BE90C392C629CE56C5BE7A07C60C0363363037EA880B7D64DB86",
        "Individual", ""}});
  Json fields = {
      {"headers", {{"Authorization", "Bearer I0.abcdefghijklmnop.qrstuvwxyz0123456789@"}}},
      {"refresh_token", "rt-secret-value"},
      {"path",
       "/trader/v1/accounts/9395F260FFE0BE90C392C629CE56C5BE7A07C60C0363363037EA880B7D64DB86"},
      {"note", "account 28476123 failed"},
      {"error", "rate_limited"}};
  log.log(logging::LogLevel::kWarn, "broker request failed", fields, &accounts);
  REQUIRE(sink.lines.size() == 1);
  const std::string& line = sink.lines[0].second;
  CHECK(sink.lines[0].first == logging::LogLevel::kWarn);
  CHECK_THAT(line, Catch::StartsWith(R"({"level":"warn","message":"broker request failed")"));
  CHECK(line.find("I0.abc") == std::string::npos);
  CHECK(line.find("rt-secret-value") == std::string::npos);
  CHECK(line.find("28476123") == std::string::npos);
  CHECK(line.find("9395F260") == std::string::npos);
  CHECK(line.find("...123") != std::string::npos);
  CHECK(line.find(R"("error":"rate_limited")") != std::string::npos);
  CHECK(line.find('\n') == std::string::npos);

  logging::null_logger().log(logging::LogLevel::kFatal, "goes nowhere");
}
