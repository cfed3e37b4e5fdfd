#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test tradebridge. Idempotent: a second
# run installs nothing and takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libboost-system-dev libssl-dev libsodium-dev libsqlite3-dev sqlite3
  postgresql libpq-dev  # the PostgreSQL store; tests start a throwaway server from its binaries (initdb, pg_ctl)
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libmimalloc-dev  # the program's allocator (CMake option TB_MIMALLOC)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-dev  # libFuzzer and the sanitizer runtimes: only recommended by clang
  clang-format clang-tidy  # make format, make tidy (.clang-format, .clang-tidy)
  openssl ca-certificates
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js: Debian's nodejs and npm, unless a node with npm is already there (a NodeSource build, say,
# which ships npm inside its nodejs package and conflicts with Debian's npm).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Node packages, pinned by package-lock.json: ccxt (an independent client in tests and benchmarks),
# playwright-core (drives Debian's chromium in tests/web), uplot (the web app's chart) and qrcode-generator
# (the QR code of a two-factor secret, drawn in the browser: the secret never goes to a third party).
stamp=node_modules/.tradebridge-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

# The web app loads its libraries from its own origin (the CSP allows nothing else): copy uPlot's ES module,
# stylesheet and licence, and qrcode-generator's ES module (MIT, named in its package.json), into web/vendor/
# (not committed) when missing or changed.
mkdir -p web/vendor
for pair in uplot/dist/uPlot.esm.js:uplot.esm.js uplot/dist/uPlot.min.css:uplot.min.css uplot/LICENSE:uplot-LICENSE.txt \
            qrcode-generator/dist/qrcode.mjs:qrcode.mjs qrcode-generator/package.json:qrcode-package.json; do
  src=node_modules/${pair%%:*}
  dst=web/vendor/${pair##*:}
  cmp -s "$src" "$dst" || { cp "$src" "$dst"; echo "setup: copied $src to $dst"; }
done
