#!/usr/bin/env bash
# `make run`: the platform on embedded defaults — SQLite and a generated master key under ./var/, the web
# app from ./web, and the exchange simulator in-process (every venue points at it), so the whole flow
# works on a machine without internet. Ctrl-C stops it; data and simulator state are kept in ./var/.
set -euo pipefail
TB=${1:-build/src/app/tradebridge}
LISTEN=${TRADEBRIDGE_LISTEN:-127.0.0.1:8080}
EXSIM_PORT=${EXSIM_PORT:-8081}
mkdir -p var
chmod 700 var
cat <<MSG
Starting tradebridge serve on http://$LISTEN with the exchange simulator on http://127.0.0.1:$EXSIM_PORT

  1. Open http://$LISTEN/ and register.
  2. Open http://127.0.0.1:$EXSIM_PORT/ (the simulator's API Management page) and create an API key.
  3. In tradebridge: Profile > My Exchange API Keys > ADD NEW KEY +, paste the key and the secret.

MSG
exec "$TB" serve --listen "$LISTEN" --data-dir var --with-exsim="$EXSIM_PORT"
