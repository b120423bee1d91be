// The DXLink candle exchange, against frames recorded from the sandbox brokerage's DXLink
// endpoint (tests/fixtures/dxlink) and against hand-written frames for the
// snapshot rules the recording does not show.
#include "brokers/tastytrade/dxlink_candles.hpp"

#include "base/json.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

using namespace bmcp;
using namespace bmcp::market_data;

namespace {

std::vector<std::string> fixture_lines(const std::string& name) {
  std::ifstream in(std::string(BMCP_SOURCE_DIR) + "/tests/fixtures/dxlink/" + name);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

Json sent(const std::string& frame) { return parse_json(frame).value_or(Json()); }

// A session that has been set up and subscribed (channel 1), ready for FEED_DATA.
DxlinkCandleSession subscribed(const std::string& symbol = "SPX{=1h}") {
  DxlinkCandleSession s("tok", symbol, 1000);
  s.start();
  s.on_frame(R"({"type":"AUTH_STATE","channel":0,"state":"UNAUTHORIZED"})");
  s.on_frame(R"({"type":"AUTH_STATE","channel":0,"state":"AUTHORIZED"})");
  s.on_frame(
      R"({"type":"CHANNEL_OPENED","channel":1,"service":"FEED","parameters":{"contract":"HISTORY"}})");
  s.on_frame(
      R"({"type":"FEED_CONFIG","channel":1,"dataFormat":"COMPACT","eventFields":{"Candle":["eventType","eventSymbol","eventFlags","time","open","high","low","close","volume"]}})");
  return s;
}

std::string data_frame(const std::string& values) {
  return R"({"type":"FEED_DATA","channel":1,"data":["Candle",[)" + values + "]]}";
}

}  // namespace

TEST_CASE("canonical candle symbols drop a period count of 1", "[market_data][dxlink]") {
  CHECK(canonical_candle_symbol("AAPL{=1d}") == "AAPL{=d}");
  CHECK(canonical_candle_symbol("SPX{=1h}") == "SPX{=h}");
  CHECK(canonical_candle_symbol("AAPL{=1mo}") == "AAPL{=mo}");
  CHECK(canonical_candle_symbol("AAPL{=1w}") == "AAPL{=w}");
  CHECK(canonical_candle_symbol("AAPL{=5m}") == "AAPL{=5m}");
  CHECK(canonical_candle_symbol("AAPL{=10m}") == "AAPL{=10m}");
  CHECK(canonical_candle_symbol("AAPL{=15m}") == "AAPL{=15m}");
  CHECK(canonical_candle_symbol("AAPL{=d}") == "AAPL{=d}");
  CHECK(canonical_candle_symbol("AAPL{=1d,tho=true}") == "AAPL{=d,tho=true}");
  CHECK(canonical_candle_symbol("AAPL") == "AAPL");
  CHECK(canonical_candle_symbol("/ESZ26:XCME{=1h}") == "/ESZ26:XCME{=h}");
  CHECK(candle_symbol("AAPL", "d", false) == "AAPL{=d}");
  CHECK(candle_symbol("AAPL", "5m", true) == "AAPL{=5m,tho=true}");
}

TEST_CASE("recorded HISTORY exchange yields the daily snapshot", "[market_data][dxlink]") {
  const auto lines = fixture_lines("dxlink_history_aapl_daily.jsonl");
  REQUIRE(lines.size() == 7);  // SETUP, 2 AUTH_STATE, CHANNEL_OPENED, FEED_CONFIG, 2 FEED_DATA

  DxlinkCandleSession s("quote-token", "AAPL{=1d}", 1760000000000);
  auto out = s.start();
  REQUIRE(out.size() == 1);
  CHECK(sent(out[0])["type"] == "SETUP");
  CHECK(sent(out[0])["channel"] == 0);

  CHECK(s.on_frame(lines[0]).empty());  // the server's SETUP
  out = s.on_frame(lines[1]);           // UNAUTHORIZED
  REQUIRE(out.size() == 1);
  CHECK(sent(out[0])["type"] == "AUTH");
  CHECK(sent(out[0])["token"] == "quote-token");
  out = s.on_frame(lines[2]);  // AUTHORIZED
  REQUIRE(out.size() == 1);
  CHECK(sent(out[0])["type"] == "CHANNEL_REQUEST");
  CHECK(sent(out[0])["service"] == "FEED");
  CHECK(sent(out[0])["parameters"]["contract"] == "HISTORY");
  out = s.on_frame(lines[3]);  // CHANNEL_OPENED
  REQUIRE(out.size() == 2);
  CHECK(sent(out[0])["type"] == "FEED_SETUP");
  CHECK(sent(out[0])["acceptDataFormat"] == "COMPACT");
  const Json sub = sent(out[1]);
  CHECK(sub["type"] == "FEED_SUBSCRIPTION");
  CHECK(sub["add"][0]["type"] == "Candle");
  CHECK(sub["add"][0]["symbol"] == "AAPL{=1d}");
  CHECK(sub["add"][0]["fromTime"] == 1760000000000);
  CHECK(s.state() == DxlinkCandleSession::State::kReceiving);

  s.on_frame(lines[4]);  // FEED_CONFIG
  s.on_frame(lines[5]);  // first batch of 250: not finished yet
  CHECK(s.state() == DxlinkCandleSession::State::kReceiving);
  s.on_frame(lines[6]);  // the rest and the NaN end marker (flags 10)
  REQUIRE(s.state() == DxlinkCandleSession::State::kDone);

  const auto candles = s.candles();
  REQUIRE(candles.size() == 276);
  for (std::size_t i = 1; i < candles.size(); ++i)
    CHECK(candles[i - 1].time_ms < candles[i].time_ms);
  CHECK(candles.front().time_ms == 1760673600000);
  CHECK(candles.back().time_ms == 1795150800000);
  CHECK(candles.back().close == Approx(250.3793));
  CHECK(candles.back().volume == Approx(53238475));
  CHECK(s.ignored_rows() == 0);  // the end marker is a removal, not a bad row
}

TEST_CASE("recorded AUTO channel answers an empty snapshot (flags 14)", "[market_data][dxlink]") {
  const auto lines = fixture_lines("dxlink_auto_empty_snapshot.jsonl");
  REQUIRE(lines.size() == 6);
  DxlinkCandleSession s("t", "AAPL{=1d}", 0);
  s.start();
  for (const auto& l : lines) s.on_frame(l);
  CHECK(s.state() == DxlinkCandleSession::State::kDone);
  CHECK(s.candles().empty());
}

TEST_CASE("snapshot flags, NaN rows and foreign symbols", "[market_data][dxlink]") {
  SECTION("SNAPSHOT_BEGIN starts afresh, REMOVE_EVENT deletes, SNAPSHOT_SNIP ends") {
    auto s = subscribed();
    s.on_frame(data_frame(R"("Candle","SPX{=h}",0,500,1,1,1,1,1)"));  // before the snapshot
    s.on_frame(data_frame(R"("Candle","SPX{=h}",4,3000,"100","101","99","100.5","10",)"
                          R"("Candle","SPX{=h}",0,2000,100,102,98,101,20,)"
                          R"("Candle","SPX{=h}",2,2000,"NaN","NaN","NaN","NaN","NaN")"));
    CHECK(s.state() == DxlinkCandleSession::State::kReceiving);
    s.on_frame(data_frame(R"("Candle","SPX{=h}",16,1000,99,100,98,99.5,5)"));
    REQUIRE(s.state() == DxlinkCandleSession::State::kDone);
    const auto c = s.candles();
    REQUIRE(c.size() == 2);  // 500 cleared by BEGIN, 2000 removed
    CHECK(c[0].time_ms == 1000);
    CHECK(c[1].time_ms == 3000);
    CHECK(c[1].close == Approx(100.5));  // prices given as strings
  }
  SECTION("rows of a pending transaction wait for its end") {
    auto s = subscribed();
    s.on_frame(data_frame(R"("Candle","SPX{=h}",5,3000,1,2,0.5,1.5,1,)"
                          R"("Candle","SPX{=h}",9,2000,1,2,0.5,1.5,1)"));  // END with TX_PENDING
    CHECK(s.state() == DxlinkCandleSession::State::kReceiving);
    s.on_frame(data_frame(R"("Candle","SPX{=h}",0,1000,1,2,0.5,1.5,1)"));
    CHECK(s.state() == DxlinkCandleSession::State::kDone);
    CHECK(s.candles().size() == 3);
  }
  SECTION("NaN rows and other symbols are not candles") {
    auto s = subscribed();
    s.on_frame(data_frame(R"("Candle","SPX{=h}",4,3000,"NaN","NaN","NaN","NaN","NaN",)"
                          R"("Candle","AAPL{=h}",0,2000,1,2,0.5,1.5,1,)"
                          R"("Candle","SPX{=h}",0,1000,1,2,0.5,1.5,"NaN",)"
                          R"("Candle","SPX{=h}",8,500,1,2,0.5,1.5,1)"));
    REQUIRE(s.state() == DxlinkCandleSession::State::kDone);
    const auto c = s.candles();
    REQUIRE(c.size() == 2);
    CHECK(c[0].time_ms == 500);
    CHECK(c[1].volume == 0);  // a NaN volume is no volume
    CHECK(s.ignored_rows() == 2);
  }
  SECTION("FULL format events and the server's field order") {
    DxlinkCandleSession s("tok", "SPX{=1h}", 0);
    s.start();
    s.on_frame(R"({"type":"AUTH_STATE","channel":0,"state":"UNAUTHORIZED"})");
    s.on_frame(R"({"type":"AUTH_STATE","channel":0,"state":"AUTHORIZED"})");
    s.on_frame(R"({"type":"CHANNEL_OPENED","channel":1})");
    s.on_frame(
        R"({"type":"FEED_CONFIG","channel":1,"eventFields":{"Candle":["eventSymbol","eventType","time","eventFlags","close","open","high","low"]}})");
    s.on_frame(data_frame(R"("SPX{=h}","Candle",1000,12,10,9,11,8)"));
    REQUIRE(s.state() == DxlinkCandleSession::State::kDone);
    REQUIRE(s.candles().size() == 1);
    CHECK(s.candles()[0].close == 10);
    CHECK(s.candles()[0].open == 9);

    auto f = subscribed();
    f.on_frame(
        R"({"type":"FEED_DATA","channel":1,"data":[{"eventType":"Candle","eventSymbol":"SPX{=h}","eventFlags":12,"time":7,"open":1,"high":2,"low":0.5,"close":1.5}]})");
    REQUIRE(f.state() == DxlinkCandleSession::State::kDone);
    CHECK(f.candles().size() == 1);
  }
  SECTION("data on another channel is ignored") {
    auto s = subscribed();
    s.on_frame(
        R"({"type":"FEED_DATA","channel":3,"data":["Candle",["Candle","SPX{=h}",12,1,1,1,1,1,1]]})");
    CHECK(s.state() == DxlinkCandleSession::State::kReceiving);
  }
}

TEST_CASE("refusals and errors end the session", "[market_data][dxlink]") {
  SECTION("token refused") {
    DxlinkCandleSession s("bad", "AAPL{=d}", 0);
    s.start();
    CHECK(s.on_frame(R"({"type":"AUTH_STATE","channel":0,"state":"UNAUTHORIZED"})").size() == 1);
    CHECK(s.on_frame(R"({"type":"AUTH_STATE","channel":0,"state":"UNAUTHORIZED"})").empty());
    CHECK(s.state() == DxlinkCandleSession::State::kFailed);
    CHECK_THAT(s.error(), Catch::Contains("refused"));
  }
  SECTION("ERROR message") {
    auto s = subscribed();
    s.on_frame(R"({"type":"ERROR","channel":0,"error":"TIMEOUT","message":"no keepalive"})");
    CHECK(s.state() == DxlinkCandleSession::State::kFailed);
    CHECK_THAT(s.error(), Catch::Contains("TIMEOUT"));
  }
  SECTION("channel closed") {
    auto s = subscribed();
    s.on_frame(R"({"type":"CHANNEL_CLOSED","channel":1})");
    CHECK(s.state() == DxlinkCandleSession::State::kFailed);
  }
  SECTION("keepalive is answered; garbage is ignored") {
    auto s = subscribed();
    auto out = s.on_frame(R"({"type":"KEEPALIVE","channel":0})");
    REQUIRE(out.size() == 1);
    CHECK(sent(out[0])["type"] == "KEEPALIVE");
    CHECK(s.on_frame("not json").empty());
    CHECK(s.on_frame(R"({"type":"FEED_DATA","channel":1,"data":"x"})").empty());
    CHECK(s.on_frame(R"({"type":"FEED_DATA","channel":1,"data":["Candle",[1,2,3]]})").empty());
    CHECK(s.state() == DxlinkCandleSession::State::kReceiving);
  }
}
