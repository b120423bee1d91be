// The durable path of an analysis, on the FakeHost: the tool starts a Workflow instance
// and answers with its id when the wait runs out; a simulated Workflow engine (what
// worker-shim/analysis-workflow.js does: "plan", then each step with the outputs so far,
// "record failure" on a failed step) completes the run; the Queue consumer records each
// event once and broadcasts it to the owner's hub only.
#include "unit/tools/analysis/analysis_bench.hpp"

#include "analysis_runs/analysis_events.hpp"
#include "hub/user_hub.hpp"

using namespace bmcp;
using namespace bmcp::testing;
using namespace bmcp::testing::analysis_bench;

namespace {

struct StepReply {
  int status = 0;
  Json body;
};

StepReply workflow_call(Bench& b, const Json& event) {
  const analysis_runs::AnalysisEngine* engine = b.engine.get();
  Json r = b.host.run([engine, event](Io& io) { return engine->serve_workflow_step(io, event); });
  StepReply out;
  out.status = static_cast<int>(r.value("status", 0));
  out.body = parse_json(r.value("body", "")).value_or(Json());
  return out;
}

// The Workflow engine, simulated: every step once, in the plan's order.
std::vector<std::string> drive_workflow(Bench& b, const Json& payload) {
  std::vector<std::string> ran;
  Json base = {{"type", "workflow.step"}, {"payload", payload}};
  Json plan_event = base;
  plan_event["step"] = "plan";
  StepReply plan = workflow_call(b, plan_event);
  REQUIRE(plan.status == 200);
  Json outputs = Json::object();
  for (const Json& name : plan.body["steps"]) {
    Json event = base;
    event["step"] = name;
    event["outputs"] = outputs;
    StepReply reply = workflow_call(b, event);
    REQUIRE(reply.status == 200);
    ran.push_back(name.get<std::string>());
    if (reply.body.contains("failed")) {
      Json failure = base;
      failure["step"] = "record failure";
      failure["error"] = reply.body["failed"];
      REQUIRE(workflow_call(b, failure).status == 200);
      ran.push_back("record failure");
      break;
    }
    outputs[name.get<std::string>()] = reply.body["output"];
  }
  return ran;
}

void answer_schwab_history(Bench& b) {
  b.host.http = [](const Json& req) {
    const std::string url = req.value("url", "");
    if (url.find("/marketdata/v1/pricehistory") != std::string::npos)
      return http_answer(200, schwab_history("AAPL"));
    return http_answer(404, {{"message", "not here"}});
  };
}

std::vector<Json> queued_events(const FakeHost& host, const std::string& type) {
  std::vector<Json> out;
  for (const Json& m : host.queue_sent)
    if (m["body"]["event"].value("type", "") == type) out.push_back(m["body"]);
  return out;
}

bool consume(Bench& b, const Json& message) {
  Json r = b.host.run([message](Io& io) -> Task<Json> {
    const bool finished = co_await analysis_runs::analysis_events::consume(io, message);
    co_return Json(finished);
  });
  return r.get<bool>();
}

}  // namespace

TEST_CASE("a durable chart analysis: workflow id first, steps complete the run",
          "[analysis][workflow]") {
  Bench b("schwab");
  b.host.workflows_bound = true;
  answer_schwab_history(b);
  const std::int64_t t0 = b.host.now_ms;

  const Json r = b.call("analyze_chart", {{"symbol", "aapl"}, {"waitSeconds", 2}});
  REQUIRE_FALSE(is_error(r));
  const Json& s = r["structuredContent"];
  CHECK(s["status"] == "running");
  const std::string id = s["workflowId"].get<std::string>();
  CHECK(s["analysisId"] == id);
  CHECK(s["symbol"] == "AAPL");
  CHECK(b.host.now_ms - t0 >= 2000);  // it waited, polling, for the time it was given
  CHECK(b.host.http_log.empty());     // the broker is read by the Workflow, not the call
  CHECK_FALSE(b.progress().empty());

  REQUIRE(b.host.workflows_started.size() == 1);
  const Json& started = b.host.workflows_started[0];
  CHECK(started["binding"] == "ANALYSIS_WORKFLOW");
  CHECK(started["id"] == id);
  CHECK(started["params"]["userId"] == "u-1");
  CHECK(started["params"]["params"]["timeframe"] == "daily");
  CHECK_FALSE(started["params"]["params"].contains("waitSeconds"));

  SECTION("the steps complete it; status, events and history follow") {
    const auto ran = drive_workflow(b, started["params"]);
    CHECK(ran == std::vector<std::string>{"fetch price history", "compute", "store", "notify"});
    const auto rows =
        b.host.sql("SELECT status, progress, result FROM analyses WHERE id = ?", Json::array({id}));
    REQUIRE(rows.size() == 1);
    CHECK(rows[0]["status"] == "complete");
    CHECK(rows[0]["progress"] == 1.0);
    CHECK(parse_json(rows[0]["result"].get<std::string>())
              .value_or(Json())["chart"]["candle_count"] == 300);

    const auto progress = queued_events(b.host, "analysis.progress");
    const auto complete = queued_events(b.host, "analysis.complete");
    REQUIRE(progress.size() == 2);
    REQUIRE(complete.size() == 1);
    CHECK(complete[0]["userId"] == "u-1");
    CHECK(complete[0]["event"]["status"] == "complete");
    CHECK(complete[0]["event"]["channels"] == Json::array({"analysis", "analysis:" + id}));
    CHECK(progress[0]["event"]["progress"] == 0.0);
    CHECK(progress[1]["event"]["progress"] == Approx(0.25));

    const Json st = b.call("get_workflow_status", {{"workflowId", id}});
    CHECK(st["structuredContent"]["status"] == "complete");
    CHECK(st["structuredContent"]["result"]["chart"]["trend"] == "up");
  }

  SECTION("a step that cannot finish is recorded as the run's failure") {
    b.host.http = [](const Json&) { return http_answer(400, {{"message", "Invalid symbol"}}); };
    const auto ran = drive_workflow(b, started["params"]);
    CHECK(ran == std::vector<std::string>{"fetch price history", "record failure"});
    const auto rows =
        b.host.sql("SELECT status, result, error FROM analyses WHERE id = ?", Json::array({id}));
    CHECK(rows[0]["status"] == "failed");
    CHECK(rows[0]["result"].is_null());
    CHECK(rows[0]["error"].get<std::string>().find("Invalid symbol") != std::string::npos);
    const auto complete = queued_events(b.host, "analysis.complete");
    REQUIRE(complete.size() == 1);
    CHECK(complete[0]["event"]["status"] == "failed");
    CHECK(complete[0]["event"]["error"].get<std::string>().find("Invalid symbol") !=
          std::string::npos);
    const Json st = b.call("get_workflow_status", {{"workflowId", id}});
    CHECK(st["structuredContent"]["status"] == "failed");
  }

  SECTION("store asks the engine to retry when the run cannot be written") {
    Json event = {{"type", "workflow.step"},
                  {"payload", started["params"]},
                  {"step", "store"},
                  {"outputs", {{"compute", {{"analysisId", id}, {"status", "complete"}}}}}};
    b.host.sql("DELETE FROM analyses WHERE id = ?", Json::array({id}));
    CHECK(workflow_call(b, event).status == 503);
  }

  SECTION("a payload that is not a run is refused") {
    CHECK(workflow_call(b,
                        {{"type", "workflow.step"}, {"payload", {{"runId", id}}}, {"step", "plan"}})
              .status == 400);
  }
}

TEST_CASE("run_full_analysis as a workflow: five steps, outputs survive JSON",
          "[analysis][workflow]") {
  Bench b("schwab");
  b.host.workflows_bound = true;
  const Json r =
      b.call("run_full_analysis", {{"symbol", "AAPL"}, {"strategy", "csp"}, {"waitSeconds", 0}});
  REQUIRE(r["structuredContent"]["status"] == "running");
  const Json payload = b.host.workflows_started.at(0)["params"];
  Json plan_event = {{"type", "workflow.step"}, {"payload", payload}, {"step", "plan"}};
  CHECK(workflow_call(b, plan_event).body["steps"] ==
        Json::array({"fetch price history", "fetch market metrics and chain", "compute", "store",
                     "notify"}));
}

TEST_CASE("the Queue consumer records each event once and tells only the owner's hub",
          "[analysis][workflow]") {
  Bench b("schwab");
  b.host.workflows_bound = true;
  answer_schwab_history(b);
  const Json r = b.call("analyze_chart", {{"symbol", "AAPL"}, {"waitSeconds", 0}});
  const std::string id = r["structuredContent"]["workflowId"].get<std::string>();
  drive_workflow(b, b.host.workflows_started.at(0)["params"]);
  REQUIRE(b.host.queue_sent.size() == 3);

  std::vector<Json> hub_requests;
  b.host.object_fetch = [&hub_requests](const Json& args) {
    hub_requests.push_back(args);
    return Json{{"status", 200}, {"body", R"({"delivered":1})"}};
  };
  for (const Json& m : b.host.queue_sent) CHECK(consume(b, m["body"]));
  REQUIRE(hub_requests.size() == 3);
  for (const Json& h : hub_requests) {
    CHECK(h["binding"] == "USER_HUB");
    CHECK(h["name"] == "u-1");
    CHECK(h["request"]["url"] == "https://user-hub.internal/broadcast");
    const Json notice = parse_json(h["request"]["body"].get<std::string>()).value_or(Json());
    CHECK_FALSE(notice["event"].contains("userId"));
    // Only a finished run is a new entry of history://analyses, whose listeners are told.
    if (notice["event"]["type"] == "analysis.complete")
      CHECK(notice["resourcesUpdated"] == Json::array({"history://analyses"}));
    else CHECK_FALSE(notice.contains("resourcesUpdated"));
  }
  int completions = 0;
  for (const Json& h : hub_requests)
    completions +=
        parse_json(h["request"]["body"].get<std::string>()).value_or(Json())["event"]["type"] ==
        "analysis.complete";
  CHECK(completions == 1);
  auto recorded_count = [&b] {
    return b.host.sql("SELECT COUNT(*) AS n FROM analysis_events")[0]["n"].get<int>();
  };
  CHECK(recorded_count() == 3);

  SECTION("a redelivered message is broadcast again but recorded once") {
    CHECK(consume(b, b.host.queue_sent.back()["body"]));
    CHECK(hub_requests.size() == 4);
    CHECK(recorded_count() == 3);
    const Json st = b.call("get_workflow_status", {{"workflowId", id}});
    REQUIRE(st["structuredContent"]["events"].size() == 3);
    CHECK(st["structuredContent"]["events"][2]["type"] == "analysis.complete");
  }

  SECTION("an event naming someone else as the owner goes nowhere") {
    Json forged = b.host.queue_sent.back()["body"];
    forged["userId"] = "u-2";
    forged["event"]["id"] = id + ":forged";
    CHECK(consume(b, forged));  // done with: retrying cannot make it deliverable
    CHECK(hub_requests.size() == 3);
    CHECK(recorded_count() == 3);
  }

  SECTION("a hub that cannot be reached has the message delivered again") {
    b.host.object_fetch = [](const Json&) { return Json{{"error", {{"code", "network"}}}}; };
    CHECK_FALSE(consume(b, b.host.queue_sent.back()["body"]));
    b.host.object_fetch = nullptr;  // no hub in this deployment: nobody to tell
    CHECK(consume(b, b.host.queue_sent.back()["body"]));
  }

  SECTION("messages that are not analysis events are dropped") {
    CHECK(consume(b, Json{{"userId", "u-1"},
                          {"event", {{"type", "order.filled"}, {"id", "x"}, {"workflowId", id}}}}));
    CHECK(consume(b, Json::array()));
    CHECK(recorded_count() == 3);
  }
}

TEST_CASE("without a Workflows binding the same steps run within the call",
          "[analysis][workflow]") {
  Bench b("schwab");
  answer_schwab_history(b);
  const Json r = b.call("analyze_chart", {{"symbol", "AAPL"}, {"waitSeconds", 0}});
  REQUIRE_FALSE(is_error(r));
  CHECK(r["structuredContent"]["status"] == "complete");
  CHECK(b.host.workflows_started.empty());
  CHECK(queued_events(b.host, "analysis.complete").size() == 1);
}
