#!/bin/sh
# Prints the argv part of STATE/calls.log, optionally only the calls of one command.
# usage: calls.sh STATE [COMMAND]
state=${1:?usage: calls.sh STATE [COMMAND]}
if [ $# -ge 2 ]; then
	cut -f 1 "$state/calls.log" | awk -v c="$2" '$1 == c'
else
	cut -f 1 "$state/calls.log"
fi
