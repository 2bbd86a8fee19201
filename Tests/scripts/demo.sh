#!/bin/sh
# The README's first command: installs what is missing, builds, starts a local
# demo fleet of simulated FreeBSD hosts (real sshd on loopback, a skel and a
# few jails on each), runs the main jobs against it (upgrade-skel --all, then
# report --all), and stops the fleet.
#
#   Tests/scripts/demo.sh [HOSTS]     (default 4 hosts)
#
# Set KEEP=1 to leave the fleet running; the script then prints how to use and
# stop it.
set -eu
cd "$(dirname "$0")/../.."

hosts=${1:-4}
Tests/scripts/install-deps.sh
swift build -c release >/dev/null
tool=$(swift build -c release --show-bin-path)/minijail-fleet

demo=$(mktemp -d /tmp/minijail-fleet-demo.XXXXXX)
stop() {
    if [ "${KEEP:-0}" = 1 ]; then
        echo
        echo "The fleet keeps running. Try:"
        echo "  $tool -i $demo/hosts.yml exec --all -- jls"
        echo "Stop it with: Tests/fleet/freebsd-fleet.sh down $demo"
    else
        Tests/fleet/freebsd-fleet.sh down "$demo"
        rm -rf "$demo"
    fi
}
trap stop EXIT

echo "== starting $hosts simulated FreeBSD hosts in $demo"
Tests/fleet/freebsd-fleet.sh up "$hosts" "$demo" \
    --release 14.1-RELEASE-p6 --skel 14.1-RELEASE-p5 --jails web,db --running web \
    --latest 14.1-RELEASE-p6 >/dev/null

run() {
    echo
    echo "== minijail-fleet $*"
    "$tool" -i "$demo/hosts.yml" "$@" || true
}

run inventory list
run upgrade-skel --all --serial 1,50% --restart-jails
run report --all
