#include "brokers/signin_expiry.hpp"

namespace bmcp::brokers {

std::string time_until(std::int64_t expires_at_ms, std::int64_t now_ms) {
  const std::int64_t left = expires_at_ms - now_ms;
  if (left <= 0) return "now";
  const std::int64_t minutes = left / 60000, hours = minutes / 60, days = hours / 24;
  auto unit = [](std::int64_t n, const char* one) {
    return "in " + std::to_string(n) + " " + one + (n == 1 ? "" : "s");
  };
  if (days >= 2) return unit(days, "day");
  if (hours >= 1) return unit(hours, "hour");
  return unit(minutes < 1 ? 1 : minutes, "minute");
}

std::string signin_expiry_notice(std::string_view broker_label, std::int64_t expires_at_ms,
                                 std::int64_t now_ms) {
  if (expires_at_ms - now_ms > kSigninWarningMs) return "";
  const std::string label(broker_label);
  return "Your " + label + " sign-in on this server ends " + time_until(expires_at_ms, now_ms) +
         " (" + label +
         " asks for a new sign-in every 7 days). Reconnect this server in your app and sign in "
         "at " +
         label + " again to keep using it.";
}

}  // namespace bmcp::brokers
