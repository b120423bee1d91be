// Black-Scholes checked against Hull's worked examples ("Options, Futures, and Other
// Derivatives"), put-call parity, finite differences of the price, and degenerate input.
#include "analysis/black_scholes.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace bmcp::analysis;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

OptionContract contract(OptionType type, double S, double K, double T, double r, double q = 0) {
  return OptionContract{type, S, K, T, r, q};
}

double price(const OptionContract& c, double sigma) { return *black_scholes_price(c, sigma); }

}  // namespace

TEST_CASE("Black-Scholes reproduces Hull's examples", "[analysis][black_scholes]") {
  SECTION(
      "Hull's Black-Scholes example: S=42, K=40, r=10%, sigma=20%, T=0.5 -> call 4.76, put 0.81") {
    // d1 = [ln(1.05) + (0.1 + 0.02)*0.5]/(0.2*sqrt 0.5) = 0.7693, d2 = 0.6278
    const auto call = black_scholes(contract(OptionType::kCall, 42, 40, 0.5, 0.10), 0.20);
    const auto put = black_scholes(contract(OptionType::kPut, 42, 40, 0.5, 0.10), 0.20);
    REQUIRE(call);
    REQUIRE(put);
    CHECK(call->d1 == Approx(0.7693).margin(1e-4));
    CHECK(call->d2 == Approx(0.6278).margin(1e-4));
    CHECK(call->price == Approx(4.76).margin(0.005));
    CHECK(put->price == Approx(0.81).margin(0.005));
  }
  SECTION("Hull's greeks example: S=49, K=50, r=5%, sigma=20%, T=20 weeks") {
    // Hull, "The Greek Letters": call worth about 2.40, delta 0.522, gamma 0.066, theta -4.31 a
    // year, vega 12.1 per unit of sigma, rho 8.91 per unit of r.
    const auto v = black_scholes(contract(OptionType::kCall, 49, 50, 20.0 / 52.0, 0.05), 0.20);
    REQUIRE(v);
    CHECK(v->price == Approx(2.40).margin(0.005));
    CHECK(v->delta == Approx(0.522).margin(0.0005));
    CHECK(v->gamma == Approx(0.066).margin(0.0005));
    CHECK(v->theta_per_day == Approx(-4.31 / 365.0).margin(0.005 / 365.0));
    CHECK(v->vega_per_point == Approx(0.121).margin(0.0005));
    CHECK(v->rho_per_point == Approx(0.0891).margin(0.00005));
  }
  SECTION("Hull's index option example with a dividend yield: S=930, K=900, r=8%, q=3%, T=2/12") {
    // d1 = 0.5444, d2 = 0.4628, c = 51.83
    const auto v =
        black_scholes(contract(OptionType::kCall, 930, 900, 2.0 / 12.0, 0.08, 0.03), 0.20);
    REQUIRE(v);
    CHECK(v->d1 == Approx(0.5444).margin(1e-4));
    CHECK(v->d2 == Approx(0.4628).margin(1e-4));
    CHECK(v->price == Approx(51.83).margin(0.005));
  }
}

TEST_CASE("Black-Scholes satisfies its identities", "[analysis][black_scholes]") {
  const double S = 100, K = 95, T = 0.3, r = 0.04, q = 0.015, sigma = 0.35;
  const auto call = *black_scholes(contract(OptionType::kCall, S, K, T, r, q), sigma);
  const auto put = *black_scholes(contract(OptionType::kPut, S, K, T, r, q), sigma);

  SECTION("put-call parity with a dividend yield: c - p = S e^{-qT} - K e^{-rT}") {
    CHECK(call.price - put.price == Approx(S * std::exp(-q * T) - K * std::exp(-r * T)));
  }
  SECTION("call delta - put delta = e^{-qT}; gamma and vega agree between call and put") {
    CHECK(call.delta - put.delta == Approx(std::exp(-q * T)));
    CHECK(call.gamma == Approx(put.gamma));
    CHECK(call.vega_per_point == Approx(put.vega_per_point));
  }
  SECTION("greeks match central finite differences of the price") {
    for (OptionType type : {OptionType::kCall, OptionType::kPut}) {
      const auto base = contract(type, S, K, T, r, q);
      const auto v = *black_scholes(base, sigma);
      const double h = 1e-3;
      auto bumped = [&](double dS, double dT, double dr, double dsigma) {
        return price(contract(type, S + dS, K, T + dT, r + dr, q), sigma + dsigma);
      };
      const double delta = (bumped(h, 0, 0, 0) - bumped(-h, 0, 0, 0)) / (2 * h);
      const double gamma = (bumped(h, 0, 0, 0) - 2 * v.price + bumped(-h, 0, 0, 0)) / (h * h);
      // Theta is the change as time passes, i.e. as T shrinks, over one day.
      const double theta_day = -(bumped(0, h, 0, 0) - bumped(0, -h, 0, 0)) / (2 * h) / 365.0;
      const double vega_point = (bumped(0, 0, 0, h) - bumped(0, 0, 0, -h)) / (2 * h) / 100.0;
      const double rho_point = (bumped(0, 0, h, 0) - bumped(0, 0, -h, 0)) / (2 * h) / 100.0;
      CHECK(v.delta == Approx(delta).epsilon(1e-6));
      CHECK(v.gamma == Approx(gamma).epsilon(1e-3));
      CHECK(v.theta_per_day == Approx(theta_day).epsilon(1e-5));
      CHECK(v.vega_per_point == Approx(vega_point).epsilon(1e-6));
      CHECK(v.rho_per_point == Approx(rho_point).epsilon(1e-6));
    }
  }
  SECTION("the normal CDF: N(0) = 1/2, N(1.96) = 0.975, symmetric, no tail cancellation") {
    CHECK(normal_cdf(0) == Approx(0.5));
    CHECK(normal_cdf(1.959964) == Approx(0.975).epsilon(1e-6));
    CHECK(normal_cdf(-1.5) + normal_cdf(1.5) == Approx(1.0));
    // 1 - N(10) would be 0 in double; erfc keeps the far tail: N(-10) = 7.62e-24.
    CHECK(normal_cdf(-10) == Approx(7.6199e-24).epsilon(1e-4));
    CHECK(normal_pdf(0) == Approx(0.398942280));
  }
}

TEST_CASE("implied volatility inverts the price", "[analysis][black_scholes][iv]") {
  SECTION("round trip across moneyness, maturities and both types") {
    for (OptionType type : {OptionType::kCall, OptionType::kPut}) {
      for (double K : {60.0, 90.0, 100.0, 110.0, 150.0}) {
        for (double T : {2.0 / 365.0, 30.0 / 365.0, 1.0, 3.0}) {
          for (double sigma : {0.05, 0.25, 0.8, 2.5}) {
            const auto c = contract(type, 100, K, T, 0.03, 0.01);
            const double p = price(c, sigma);
            const auto iv = implied_volatility(c, p);
            // Where the price sits almost on its lower bound (discounted intrinsic), it
            // carries almost no information about sigma and the solver may legitimately
            // refuse. Whenever it answers, the answer must reprice the option.
            if (iv) {
              CHECK(price(c, *iv) == Approx(p).margin(1e-9));
            }
            const double stock = 100 * std::exp(-0.01 * T);
            const double strike = K * std::exp(-0.03 * T);
            const double lower_bound =
                std::max(0.0, type == OptionType::kCall ? stock - strike : strike - stock);
            if (p - lower_bound > 0.05) {
              INFO("K=" << K << " T=" << T << " sigma=" << sigma << " price=" << p);
              REQUIRE(iv);
              CHECK(*iv == Approx(sigma).epsilon(1e-6));
            }
          }
        }
      }
    }
  }
  SECTION("Hull's example backwards: a call at 4.76 implies about 20%") {
    const auto iv = implied_volatility(contract(OptionType::kCall, 42, 40, 0.5, 0.10), 4.76);
    REQUIRE(iv);
    CHECK(*iv == Approx(0.20).margin(0.001));
  }
  SECTION("prices outside the no-arbitrage bounds have no implied volatility") {
    const auto call = contract(OptionType::kCall, 100, 90, 0.5, 0.0);
    CHECK_FALSE(implied_volatility(call, 9.99));   // below intrinsic 10
    CHECK_FALSE(implied_volatility(call, 10.0));   // exactly intrinsic: sigma would be 0
    CHECK_FALSE(implied_volatility(call, 100.0));  // a call is never worth the stock
    CHECK_FALSE(implied_volatility(call, -1.0));
    CHECK_FALSE(implied_volatility(call, kNaN));
    const auto put = contract(OptionType::kPut, 100, 110, 0.5, 0.0);
    CHECK_FALSE(implied_volatility(put, 110.0));  // a put is never worth the strike
  }
}

TEST_CASE("lognormal probabilities and the expected move", "[analysis][black_scholes]") {
  SECTION("at the money with r = q = 0: P(ITM call) = N(-sigma sqrt T / 2)") {
    // sigma 0.2, T 1: d2 = -0.1, N(-0.1) = 0.460172; the put gets N(0.1) = 0.539828
    CHECK(*probability_itm(contract(OptionType::kCall, 100, 100, 1, 0), 0.2) == Approx(0.460172));
    CHECK(*probability_itm(contract(OptionType::kPut, 100, 100, 1, 0), 0.2) == Approx(0.539828));
    CHECK(*probability_above(100, 100, 1, 0.2) == Approx(0.460172));
  }
  SECTION("P(above) falls as the level rises") {
    CHECK(*probability_above(100, 90, 0.25, 0.3) > *probability_above(100, 110, 0.25, 0.3));
  }
  SECTION("expected move S sigma sqrt T: 100 * 0.2 * sqrt(0.25) = 10") {
    CHECK(*expected_move(100, 0.2, 0.25) == Approx(10.0));
  }
}

TEST_CASE("Black-Scholes refuses degenerate input instead of producing garbage",
          "[analysis][black_scholes][degenerate]") {
  const auto good = contract(OptionType::kCall, 100, 100, 0.5, 0.02);
  CHECK(black_scholes(good, 0.3));
  CHECK_FALSE(black_scholes(good, 0.0));  // sigma = 0
  CHECK_FALSE(black_scholes(good, -0.2));
  CHECK_FALSE(black_scholes(good, kNaN));
  CHECK_FALSE(black_scholes(contract(OptionType::kCall, 100, 100, 0, 0.02), 0.3));  // T = 0
  CHECK_FALSE(black_scholes(contract(OptionType::kPut, 0, 100, 0.5, 0.02), 0.3));   // S = 0
  CHECK_FALSE(black_scholes(contract(OptionType::kPut, 100, 0, 0.5, 0.02), 0.3));   // K = 0
  CHECK_FALSE(black_scholes(contract(OptionType::kPut, kNaN, 100, 0.5, 0.02), 0.3));
  CHECK_FALSE(black_scholes(contract(OptionType::kPut, 100, 100, 0.5, kNaN), 0.3));
  CHECK_FALSE(black_scholes(
      contract(OptionType::kPut, 100, 100, std::numeric_limits<double>::infinity(), 0.02), 0.3));
  CHECK_FALSE(implied_volatility(contract(OptionType::kCall, 100, 100, 0, 0), 5.0));
  CHECK_FALSE(probability_itm(good, 0.0));
  CHECK_FALSE(probability_above(100, 0, 1, 0.2));
  CHECK_FALSE(expected_move(100, 0.0, 0.5));
  CHECK_FALSE(expected_move(100, 0.3, 0.0));
  CHECK_FALSE(expected_move(kNaN, 0.3, 0.5));
}
