#!/bin/sh
# Initialises one simulated FreeBSD host; see docs/freebsd-sim.md for the flags.
# usage: setup-host.sh STATE FSROOT [--release R] [--arch A] [--skel VERSION]
#        [--jails a,b] [--running a] [--no-zfs] [--mirror DIR] [--pool-size BYTES]
#        [--latest RELEASE-pN] [--userland VERSION] [--hostname NAME]
exec /usr/bin/python3 -S "$(dirname "$0")/lib/setup.py" "$@"
