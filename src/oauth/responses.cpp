#include "oauth/responses.hpp"

namespace bmcp::oauth {
namespace {

constexpr std::string_view kPageStyle =
    ":root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;"
    "--accent:#0b5cad;--accent-fg:#fff;--warn-bg:#fff8c5;--warn-fg:#4d2d00}"
    "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;"
    "--line:#30363d;--accent:#4493f8;--accent-fg:#0d1117;--warn-bg:#3b2e00;--warn-fg:#f2cc60}}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:var(--fg);background:var(--bg)}"
    "main{max-width:34rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}"
    "h1{font-size:1.35rem;line-height:1.3;margin:.5rem 0 1rem}"
    "h2{font-size:1rem;margin:1.5rem 0 .5rem}"
    "p,li{margin:.4rem 0}ul{padding-left:1.25rem}"
    ".muted{color:var(--muted);font-size:.925rem}"
    ".client{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0}"
    ".client strong{display:block;font-size:1.05rem;word-break:break-word}"
    ".notice{background:var(--warn-bg);color:var(--warn-fg);border-radius:.5rem;padding:.6rem "
    ".9rem;"
    "margin:1rem 0}"
    "fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.5rem 1rem "
    "1rem;margin:1.25rem 0}"
    "legend{font-weight:600;padding:0 .25rem}"
    "label.choice{display:flex;gap:.6rem;align-items:center;padding:.5rem 0;font-size:1.05rem}"
    "input[type=radio]{width:1.2rem;height:1.2rem;margin:0}"
    ".actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.5rem}"
    "button{font:inherit;font-weight:600;min-height:2.9rem;padding:.6rem "
    "1.4rem;border-radius:.5rem;"
    "border:1px solid var(--line);background:transparent;color:var(--fg);cursor:pointer;flex:1 1 "
    "9rem}"
    "button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}"
    "button:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}"
    "code{word-break:break-all}";

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        // Control characters have no business in a page; drop them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') continue;
        out.push_back(c);
    }
  }
  return out;
}

http::Response no_store_json(int status, const Json& body) {
  http::Response r = http::Response::json(status, body);
  r.set("Cache-Control", "no-store");
  r.set("Pragma", "no-cache");
  return r;
}

http::Response oauth_error_response(int status, std::string_view error,
                                    std::string_view description) {
  Json body = {{"error", std::string(error)}};
  if (!description.empty()) body["error_description"] = std::string(description);
  return no_store_json(status, body);
}

http::Response redirect_response(const std::string& location) {
  http::Response r = http::Response::empty(302);
  r.set("Location", location);
  r.set("Cache-Control", "no-store");
  r.set("Referrer-Policy", "no-referrer");
  return r;
}

void add_set_cookie(http::Response& response, const std::optional<std::string>& set_cookie) {
  if (set_cookie && !set_cookie->empty()) response.headers.emplace_back("Set-Cookie", *set_cookie);
}

http::Response html_page(int status, std::string_view title, std::string_view body_html) {
  std::string page;
  page.reserve(body_html.size() + kPageStyle.size() + 512);
  page +=
      "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"referrer\" content=\"no-referrer\">\n<title>";
  page += html_escape(title);
  page += "</title>\n<style>";
  page += kPageStyle;
  page += "</style>\n</head>\n<body>\n<main>\n";
  page += body_html;
  page += "\n</main>\n</body>\n</html>\n";
  http::Response r = http::Response::text(status, std::move(page), "text/html; charset=utf-8");
  r.set("Cache-Control", "no-store");
  r.set("Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
        "frame-ancestors 'none'");
  r.set("X-Frame-Options", "DENY");
  r.set("X-Content-Type-Options", "nosniff");
  r.set("Referrer-Policy", "no-referrer");
  return r;
}

http::Response error_page(int status, std::string_view heading, std::string_view message) {
  std::string body = "<h1>" + html_escape(heading) + "</h1>\n<p id=\"error\">" +
                     html_escape(message) +
                     "</p>\n<p class=\"muted\">You can close this window and try connecting again "
                     "from your app.</p>";
  return html_page(status, heading, body);
}

}  // namespace bmcp::oauth
