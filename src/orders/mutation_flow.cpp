#include "orders/mutation_flow.hpp"

#include "brokers/upstream/dates.hpp"
#include "effects/critical_section.hpp"
#include "mcp/server.hpp"
#include "oauth/scopes.hpp"
#include "orders/order_journal.hpp"

namespace bmcp::orders {
namespace {

Json base_view(const PreviewOutcome& p) {
  Json out = {{"summary", describe_order(p.summary)}, {"account", p.summary.account_display}};
  if (!p.preview.empty()) out["preview"] = p.preview;
  return out;
}

// Why this call cannot send anything, before any broker request: trading off, a grant
// without brokerage:trade, or TRADING_MODE=elicit and a client that cannot be asked.
std::optional<std::string> refusal(const mcp::RequestContext& ctx, const MutationPlan& plan) {
  if (!plan.rules.enabled)
    return "Trading is turned off on this server (TRADING_MODE=disabled): orders cannot be placed, "
           "changed or "
           "cancelled here. Nothing was sent.";
  // Defence in depth: McpServer already refuses this tool to a grant without the scope.
  if (!ctx.principal().grants(oauth::kScopeTrade))
    return mcp::insufficient_scope_message(plan.tool_name, oauth::kScopeTrade);
  if (plan.rules.elicitation_only && !ctx.can_elicit())
    return "This server sends an order only after the person confirms it in their own app "
           "(TRADING_MODE=elicit), "
           "and this app cannot ask them: it did not declare form elicitation, or this request has "
           "no way to "
           "carry the question. Nothing was sent. The person can use an app that supports "
           "confirmation prompts, "
           "or place the order with their broker directly.";
  return std::nullopt;
}

Json declined(std::string words, std::string next) {
  return {{"sent", false},
          {"status", "declined"},
          {"summary", std::move(words)},
          {"next", std::move(next)}};
}

}  // namespace

std::string may_have_been_sent(const std::string& orders_tool) {
  return "The order may have been sent: check " +
         (orders_tool.empty() ? std::string("the broker's orders") : orders_tool) +
         " before retrying. Do not send it again until you have seen whether it is there.";
}

Task<mcp::ToolResult> preview_result(mcp::RequestContext& ctx, ConfirmationBinding binding,
                                     PreviewOutcome preview, std::string confirm_tool,
                                     TradingRules rules) {
  Json out = base_view(preview);
  out["sent"] = false;
  if (!preview.summary.rejections.empty()) {
    out["status"] = "would_be_rejected";
    out["next"] =
        "The broker would reject this order as it stands, so no confirmation token was issued. "
        "Explain the reasons to the person; change the order and preview it again if they want.";
    co_return mcp::ToolResult::structured_json(std::move(out));
  }
  if (!rules.enabled) {
    out["status"] = "preview_only";
    out["next"] = "Trading is disabled on this server; orders cannot be sent.";
    co_return mcp::ToolResult::structured_json(std::move(out));
  }
  if (!ctx.principal().grants(oauth::kScopeTrade)) {
    out["status"] = "preview_only";
    out["next"] =
        "This app has read-only access: the person did not allow trading when they connected it, "
        "so no "
        "confirmation token was issued and the order cannot be sent from here.";
    co_return mcp::ToolResult::structured_json(std::move(out));
  }
  const bool can_ask = ctx.can_elicit();
  if (rules.elicitation_only) {
    // No token: on this server only the person's own answer in their app sends an order.
    out["status"] = can_ask ? "confirmation_required" : "preview_only";
    out["next"] = can_ask
                      ? "Show the summary to the person. If they want it, call " + confirm_tool +
                            " with the same arguments: they will be asked to confirm this exact "
                            "order in their app."
                      : "This server sends orders only after the person confirms them in their "
                        "app, and this app "
                        "cannot ask them, so this order cannot be sent from here.";
    co_return mcp::ToolResult::structured_json(std::move(out));
  }
  Json stored = out;
  auto issued = co_await issue_confirmation(ctx.io(), binding, std::move(stored));
  if (!issued)
    co_return mcp::ToolResult::error(
        "The preview worked, but its confirmation could not be stored; try again.");
  out["status"] = "confirmation_required";
  out["confirmationToken"] = issued->token;
  out["expiresAt"] = upstream::format_iso_ms(issued->expires_at_ms);
  out["next"] =
      "Show the summary to the person. Only if they agree, call " + confirm_tool +
      " again with the same arguments plus confirmationToken. The token works once, for this exact "
      "request, for 5 minutes." +
      std::string(can_ask ? " The person will also be asked to confirm the order in their app."
                          : "");
  co_return mcp::ToolResult::structured_json(std::move(out));
}

Task<mcp::ToolResult> run_mutation(mcp::RequestContext& ctx, MutationPlan plan,
                                   const logging::Logger& log) {
  Io& io = ctx.io();
  if (auto refused = refusal(ctx, plan)) co_return mcp::ToolResult::error(std::move(*refused));
  const bool can_ask = ctx.can_elicit();
  std::string via;
  std::string words;
  if (!plan.token.empty() && ctx.resumed()) {
    // The retry of a 2026-07-28 round that already checked and used up this very token
    // (the sealed requestState binds these arguments): the person's answer decides now.
    via = "token";
  } else if (!plan.token.empty()) {
    // A token must match even when the person is asked too (and is used up either way).
    ConfirmationBinding expected = plan.binding;
    std::string token = plan.token;
    ConfirmationCheck check =
        co_await consume_confirmation(io, std::move(token), std::move(expected));
    if (check != ConfirmationCheck::kConfirmed)
      co_return mcp::ToolResult::error(explain(check) + " Nothing was sent.");
    via = "token";
  }
  if (can_ask || plan.token.empty()) {
    // Whenever the client can be asked, the person is asked: a token alone could have been
    // obtained and replayed by the model itself.
    PreviewOutcome preview = co_await plan.preview();
    if (!preview.ok) co_return mcp::ToolResult::error(preview.error + " Nothing was sent.");
    words = describe_order(preview.summary);
    if (!preview.summary.rejections.empty()) {
      co_return co_await preview_result(ctx, plan.binding, std::move(preview), plan.tool_name,
                                        plan.rules);
    }
    std::string question = confirmation_question(preview.summary);
    Json schema = confirmation_schema();
    mcp::ElicitationResult answer = co_await ctx.elicit(std::move(question), std::move(schema));
    using A = mcp::ElicitationResult::Action;
    if (answer.action == A::Accept && get_bool(answer.content, "confirm").value_or(false)) {
      via = "elicitation";
    } else if (answer.action == A::Accept || answer.action == A::Decline ||
               answer.action == A::Cancel) {
      Json out = declined(words, "The person did not confirm, so nothing was sent.");
      co_return mcp::ToolResult::structured_json(std::move(out));
    } else if (answer.action == A::Pending) {
      // The question travels back to the client (input_required); this round ends here and
      // the retry with the answer runs the flow again. Nothing was sent.
      co_return mcp::ToolResult::error(
          "The person is being asked to confirm this order in their app; nothing was sent yet.");
    } else if (!plan.token.empty()) {
      // Asked, but no answer came: the token alone does not stand in for the person.
      Json out = declined(
          words,
          "The person was asked to confirm in their app but no answer came, so nothing was "
          "sent. The confirmation token is used up; preview the order again if they still want "
          "it.");
      co_return mcp::ToolResult::structured_json(std::move(out));
    } else {
      // No way to ask the person here (or no answer): hand back the preview and a token.
      co_return co_await preview_result(ctx, plan.binding, std::move(preview), plan.tool_name,
                                        plan.rules);
    }
  }

  // From here on the order may reach the broker. A call that stopped now would leave the
  // model with no answer and a reason to retry (placing the order twice), so the rest runs
  // in a critical section: not cancellable, and should it fail anyway, the host already
  // holds the answer to give (registered with this Step, before the mutation is sent).
  const std::string unknown = may_have_been_sent(plan.orders_tool);
  CriticalSection must_finish(io, ctx.final_answer(mcp::ToolResult::error(unknown).to_json()));

  JournalEntry entry;
  entry.user_id = plan.binding.user_id;
  entry.provider = plan.binding.provider;
  entry.action = plan.binding.action;
  entry.account_display = plan.binding.account_display;
  entry.request = plan.journal_request;
  entry.confirmation = via;
  bool journaled = co_await journal_begin(io, entry);
  if (!journaled)
    co_return mcp::ToolResult::error(
        "The request could not be recorded in the order journal, so it was not sent. Try again.");
  log.log(logging::LogLevel::kInfo, "order mutation sent",
          {{"broker", entry.provider},
           {"action", entry.action},
           {"account", entry.account_display},
           {"journal", entry.id},
           {"confirmation", via}});

  MutationOutcome outcome = co_await plan.send();
  std::string status = outcome.ok ? "succeeded" : outcome.outcome_unknown ? "unknown" : "failed";
  Json journal_result = outcome.ok ? outcome.result : Json{{"error", outcome.error}};
  bool finished = co_await journal_finish(io, entry, status, journal_result);
  log.log(outcome.ok ? logging::LogLevel::kInfo : logging::LogLevel::kWarn,
          "order mutation finished",
          {{"broker", entry.provider},
           {"action", entry.action},
           {"journal", entry.id},
           {"status", status},
           {"journalUpdated", finished}});
  if (outcome.outcome_unknown) co_return mcp::ToolResult::error(outcome.error + " " + unknown);
  if (!outcome.ok) co_return mcp::ToolResult::error(outcome.error);
  Json out = outcome.result;
  out["sent"] = true;
  out["status"] = "succeeded";
  out["confirmedBy"] = via;
  if (!words.empty()) out["summary"] = words;
  co_return mcp::ToolResult::structured_json(std::move(out));
}

Json mutation_output_schema() {
  auto text = [](const char* d) { return Json{{"type", "string"}, {"description", d}}; };
  return {
      {"type", "object"},
      {"properties",
       {{"sent",
         {{"type", "boolean"}, {"description", "Whether anything was sent to the broker."}}},
        {"status",
         {{"type", "string"},
          {"enum",
           {"confirmation_required", "preview_only", "would_be_rejected", "declined", "succeeded"}},
          {"description",
           "What happened: succeeded (sent), declined by the person, or not sent yet and why."}}},
        {"summary", text("The order in plain words, as the person must see it before confirming.")},
        {"account", text("The account's display name.")},
        {"preview",
         {{"type", "object"},
          {"description", "The broker's preview: costs, fees, buying power effect."}}},
        {"confirmationToken",
         text("Single use, bound to this exact order and person; for the confirming call.")},
        {"expiresAt", text("When the confirmation token expires (ISO time).")},
        {"next", text("What to do next.")},
        {"confirmedBy", text("How the person confirmed: elicitation or confirmationToken.")}}},
      {"required", {"sent", "status"}}};
}

}  // namespace bmcp::orders
