// Premium-selling candidates from an option chain: cash-secured puts, covered
// calls and vertical spreads. For each: the trade's economics (credit, capital,
// returns, breakeven, max profit and loss), probabilities under two named methods,
// and a score to rank by; plus filters with stated defaults and a report of why
// quotes were rejected. Pure and deterministic (ties are broken by expiration,
// strike and symbol).
//
// Units: prices per share; premium, collateral, max profit and max loss per
// contract (times the multiplier, 100 by default); returns, ratios and
// probabilities as fractions (0.012 = 1.2%). Annualized returns are simple:
// period return * 365 / DTE, unless named "compounded".
//
// Probabilities, always named by method:
// - *_delta: the scanners' heuristic, P(short option expires worthless) ~ 1 - |delta|.
// - *_lognormal: risk-neutral Black-Scholes probability that the underlying ends on
//   the profitable side of the breakeven, N(d2) with the breakeven as the strike,
//   using the option's IV, the context's rate and dividend yield, T = DTE/365.
//
// Score (higher is better): annualized return times the chance the short option
// expires worthless by the delta heuristic, 1 - |delta short|: "yield, discounted by
// how often the trade is taken away". For cash-secured puts the return is the
// simple annualized return on capital; for covered calls the annualized static
// return; for credit spreads the annualized return on risk. The score is 0 when the
// short option's delta is unknown (ranked candidates always have one). Debit
// spreads, which are evaluated but not ranked, score annualized return on risk
// times their lognormal probability of profit.
#pragma once

#include "analysis/option_chain.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bmcp::analysis {

enum class PriceBasis {
  kMid,      // trade at the mid (the default, as scanners quote credits)
  kNatural,  // sell at the bid, buy at the ask: the conservative fill
};

struct CandidateFilters {
  int min_dte = 21;
  int max_dte = 45;
  double min_abs_delta = 0.15;  // of the short option
  double max_abs_delta = 0.35;
  long min_open_interest = 100;
  // A quote passes when ask - bid <= max(max_spread_fraction * mid, max_spread_absolute):
  // 10% of the mid, but never stricter than a dime, so that cheap options quoted a
  // few cents wide are not all rejected. A quote without a two-sided market fails.
  double max_spread_fraction = 0.10;
  double max_spread_absolute = 0.10;
  bool skip_earnings_before_expiry = true;  // an unknown earnings date is not skipped
  PriceBasis price_basis = PriceBasis::kMid;
  std::size_t max_results = 10;
  // Vertical spreads: each short strike is paired with up to this many of the
  // nearest further-out-of-the-money strikes of the same expiration that pass the
  // open-interest and spread filters.
  std::size_t max_long_legs_per_short = 3;
};

// Why quotes of the strategy's type were not candidates. Each rejected quote is
// counted once, under the first test it failed, in the order of the fields.
struct FilterReport {
  std::size_t examined = 0;
  std::size_t unpriced = 0;  // no usable price, or the underlying price is unusable
  std::size_t outside_dte = 0;
  std::size_t no_delta = 0;  // neither a broker delta nor an IV to compute one
  std::size_t outside_delta = 0;
  std::size_t low_open_interest = 0;
  std::size_t wide_spread = 0;
  std::size_t earnings_before_expiry = 0;
  std::size_t no_valid_trade = 0;  // passed the filters, but no trade could be built
  std::size_t accepted = 0;        // candidates found, before truncation to max_results
};

template <class Candidate>
struct Ranking {
  std::vector<Candidate> candidates;  // best first, at most max_results
  FilterReport report;
};

// Sell one put at K, holding K * multiplier in cash.
struct CashSecuredPut {
  OptionLeg put;
  double credit = 0;                            // C per share
  double premium = 0;                           // C * m
  double collateral = 0;                        // K * m
  double net_collateral = 0;                    // (K - C) * m
  double return_on_capital = 0;                 // C / K
  double annualized_return = 0;                 // C / K * 365 / DTE
  double annualized_return_compounded = 0;      // (1 + C/K)^(365/DTE) - 1
  double breakeven = 0;                         // K - C
  double otm_fraction = 0;                      // (S - K) / S
  double discount_to_spot = 0;                  // (S - breakeven) / S
  double max_profit = 0;                        // C * m
  double max_loss = 0;                          // (K - C) * m, the stock going to zero
  std::optional<double> prob_assignment_delta;  // |delta|
  std::optional<double> pop_delta;              // 1 - |delta|
  std::optional<double> pop_lognormal;          // P(S_T > breakeven)
  std::optional<double> theta_yield;            // -theta / C: share of the credit decaying per day
  double score = 0;
};

// Own the shares (at cost_basis B if given, else bought now at S) and sell one call at K.
struct CoveredCall {
  OptionLeg call;
  double credit = 0;             // C per share
  double premium = 0;            // C * m
  double basis = 0;              // B
  bool basis_from_cost = false;  // true when the context's cost_basis was used
  double static_return = 0;      // C / S
  double if_called_return = 0;   // (C + K - S) / S
  double annualized_static_return = 0;
  double annualized_if_called_return = 0;
  double breakeven = 0;                     // B - C
  double downside_protection = 0;           // C / S
  double upside_cap = 0;                    // (K - S) / S
  double max_profit = 0;                    // (K - B + C) * m
  double max_loss = 0;                      // (B - C) * m
  double extrinsic = 0;                     // mid - max(S - K, 0)
  std::optional<double> prob_called_delta;  // |delta|
  std::optional<double> pop_lognormal;      // P(S_T > breakeven)
  // An in-the-money call whose time value is below the coming dividend may be
  // exercised early, before the ex-dividend date. True when the ex-dividend date is
  // on or before expiration, the call is in the money and extrinsic < dividend; false
  // when any of these is known not to hold; nullopt when the date or the dividend
  // amount needed to decide is unknown.
  std::optional<bool> early_assignment_risk;
  double score = 0;
};

// Two options of one type and expiration, one sold and one bought.
// Credit spreads: bull put (short the higher put strike) and bear call (short the
// lower call strike). The reverse strike order is a debit spread (bear put, bull call).
struct VerticalSpread {
  OptionLeg short_leg;
  OptionLeg long_leg;
  OptionType type = OptionType::kPut;
  bool is_credit = true;
  std::string name;       // "bull put", "bear call", "bear put", "bull call"
  double width = 0;       // |K_short - K_long|
  double net_price = 0;   // credit received or debit paid, per share, > 0
  double max_profit = 0;  // credit: C * m;           debit: (width - D) * m
  double max_loss = 0;    // credit: (width - C) * m; debit: D * m
  double breakeven = 0;  // bull put K_s - C, bear call K_s + C, bull call K_l + D, bear put K_l - D
  double return_on_risk = 0;              // max_profit / max_loss
  double annualized_return_on_risk = 0;   // * 365 / DTE
  double risk_reward = 0;                 // max_loss / max_profit
  std::optional<double> credit_to_width;  // C / width, credit spreads only
  std::optional<double> pop_delta;        // credit spreads: 1 - |delta short|
  std::optional<double> pop_lognormal;    // P(S_T beyond breakeven on the profitable side),
                                          // using the mean of the legs' IVs
  std::optional<double> delta_net;        // long delta - short delta, per share
  std::optional<double> theta_net;        // long theta - short theta, per share per day
  double score = 0;
};

// The metrics of one trade, with no filtering. nullopt when the trade is not
// possible: wrong option type, DTE < 1, no price on the chosen basis (a natural
// sale needs a positive bid), an unusable underlying price; for verticals also legs
// of different types or expirations, equal strikes, or a net price outside
// (0, width).
std::optional<CashSecuredPut> evaluate_cash_secured_put(const OptionLeg& put,
                                                        const UnderlyingContext& context,
                                                        PriceBasis basis = PriceBasis::kMid);
std::optional<CoveredCall> evaluate_covered_call(const OptionLeg& call,
                                                 const UnderlyingContext& context,
                                                 PriceBasis basis = PriceBasis::kMid);
std::optional<VerticalSpread> evaluate_vertical(const OptionLeg& short_leg,
                                                const OptionLeg& long_leg,
                                                const UnderlyingContext& context,
                                                PriceBasis basis = PriceBasis::kMid);

// Filtered, scored and sorted candidates from a whole chain (quotes of other types
// are ignored and not counted).
Ranking<CashSecuredPut> rank_cash_secured_puts(const std::vector<OptionQuote>& chain,
                                               const UnderlyingContext& context,
                                               const CandidateFilters& filters = {});
Ranking<CoveredCall> rank_covered_calls(const std::vector<OptionQuote>& chain,
                                        const UnderlyingContext& context,
                                        const CandidateFilters& filters = {});
// Bull put spreads for OptionType::kPut, bear call spreads for kCall. The filters
// apply to the short leg; the long leg must pass open interest and spread.
Ranking<VerticalSpread> rank_credit_spreads(const std::vector<OptionQuote>& chain,
                                            const UnderlyingContext& context, OptionType type,
                                            const CandidateFilters& filters = {});

}  // namespace bmcp::analysis
