#include "mcp/catalog.hpp"

namespace bmcp::mcp {

ToolResult ToolResult::text(std::string text) {
  ToolResult r;
  r.content.push_back({{"type", "text"}, {"text", std::move(text)}});
  return r;
}

ToolResult ToolResult::error(std::string message) {
  ToolResult r = text(std::move(message));
  r.is_error = true;
  return r;
}

ToolResult ToolResult::structured_json(Json value) {
  ToolResult r = text(dump_json(value));
  r.structured = std::move(value);
  return r;
}

Json ToolResult::to_json() const {
  Json out = {{"content", content}};
  if (structured) out["structuredContent"] = *structured;
  if (is_error) out["isError"] = true;
  return out;
}

Json ToolDefinition::to_json() const {
  Json out = {{"name", name}, {"description", description}, {"inputSchema", input_schema}};
  if (!title.empty()) out["title"] = title;
  if (!output_schema.is_null()) out["outputSchema"] = output_schema;
  Json a = Json::object();
  if (!title.empty()) a["title"] = title;
  if (annotations.read_only) a["readOnlyHint"] = *annotations.read_only;
  if (annotations.destructive) a["destructiveHint"] = *annotations.destructive;
  if (annotations.idempotent) a["idempotentHint"] = *annotations.idempotent;
  if (annotations.open_world) a["openWorldHint"] = *annotations.open_world;
  if (a.size() > (title.empty() ? 0u : 1u)) out["annotations"] = std::move(a);
  return out;
}

ResourceContents ResourceContents::text(std::string uri, std::string mime_type, std::string text) {
  ResourceContents c;
  c.contents = Json::array(
      {{{"uri", std::move(uri)}, {"mimeType", std::move(mime_type)}, {"text", std::move(text)}}});
  return c;
}

Json ResourceDefinition::to_json() const {
  Json out = {{"uri", uri}, {"name", name}};
  if (!title.empty()) out["title"] = title;
  if (!description.empty()) out["description"] = description;
  if (!mime_type.empty()) out["mimeType"] = mime_type;
  return out;
}

Json ResourceTemplateDefinition::to_json() const {
  Json out = {{"uriTemplate", uri_template}, {"name", name}};
  if (!title.empty()) out["title"] = title;
  if (!description.empty()) out["description"] = description;
  if (!mime_type.empty()) out["mimeType"] = mime_type;
  return out;
}

std::optional<std::map<std::string, std::string>> match_uri_template(std::string_view tmpl,
                                                                     std::string_view uri) {
  std::map<std::string, std::string> vars;
  std::size_t t = 0, u = 0;
  while (t < tmpl.size()) {
    if (tmpl[t] == '{') {
      auto close = tmpl.find('}', t);
      if (close == std::string_view::npos) return std::nullopt;
      std::string name(tmpl.substr(t + 1, close - t - 1));
      t = close + 1;
      // A level-1 variable ends at the template's next literal character (or '/').
      char stop = t < tmpl.size() ? tmpl[t] : '\0';
      std::size_t end = u;
      while (end < uri.size() && uri[end] != '/' && (stop == '\0' || uri[end] != stop)) ++end;
      if (end == u) return std::nullopt;
      vars[name] = std::string(uri.substr(u, end - u));
      u = end;
    } else {
      if (u >= uri.size() || uri[u] != tmpl[t]) return std::nullopt;
      ++t;
      ++u;
    }
  }
  if (u != uri.size()) return std::nullopt;
  return vars;
}

Json PromptDefinition::to_json() const {
  Json out = {{"name", name}, {"description", description}};
  if (!title.empty()) out["title"] = title;
  if (!arguments.empty()) {
    Json args = Json::array();
    for (const auto& a : arguments)
      args.push_back({{"name", a.name}, {"description", a.description}, {"required", a.required}});
    out["arguments"] = std::move(args);
  }
  return out;
}

const ToolDefinition* Catalog::find_tool(std::string_view name) const {
  for (const auto& t : tools)
    if (t.name == name) return &t;
  return nullptr;
}

const PromptDefinition* Catalog::find_prompt(std::string_view name) const {
  for (const auto& p : prompts)
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace bmcp::mcp
