#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "privacy/identifier_matcher.hpp"

using bmcp::privacy::IdentifierMatcher;

TEST_CASE("identifier matcher finds every occurrence in one pass", "[privacy][matcher]") {
  IdentifierMatcher matcher({"11223344", "E3B0C442", "5WX34382"});

  SECTION("an empty matcher matches nothing") {
    IdentifierMatcher none;
    CHECK(none.empty());
    CHECK(none.find_all("11223344").empty());
    CHECK_FALSE(none.contains_any("anything"));
  }

  SECTION("occurrences anywhere, ASCII case ignored") {
    auto spans = matcher.find_all("a 11223344 b e3b0c442 c 5wx34382");
    REQUIRE(spans.size() == 3);
    CHECK(spans[0].begin == 2);
    CHECK(spans[0].end == 10);
    CHECK(spans[0].pattern == 0);
    CHECK(spans[1].pattern == 1);
    CHECK(spans[2].pattern == 2);
  }

  SECTION("an identifier glued to other digits is still found") {
    auto spans = matcher.find_all("9911223344000");
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].begin == 2);
    CHECK(spans[0].end == 10);
  }

  SECTION("overlapping occurrences merge into one span; adjacent ones stay apart") {
    IdentifierMatcher overlapping({"11223344", "33445566"});
    auto merged = overlapping.find_all("x1122334455667y");
    REQUIRE(merged.size() == 1);
    CHECK(merged[0].begin == 1);
    CHECK(merged[0].end == 13);
    CHECK(merged[0].pattern == 0);

    auto adjacent = overlapping.find_all("1122334433445566");
    REQUIRE(adjacent.size() == 2);
    CHECK(adjacent[0].end == adjacent[1].begin);
  }

  SECTION("a shorter pattern inside a longer one is covered by the longer span") {
    IdentifierMatcher nested({"223344", "AB11223344CD"});
    auto spans = nested.find_all("--ab11223344cd--");
    REQUIRE(spans.size() == 1);
    CHECK(spans[0].begin == 2);
    CHECK(spans[0].end == 14);
    CHECK(spans[0].pattern == 1);
  }

  SECTION("whole-text match reports the pattern") {
    std::size_t pattern = 99;
    CHECK(matcher.matches_whole("5wx34382", &pattern));
    CHECK(pattern == 2);
    CHECK_FALSE(matcher.matches_whole("x5wx34382", &pattern));
    CHECK_FALSE(matcher.matches_whole("1122334", &pattern));
    CHECK_FALSE(matcher.matches_whole("", &pattern));
  }

  SECTION("bytes outside the patterns' alphabet, including NUL and high bytes, are safe") {
    std::string text("\0\xff\x80 11223344 \xfe", 14);
    CHECK(matcher.contains_any(text));
    CHECK(matcher.find_all(text).size() == 1);
  }
}
