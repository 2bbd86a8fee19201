#!/bin/sh
# Puts minijail-fleet's client CPU per host next to what libssh2 itself costs per
# session. The smallest libssh2 client (session_cost.c: no host key check, no output
# kept, blocking calls) runs from 50 processes at once. Each process opens N/50
# sessions one after another to one of the fleet's first 50 hosts, so N sessions run
# with 50 in flight, as `exec --all --forks 50 -- true` runs them. Its CPU counts
# without the processes' own start-up, which the same round measures with no
# sessions. Rounds alternate the three runs. Not a test.
#
#   Tests/bench/floor.sh ROUNDS FLEET_DIR BINARY
#
# FLEET_DIR comes from `Tests/fleet/fleet.sh up N FLEET_DIR` with N a multiple of 50.
set -eu
if [ $# -ne 3 ]; then
    echo "usage: $0 ROUNDS FLEET_DIR BINARY" >&2
    exit 64
fi
rounds=$1 fleet=$2 binary=$3
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/rusage" "$here/rusage.c"
cc -O2 -o "$work/session_cost" "$here/session_cost.c" -lssh2 -lcrypto

grep 'address:' "$fleet/hosts.yml" | awk '{print $2}' >"$work/addresses"
hosts=$(wc -l <"$work/addresses")
if [ "$hosts" -lt 50 ] || [ $((hosts % 50)) -ne 0 ]; then
    echo "$0: the fleet has $hosts hosts; it needs a multiple of 50" >&2
    exit 65
fi
head -n 50 "$work/addresses" >"$work/first50"
port=$(awk '/^    port:/ {print $2; exit}' "$fleet/hosts.yml")

# Runs session_cost from 50 processes, SESSIONS each.
cat >"$work/libssh2.sh" <<EOF
#!/bin/sh
xargs -P 50 -I{} "$work/session_cost" callback {} ${port:-2222} root "$fleet/id_ed25519" \$1 \\
    <"$work/first50" >/dev/null
EOF
chmod +x "$work/libssh2.sh"

cpu() {
    "$work/rusage" "$work/usage" "$@" >/dev/null 2>&1 || true
    read -r user system _ <"$work/usage"
    echo "$user $system"
}

round=1
while [ "$round" -le "$rounds" ]; do
    sessions=$(cpu "$work/libssh2.sh" $((hosts / 50)))
    startup=$(cpu "$work/libssh2.sh" 0)
    fleet_cpu=$(cpu "$binary" exec -i "$fleet/hosts.yml" --all --forks 50 -- true)
    echo "$sessions $startup $fleet_cpu"
    round=$((round + 1))
done | python3 -c '
import statistics, sys
hosts = int(sys.argv[1])
libssh2, fleet, ratios = [], [], []
for line in sys.stdin:
    su, ss, tu, ts, fu, fs = map(float, line.split())
    per_session = (su + ss - tu - ts) / hosts * 1000
    per_host = (fu + fs) / hosts * 1000
    libssh2.append(per_session)
    fleet.append(per_host)
    ratios.append(per_host / per_session)
    print(f"libssh2 {per_session:.3f} ms/session  minijail-fleet {per_host:.3f} ms/host  "
          f"ratio {per_host / per_session:.3f}")
print(f"medians over {len(ratios)} rounds: libssh2 {statistics.median(libssh2):.3f} "
      f"ms/session, minijail-fleet {statistics.median(fleet):.3f} ms/host, "
      f"ratio {statistics.median(ratios):.3f}")
' "$hosts"
