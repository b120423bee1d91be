// Every tool a person's client lists is declared completely, for every client and model
// that reads the listing: a title, annotations, a description of the tool and of every
// property at any depth of its input schema, and an outputSchema for its structured answer.
#include <catch2/catch.hpp>

#include "support/production_catalogs.hpp"

#include "app/production_catalogs.hpp"
#include "mcp/mirrored_headers.hpp"
#include "unit/brokers/schwab/schwab_harness.hpp"

using namespace bmcp;

namespace {

// Paths of properties (at any depth) that have no description.
void undescribed(const Json& schema, const std::string& at, std::vector<std::string>& out) {
  if (!schema.is_object()) return;
  if (const Json* props = find_member(schema, "properties"); props && props->is_object())
    for (auto it = props->begin(); it != props->end(); ++it) {
      const std::string path = at + "." + it.key();
      auto d = get_string(it.value(), "description");
      if (!d || d->empty()) out.push_back(path);
      undescribed(it.value(), path, out);
    }
  if (const Json* items = find_member(schema, "items")) undescribed(*items, at + "[]", out);
  for (const char* k : {"anyOf", "oneOf", "allOf"})
    if (const Json* alts = find_member(schema, k); alts && alts->is_array())
      for (const Json& a : *alts) undescribed(a, at, out);
}

const app::CatalogSet& production() {
  static testing::ProductionCatalogs catalogs;
  return catalogs.set;
}

}  // namespace

TEST_CASE("every production tool is declared completely", "[app][tools]") {
  const app::CatalogSet& set = production();
  std::vector<std::string> missing;
  int tools = 0;
  for (const mcp::Catalog* c : {&set.signed_out, &set.schwab, &set.tastytrade}) {
    for (const mcp::ToolDefinition& t : c->tools) {
      ++tools;
      if (t.title.empty()) missing.push_back(t.name + ": no title");
      if (t.description.empty()) missing.push_back(t.name + ": no description");
      if (!t.annotations.read_only.has_value()) missing.push_back(t.name + ": no readOnlyHint");
      if (!t.annotations.open_world.has_value()) missing.push_back(t.name + ": no openWorldHint");
      if (t.output_schema.is_null()) missing.push_back(t.name + ": no outputSchema");
      // A schema that did not parse is null, never an empty object that accepts anything.
      const Json* declared = find_member(t.input_schema, "properties");
      if (get_string(t.input_schema, "type").value_or("") != "object" ||
          (declared && !declared->is_object()))
        missing.push_back(t.name + ": inputSchema is not an object schema");
      if (const Json* required = find_member(t.input_schema, "required"))
        for (const Json& name : *required)
          if (!declared || !name.is_string() || !declared->contains(name.get<std::string>()))
            missing.push_back(t.name + ": requires " + dump_json(name) +
                              ", which it does not declare");
      std::vector<std::string> props;
      undescribed(t.input_schema, t.name, props);
      for (const auto& p : props) missing.push_back(p + ": no description");
      // SEP-2243: a malformed x-mcp-header makes clients reject the whole tool.
      std::string header_problem = mcp::param_header_declarations(t.input_schema).problem;
      if (!header_problem.empty()) missing.push_back(t.name + ": " + header_problem);
    }
  }
  CHECK(tools > 40);
  INFO(missing.size() << " gaps");
  for (const auto& m : missing) UNSCOPED_INFO(m);
  CHECK(missing.empty());
}
