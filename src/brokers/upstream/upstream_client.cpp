#include "brokers/upstream/upstream_client.hpp"

#include "brokers/signin_expiry.hpp"

#include "effects/bounded_fetch.hpp"
#include "effects/host_api.hpp"

namespace bmcp::upstream {
using logging::LogLevel;

double random_unit(const CryptoPort& crypto) {
  std::string b = crypto.random_bytes(4);
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < b.size() && i < 4; ++i)
    v = (v << 8) | static_cast<unsigned char>(b[i]);
  return static_cast<double>(v) / 4294967296.0;
}

namespace {

UpstreamError token_error(const brokers::AccessToken& t, std::string_view label) {
  UpstreamError e;
  using S = brokers::AccessToken::Status;
  e.code = t.status == S::Unavailable ? ErrorCode::ServerError : ErrorCode::InvalidToken;
  e.message = !t.message.empty() ? t.message
              : t.status == S::Unavailable
                  ? "Your " + std::string(label) +
                        " sign-in could not be checked right now; try again shortly."
                  : "You are not signed in to " + std::string(label) + "; sign in again.";
  return e;
}

}  // namespace

Task<UpstreamResult> UpstreamClient::send(Io& io, std::string user_id,
                                          UpstreamRequest request) const {
  UpstreamResult out;
  const Endpoint& ep = endpoint_;
  brokers::AccessToken token = co_await access_.access_token(io, user_id, ep.provider);
  if (token.status != brokers::AccessToken::Status::Ok) {
    out.error = token_error(token, ep.label);
    co_return out;
  }
  if (token.signin_expires_at_ms)
    out.notice = brokers::signin_expiry_notice(ep.label, *token.signin_expires_at_ms, io.now_ms());

  std::int64_t waited = 0;
  int timeouts = 0;
  bool retried_with_stored = false;
  for (int attempt = 1;; ++attempt) {
    out.attempts = attempt;
    if (limiter_) {
      std::string bucket = ep.provider;
      RateDecision d = co_await limiter_->acquire(io, std::move(bucket));
      if (d.unavailable)
        log_.log(LogLevel::kWarn, "rate limiter unavailable; request let through",
                 {{"broker", ep.provider}});
      if (!d.allowed) {
        // A short wait for the next window is better than an error for a read.
        if (!request.mutation && d.retry_after_ms <= 2000 &&
            waited + d.retry_after_ms <= ep.retry.max_total_delay_ms) {
          waited += d.retry_after_ms;
          co_await host::sleep(io, d.retry_after_ms);
          continue;
        }
        out.error.code = ErrorCode::RateLimited;
        out.error.message =
            "This server's shared limit of requests to " + ep.label +
            " (per minute, for all its users) is used up; try again when the minute is over.";
        out.error.retry_after_ms = d.retry_after_ms;
        co_return out;
      }
    }

    http::Request req;
    req.method = request.method;
    req.url = ep.base_url + request.path + (request.query.empty() ? "" : "?" + request.query);
    req.headers = {{"Authorization", "Bearer " + token.token},
                   {"Accept", "application/json"},
                   {"User-Agent", ep.user_agent}};
    if (!request.body.empty()) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = request.body;
    }
    const std::int64_t sent_at = io.now_ms();
    host::FetchResult r = co_await host::fetch(io, req, ep.timeout_ms);
    // LOG_LEVEL=debug: one line per request to the broker (the path is redacted like every
    // log line: account numbers as "...789", hashes and tokens masked).
    if (log_.enabled(LogLevel::kDebug))
      log_.log(LogLevel::kDebug, "broker request",
               {{"broker", ep.provider},
                {"method", request.method},
                {"path", request.path},
                {"status", r.ok ? Json(r.response.status) : Json(r.error_code)},
                {"ms", io.now_ms() - sent_at},
                {"attempt", attempt}});

    std::optional<std::int64_t> retry_after;
    if (!r.ok) {
      bool timed_out = r.error_code == "timeout";
      if (timed_out) ++timeouts;
      out.error = UpstreamError{};
      out.error.code = ErrorCode::NetworkError;
      out.error.message = timed_out ? ep.label + " did not answer within " +
                                          std::to_string(ep.timeout_ms / 1000) + " s."
                                    : ep.label + " could not be reached.";
      if (r.error_code == host::kFetchTooLarge) {
        // The host stopped reading at kMaxFetchBodyBytes: asking again would read as much again.
        out.error.code = ErrorCode::InvalidResponse;
        out.error.message = ep.label + " sent an answer larger than " +
                            std::to_string(host::kMaxFetchBodyBytes / (1024 * 1024)) +
                            " MB; it was not read.";
        if (request.mutation) {
          out.error.outcome_unknown = true;
          out.error.message +=
              " The request may or may not have been carried out; check before trying again.";
        }
        co_return out;
      }
      if (request.mutation) {
        out.error.outcome_unknown = true;
        out.error.message +=
            " The request may or may not have been carried out; check before trying again.";
        co_return out;
      }
      if (timed_out && timeouts >= ep.retry.max_timeout_attempts) co_return out;
    } else {
      const http::Response& res = r.response;
      out.response.status = res.status;
      out.response.headers = res.headers;
      if (auto c = http::find_header(res.headers, ep.correlation_header))
        out.response.correlation_id = short_text(*c, 80);
      std::optional<Json> parsed;
      bool body_blank = res.body.find_first_not_of(" \t\r\n") == std::string::npos;
      if (!body_blank) parsed = parse_json(res.body);
      out.response.json = parsed ? std::move(*parsed) : Json();

      if (res.status >= 200 && res.status < 300) {
        if (body_blank || parsed) {
          out.ok = true;
          co_return out;
        }
        out.error = UpstreamError{};
        out.error.code = ErrorCode::InvalidResponse;
        out.error.message = ep.label + " sent an answer that is not valid JSON.";
        out.error.http_status = res.status;
        out.error.correlation_id = out.response.correlation_id;
        if (request.mutation) co_return out;
      } else {
        std::string said = ep.error_message ? ep.error_message(out.response.json) : std::string();
        out.error = error_for_status(res.status, std::move(said), ep.label);
        out.error.correlation_id = out.response.correlation_id;
        if (auto ra = http::find_header(res.headers, "Retry-After")) {
          retry_after = parse_retry_after_ms(*ra, io.now_ms());
          if (retry_after) out.error.retry_after_ms = *retry_after;
        }
        if (res.status == 401) {
          const bool replaced = co_await access_.invalidate(io, user_id, ep.provider, token.token);
          // The token was an outdated one (remembered in this isolate while a new sign-in
          // replaced it): the request goes once more with the stored token — a mutation
          // too, since a 401 means the broker refused it before doing anything. A 401 for
          // the current token is the person's to fix.
          if (!replaced || retried_with_stored) co_return out;
          retried_with_stored = true;
          token = co_await access_.access_token(io, user_id, ep.provider);
          if (token.status != brokers::AccessToken::Status::Ok) {
            out.error = token_error(token, ep.label);
            co_return out;
          }
          out.notice = token.signin_expires_at_ms
                           ? brokers::signin_expiry_notice(ep.label, *token.signin_expires_at_ms,
                                                           io.now_ms())
                           : std::string();
          continue;
        }
        if (request.mutation || !is_retryable_status(res.status)) co_return out;
      }
    }

    auto delay =
        next_retry_delay_ms(ep.retry, attempt, retry_after, waited, random_unit(io.crypto()));
    if (!delay) {
      log_.log(LogLevel::kWarn, "broker request failed",
               {{"broker", ep.provider},
                {"method", request.method},
                {"path", request.path},
                {"error", wire_name(out.error.code)},
                {"status", out.error.http_status},
                {"correlationId", out.error.correlation_id},
                {"attempts", attempt}});
      co_return out;
    }
    log_.log(LogLevel::kDebug, "retrying broker request",
             {{"broker", ep.provider},
              {"path", request.path},
              {"error", wire_name(out.error.code)},
              {"delayMs", *delay}});
    waited += *delay;
    co_await host::sleep(io, *delay);
  }
}

}  // namespace bmcp::upstream
