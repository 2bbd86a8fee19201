#!/bin/sh
# Compares the client CPU of minijail-fleet binaries side by side: runs
# `exec -i INVENTORY PATTERN --forks 50 -- true` with each binary in turn,
# ROUNDS times, and prints the median user + system time of each and its
# ratio to the first binary's. Alternating the binaries in every round keeps
# the drift of a shared machine out of the ratios, and every other round runs
# them in reverse order, so that none always runs first. Not a test.
#
#   Tests/bench/ab.sh ROUNDS INVENTORY PATTERN BINARY...
#
# INVENTORY is usually DIR/hosts.yml from `Tests/fleet/fleet.sh up N DIR`.
set -eu
if [ $# -lt 4 ]; then
    echo "usage: $0 ROUNDS INVENTORY PATTERN BINARY..." >&2
    exit 64
fi
rounds=$1 inventory=$2 pattern=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/rusage" "$here/rusage.c"

round=1
while [ "$round" -le "$rounds" ]; do
    if [ $((round % 2)) -eq 0 ]; then
        order=$(printf '%s\n' "$@" | tac)
    else
        order=$(printf '%s\n' "$@")
    fi
    # Binary paths are split on white space here, so they must not contain any.
    for binary in $order; do
        "$work/rusage" "$work/usage" "$binary" exec -i "$inventory" "$pattern" \
            --forks 50 -- true >/dev/null 2>&1 || true
        read -r user system _ <"$work/usage"
        echo "$binary $user $system"
    done
    round=$((round + 1))
done | python3 -c '
import statistics, sys
runs = {}
for line in sys.stdin:
    binary, user, system = line.split()
    runs.setdefault(binary, []).append(float(user) + float(system))
first = None
for binary, seconds in runs.items():
    median = statistics.median(seconds)
    first = first or median
    print(f"{binary}: median {median:.4f} s over {len(seconds)} runs, "
          f"ratio {median / first:.3f}")
'
