# Shared by the sh commands in bin/: finds the host state and appends to its call log.
# The log line is the quoted argv, a TAB, then PWD and the logged variables, the
# same format the Python commands write (see simstate.log_call).

sim_quote() {
	case $1 in
	'') printf "''" ;;
	*[!a-zA-Z0-9_./:=+,@%-]*) printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}

sim_start() {
	prog=$1
	shift
	if [ -z "${FREEBSD_SIM_STATE:-}" ] || [ ! -d "$FREEBSD_SIM_STATE" ]; then
		echo "$prog: FREEBSD_SIM_STATE is not set to a simulated host's state folder" >&2
		exit 70
	fi
	SIM_STATE=$FREEBSD_SIM_STATE
	[ -n "${FREEBSD_SIM_NOLOG:-}" ] && return 0
	line=$prog
	for word in "$@"; do
		line="$line $(sim_quote "$word")"
	done
	line="$line	PWD=$(sim_quote "$(pwd)")"
	for name in UNAME_r UNAME_m UNAME_p PAGER FREEBSD_SIM_JAIL; do
		if eval "[ -n \"\${$name+set}\" ]"; then
			eval "value=\$$name"
			line="$line $name=$(sim_quote "$value")"
		fi
	done
	printf '%s\n' "$line" >>"$SIM_STATE/calls.log"
}

# sim_value FILE KEY: prints the value of KEY=value in FILE, status 1 when absent.
sim_value() {
	awk -v key="$2" 'index($0, key "=") == 1 { print substr($0, length(key) + 2); found = 1; exit }
		END { exit found ? 0 : 1 }' "$1" 2>/dev/null
}
