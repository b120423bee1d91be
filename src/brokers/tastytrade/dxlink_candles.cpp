#include "brokers/tastytrade/dxlink_candles.hpp"

#include "base/json.hpp"

#include <cmath>
#include <cstdlib>
#include <limits>

namespace bmcp::market_data {
namespace {

constexpr const char* kCandleFields[] = {"eventType", "eventSymbol", "eventFlags", "time",  "open",
                                         "high",      "low",         "close",      "volume"};

// A DXLink value as a number: numbers as they are; strings ("NaN", "Infinity", "100.5",
// "1787666400000") parsed in full; anything else NaN.
double number_of(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::numeric_limits<double>::quiet_NaN();
  const std::string& s = v.get_ref<const std::string&>();
  if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::numeric_limits<double>::quiet_NaN();
  return d;
}

std::optional<std::int64_t> integer_of(const Json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  const double d = number_of(v);
  if (!std::isfinite(d) || std::fabs(d) > 9.0e15) return std::nullopt;
  return static_cast<std::int64_t>(d);
}

std::string frame(Json value) { return dump_json(value); }

}  // namespace

std::string canonical_candle_symbol(std::string_view symbol) {
  const std::size_t open = symbol.find('{');
  if (open == std::string_view::npos || symbol.back() != '}') return std::string(symbol);
  std::string out(symbol.substr(0, open + 1));
  std::string_view attrs = symbol.substr(open + 1, symbol.size() - open - 2);
  bool first = true;
  while (true) {
    const std::size_t comma = attrs.find(',');
    std::string_view attr = attrs.substr(0, comma);
    if (!first) out += ',';
    first = false;
    if (attr.size() > 2 && attr[0] == '=' && attr[1] == '1' &&
        !(attr[2] >= '0' && attr[2] <= '9') && attr[2] != '.') {
      out += '=';
      out += attr.substr(2);
    } else {
      out += attr;
    }
    if (comma == std::string_view::npos) break;
    attrs = attrs.substr(comma + 1);
  }
  out += '}';
  return out;
}

std::string candle_symbol(std::string_view symbol, std::string_view period,
                          bool regular_hours_only) {
  std::string out(symbol);
  out += "{=";
  out += period;
  if (regular_hours_only) out += ",tho=true";
  out += '}';
  return out;
}

DxlinkCandleSession::DxlinkCandleSession(std::string token, std::string candle_symbol,
                                         std::int64_t from_time_ms, int channel)
    : token_(std::move(token)),
      symbol_(std::move(candle_symbol)),
      canonical_(canonical_candle_symbol(symbol_)),
      from_time_ms_(from_time_ms),
      channel_(channel) {
  for (const char* f : kCandleFields) fields_.emplace_back(f);
}

std::vector<std::string> DxlinkCandleSession::start() {
  state_ = State::kConnecting;
  Json setup = {{"type", "SETUP"},
                {"channel", 0},
                {"version", "0.1-broker-mcp"},
                {"keepaliveTimeout", 60},
                {"acceptKeepaliveTimeout", 60}};
  return {frame(std::move(setup))};
}

void DxlinkCandleSession::fail(std::string message) {
  state_ = State::kFailed;
  error_ = std::move(message);
}

std::vector<std::string> DxlinkCandleSession::on_frame(std::string_view text) {
  std::vector<std::string> out;
  if (finished()) return out;
  std::optional<Json> parsed = parse_json(text);
  if (!parsed || !parsed->is_object()) return out;  // not ours to judge; ignore
  const Json& m = *parsed;
  const std::string type = get_string(m, "type").value_or("");
  const std::int64_t channel = get_int(m, "channel").value_or(0);

  if (type == "ERROR") {
    fail("DXLink error: " + get_string(m, "error").value_or("UNKNOWN") + " " +
         get_string(m, "message").value_or(""));
    return out;
  }
  if (type == "KEEPALIVE") {
    Json k = {{"type", "KEEPALIVE"}, {"channel", 0}};
    out.push_back(frame(std::move(k)));
    return out;
  }
  if (type == "AUTH_STATE") {
    const std::string st = get_string(m, "state").value_or("");
    if (st == "UNAUTHORIZED") {
      if (auth_sent_) {
        fail("The market-data token was refused (DXLink AUTH_STATE UNAUTHORIZED).");
        return out;
      }
      auth_sent_ = true;
      state_ = State::kAuthorizing;
      Json auth = {{"type", "AUTH"}, {"channel", 0}, {"token", token_}};
      out.push_back(frame(std::move(auth)));
    } else if (st == "AUTHORIZED" && state_ != State::kOpeningChannel &&
               state_ != State::kReceiving) {
      state_ = State::kOpeningChannel;
      Json req = {{"type", "CHANNEL_REQUEST"},
                  {"channel", channel_},
                  {"service", "FEED"},
                  {"parameters", {{"contract", "HISTORY"}}}};
      out.push_back(frame(std::move(req)));
    }
    return out;
  }
  if (channel != channel_) return out;  // SETUP echo and other channels
  if (type == "CHANNEL_OPENED") {
    if (state_ != State::kOpeningChannel) return out;
    state_ = State::kReceiving;
    Json fields = Json::array();
    for (const char* f : kCandleFields) fields.push_back(f);
    Json setup = {{"type", "FEED_SETUP"},
                  {"channel", channel_},
                  {"acceptAggregationPeriod", 0},
                  {"acceptDataFormat", "COMPACT"},
                  {"acceptEventFields", {{"Candle", std::move(fields)}}}};
    Json sub_item = {{"type", "Candle"}, {"symbol", symbol_}, {"fromTime", from_time_ms_}};
    Json sub = {{"type", "FEED_SUBSCRIPTION"},
                {"channel", channel_},
                {"reset", true},
                {"add", Json::array({std::move(sub_item)})}};
    out.push_back(frame(std::move(setup)));
    out.push_back(frame(std::move(sub)));
    return out;
  }
  if (type == "CHANNEL_CLOSED") {
    fail("The DXLink server closed the candle channel.");
    return out;
  }
  if (type == "FEED_CONFIG") {
    if (const Json* ef = find_member(m, "eventFields"); ef && ef->is_object()) {
      if (const Json* cf = find_member(*ef, "Candle"); cf && cf->is_array()) {
        std::vector<std::string> f;
        for (const Json& x : *cf)
          if (x.is_string()) f.push_back(x.get<std::string>());
        if (!f.empty()) fields_ = std::move(f);
      }
    }
    return out;
  }
  if (type != "FEED_DATA" || state_ != State::kReceiving) return out;
  const Json* data = find_member(m, "data");
  if (!data || !data->is_array()) return out;

  // Column positions of the fields we read.
  auto col = [&](std::string_view name) -> int {
    for (std::size_t i = 0; i < fields_.size(); ++i)
      if (fields_[i] == name) return static_cast<int>(i);
    return -1;
  };
  const int c_type = col("eventType"), c_sym = col("eventSymbol"), c_flags = col("eventFlags"),
            c_time = col("time"), c_open = col("open"), c_high = col("high"), c_low = col("low"),
            c_close = col("close"), c_vol = col("volume");

  std::vector<Row> rows;
  auto take = [&](auto&& get) {  // get(index or name) -> const Json*
    const Json* sym = get(c_sym, "eventSymbol");
    const Json* type_v = get(c_type, "eventType");
    if (type_v && type_v->is_string() && type_v->get_ref<const std::string&>() != "Candle") {
      ++ignored_rows_;
      return;
    }
    if (!sym || !sym->is_string() ||
        canonical_candle_symbol(sym->get_ref<const std::string&>()) != canonical_) {
      ++ignored_rows_;
      return;
    }
    const Json* t = get(c_time, "time");
    std::optional<std::int64_t> time = t ? integer_of(*t) : std::nullopt;
    if (!time) {
      ++ignored_rows_;
      return;
    }
    Row r;
    const Json* fl = get(c_flags, "eventFlags");
    r.flags = fl ? static_cast<int>(integer_of(*fl).value_or(0)) : 0;
    auto num = [&](int c, const char* n) {
      const Json* v = get(c, n);
      return v ? number_of(*v) : std::numeric_limits<double>::quiet_NaN();
    };
    r.candle.time_ms = *time;
    r.candle.open = num(c_open, "open");
    r.candle.high = num(c_high, "high");
    r.candle.low = num(c_low, "low");
    r.candle.close = num(c_close, "close");
    const double vol = num(c_vol, "volume");
    r.candle.volume = std::isfinite(vol) ? vol : 0;
    r.priced = std::isfinite(r.candle.open) && std::isfinite(r.candle.high) &&
               std::isfinite(r.candle.low) && std::isfinite(r.candle.close);
    if (!r.priced && !(r.flags & kRemoveEvent)) ++ignored_rows_;
    rows.push_back(r);
  };

  const Json& d = *data;
  if (!d.empty() && d[0].is_object()) {  // FULL format: one object per event
    for (const Json& ev : d) {
      if (!ev.is_object()) continue;
      take([&](int, const char* name) { return find_member(ev, name); });
    }
  } else {  // COMPACT: [type, [values…], type, [values…], …]
    for (std::size_t i = 0; i + 1 < d.size(); i += 2) {
      if (!d[i].is_string() || !d[i + 1].is_array()) break;
      if (d[i].get_ref<const std::string&>() != "Candle") continue;
      const Json& values = d[i + 1];
      const std::size_t width = fields_.size();
      if (width == 0) break;
      for (std::size_t base = 0; base + width <= values.size(); base += width) {
        take([&](int c, const char*) -> const Json* {
          return c < 0 ? nullptr : &values[base + static_cast<std::size_t>(c)];
        });
      }
    }
  }
  on_rows(std::move(rows));
  return out;
}

void DxlinkCandleSession::on_rows(std::vector<Row> rows) {
  for (Row& r : rows) {
    if (state_ == State::kDone) break;
    if (r.flags & kTxPending) {
      pending_.push_back(std::move(r));
      continue;
    }
    for (const Row& p : pending_) apply(p);
    pending_.clear();
    apply(r);
    if (end_seen_) state_ = State::kDone;  // the snapshot is complete and consistent
  }
}

void DxlinkCandleSession::apply(const Row& r) {
  if (r.flags & kSnapshotBegin) {
    snapshot_.clear();
    in_snapshot_ = true;
  }
  if (r.flags & kRemoveEvent) snapshot_.erase(r.candle.time_ms);
  else if (r.priced) snapshot_[r.candle.time_ms] = r.candle;
  if (r.flags & (kSnapshotEnd | kSnapshotSnip)) {
    in_snapshot_ = false;
    end_seen_ = true;
  }
}

std::vector<analysis::Candle> DxlinkCandleSession::candles() const {
  std::vector<analysis::Candle> out;
  out.reserve(snapshot_.size());
  for (const auto& [t, c] : snapshot_) out.push_back(c);
  return out;
}

}  // namespace bmcp::market_data
