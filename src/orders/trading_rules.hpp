// What a deployment lets the order tools do (TRADING_MODE), as the mutation flow reads it:
//   confirm  (default) orders are sent after the person confirms them: through elicitation
//            whenever the client can be asked, else with a single-use confirmation token
//   elicit   orders are sent only after the person confirms them through elicitation; a
//            client that cannot be asked cannot send orders at all
//   disabled no order is ever sent; previews still work
#pragma once

namespace bmcp::orders {

struct TradingRules {
  bool enabled = true;            // TRADING_MODE is not "disabled"
  bool elicitation_only = false;  // TRADING_MODE=elicit: a token alone never sends
};

}  // namespace bmcp::orders
