#include "orders/mutation_flow.hpp"

#include "brokers/upstream/dates.hpp"
#include "effects/critical_section.hpp"
#include "orders/order_journal.hpp"

namespace bmcp::orders {
namespace {

Json base_view(const PreviewOutcome& p) {
  Json out = {{"summary", describe_order(p.summary)}, {"account", p.summary.account_display}};
  if (!p.preview.empty()) out["preview"] = p.preview;
  return out;
}

}  // namespace

std::string may_have_been_sent(const std::string& orders_tool) {
  return "The order may have been sent: check " + (orders_tool.empty() ? std::string("the broker's orders") : orders_tool) +
         " before retrying. Do not send it again until you have seen whether it is there.";
}

Task<mcp::ToolResult> preview_result(Io& io, ConfirmationBinding binding, PreviewOutcome preview,
                                     std::string confirm_tool, bool issue_token) {
  Json out = base_view(preview);
  out["sent"] = false;
  if (!preview.summary.rejections.empty()) {
    out["status"] = "would_be_rejected";
    out["next"] = "The broker would reject this order as it stands, so no confirmation token was issued. "
                  "Explain the reasons to the person; change the order and preview it again if they want.";
    co_return mcp::ToolResult::structured_json(std::move(out));
  }
  if (!issue_token) {
    out["status"] = "preview_only";
    out["next"] = "Trading is disabled on this server; orders cannot be sent.";
    co_return mcp::ToolResult::structured_json(std::move(out));
  }
  Json stored = out;
  auto issued = co_await issue_confirmation(io, binding, std::move(stored));
  if (!issued) co_return mcp::ToolResult::error("The preview worked, but its confirmation could not be stored; try again.");
  out["status"] = "confirmation_required";
  out["confirmationToken"] = issued->token;
  out["expiresAt"] = upstream::format_iso_ms(issued->expires_at_ms);
  out["next"] = "Show the summary to the person. Only if they agree, call " + confirm_tool +
                " again with the same arguments plus confirmationToken. The token works once, for this exact "
                "request, for 5 minutes.";
  co_return mcp::ToolResult::structured_json(std::move(out));
}

Task<mcp::ToolResult> run_mutation(mcp::RequestContext& ctx, MutationPlan plan, const logging::Logger& log) {
  Io& io = ctx.io();
  std::string via;
  std::string words;
  if (!plan.token.empty()) {
    ConfirmationBinding expected = plan.binding;
    std::string token = plan.token;
    ConfirmationCheck check = co_await consume_confirmation(io, std::move(token), std::move(expected));
    if (check != ConfirmationCheck::kConfirmed)
      co_return mcp::ToolResult::error(explain(check) + " Nothing was sent.");
    via = "token";
  } else {
    PreviewOutcome preview = co_await plan.preview();
    if (!preview.ok) co_return mcp::ToolResult::error(preview.error + " Nothing was sent.");
    words = describe_order(preview.summary);
    if (!preview.summary.rejections.empty()) {
      co_return co_await preview_result(io, plan.binding, std::move(preview), plan.tool_name, true);
    }
    std::string question = confirmation_question(preview.summary);
    Json schema = confirmation_schema();
    mcp::ElicitationResult answer = co_await ctx.elicit(std::move(question), std::move(schema));
    using A = mcp::ElicitationResult::Action;
    if (answer.action == A::Accept && get_bool(answer.content, "confirm").value_or(false)) {
      via = "elicitation";
    } else if (answer.action == A::Accept || answer.action == A::Decline || answer.action == A::Cancel) {
      Json out = {{"sent", false}, {"status", "declined"}, {"summary", words},
                  {"next", "The person did not confirm, so nothing was sent."}};
      co_return mcp::ToolResult::structured_json(std::move(out));
    } else {
      // No way to ask the person here (or no answer): hand back the preview and a token.
      co_return co_await preview_result(io, plan.binding, std::move(preview), plan.tool_name, true);
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
  if (!journaled) co_return mcp::ToolResult::error("The request could not be recorded in the order journal, so it was not sent. Try again.");
  log.log(logging::LogLevel::kInfo, "order mutation sent",
          {{"broker", entry.provider}, {"action", entry.action}, {"account", entry.account_display},
           {"journal", entry.id}, {"confirmation", via}});

  MutationOutcome outcome = co_await plan.send();
  std::string status = outcome.ok ? "succeeded" : outcome.outcome_unknown ? "unknown" : "failed";
  Json journal_result = outcome.ok ? outcome.result : Json{{"error", outcome.error}};
  bool finished = co_await journal_finish(io, entry, status, journal_result);
  log.log(outcome.ok ? logging::LogLevel::kInfo : logging::LogLevel::kWarn, "order mutation finished",
          {{"broker", entry.provider}, {"action", entry.action}, {"journal", entry.id}, {"status", status},
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

}  // namespace bmcp::orders
