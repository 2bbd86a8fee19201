#!/bin/sh
# Installs the Debian packages the build and the tests need, skipping those
# already present so that a warm machine pays nothing.
set -eu

packages="libyaml-dev libssh2-1-dev libsodium-dev libsqlite3-dev openssh-server openssh-client dash
    util-linux procps xz-utils iproute2 python3 python3-paramiko tcsh"
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
