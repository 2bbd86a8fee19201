#!/bin/sh
# Installs what the benchmark compares against: pdsh, valgrind and python3-venv from Debian,
# then parallel-ssh, ansible-core and pyinfra from PyPI into a throw-away virtual
# environment (default /tmp/minijail-fleet-bench/venv, or the folder given as $1).
# Not part of the test command; see docs/benchmarks.md.
set -eu

venv=${1:-/tmp/minijail-fleet-bench/venv}
packages="pdsh valgrind python3-venv openssh-client time"
missing=""
for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $package"
done
if [ -n "$missing" ]; then
    echo "installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086 # the list is meant to split into words
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$(dirname "$venv")"
    /usr/bin/python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check parallel-ssh ansible-core pyinfra
"$venv/bin/pip" list --disable-pip-version-check 2>/dev/null |
    grep -Ei '^(parallel-ssh|ssh2-python|ssh-python|ansible-core|pyinfra|paramiko) '
