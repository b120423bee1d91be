#include "oauth/consent_page.hpp"

#include "oauth/responses.hpp"
#include "oauth/scopes.hpp"

namespace bmcp::oauth {
namespace {

std::string display_name(const ConsentPageModel& model) {
  return model.client_name.empty() ? "An app that did not give its name" : model.client_name;
}

}  // namespace

std::string consent_page_title(const ConsentPageModel& model) {
  return "Allow " + (model.client_name.empty() ? std::string("this app") : model.client_name) +
         " to use your brokerage account?";
}

std::string render_consent_body(const ConsentPageModel& model) {
  const bool trade = scope_within(kScopeTrade, model.scope);
  std::string h;
  h += "<h1 id=\"consent-title\">Allow " +
       html_escape(model.client_name.empty() ? std::string("this app") : model.client_name) +
       " to use your brokerage account?</h1>\n";
  h += "<div class=\"client\" id=\"client\"><strong id=\"client-name\">" +
       html_escape(display_name(model)) +
       "</strong>\n<span class=\"muted\">Sends its answer to <b id=\"redirect-host\">" +
       html_escape(model.redirect_host) +
       "</b>. The name is chosen by the app itself: continue only if you started this from an app "
       "you trust.</span></div>\n";
  if (model.sandbox_brokerage)
    h += "<p class=\"notice\" id=\"sandbox-notice\" role=\"note\"><b>Sandbox:</b> the brokers "
         "below are "
         "the local sandbox brokerage with demo accounts. No real brokerage account is used.</p>\n";
  h += "<h2>If you approve, it will be able to</h2>\n<ul id=\"access\">\n";
  h += "<li>See your accounts, balances, positions, orders and transactions. Account numbers "
       "are never shown to it: accounts appear as names like Individual-...123.</li>\n";
  h += "<li>Look up quotes, option chains and price history.</li>\n";
  if (model.offer_trade)
    h += "<li id=\"access-trade\">Only if you allow trading below: prepare orders to buy, sell, "
         "change or cancel. "
         "Each order is shown to you first and is sent to your broker only after you confirm "
         "it.</li>\n";
  h += "</ul>\n<p class=\"muted\" id=\"limits\">";
  if (!model.trading_enabled)
    h += "Trading is turned off on this server, so it cannot place orders. ";
  else if (!model.offer_trade) h += "It cannot place orders. ";
  else h += "Without trading it has read-only access and cannot place orders. ";
  h += "It cannot move money or see your broker password. You stay connected until you "
       "disconnect the app; your broker may ask you to sign in again from time to time.</p>\n";

  h += "<form method=\"post\" action=\"/authorize\" id=\"consent-form\">\n";
  h += "<input type=\"hidden\" name=\"ticket\" value=\"" + html_escape(model.ticket) + "\">\n";
  h += "<input type=\"hidden\" name=\"csrf_token\" value=\"" + html_escape(model.csrf_token) +
       "\">\n";
  if (model.offer_trade)
    h +=
        std::string(
            "<fieldset id=\"trading\"><legend>Trading</legend>\n"
            "<label class=\"choice\" for=\"allow-trading\"><input type=\"checkbox\" name=\"trade\" "
            "id=\"allow-trading\" value=\"yes\"") +
        (trade ? " checked" : "") +
        "> Allow it to place, change and cancel orders (you confirm each "
        "one)</label>\n</fieldset>\n";
  h += "<fieldset id=\"brokers\"><legend>Sign in with</legend>\n";
  bool first = true;
  for (const BrokerChoice& b : model.brokers) {
    std::string id = "broker-" + html_escape(b.name);
    h += "<label class=\"choice\" for=\"" + id + "\"><input type=\"radio\" name=\"broker\" id=\"" +
         id + "\" value=\"" + html_escape(b.name) + "\"" + (first ? " checked" : "") +
         " required> " + html_escape(b.display_name) +
         (model.sandbox_brokerage ? " (sandbox)" : "") + "</label>\n";
    first = false;
  }
  h += "</fieldset>\n";
  h += "<div class=\"actions\">\n"
       "<button type=\"submit\" name=\"action\" value=\"deny\" id=\"deny\">Deny</button>\n"
       "<button type=\"submit\" name=\"action\" value=\"approve\" id=\"approve\" class=\"primary\">"
       "Approve and sign in</button>\n</div>\n</form>\n";
  h += "<p class=\"muted\">Approving takes you on to sign in with the broker you chose. broker-mcp "
       "remembers this approval in this browser for 30 days.</p>";
  return h;
}

}  // namespace bmcp::oauth
