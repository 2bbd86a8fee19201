#!/bin/sh
# Starts and stops a local fleet of real OpenSSH sshd processes on loopback
# for tests and demos. See docs/test-fleet.md for the layout and the hooks.
#
#   fleet.sh up N DIR           start N hosts, write DIR/hosts.yml and DIR/known_hosts
#   fleet.sh down DIR           stop the processes recorded in DIR (by pid)
#   fleet.sh peer KIND DIR      start a misbehaving listener; prints "ADDRESS PORT"
#                               KIND: silent, banner (banner then silence), garbage,
#                               preamble (three lines before relaying to
#                               FLEET_PEER_UPSTREAM), ssh1 (an SSH-1.5 banner),
#                               closing (a banner, then the connection is closed),
#                               scripted (a paramiko SSH server with host01's host key
#                               and the fleet's client key; see scripted-sshd.py)
#
# Environment (all optional):
#   FLEET_PORT            port every host listens on (default 2222)
#   FLEET_IPV6            1: every host listens on ::1 instead, each on its own free
#                         port, and hosts.yml names each host's port (FLEET_PORT unused)
#   FLEET_HOST_KEY_TYPES  host key types per host, space separated (default ed25519)
#   FLEET_HOST_PATH       directories put first on PATH of every remote command
#   FLEET_LOGIN_SHELL     root's login shell on every host, such as /usr/bin/tcsh as on
#                         FreeBSD before 14.0 (default: this machine's)
#   FLEET_SSHD            sshd binary (default /usr/sbin/sshd)
#   FLEET_PEER_ADDRESS    address a peer listens on (default a free 127.x.0.1; ::1 works)
#   FLEET_PEER_UPSTREAM   ADDRESS:PORT a preamble peer relays to, such as a host's sshd
#   FLEET_LOG_LEVEL       sshd's LogLevel, written to each host's sshd.log (default ERROR)
set -eu

sshd_binary=${FLEET_SSHD:-/usr/sbin/sshd}
python=/usr/bin/python3

die() {
    echo "fleet.sh: $*" >&2
    exit 1
}

# Picks a random block 127.A.B.0/24 (A.B among about 64000) that no listener
# uses, so that fleets started at the same time on one machine rarely collide;
# `up` retries with a new block when sshd still finds its address taken.
pick_block() {
    listeners=$(ss -ltnH 2>/dev/null | awk '{print $4}')
    attempt=0
    while [ $attempt -lt 50 ]; do
        random=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
        block="$((random % 250 + 2)).$((random / 250 % 250))"
        if ! printf '%s\n' "$listeners" | grep -q "^127\.$block\."; then
            echo "$block"
            return
        fi
        attempt=$((attempt + 1))
    done
    die "no free address block in 127.0.0.0/8"
}

host_address() { # block index (1-based); a fleet of more than 250 hosts spills into B+1
    first=${1%.*}
    second=${1#*.}
    echo "127.$first.$((second + ($2 - 1) / 250)).$(( ($2 - 1) % 250 + 1 ))"
}

# Picks a port in 20000-32767 (below Linux's default ephemeral range) that no
# listener uses. When sshd still finds it taken, `up` retries with a new port.
pick_port() {
    listeners=$(ss -ltnH 2>/dev/null | awk '{print $4}')
    attempt=0
    while [ $attempt -lt 50 ]; do
        random=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
        candidate=$((random % 12768 + 20000))
        if ! printf '%s\n' "$listeners" | grep -q ":$candidate\$"; then
            echo "$candidate"
            return
        fi
        attempt=$((attempt + 1))
    done
    die "no free port in 20000-32767"
}

listen_address() { # address port
    case $1 in
    *:*) echo "[$1]:$2" ;;
    *) echo "$1:$2" ;;
    esac
}

known_hosts_name() { # address port
    if [ "$2" = 22 ]; then echo "$1"; else echo "[$1]:$2"; fi
}

write_sshd_config() { # dir address port
    host_dir=$1
    {
        echo "ListenAddress $(listen_address "$2" "$3")"
        for type in $key_types; do
            echo "HostKey $host_dir/ssh_host_${type}_key"
        done
        case " $key_types " in
        *" rsa "*)
            # libssh2 1.10 signs RSA only with SHA-1 (ssh-rsa), which OpenSSH 8.8+ disables.
            echo "HostKeyAlgorithms +ssh-rsa"
            echo "PubkeyAcceptedAlgorithms +ssh-rsa"
            ;;
        esac
        echo "PidFile $host_dir/sshd.pid"
        echo "AuthorizedKeysFile $fleet_dir/authorized_keys"
        echo "StrictModes no"
        echo "UsePAM no"
        echo "UseDNS no"
        echo "PermitRootLogin prohibit-password"
        echo "PasswordAuthentication no"
        echo "KbdInteractiveAuthentication no"
        echo "MaxStartups 1000"
        echo "MaxSessions 1000"
        echo "MaxAuthTries 6"
        echo "LoginGraceTime 30"
        echo "ClientAliveInterval 0"
        echo "LogLevel ${FLEET_LOG_LEVEL:-ERROR}"
        echo "Subsystem sftp internal-sftp"
        printf 'SetEnv FREEBSD_SIM_STATE=%s' "$host_dir/sim"
        if [ -n "${FLEET_HOST_PATH:-}" ]; then
            printf ' PATH=%s:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
                "$FLEET_HOST_PATH"
        fi
        if [ -s "$host_dir/env" ]; then
            tr '\n' ' ' <"$host_dir/env" | sed 's/^/ /'
        fi
        echo
    } >"$host_dir/sshd_config"
}

# Runs sshd in a private mount namespace where the host's own folder hides
# /root, so root's shell start-up files on this machine never run, and where
# a private /run provides the privilege separation folder sshd needs. With
# FLEET_LOGIN_SHELL, a copy of /etc/passwd that gives root that shell hides
# the real one in the same namespace only.
start_sshd() { # host_dir
    passwd=
    if [ -n "${FLEET_LOGIN_SHELL:-}" ]; then
        [ -x "$FLEET_LOGIN_SHELL" ] || die "FLEET_LOGIN_SHELL $FLEET_LOGIN_SHELL is not a program"
        passwd="$1/passwd"
        awk -F: -v OFS=: -v shell="$FLEET_LOGIN_SHELL" '$1 == "root" { $7 = shell } 1' \
            /etc/passwd >"$passwd"
    fi
    unshare -m --propagation private sh -c '
        mount --bind "$1/home" /root &&
        mount -t tmpfs -o mode=755 fleet-run /run &&
        mkdir -p /run/sshd &&
        { [ -z "$3" ] || mount --bind "$3" /etc/passwd; } &&
        exec "$2" -f "$1/sshd_config" -E "$1/sshd.log"' fleet-sshd "$1" "$sshd_binary" "$passwd"
}

up() {
    [ $# -eq 2 ] || die "usage: fleet.sh up N DIR"
    count=$1
    fleet_dir=$2
    case $count in '' | *[!0-9]*) die "N must be a positive number, got '$count'" ;; esac
    [ "$count" -ge 1 ] || die "N must be at least 1"
    [ "$(id -u)" = 0 ] || die "sshd must start as root for its own privilege separation"
    mkdir -p "$fleet_dir"
    fleet_dir=$(cd "$fleet_dir" && pwd)
    port=${FLEET_PORT:-2222}
    key_types=${FLEET_HOST_KEY_TYPES:-ed25519}

    [ -f "$fleet_dir/id_ed25519" ] ||
        ssh-keygen -q -t ed25519 -N '' -C fleet-client -f "$fleet_dir/id_ed25519"
    cp "$fleet_dir/id_ed25519.pub" "$fleet_dir/authorized_keys"
    attempt=1
    until start_fleet "$count" "$port"; do
        down "$fleet_dir"
        [ $attempt -lt 3 ] || die "sshd did not start; see $fleet_dir/host*/sshd.log"
        attempt=$((attempt + 1))
    done
    echo "$fleet_dir/hosts.yml"
}

# Starts every host on a fresh address block; fails when any sshd did not start.
start_fleet() { # count port
    count=$1
    port=$2
    : >"$fleet_dir/known_hosts"
    ipv6=${FLEET_IPV6:-0}
    [ "$ipv6" = 1 ] || block=$(pick_block)
    {
        echo "all:"
        echo "  vars:"
        echo "    user: root"
        echo "    port: $port"
        echo "    identity_file: $fleet_dir/id_ed25519"
        echo "    known_hosts: $fleet_dir/known_hosts"
        echo "    host_key_checking: strict"
        echo "    connect_timeout: 5"
        echo "  hosts:"
    } >"$fleet_dir/hosts.yml"

    index=1
    while [ "$index" -le "$count" ]; do
        name=$(printf 'host%02d' "$index")
        host_dir="$fleet_dir/$name"
        if [ "$ipv6" = 1 ]; then
            address=::1
            port=$(pick_port)
        else
            address=$(host_address "$block" "$index")
        fi
        mkdir -p "$host_dir/home" "$host_dir/sim"
        chmod 700 "$host_dir/home"
        for type in $key_types; do
            key="$host_dir/ssh_host_${type}_key"
            [ -f "$key" ] || ssh-keygen -q -t "$type" -N '' -C "$name" -f "$key"
            echo "$(known_hosts_name "$address" "$port") $(cut -d' ' -f1,2 "$key.pub")" \
                >>"$fleet_dir/known_hosts"
        done
        write_sshd_config "$host_dir" "$address" "$port"
        rm -f "$host_dir/sshd.pid" "$host_dir/sshd.log"
        start_sshd "$host_dir" || return 1
        {
            echo "    $name:"
            if [ "$ipv6" = 1 ]; then
                echo "      address: \"$address\""
                echo "      port: $port"
            else
                echo "      address: $address"
            fi
        } >>"$fleet_dir/hosts.yml"
        index=$((index + 1))
    done

    wait_for_pid_files "$fleet_dir" "$count"
}

# sshd writes its pid file once it listens; waits for every host (up to 10 s)
# and fails as soon as one sshd has logged that it could not bind.
wait_for_pid_files() { # dir count
    tries=0
    while [ $tries -lt 1000 ]; do
        ready=0
        for host_dir in "$1"/host*; do
            [ -s "$host_dir/sshd.pid" ] && ready=$((ready + 1))
            grep -qs "Cannot bind any address" "$host_dir/sshd.log" && return 1
        done
        [ "$ready" -ge "$2" ] && return 0
        tries=$((tries + 1))
        sleep 0.01
    done
    echo "fleet.sh: only $ready of $2 sshd processes started" >&2
    return 1
}

down() {
    [ $# -eq 1 ] || die "usage: fleet.sh down DIR"
    [ -d "$1" ] || return 0
    for pid_file in "$1"/host*/sshd.pid "$1"/peer-*.pid; do
        [ -s "$pid_file" ] || continue
        kill "$(cat "$pid_file")" 2>/dev/null || true
        rm -f "$pid_file"
    done
}

peer() {
    [ $# -eq 2 ] || die "usage: fleet.sh peer silent|banner|garbage|preamble|ssh1|ssh1-slow|closing|scripted DIR"
    kind=$1
    case $kind in
    silent | banner | garbage | ssh1 | ssh1-slow | closing | scripted) ;;
    preamble) [ -n "${FLEET_PEER_UPSTREAM:-}" ] || die "a preamble peer needs FLEET_PEER_UPSTREAM" ;;
    *) die "unknown peer kind '$kind'" ;;
    esac
    mkdir -p "$2"
    address=${FLEET_PEER_ADDRESS:-$(host_address "$(pick_block)" 1)}
    ready="$2/peer-$kind.ready"
    rm -f "$ready"
    if [ "$kind" = scripted ]; then
        "$python" "$(dirname "$0")/scripted-sshd.py" "$address" \
            "$2/host01/ssh_host_ed25519_key" "$2/id_ed25519.pub" "$ready" \
            >"$2/peer-$kind.log" 2>&1 &
        echo $! >"$2/peer-$kind.pid"
        wait_ready "$kind" "$ready"
        return
    fi
    "$python" - "$kind" "$address" "$ready" "${FLEET_PEER_UPSTREAM:-}" >/dev/null 2>&1 <<'PY' &
import os, socket, sys, threading, time
# Close descriptors inherited from the caller (such as its output pipes), so a caller
# that reads this script's output to the end is not kept waiting by the listener.
os.closerange(3, 65536)
kind, address, ready, upstream = sys.argv[1:5]


def relay(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
        destination.shutdown(socket.SHUT_WR)
    except OSError:
        pass


server = socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((address, 0))
server.listen(64)
with open(ready, "w") as f:
    f.write("%s %d\n" % (address, server.getsockname()[1]))
held = []
while True:
    conn, _ = server.accept()
    held.append(conn)
    if kind == "banner":
        conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
    elif kind == "garbage":
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
    elif kind == "ssh1":
        conn.sendall(b"SSH-1.5-OpenSSH_1.2.3\r\n")
    elif kind == "ssh1-slow":
        # One byte per TCP segment, as a server behind a slow link may send its line.
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for byte in b"SSH-1.5-OpenSSH_1.2.3\r\n":
            conn.sendall(bytes([byte]))
            time.sleep(0.02)
    elif kind == "closing":
        conn.sendall(b"SSH-2.0-OpenSSH_9.2\r\n")
        conn.close()
    elif kind == "preamble":
        conn.sendall(b"Authorised use only.\r\nThis line is here too\r\n\r\n")
        host, port = upstream.rsplit(":", 1)
        server_side = socket.create_connection((host.strip("[]"), int(port)))
        held.append(server_side)
        for pair in ((conn, server_side), (server_side, conn)):
            threading.Thread(target=relay, args=pair, daemon=True).start()
PY
    echo $! >"$2/peer-$kind.pid"
    wait_ready "$kind" "$ready"
}

# Waits up to 5 s for the peer KIND to write READY, then prints it.
wait_ready() {
    tries=0
    while [ ! -s "$2" ] && [ $tries -lt 500 ]; do
        sleep 0.01
        tries=$((tries + 1))
    done
    [ -s "$2" ] || die "the $1 listener did not start"
    cat "$2"
}

command=${1:-}
[ $# -gt 0 ] && shift
case $command in
up) up "$@" ;;
down) down "$@" ;;
peer) peer "$@" ;;
*) die "usage: fleet.sh up N DIR | down DIR | peer KIND DIR" ;;
esac
