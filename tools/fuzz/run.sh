#!/usr/bin/env bash
# Runs every fuzz target of the module for a bounded time each
# (default 15s): tools/fuzz/run.sh [FUZZTIME]. A crasher fails the run and
# is left in the package's testdata/fuzz directory, to be committed as a
# regression seed.
#
# Temporary files go to a tmpfs when there is one, so that disk write-back
# from earlier steps cannot stall a fuzz worker past the engine's deadline.
# A run that ends only with the engine's own "context deadline exceeded"
# (a worker that did not stop in time, no failing input) is tried once more.
set -euo pipefail
cd "$(dirname "$0")/../.."
fuzztime="${1:-15s}"
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	export TMPDIR
	TMPDIR=$(mktemp -d /dev/shm/chunkpipe-fuzz.XXXXXX)
	trap 'rm -rf "$TMPDIR"' EXIT
fi
status=0
while IFS= read -r line; do
	file="${line%%:*}"
	name="$(sed -E 's/^.*func (Fuzz[A-Za-z0-9_]*)\(.*/\1/' <<<"$line")"
	pkg="./$(dirname "$file")"
	for try in 1 2; do
		echo "-- $pkg $name ($fuzztime)"
		if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" 2>&1); then
			echo "$out" | tail -2
			break
		fi
		echo "$out" | grep -v 'fuzz: elapsed' | tail -20
		if [ "$try" = 1 ] && grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input' <<<"$out"; then
			echo "-- $pkg $name: the fuzz engine's deadline, not a failing input; trying once more"
			continue
		fi
		status=1
		break
	done
done < <(grep -rn --include='*_test.go' -E '^func Fuzz[A-Za-z0-9_]*\(' . | sort)
exit $status
