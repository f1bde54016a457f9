#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time each
# (default 15s): tools/fuzz/run.sh [FUZZTIME]. A crasher fails the run and
# is left in the package's testdata/fuzz directory, to be committed as a
# regression seed.
set -euo pipefail
cd "$(dirname "$0")/../.."
fuzztime="${1:-15s}"
status=0
while IFS= read -r line; do
	file="${line%%:*}"
	name="$(sed -E 's/^.*func (Fuzz[A-Za-z0-9_]*)\(.*/\1/' <<<"$line")"
	pkg="./$(dirname "$file")"
	echo "-- $pkg $name ($fuzztime)"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg"; then
		status=1
	fi
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . | sort)
exit $status
