#include <catch2/catch.hpp>

#include <string>

#include "base/json.hpp"
#include "privacy/account_display_map.hpp"
#include "privacy/log_level.hpp"
#include "privacy/log_line.hpp"

using bmcp::Json;
using bmcp::privacy::format_log_line;
using bmcp::privacy::is_enabled;
using bmcp::privacy::LogLevel;
using bmcp::privacy::parse_log_level;
using bmcp::privacy::to_string;

TEST_CASE("log levels are validated like LOG_LEVEL", "[privacy][log]") {
  SECTION("the six names, in order") {
    CHECK(parse_log_level("trace") == LogLevel::kTrace);
    CHECK(parse_log_level("debug") == LogLevel::kDebug);
    CHECK(parse_log_level("info") == LogLevel::kInfo);
    CHECK(parse_log_level("warn") == LogLevel::kWarn);
    CHECK(parse_log_level("error") == LogLevel::kError);
    CHECK(parse_log_level("fatal") == LogLevel::kFatal);
    for (auto level : {LogLevel::kTrace, LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn,
                       LogLevel::kError, LogLevel::kFatal}) {
      CHECK(parse_log_level(to_string(level)) == level);
    }
  }

  SECTION("anything else is rejected") {
    for (const char* bad : {"DEBUG", "Info", "warning", " info", "info ", "", "5", "err"}) {
      INFO(bad);
      CHECK_FALSE(parse_log_level(bad).has_value());
    }
  }

  SECTION("thresholds") {
    CHECK(is_enabled(LogLevel::kInfo, LogLevel::kError));
    CHECK(is_enabled(LogLevel::kInfo, LogLevel::kInfo));
    CHECK_FALSE(is_enabled(LogLevel::kInfo, LogLevel::kDebug));
    CHECK(is_enabled(LogLevel::kTrace, LogLevel::kTrace));
    CHECK_FALSE(is_enabled(LogLevel::kFatal, LogLevel::kError));
  }
}

TEST_CASE("format_log_line writes one redacted JSON line", "[privacy][log]") {
  SECTION("level and message first, fields after, secrets gone") {
    std::string line = format_log_line(
        LogLevel::kWarn, "refresh failed for Bearer abc\nretrying",
        {{"status", 401}, {"refresh_token", "rt-1"}, {"accountNumber", "123456789"}});
    CHECK(
        line.rfind(R"({"level":"warn","message":"refresh failed for Bearer [REDACTED]\nretrying",)",
                   0) == 0);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find("rt-1") == std::string::npos);
    CHECK(line.find("123456789") == std::string::npos);
    auto parsed = bmcp::parse_json(line);
    REQUIRE(parsed.has_value());
    CHECK((*parsed)["status"] == 401);
    CHECK((*parsed)["refresh_token"] == "[REDACTED]");
    CHECK((*parsed)["accountNumber"] == "...789");
  }

  SECTION("with a map, identifiers in the message are shortened") {
    auto map = bmcp::privacy::AccountDisplayMap::build({{"5WX34382", "", "Margin", ""}});
    std::string line =
        format_log_line(LogLevel::kInfo, "placed order on 5WX34382", Json::object(), &map);
    CHECK(line == R"({"level":"info","message":"placed order on ...382"})");
  }

  SECTION("reserved names and non-object fields") {
    auto parsed = bmcp::parse_json(format_log_line(
        LogLevel::kError, "m", {{"level", "x"}, {"message", "y"}, {"_level", "z"}}));
    REQUIRE(parsed.has_value());
    CHECK((*parsed)["level"] == "error");
    CHECK((*parsed)["message"] == "m");
    CHECK((*parsed)["_level"] == "z");
    CHECK((*parsed)["__level"] == "x");
    CHECK((*parsed)["_message"] == "y");

    CHECK(format_log_line(LogLevel::kDebug, "m", Json()) == R"({"level":"debug","message":"m"})");
    CHECK(format_log_line(LogLevel::kDebug, "m", Json::array({"token", "t"})) ==
          R"({"level":"debug","message":"m","fields":["token","[REDACTED]"]})");
  }

  SECTION("invalid UTF-8 never breaks the line") {
    std::string line =
        format_log_line(LogLevel::kInfo, std::string("bad \xff\xfe bytes"), Json::object());
    CHECK(bmcp::parse_json(line).has_value());
  }
}
