#!/usr/bin/env bash
# Lists the C++ files (src/, tests/, bench/) that clang-format with .clang-format would change, and fails if
# there is one. `make format` fixes them. Run by `make format-check`, and by ctest (style_format) when the
# build is configured with -DTB_FORMAT_CHECK=ON.
# Usage: scripts/check_format.sh [repository root]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
command -v clang-format >/dev/null || { echo "clang-format is missing: run scripts/setup.sh"; exit 1; }
list=$(mktemp)
trap 'rm -f "$list"' EXIT
# shellcheck disable=SC2016
git ls-files -z -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' |
  xargs -0 -P 2 -n 16 sh -c 'for f; do clang-format --style=file "$f" | cmp -s - "$f" || echo "$f"; done' sh >"$list"
total=$(git ls-files -- 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'bench/*.hpp' | wc -l)
bad=$(wc -l <"$list")
sort "$list" | sed 's/^/not formatted: /'
if [ "$bad" -ne 0 ]; then
  echo "$bad of $total C++ files are not formatted as .clang-format says: run make format"
  exit 1
fi
echo "$total C++ files formatted as .clang-format says"
