#include "prompts/prompts.hpp"

#include "brokers/broker.hpp"

namespace bmcp::prompts {
namespace {

struct Tools {
  const char* positions;
  const char* balances;
  const char* quote;
  const char* chain;
  const char* metrics;  // empty when the broker has no volatility metrics
  const char* preview;
};

constexpr Tools kTasty = {"get_positions",    "get_balances",       "get_quote",
                          "get_option_chain", "get_market_metrics", "preview_order"};
constexpr Tools kSchwab = {"getAccountPositions", "getAccounts", "getQuotes", "getOptionChain", "",
                           "previewOrder"};

std::string arg(const std::map<std::string, std::string>& args, const char* name,
                std::string fallback = "") {
  auto it = args.find(name);
  if (it == args.end() || it->second.empty()) return fallback;
  return it->second.size() > 200 ? it->second.substr(0, 200) : it->second;
}

Json user_message(std::string text, std::string description) {
  Json msg = {{"role", "user"}, {"content", {{"type", "text"}, {"text", std::move(text)}}}};
  return {{"description", std::move(description)}, {"messages", Json::array({std::move(msg)})}};
}

std::string account_scope(const std::map<std::string, std::string>& args) {
  std::string a = arg(args, "account");
  return a.empty() ? "all of my accounts" : "the account " + a;
}

std::string review_risk(const Tools& t, const std::map<std::string, std::string>& args) {
  std::string s = "Review the risk in " + account_scope(args) + ".\n\n1. Read my positions with " +
                  t.positions + " (or the portfolio://positions resource) and my balances with " +
                  t.balances +
                  ".\n2. Group positions by underlying. For each, state net direction "
                  "(long/short), size as a share "
                  "of net liquidating value, and for options the expiration, strike distance from "
                  "the current price "
                  "(" +
                  t.quote + ") and assignment risk.\n";
  if (*t.metrics)
    s += std::string("3. Check IV rank and upcoming earnings with ") + t.metrics +
         " for the underlyings.\n";
  s += "4. Flag concentration (any underlying above 10-15% of net liq), undefined-risk short "
       "options, positions "
       "expiring within 7 days, and buying power use above 50%.\n5. Summarize the three biggest "
       "risks and concrete, "
       "optional adjustments. Do not place or preview any order unless I ask.";
  std::string focus = arg(args, "focus");
  if (!focus.empty()) s += "\n\nPay particular attention to: " + focus + ".";
  s += "\n\nBackground: knowledge://risk/position-sizing and knowledge://options/greeks.";
  return s;
}

std::string csp_candidates(const Tools& t, const std::map<std::string, std::string>& args) {
  std::string symbols =
      arg(args, "symbols", "a few liquid large-cap stocks or ETFs I might want to own");
  std::string dte = arg(args, "target_dte", "30-45");
  std::string delta = arg(args, "max_delta", "0.30");
  std::string s = "Find cash-secured put candidates among: " + symbols +
                  ".\n\n1. Get quotes with " + t.quote + ".\n";
  if (*t.metrics)
    s += std::string("2. Get IV rank, IV percentile and earnings dates with ") + t.metrics +
         "; prefer IV rank above 30 and skip names with earnings before expiration.\n";
  s += std::string("3. For each candidate, read the option chain with ") + t.chain +
       " for expirations " + dte + " days out and pick the put strike nearest a delta of " + delta +
       " below the current price.\n4. For each, show: strike, expiration, premium (mid), cash "
       "required (strike x 100), "
       "return on cash, annualized return, breakeven, and distance to breakeven in percent.\n";
  std::string cash = arg(args, "max_capital");
  if (!cash.empty())
    s += "5. Keep the total cash required under " + cash + " (check " + std::string(t.balances) +
         ").\n";
  s += "Rank the candidates and explain the trade-offs. Only prepare an order with " +
       std::string(t.preview) +
       " if I pick one. Background: knowledge://options/cash-secured-puts.";
  return s;
}

std::string explain_position(const Tools& t, const std::map<std::string, std::string>& args) {
  std::string symbol = arg(args, "symbol", "the position");
  std::string s =
      "Explain my position in " + symbol + " (" + account_scope(args) + ").\n\n1. Find it with " +
      t.positions + " and get the current price with " + t.quote +
      ".\n2. In plain words: what I hold, what I paid, what it is worth now, and my profit or loss "
      "(total and today).\n3. For options or spreads: the strategy it forms, max profit, max loss, "
      "breakeven(s), days to expiration, and how the Greeks (delta, theta, vega) affect it from "
      "here.\n"
      "4. What happens at expiration in the main scenarios (above, between, below the strikes), "
      "including "
      "assignment.\n5. Reasonable ways to manage it (hold, close, roll), without recommending one "
      "as "
      "certain. Background: knowledge://options/strategies.";
  return s;
}

std::string covered_calls(const Tools& t, const std::map<std::string, std::string>& args) {
  std::string symbol = arg(args, "symbol");
  std::string s =
      "Look for covered calls to write against " +
      (symbol.empty() ? std::string("the stock positions of at least 100 shares I hold")
                      : "my " + symbol + " shares") +
      ".\n\n1. Confirm the share count with " + t.positions +
      " (100 shares per call).\n2. Read the chain with " + t.chain +
      " for 20-45 days out and consider strikes with delta 0.20-0.35 above my cost basis.\n"
      "3. For each choice: premium, return if unchanged, return if called away, annualized, and "
      "the "
      "upside I give up.\n4. Mention ex-dividend and earnings dates that fall before expiration.\n"
      "Background: knowledge://options/covered-calls. Do not send anything unless I ask.";
  return s;
}

using Render = std::string (*)(const Tools&, const std::map<std::string, std::string>&);

struct Spec {
  const char* name;
  const char* title;
  const char* description;
  std::vector<mcp::PromptArgument> arguments;
  Render render;
};

}  // namespace

void add_prompts(mcp::Catalog& catalog, std::string_view broker) {
  const Tools* tools =
      brokers::broker_named(broker) == brokers::Broker::Schwab ? &kSchwab : &kTasty;
  const mcp::PromptArgument account = {
      "account", "Account display name, e.g. Individual-...123 (default: all accounts)", false};
  std::vector<Spec> specs = {
      {"review_portfolio_risk",
       "Review portfolio risk",
       "A structured risk review of the person's positions: concentration, short options, "
       "expirations, buying power, "
       "with optional adjustments.",
       {account,
        {"focus", "Anything to look at especially, e.g. 'earnings this month' or 'tech exposure'",
         false}},
       review_risk},
      {"find_cash_secured_puts",
       "Find cash-secured put candidates",
       "Screens symbols for cash-secured puts: IV, strikes near a target delta, premium, return on "
       "cash, breakeven.",
       {{"symbols", "Comma-separated symbols to screen, e.g. AAPL,MSFT,SPY", false},
        {"target_dte", "Days to expiration, e.g. 30-45 (default)", false},
        {"max_delta", "Highest put delta to sell, e.g. 0.30 (default)", false},
        {"max_capital", "Cash available to secure puts, e.g. 20000", false}},
       csp_candidates},
      {"explain_position",
       "Explain a position",
       "Explains one position in plain words: P&L, the strategy, max profit and loss, breakevens, "
       "Greeks and what "
       "happens at expiration.",
       {{"symbol", "The symbol or underlying, e.g. SPY or 'AAPL  260116C00250000'", true}, account},
       explain_position},
      {"plan_covered_calls",
       "Plan covered calls",
       "Finds covered calls to write against shares already held: strikes, premium, returns and "
       "what is given up.",
       {{"symbol", "The stock to write calls on (default: every holding of 100+ shares)", false}},
       covered_calls},
  };
  for (Spec& s : specs) {
    mcp::PromptDefinition p;
    p.name = s.name;
    p.title = s.title;
    p.description = s.description;
    p.arguments = std::move(s.arguments);
    Render render = s.render;
    std::string description = s.description;
    p.get = [tools, render, description](
                mcp::RequestContext&,
                const std::map<std::string, std::string>& args) -> Task<Json> {
      std::string text = render(*tools, args);
      co_return user_message(std::move(text), description);
    };
    catalog.prompts.push_back(std::move(p));
  }
}

}  // namespace bmcp::prompts
