#include "mcp/json_schema.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bmcp::mcp {
namespace {

// Schema frames (one per subschema applied) before giving up: generous for recursive schemas
// over kMaxInstanceDepth levels, small enough for the wasm stack, and what stops a $ref cycle.
constexpr int kMaxFrames = 4 * kMaxInstanceDepth;
constexpr std::size_t kMaxShownBytes = 60;  // of one value quoted in a message
constexpr std::size_t kMaxListBytes = 200;  // of a list of allowed values or properties
constexpr std::size_t kMaxAlternativesShown = 4;
constexpr std::size_t kMaxUniqueComparisons = 100000;

// ---------------------------------------------------------------------------------------------
// Text helpers

// Validation §6.3.1-2: string length is the number of code points, not bytes.
std::size_t count_code_points(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// The longest prefix of at most `max` bytes that does not split a UTF-8 sequence.
std::string_view clip(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

// A JSON string literal of `s`, shortened with "..." when long.
std::string json_quote(std::string_view s, std::size_t max = kMaxShownBytes) {
  const std::string_view shown = clip(s, max);
  std::string out = dump_json(Json(std::string(shown)));
  if (shown.size() < s.size()) out.insert(out.size() - 1, "...");
  return out;
}

bool is_ascii_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_ascii_alpha(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool is_ascii_alnum(char32_t c) { return is_ascii_digit(c) || is_ascii_alpha(c); }

std::string to_text(std::uint64_t n) { return std::to_string(n); }

// Concatenation in one place rather than a chain of operator+ at every message.
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers. JSON has one number type; nlohmann stores it as int64, uint64 or double. Comparisons
// are exact across the three so that a uint64 near 2^64 is not rounded into range.

struct Number {
  enum class Kind : std::uint8_t { Negative, NonNegative, Real } kind = Kind::NonNegative;
  std::int64_t negative = 0;    // Kind::Negative
  std::uint64_t magnitude = 0;  // Kind::NonNegative
  double real = 0;              // Kind::Real
};

std::optional<Number> to_number(const Json& v) {
  using K = Number::Kind;
  if (const auto* u = v.get_ptr<const Json::number_unsigned_t*>())
    return Number{K::NonNegative, 0, *u, 0};
  if (const auto* i = v.get_ptr<const Json::number_integer_t*>()) {
    if (*i < 0) return Number{K::Negative, *i, 0, 0};
    return Number{K::NonNegative, 0, static_cast<std::uint64_t>(*i), 0};
  }
  if (const auto* d = v.get_ptr<const Json::number_float_t*>()) return Number{K::Real, 0, 0, *d};
  return std::nullopt;
}

int compare_int_real(std::int64_t a, double b) {
  if (!(b >= -9223372036854775808.0)) return 1;
  if (!(b < 9223372036854775808.0)) return -1;
  const double whole = std::floor(b);
  const auto w = static_cast<std::int64_t>(whole);
  if (a != w) return a < w ? -1 : 1;
  return b > whole ? -1 : 0;
}

int compare_uint_real(std::uint64_t a, double b) {
  if (!(b >= 0)) return 1;
  if (!(b < 18446744073709551616.0)) return -1;
  const double whole = std::floor(b);
  const auto w = static_cast<std::uint64_t>(whole);
  if (a != w) return a < w ? -1 : 1;
  return b > whole ? -1 : 0;
}

// -1, 0 or 1 as a < b, a == b, a > b (NaN, which JSON cannot carry, compares equal).
int compare(const Number& a, const Number& b) {
  using K = Number::Kind;
  if (a.kind == K::Real && b.kind == K::Real) return (a.real > b.real) - (a.real < b.real);
  if (a.kind == K::Real) return -compare(b, a);
  if (b.kind == K::Real) {
    return a.kind == K::Negative ? compare_int_real(a.negative, b.real)
                                 : compare_uint_real(a.magnitude, b.real);
  }
  if (a.kind != b.kind) return a.kind == K::Negative ? -1 : 1;
  if (a.kind == K::Negative) return (a.negative > b.negative) - (a.negative < b.negative);
  return (a.magnitude > b.magnitude) - (a.magnitude < b.magnitude);
}

double to_double(const Number& n) {
  switch (n.kind) {
    case Number::Kind::Negative: return static_cast<double>(n.negative);
    case Number::Kind::NonNegative: return static_cast<double>(n.magnitude);
    default: return n.real;
  }
}

// Validation §6.2.1 multipleOf: exact for integers; for reals, the quotient must be a whole
// number up to the rounding of one division (so 0.3 is a multiple of 0.1). A quotient that
// overflows is not a whole number.
bool is_multiple_of(const Number& x, const Number& m) {
  using K = Number::Kind;
  if (x.kind != K::Real && m.kind == K::NonNegative) {
    const std::uint64_t mag =
        x.kind == K::Negative ? 0 - static_cast<std::uint64_t>(x.negative) : x.magnitude;
    return mag % m.magnitude == 0;
  }
  const double q = to_double(x) / to_double(m);
  if (!std::isfinite(q)) return false;
  const double tolerance = 8 * std::numeric_limits<double>::epsilon() * std::max(1.0, std::fabs(q));
  return std::fabs(q - std::round(q)) <= tolerance;
}

// Validation §6.1.1: "integer" is any number with a zero fractional part, so 3.0 is one.
bool is_integer_value(const Json& v) {
  if (v.is_number_integer()) return true;  // int64 or uint64
  const auto* d = v.get_ptr<const Json::number_float_t*>();
  return d && std::isfinite(*d) && std::floor(*d) == *d;
}

std::string number_text(const Json& v) {
  if (const auto* d = v.get_ptr<const Json::number_float_t*>(); d && !std::isfinite(*d)) {
    if (std::isnan(*d)) return "NaN";
    return *d > 0 ? "Infinity" : "-Infinity";
  }
  return dump_json(v);
}

// A short rendering of a value for a message. Composite instance values are described, not
// printed: they come from the client and may be large.
std::string show(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string: return json_quote(*v.get_ptr<const Json::string_t*>());
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return number_text(v);
    case Json::value_t::boolean: return *v.get_ptr<const Json::boolean_t*>() ? "true" : "false";
    case Json::value_t::null: return "null";
    case Json::value_t::array: return cat({"an array of ", to_text(v.size()), " items"});
    case Json::value_t::object: return cat({"an object with ", to_text(v.size()), " properties"});
    default: return "an unsupported value";
  }
}

// Values written in our own schema (enum, const) may be printed whole, within reason.
std::string show_schema_value(const Json& v) {
  if (!v.is_structured()) return show(v);
  const std::string text = dump_json(v);
  const std::string_view shown = clip(text, kMaxShownBytes);
  return shown.size() < text.size() ? cat({shown, "..."}) : text;
}

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::string: return "string";
    case Json::value_t::array: return "array";
    case Json::value_t::object: return "object";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "number";
    default: return "unsupported value";
  }
}

// Joins items as "a, b, ... (N more)" within about kMaxListBytes.
template <typename Range, typename Render>
std::string join_limited(const Range& items, Render render) {
  std::string out;
  std::size_t shown = 0, total = 0;
  for (const auto& item : items) {
    ++total;
    if (out.size() >= kMaxListBytes) continue;
    if (shown++ > 0) out += ", ";
    out += render(item);
  }
  if (shown < total) out += cat({", ... (", to_text(total - shown), " more)"});
  return out;
}

// Path segments: ".name" for identifier-like keys, ["odd key"] otherwise, "[3]" for indices.
void append_key(std::string& path, std::string_view key) {
  bool identifier = !key.empty() && key.size() <= kMaxShownBytes && !is_ascii_digit(key[0]);
  for (char c : key) {
    if (!is_ascii_alnum(static_cast<unsigned char>(c)) && c != '_' && c != '$') identifier = false;
  }
  if (identifier) {
    if (!path.empty()) path += '.';
    path += key;
  } else {
    path += '[';
    path += json_quote(key);
    path += ']';
  }
}

void append_index(std::string& path, std::size_t i) {
  path += '[';
  path += to_text(i);
  path += ']';
}

// ---------------------------------------------------------------------------------------------
// Instance equality (Core §4.2.2): numbers by value (1 == 1.0), objects regardless of order.
// Depth is bounded by the instance depth check done before validation.

bool json_equal(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    const auto x = to_number(a), y = to_number(b);
    return x && y && compare(*x, *y) == 0;
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!json_equal(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto it = a.begin(); it != a.end(); ++it) {
      const Json* other = find_member(b, it.key());
      if (!other || !json_equal(it.value(), *other)) return false;
    }
    return true;
  }
  if (const auto* s = a.get_ptr<const Json::string_t*>())
    return *s == *b.get_ptr<const Json::string_t*>();
  if (const auto* x = a.get_ptr<const Json::boolean_t*>())
    return *x == *b.get_ptr<const Json::boolean_t*>();
  return a.is_null();
}

std::uint64_t hash_text(std::string_view s) {  // FNV-1a
  std::uint64_t h = 0xCBF29CE484222325ull;
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
  return h;
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h ^= h >> 31;
  return h * 0xBF58476D1CE4E5B9ull;
}

// A hash consistent with json_equal: equal numbers of different storage hash alike.
std::uint64_t json_hash(const Json& v) {
  std::uint64_t h = static_cast<std::uint64_t>(v.is_number() ? 0xF0 : static_cast<int>(v.type()));
  if (const auto n = to_number(v)) {
    switch (n->kind) {
      case Number::Kind::Negative: return mix(h, static_cast<std::uint64_t>(n->negative));
      case Number::Kind::NonNegative: return mix(h, n->magnitude);
      case Number::Kind::Real: {
        const double d = n->real;
        if (d == std::floor(d) && d > -9223372036854775808.0 && d < 0)
          return mix(h, static_cast<std::uint64_t>(static_cast<std::int64_t>(d)));
        if (d == std::floor(d) && d >= 0 && d < 18446744073709551616.0)
          return mix(h, static_cast<std::uint64_t>(d));
        std::uint64_t bits = 0;
        std::memcpy(&bits, &d, sizeof bits);
        return mix(h, bits);
      }
    }
  }
  if (const auto* s = v.get_ptr<const Json::string_t*>()) return mix(h, hash_text(*s));
  if (const auto* b = v.get_ptr<const Json::boolean_t*>()) return mix(h, *b ? 1 : 2);
  if (v.is_array()) {
    for (const Json& item : v) h = mix(h, json_hash(item));
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      h = mix(mix(h, hash_text(it.key())), json_hash(it.value()));
    }
  }
  return h;
}

// Whether any value is nested more than kMaxInstanceDepth arrays/objects deep. Iterative, so a
// hostile 100 000-level instance cannot exhaust the stack here.
bool nested_too_deep(const Json& root) {
  std::vector<std::pair<const Json*, int>> stack;
  if (root.is_structured()) stack.emplace_back(&root, 1);
  while (!stack.empty()) {
    const auto [v, depth] = stack.back();
    stack.pop_back();
    if (depth > kMaxInstanceDepth) return true;
    for (const Json& child : *v) {
      if (child.is_structured()) stack.emplace_back(&child, depth + 1);
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Formats (Validation §7.3). Shape checks only, documented as lenient.

bool fixed_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!is_ascii_digit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// RFC 3339 full-date: YYYY-MM-DD with a day that exists in that month.
bool is_full_date(std::string_view s) {
  int y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !fixed_digits(s, 0, 4, y) ||
      !fixed_digits(s, 5, 2, m) || !fixed_digits(s, 8, 2, d) || m < 1 || m > 12 || d < 1) {
    return false;
  }
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

// RFC 3339 date-time: full-date "T" HH:MM:SS[.frac] (Z | +HH:MM | -HH:MM). Lenient in
// accepting "t" or a space as separator (RFC 3339 §5.6 note) and second 60 on any day.
bool is_date_time(std::string_view s) {
  if (s.size() < 20 || !is_full_date(s.substr(0, 10))) return false;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
  const std::string_view t = s.substr(11);
  int h = 0, mi = 0, sec = 0;
  if (!fixed_digits(t, 0, 2, h) || t[2] != ':' || !fixed_digits(t, 3, 2, mi) || t[5] != ':' ||
      !fixed_digits(t, 6, 2, sec) || h > 23 || mi > 59 || sec > 60) {
    return false;
  }
  std::size_t i = 8;
  if (i < t.size() && t[i] == '.') {
    const std::size_t start = ++i;
    while (i < t.size() && is_ascii_digit(static_cast<unsigned char>(t[i]))) ++i;
    if (i == start) return false;
  }
  if (i >= t.size()) return false;  // the offset is not optional
  if (t[i] == 'Z' || t[i] == 'z') return i + 1 == t.size();
  int oh = 0, om = 0;
  return (t[i] == '+' || t[i] == '-') && t.size() == i + 6 && fixed_digits(t, i + 1, 2, oh) &&
         t[i + 3] == ':' && fixed_digits(t, i + 4, 2, om) && oh <= 23 && om <= 59;
}

// Shape of an RFC 5321 mailbox: local@domain, no spaces or controls, a domain without empty
// labels. Quoted local parts and address literals are not checked further.
bool is_email(std::string_view s) {
  const std::size_t at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == s.size()) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;
  }
  const std::string_view domain = s.substr(at + 1);
  return domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

int hex_value(char32_t c) {
  if (is_ascii_digit(c)) return static_cast<int>(c - '0');
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return static_cast<int>((c | 0x20) - 'a' + 10);
  return -1;
}

// RFC 3986 absolute URI: a scheme (§3.1), then ASCII without spaces, controls or the
// characters RFC 3986 never allows unencoded; every '%' starts a %HH escape.
bool is_uri(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 ||
      !is_ascii_alpha(static_cast<unsigned char>(s[0]))) {
    return false;
  }
  for (std::size_t i = 1; i < colon; ++i) {
    const char c = s[i];
    if (!is_ascii_alnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return false;
  }
  constexpr std::string_view kNever = "\"<>\\^`{|}";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u <= 0x20 || u >= 0x7F || kNever.find(s[i]) != std::string_view::npos) return false;
    if (s[i] == '%' && (i + 2 >= s.size() || hex_value(static_cast<unsigned char>(s[i + 1])) < 0 ||
                        hex_value(static_cast<unsigned char>(s[i + 2])) < 0)) {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The validator

std::optional<std::uint64_t> count_keyword(const Json& schema, std::string_view name) {
  const Json* v = find_member(schema, name);
  if (!v) return std::nullopt;
  const auto n = to_number(*v);
  if (!n || n->kind == Number::Kind::Negative) return std::nullopt;
  if (n->kind == Number::Kind::NonNegative) return n->magnitude;
  if (n->real >= 0 && n->real < 18446744073709551616.0 && std::floor(n->real) == n->real)
    return static_cast<std::uint64_t>(n->real);
  return std::nullopt;
}

// Validation §6.2.1: multipleOf's value "MUST be a number, strictly greater than 0".
bool positive_divisor(const std::optional<Number>& divisor) {
  return divisor && (divisor->kind == Number::Kind::NonNegative
                         ? divisor->magnitude > 0
                         : divisor->kind == Number::Kind::Real && divisor->real > 0);
}

bool has_type(const Json& v, std::string_view t) {
  if (t == "integer") return is_integer_value(v);
  if (t == "number") return v.is_number();
  if (t == "string") return v.is_string();
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  return false;
}

// Validation §6.1.1 type: a name or an array of names. A malformed keyword accepts anything.
bool type_accepts(const Json& type, const Json& v) {
  if (const auto* name = type.get_ptr<const Json::string_t*>()) return has_type(v, *name);
  if (!type.is_array()) return true;
  for (const Json& t : type) {
    if (const auto* name = t.get_ptr<const Json::string_t*>(); name && has_type(v, *name))
      return true;
  }
  return false;
}

// "string", "string or null", "string, number or null".
void append_type_names(std::vector<std::string_view>& names, const Json& type) {
  auto add = [&](const Json& t) {
    const auto* s = t.get_ptr<const Json::string_t*>();
    if (s && std::find(names.begin(), names.end(), *s) == names.end()) names.push_back(*s);
  };
  if (type.is_array()) {
    for (const Json& t : type) add(t);
  } else {
    add(type);
  }
}

std::string type_mismatch(const std::vector<std::string_view>& names, const Json& v) {
  if (names.empty()) return cat({"no value of type ", type_name(v), " is allowed here"});
  std::string out = "expected ";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  out += ", got ";
  out += type_name(v);
  // "got number" alone would hide why 3.5 is not an integer.
  if (v.is_number() && std::find(names.begin(), names.end(), "integer") != names.end()) {
    out += ' ';
    out += number_text(v);
  }
  return out;
}

// Core §8.2.3.1 $ref, limited to JSON Pointers into the schema `root` ("#", "#/$defs/x").
const Json* resolve_pointer(const Json& root, std::string_view ref) {
  if (ref.empty() || ref.front() != '#') return nullptr;
  ref.remove_prefix(1);
  const Json* cur = &root;
  while (!ref.empty()) {
    if (ref.front() != '/') return nullptr;
    ref.remove_prefix(1);
    const std::size_t end = std::min(ref.find('/'), ref.size());
    std::string token;
    for (std::size_t i = 0; i < end; ++i) {  // RFC 6901 §4: ~1 is '/', ~0 is '~'
      if (ref[i] == '~' && i + 1 < end && (ref[i + 1] == '0' || ref[i + 1] == '1')) {
        token += ref[++i] == '1' ? '/' : '~';
      } else {
        token += ref[i];
      }
    }
    ref.remove_prefix(end);
    if (cur->is_object()) {
      cur = find_member(*cur, token);
    } else if (cur->is_array() && !token.empty() && token.size() < 10 &&
               std::all_of(token.begin(), token.end(), [](char c) { return is_ascii_digit(c); })) {
      std::size_t i = 0;
      for (char c : token) i = i * 10 + static_cast<std::size_t>(c - '0');
      cur = i < cur->size() ? &(*cur)[i] : nullptr;
    } else {
      cur = nullptr;
    }
    if (!cur) return nullptr;
  }
  return cur;
}

class Validator {
 public:
  Validator(const Json& root, std::vector<SchemaViolation>& out, std::size_t cap)
      : root_(root), sink_{&out, cap} {}

  // The recursive path is validate -> check_object / check_array / check_applicators ->
  // validate; keyword checks that do not recurse stay out of line to keep these frames small.
  void validate(const Json& schema, const Json& inst, std::string& path) {
    if (full()) return;
    // Core §4.3.2: boolean schemas.
    if (const auto* b = schema.get_ptr<const Json::boolean_t*>()) {
      if (!*b) report(path, {"no value is allowed here, got ", show(inst)});
      return;
    }
    if (!schema.is_object()) return;
    if (frames_ >= kMaxFrames) {
      report(path, {"nesting too deep: the schema recurses more than ", to_text(kMaxFrames),
                    " times here"});
      return;
    }
    ++frames_;
    if (const Json* ref = find_member(schema, "$ref")) apply_ref(*ref, inst, path);
    if (check_type(schema, inst, path)) check_enum_const(schema, inst, path);
    switch (inst.type()) {
      case Json::value_t::object: check_object(schema, inst, path); break;
      case Json::value_t::array: check_array(schema, inst, path); break;
      case Json::value_t::string: check_string(schema, inst, path); break;
      case Json::value_t::number_integer:
      case Json::value_t::number_unsigned:
      case Json::value_t::number_float: check_number(schema, inst, path); break;
      default: break;
    }
    check_applicators(schema, inst, path);
    --frames_;
  }

 private:
  struct Sink {
    std::vector<SchemaViolation>* out;
    std::size_t cap;
  };

  bool full() const { return sink_.out->size() >= sink_.cap; }

  void report(const std::string& path, std::initializer_list<std::string_view> message) {
    if (!full()) sink_.out->push_back(SchemaViolation{path, cat(message)});
  }

  // Whether `inst` satisfies `schema`, without reporting; `first` receives the first reason
  // it does not.
  bool matches(const Json& schema, const Json& inst, std::string& path, SchemaViolation* first) {
    std::vector<SchemaViolation> local;
    const Sink saved = sink_;
    sink_ = Sink{&local, 1};
    validate(schema, inst, path);
    sink_ = saved;
    if (local.empty()) return true;
    if (first) *first = std::move(local.front());
    return false;
  }

  const Json* resolve(std::string_view ref) const { return resolve_pointer(root_, ref); }

  [[gnu::noinline]] void apply_ref(const Json& ref, const Json& inst, std::string& path) {
    const auto* text = ref.get_ptr<const Json::string_t*>();
    if (!text) return;
    const Json* target = resolve(*text);
    if (!target) {
      report(path, {"schema error: cannot resolve $ref ", json_quote(*text)});
      return;
    }
    validate(*target, inst, path);
  }

  [[gnu::noinline]] bool check_type(const Json& schema, const Json& inst, const std::string& path) {
    const Json* type = find_member(schema, "type");
    if (!type || type_accepts(*type, inst)) return true;
    std::vector<std::string_view> names;
    append_type_names(names, *type);
    report(path, {type_mismatch(names, inst)});
    return false;
  }

  // Validation §6.1.2 enum, §6.1.3 const.
  [[gnu::noinline]] void check_enum_const(const Json& schema, const Json& inst,
                                          const std::string& path) {
    if (const Json* values = find_member(schema, "enum"); values && values->is_array()) {
      const bool found = std::any_of(values->begin(), values->end(),
                                     [&](const Json& v) { return json_equal(v, inst); });
      if (!found) {
        report(path, {"must be one of ",
                      join_limited(*values, [](const Json& v) { return show_schema_value(v); }),
                      ", got ", show(inst)});
      }
    }
    if (const Json* value = find_member(schema, "const"); value && !json_equal(*value, inst))
      report(path, {"must be ", show_schema_value(*value), ", got ", show(inst)});
  }

  // Validation §6.5 and Core §10.3.2 (properties, additionalProperties).
  [[gnu::noinline]] void check_object(const Json& schema, const Json& inst, std::string& path) {
    if (const Json* required = find_member(schema, "required"); required && required->is_array()) {
      for (const Json& name : *required) {
        const auto* key = name.get_ptr<const Json::string_t*>();
        if (key && !find_member(inst, *key))
          report(path, {"missing required property ", json_quote(*key)});
      }
    }
    if (const auto n = count_keyword(schema, "minProperties"); n && inst.size() < *n) {
      report(path, {"must have at least ", to_text(*n), " properties, got ", to_text(inst.size())});
    }
    if (const auto n = count_keyword(schema, "maxProperties"); n && inst.size() > *n) {
      report(path, {"must have at most ", to_text(*n), " properties, got ", to_text(inst.size())});
    }
    const Json* properties = find_member(schema, "properties");
    const Json* additional = find_member(schema, "additionalProperties");
    if (!properties && !additional) return;
    for (auto it = inst.begin(); it != inst.end() && !full(); ++it) {
      const std::string& key = it.key();
      const std::size_t mark = path.size();
      append_key(path, key);
      bool described = false;
      if (const Json* sub = properties ? find_member(*properties, key) : nullptr) {
        described = true;
        validate(*sub, it.value(), path);
      }
      if (!described && additional) {
        const auto* allowed = additional->get_ptr<const Json::boolean_t*>();
        if (allowed && !*allowed) {
          path.resize(mark);
          report(path, {"unexpected property ", json_quote(key), allowed_properties(properties)});
        } else {
          validate(*additional, it.value(), path);
        }
      }
      path.resize(mark);
    }
  }

  static std::string allowed_properties(const Json* properties) {
    if (!properties || !properties->is_object() || properties->empty())
      return "; no properties are allowed";
    std::vector<std::string_view> names;
    for (auto it = properties->begin(); it != properties->end(); ++it) names.push_back(it.key());
    return cat(
        {"; allowed: ", join_limited(names, [](std::string_view k) { return std::string(k); })});
  }

  // Validation §6.4 and Core §10.3.1 (prefixItems, items).
  [[gnu::noinline]] void check_array(const Json& schema, const Json& inst, std::string& path) {
    const std::size_t size = inst.size();
    if (const auto n = count_keyword(schema, "minItems"); n && size < *n)
      report(path, {"must have at least ", to_text(*n), " items, got ", to_text(size)});
    if (const auto n = count_keyword(schema, "maxItems"); n && size > *n)
      report(path, {"must have at most ", to_text(*n), " items, got ", to_text(size)});
    const Json* prefix = find_member(schema, "prefixItems");
    const Json* items = find_member(schema, "items");
    if (items && items->is_array()) prefix = items, items = nullptr;  // draft 2019-09 tuple form
    std::size_t first_rest = 0;
    if (prefix && prefix->is_array()) {
      first_rest = std::min(size, prefix->size());
      for (std::size_t i = 0; i < first_rest && !full(); ++i) {
        const std::size_t mark = path.size();
        append_index(path, i);
        validate((*prefix)[i], inst[i], path);
        path.resize(mark);
      }
    }
    if (items) {
      if (const auto* allowed = items->get_ptr<const Json::boolean_t*>(); allowed && !*allowed) {
        if (size > first_rest)
          report(path, {"must have at most ", to_text(first_rest), " items, got ", to_text(size)});
      } else {
        for (std::size_t i = first_rest; i < size && !full(); ++i) {
          const std::size_t mark = path.size();
          append_index(path, i);
          validate(*items, inst[i], path);
          path.resize(mark);
        }
      }
    }
    if (const Json* unique = find_member(schema, "uniqueItems");
        unique && unique->is_boolean() && *unique->get_ptr<const Json::boolean_t*>()) {
      check_unique(inst, path);
    }
  }

  // Validation §6.4.3 uniqueItems, in O(n log n): items are sorted by a hash and only items
  // with equal hashes are compared (with a bound, against crafted collisions).
  [[gnu::noinline]] void check_unique(const Json& inst, const std::string& path) {
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
    keyed.reserve(inst.size());
    for (std::size_t i = 0; i < inst.size(); ++i) keyed.emplace_back(json_hash(inst[i]), i);
    std::sort(keyed.begin(), keyed.end());
    std::size_t comparisons = 0;
    for (std::size_t a = 0; a < keyed.size(); ++a) {
      for (std::size_t b = a + 1; b < keyed.size() && keyed[b].first == keyed[a].first; ++b) {
        if (++comparisons > kMaxUniqueComparisons) return;
        if (json_equal(inst[keyed[a].second], inst[keyed[b].second])) {
          report(path, {"items must be unique, but items ", to_text(keyed[a].second), " and ",
                        to_text(keyed[b].second), " are equal"});
          return;
        }
      }
    }
  }

  // Validation §6.3 (minLength, maxLength) and §7 (format).
  [[gnu::noinline]] void check_string(const Json& schema, const Json& inst,
                                      const std::string& path) {
    const std::string& s = *inst.get_ptr<const Json::string_t*>();
    const auto min = count_keyword(schema, "minLength");
    const auto max = count_keyword(schema, "maxLength");
    if (min || max) {
      const std::size_t length = count_code_points(s);
      if (min && length < *min) {
        report(path, {"must be at least ", to_text(*min), " characters long, got ", to_text(length),
                      ": ", json_quote(s)});
      }
      if (max && length > *max) {
        report(path, {"must be at most ", to_text(*max), " characters long, got ", to_text(length),
                      ": ", json_quote(s)});
      }
    }
    if (const auto format = get_string(schema, "format")) check_format(*format, s, path);
  }

  void check_format(std::string_view format, const std::string& s, const std::string& path) {
    const char* expected = nullptr;
    if (format == "date") {
      if (!is_full_date(s)) expected = "a valid date (YYYY-MM-DD)";
    } else if (format == "date-time") {
      if (!is_date_time(s))
        expected = "a valid RFC 3339 date-time with a time zone (e.g. 2025-01-31T14:30:00Z)";
    } else if (format == "email") {
      if (!is_email(s)) expected = "a valid email address";
    } else if (format == "uri") {
      if (!is_uri(s)) expected = "an absolute URI (e.g. https://example.com/path)";
    }
    if (expected) report(path, {"must be ", expected, ", got ", json_quote(s)});
  }

  // Validation §6.2.
  [[gnu::noinline]] void check_number(const Json& schema, const Json& inst,
                                      const std::string& path) {
    const auto x = to_number(inst);
    if (!x) return;
    if (x->kind == Number::Kind::Real && std::isnan(x->real)) {
      report(path, {"must be a finite number, got NaN"});
      return;
    }
    struct Bound {
      const char* keyword;
      const char* relation;
      bool (*holds)(int);
    };
    static constexpr Bound kBounds[] = {
        {"minimum", ">=", [](int c) { return c >= 0; }},
        {"maximum", "<=", [](int c) { return c <= 0; }},
        {"exclusiveMinimum", ">", [](int c) { return c > 0; }},
        {"exclusiveMaximum", "<", [](int c) { return c < 0; }},
    };
    for (const Bound& b : kBounds) {
      const Json* limit = find_member(schema, b.keyword);
      const auto n = limit ? to_number(*limit) : std::nullopt;
      if (n && !b.holds(compare(*x, *n))) {
        report(path,
               {"must be ", b.relation, " ", number_text(*limit), ", got ", number_text(inst)});
      }
    }
    if (const Json* m = find_member(schema, "multipleOf")) {
      const auto divisor = to_number(*m);
      if (positive_divisor(divisor) && !is_multiple_of(*x, *divisor))
        report(path, {"must be a multiple of ", number_text(*m), ", got ", number_text(inst)});
    }
  }

  // Core §10.2 (allOf, anyOf, oneOf, not).
  [[gnu::noinline]] void check_applicators(const Json& schema, const Json& inst,
                                           std::string& path) {
    if (const Json* all = find_member(schema, "allOf"); all && all->is_array()) {
      for (const Json& sub : *all) validate(sub, inst, path);
    }
    if (const Json* any = find_member(schema, "anyOf"); any && any->is_array() && !any->empty()) {
      std::vector<SchemaViolation> reasons;
      bool matched = false;
      for (const Json& sub : *any) {
        if (full()) return;
        SchemaViolation reason;
        if (matches(sub, inst, path, &reason)) {
          matched = true;
          break;
        }
        reasons.push_back(std::move(reason));
      }
      if (!matched) report(path, {no_alternative_matched(*any, inst, reasons, path)});
    }
    if (const Json* one = find_member(schema, "oneOf"); one && one->is_array() && !one->empty()) {
      std::vector<SchemaViolation> reasons;
      std::vector<std::size_t> matched;
      for (std::size_t i = 0; i < one->size() && matched.size() < 2; ++i) {
        if (full()) return;
        SchemaViolation reason;
        if (matches((*one)[i], inst, path, &reason)) {
          matched.push_back(i);
        } else {
          reasons.push_back(std::move(reason));
        }
      }
      if (matched.empty()) {
        report(path, {no_alternative_matched(*one, inst, reasons, path)});
      } else if (matched.size() > 1) {
        report(path, {"matches alternatives ", to_text(matched[0] + 1), " and ",
                      to_text(matched[1] + 1), " of oneOf, but must match exactly one"});
      }
    }
    if (const Json* negated = find_member(schema, "not")) {
      if (!full() && matches(*negated, inst, path, nullptr))
        report(path, {"must not match the schema under \"not\", got ", show(inst)});
    }
    // Core §10.2.2.1-3: `if` only chooses; `then` applies when it matches, `else` otherwise.
    if (const Json* condition = find_member(schema, "if"); condition && !full()) {
      const char* branch = matches(*condition, inst, path, nullptr) ? "then" : "else";
      if (const Json* chosen = find_member(schema, branch)) validate(*chosen, inst, path);
    }
  }

  // When every alternative declares a type and none fits, a type union says it best
  // ("expected string or null, got number"); otherwise each alternative's first reason.
  static std::string no_alternative_matched(const Json& alternatives, const Json& inst,
                                            const std::vector<SchemaViolation>& reasons,
                                            const std::string& path) {
    std::vector<std::string_view> names;
    bool all_types = true;
    for (const Json& sub : alternatives) {
      const Json* type = find_member(sub, "type");
      if (!type || type_accepts(*type, inst)) {
        all_types = false;
        break;
      }
      append_type_names(names, *type);
    }
    if (all_types && !names.empty()) return type_mismatch(names, inst);
    std::string out =
        cat({"matches none of the ", to_text(alternatives.size()), " allowed alternatives"});
    for (std::size_t i = 0; i < reasons.size() && i < kMaxAlternativesShown; ++i) {
      out += i == 0 ? ": (" : " | (";
      const SchemaViolation& r = reasons[i];
      const std::string reason = r.path == path ? r.message : cat({r.path, ": ", r.message});
      out += cat({to_text(i + 1), ") ", clip(reason, kMaxListBytes)});
    }
    if (reasons.size() > kMaxAlternativesShown) out += " | ...";
    return out;
  }

  const Json& root_;
  Sink sink_;
  int frames_ = 0;
};

// The keywords the Validator checks (each one also appears above where it is checked; $ref
// is looked at apart, below).
constexpr std::array<std::string_view, 17> kCheckedKeywords = {"type",
                                                               "enum",
                                                               "const",
                                                               "required",
                                                               "minProperties",
                                                               "maxProperties",
                                                               "minItems",
                                                               "maxItems",
                                                               "uniqueItems",
                                                               "minimum",
                                                               "maximum",
                                                               "exclusiveMinimum",
                                                               "exclusiveMaximum",
                                                               "multipleOf",
                                                               "minLength",
                                                               "maxLength",
                                                               "format"};
// Keywords whose value is one schema, an array of schemas, or an object of named schemas.
constexpr std::array<std::string_view, 6> kOneSubschema = {
    "additionalProperties", "items", "not", "if", "then", "else"};
constexpr std::array<std::string_view, 4> kSubschemaList = {"prefixItems", "allOf", "anyOf",
                                                            "oneOf"};
constexpr std::array<std::string_view, 3> kNamedSubschemas = {"properties", "$defs", "definitions"};
// Nothing to check, rightly ignored: annotations (Validation §9), the header-mirroring
// annotation of 2026-07-28 (mcp/mirrored_headers.hpp checks it), and identifiers ($id,
// $anchor: a $ref to one does not resolve here, which is reported, never passed).
constexpr std::array<std::string_view, 12> kAnnotations = {
    "title",      "description", "default",   "examples",     "$schema", "$comment",
    "deprecated", "readOnly",    "writeOnly", "x-mcp-header", "$id",     "$anchor"};
constexpr std::array<std::string_view, 4> kCheckedFormats = {"date", "date-time", "email", "uri"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

constexpr std::array<std::string_view, 7> kTypeNames = {"null",   "boolean", "object", "array",
                                                        "number", "string",  "integer"};
constexpr std::array<std::string_view, 6> kCountKeywords = {
    "minProperties", "maxProperties", "minItems", "maxItems", "minLength", "maxLength"};
constexpr std::array<std::string_view, 4> kBoundKeywords = {"minimum", "maximum",
                                                            "exclusiveMinimum", "exclusiveMaximum"};

bool is_type_name(const Json& v) {
  const auto* name = v.get_ptr<const Json::string_t*>();
  return name && one_of(kTypeNames, *name);
}

// Whether a checked keyword's value has the shape Validation §6 requires of it. The
// Validator reads only that shape and passes over any other in silence ("required": "id"
// would require nothing), so a malformed keyword is as unchecked as an unknown one.
bool well_formed(const Json& schema, std::string_view key, const Json& value) {
  if (key == "type") {  // §6.1.1: a name, or a non-empty array of names
    if (!value.is_array()) return is_type_name(value);
    return !value.empty() && std::all_of(value.begin(), value.end(), is_type_name);
  }
  if (key == "enum") return value.is_array();  // §6.1.2
  if (key == "required")                       // §6.5.3: an array of strings
    return value.is_array() &&
           std::all_of(value.begin(), value.end(), [](const Json& n) { return n.is_string(); });
  if (one_of(kCountKeywords, key)) return count_keyword(schema, key).has_value();  // non-negative
  if (key == "uniqueItems") return value.is_boolean();                             // §6.4.3
  if (one_of(kBoundKeywords, key)) return to_number(value).has_value();            // §6.2.2–5
  if (key == "multipleOf") return positive_divisor(to_number(value));
  return true;  // const: any value
}

// `root`: the whole schema, where a $ref points.
void collect_unchecked(const Json& root, const Json& schema, const std::string& at,
                       std::vector<std::string>& out) {
  if (!schema.is_object()) return;  // true/false, or nothing to read
  for (auto it = schema.begin(); it != schema.end(); ++it) {
    const std::string& key = it.key();
    const Json& value = it.value();
    const std::string here = at + "/" + key;
    // `items` as an array is the older tuple form, validated like prefixItems.
    const bool list = one_of(kSubschemaList, key) || (key == "items" && value.is_array());
    if (list) {
      // Core §10.2.1, §10.3.1.1: a non-empty array of schemas.
      if (!value.is_array() || value.empty()) out.push_back(here);
      for (std::size_t i = 0; value.is_array() && i < value.size(); ++i)
        collect_unchecked(root, value[i], here + "/" + std::to_string(i), out);
    } else if (one_of(kOneSubschema, key)) {
      // Core §4.3: a schema is an object or a boolean.
      if (!value.is_object() && !value.is_boolean()) out.push_back(here);
      collect_unchecked(root, value, here, out);
    } else if (one_of(kNamedSubschemas, key) && value.is_object()) {
      for (auto sub = value.begin(); sub != value.end(); ++sub)
        collect_unchecked(root, sub.value(), here + "/" + sub.key(), out);
    } else if (key == "$ref") {
      // Unresolvable, it would be a violation on every call — or, under `not` or `if`, a
      // silent choice: either way a schema bug to find before serving.
      const auto* target = value.get_ptr<const Json::string_t*>();
      if (!target || !resolve_pointer(root, *target)) out.push_back(here);
    } else if (key == "format") {
      const auto* name = value.get_ptr<const Json::string_t*>();
      if (!name || !one_of(kCheckedFormats, *name)) out.push_back(here);
    } else if (one_of(kCheckedKeywords, key)) {
      if (!well_formed(schema, key, value)) out.push_back(here);
    } else if (!one_of(kAnnotations, key)) {
      out.push_back(here);
    }
  }
}

}  // namespace

std::vector<SchemaViolation> validate_against_schema(const Json& schema, const Json& instance,
                                                     std::string_view root_path) {
  std::vector<SchemaViolation> out;
  std::string path(root_path);
  if (nested_too_deep(instance)) {
    out.push_back({path, cat({"nesting too deep: more than ", to_text(kMaxInstanceDepth),
                              " levels of nested arrays or objects"})});
    return out;
  }
  // One more than we list, to learn whether there are more.
  Validator(schema, out, kMaxViolations + 1).validate(schema, instance, path);
  if (out.size() > kMaxViolations) {
    out.resize(kMaxViolations);
    out.push_back({std::string(root_path), "further violations not listed"});
  }
  return out;
}

std::vector<std::string> unchecked_schema_keywords(const Json& schema) {
  std::vector<std::string> out;
  collect_unchecked(schema, schema, "", out);
  return out;
}

std::string describe_violations(const std::vector<SchemaViolation>& violations) {
  std::string out;
  for (const SchemaViolation& v : violations) {
    if (!out.empty()) out += "; ";
    if (!v.path.empty()) {
      out += v.path;
      out += ": ";
    }
    out += v.message;
  }
  return out;
}

}  // namespace bmcp::mcp
