#!/usr/bin/env bash
# `make run`: starts what exists of the platform. Today that is the venue connectors behind the
# `tradebridge exchange` command; `serve` (API + web app) and `exsim` (the local exchange simulator) come
# with their issues, and then this script starts them instead.
set -euo pipefail
TB=${1:-build/src/app/tradebridge}
cat <<MSG
tradebridge is built: $TB

The platform server (tradebridge serve) and the exchange simulator (tradebridge exsim) are not part of this
build yet. What works today is the venue layer, from the command line. For example:

  $TB exchange binance_futures ticker --param symbol=BTCUSDT          (needs internet)
  $TB exchange kraken balances --key K --secret-file secret.txt        (needs internet and a key)

and, with no network at all, the exact signed request a call would send (Kraken's official example):
MSG
set -x
"$TB" exchange kraken create-order --dry-run --key my-key \
  --secret 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==' \
  --nonce 1616492376594 --param symbol=XBTUSD --param side=buy --param amount=1.25 --param price=37500
{ set +x; } 2>/dev/null
echo
echo "All options: $TB exchange --help"
