#!/usr/bin/env bash
# `make run`: starts what exists of the platform. The platform server (`tradebridge serve`: REST API, web
# app, robots) is not built yet; until it is, this starts the exchange simulator, the local Binance USD-M
# Futures, Kraken and Bitfinex that `serve` will point its venues at. Ctrl-C stops it; its state is kept.
set -euo pipefail
TB=${1:-build/src/app/tradebridge}
PORT=${EXSIM_PORT:-8081}
mkdir -p var
cat <<MSG
tradebridge is built: $TB

The platform server (tradebridge serve) is not part of this build yet. Starting the exchange simulator:

  API Management page:  http://127.0.0.1:$PORT/   (create an API key there, with the permissions you want)
  venue base URL:       http://127.0.0.1:$PORT    (the same for binance_futures, kraken and bitfinex)
  state:                var/exsim-state.json      (keys, balances and orders survive a restart)

Then, in another terminal, for example:

  $TB exchange binance_futures balances --base-url http://127.0.0.1:$PORT --key KEY --secret-file secret.txt
  $TB exchange kraken ticker --base-url http://127.0.0.1:$PORT --param symbol=XBTUSD

MSG
exec "$TB" exsim --port "$PORT" --state var/exsim-state.json
