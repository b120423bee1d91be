#include "base/json_parse.hpp"

namespace bmcp {
namespace {

// nlohmann's own tree builder with a depth counter in front: the first container that
// would be one level too deep stops the parse (a SAX handler answering false ends it at
// once), so nothing deeper is ever read or built.
class DepthLimitedBuilder {
 public:
  explicit DepthLimitedBuilder(Json& root) : dom_(root, /*allow_exceptions_=*/false) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(Json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(Json::number_float_t v, const Json::string_t& s) {
    return dom_.number_float(v, s);
  }
  bool string(Json::string_t& v) { return dom_.string(v); }
  bool binary(Json::binary_t& v) { return dom_.binary(v); }
  bool key(Json::string_t& v) { return dom_.key(v); }
  bool start_object(std::size_t n) { return enter() && dom_.start_object(n); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return enter() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& ex) {
    return dom_.parse_error(position, token, ex);
  }

  bool too_deep() const { return too_deep_; }
  bool errored() const { return dom_.is_errored(); }

 private:
  bool enter() {
    if (++depth_ > kMaxJsonDepth) {
      too_deep_ = true;
      return false;
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  int depth_ = 0;
  bool too_deep_ = false;
};

}  // namespace

JsonParse parse_json_checked(std::string_view text) {
  JsonParse out;
  Json value;
  DepthLimitedBuilder builder(value);
  // strict: the whole text must be one JSON value (trailing bytes are a syntax error).
  const bool complete = Json::sax_parse(text.begin(), text.end(), &builder,
                                        nlohmann::detail::input_format_t::json, /*strict=*/true);
  if (builder.too_deep()) out.failure = JsonFailure::kTooDeep;
  else if (!complete || builder.errored()) out.failure = JsonFailure::kSyntax;
  else out.value = std::move(value);
  return out;
}

std::string json_failure_text(JsonFailure failure) {
  switch (failure) {
    case JsonFailure::kNone: return "valid JSON";
    case JsonFailure::kTooDeep:
      return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
    case JsonFailure::kSyntax: break;
  }
  return "invalid JSON";
}

}  // namespace bmcp
