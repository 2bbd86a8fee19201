#!/bin/sh
# Starts a local fleet whose hosts run the simulated FreeBSD userland: real
# sshd processes from fleet.sh, each with Tests/freebsd-sim/bin first on PATH
# and its own simulated state, and an inventory that points each host's jail
# paths into its own folder.
#
#   freebsd-fleet.sh up N DIR [SETUP OPTIONS...]   start N hosts; prints DIR/hosts.yml
#   freebsd-fleet.sh down DIR                      stop them (by pid)
#
# SETUP OPTIONS go to Tests/freebsd-sim/setup-host.sh for every host, e.g.
#   --skel 14.1-RELEASE-p5 --jails web,db --running web --latest 14.1-RELEASE-p6
# A release mirror for skel installs is built once in DIR/mirror.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
sim=$(cd "$here/../freebsd-sim" && pwd)

die() {
    echo "freebsd-fleet.sh: $*" >&2
    exit 1
}

up() {
    [ $# -ge 2 ] || die "usage: freebsd-fleet.sh up N DIR [SETUP OPTIONS...]"
    count=$1
    mkdir -p "$2"
    dir=$(cd "$2" && pwd -P)
    shift 2

    FLEET_HOST_PATH="$sim/bin" "$here/fleet.sh" up "$count" "$dir" >/dev/null
    "$sim/setup-host.sh" "$dir/mirror-state" "$dir/mirror-fs" --mirror "$dir/mirror" >/dev/null

    inventory="$dir/hosts.yml"
    sed -n '1,/^  hosts:$/p' "$inventory" >"$inventory.new"
    {
        echo "    release_mirror: file://$dir/mirror"
    } >"$inventory.vars"
    # Insert the shared mirror variable at the end of the vars block.
    sed -i "/^  hosts:\$/e cat $inventory.vars" "$inventory.new"
    rm -f "$inventory.vars"

    awk '/^    host[0-9]+:$/ { name = $1; sub(":", "", name) }
         /^      address: / { print name, $2 }' "$inventory" |
        while read -r name address; do
            host_dir="$dir/$name"
            fs="$host_dir/fs"
            mkdir -p "$fs"
            "$sim/setup-host.sh" "$host_dir/sim" "$fs" --hostname "$name" "$@" >/dev/null ||
                die "setup-host.sh failed for $name"
            {
                echo "    $name:"
                echo "      address: $address"
                echo "      jails_root: $fs/var/jails"
                echo "      jail_conf_dir: $fs/etc/jail.conf.d"
                echo "      state_dir: $fs/var/db/minijail-fleet"
                echo "      freebsd_update_conf: $fs/etc/freebsd-update.conf"
            } >>"$inventory.new"
        done
    mv "$inventory.new" "$inventory"
    echo "$inventory"
}

case ${1:-} in
up)
    shift
    up "$@"
    ;;
down)
    shift
    [ $# -eq 1 ] || die "usage: freebsd-fleet.sh down DIR"
    exec "$here/fleet.sh" down "$1"
    ;;
*)
    die "usage: freebsd-fleet.sh up N DIR [SETUP OPTIONS...] | down DIR"
    ;;
esac
