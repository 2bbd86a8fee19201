#!/bin/sh
# Checks every simulated command's outputs, exit statuses and error texts.
# Prints each failure and exits 1 when any check failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
PATH=$here/bin:$PATH
export PATH
FREEBSD_SIM_STATE=$tmp/state
export FREEBSD_SIM_STATE
unset UNAME_r UNAME_m PAGER 2>/dev/null

# check NAME EXPECTED_STATUS EXPECTED_OUTPUT COMMAND...: stdout and stderr together.
check() {
	name=$1 want_status=$2 want=$3
	shift 3
	got=$("$@" 2>&1 </dev/null)
	status=$?
	if [ "$status" != "$want_status" ] || [ "$got" != "$want" ]; then
		failures=$((failures + 1))
		printf 'FAIL %s\n  command: %s\n  status: %s (expected %s)\n  output:\n%s\n  expected:\n%s\n' \
			"$name" "$*" "$status" "$want_status" "$got" "$want"
	fi
}

"$here/setup-host.sh" "$tmp/state" "$tmp/fs" --skel 14.1-RELEASE-p3 --jails web,db --running web \
	--mirror "$tmp/mirror" || { echo "FAIL setup-host.sh"; exit 1; }
fs=$(cd "$tmp/fs" && pwd -P)
root=$fs/var/jails
T='	'

# uname, sysctl, freebsd-version
check "uname default" 0 "FreeBSD" uname
check "uname -rm" 0 "14.1-RELEASE-p5 amd64" uname -rm
check "uname order" 0 "FreeBSD 14.1-RELEASE-p5 amd64" uname -mrs
check "uname UNAME_r" 0 "13.3-RELEASE" env UNAME_r=13.3-RELEASE uname -r
check "uname empty UNAME_r" 0 "" env UNAME_r= uname -r
check "uname bad flag" 1 "uname: illegal option -- z
usage: uname [-abiKmnoprsUv]" uname -z
check "sysctl vimage" 0 "1" sysctl -n kern.features.vimage
check "sysctl unknown" 1 "sysctl: unknown oid 'kern.nope'" sysctl -n kern.nope
check "freebsd-version -ku" 0 "14.1-RELEASE-p5
14.1-RELEASE-p5" freebsd-version -ku
check "freebsd-version order" 0 "14.1-RELEASE-p5
14.1-RELEASE-p5
14.1-RELEASE-p5" freebsd-version -urk
check "freebsd-version -j" 0 "14.1-RELEASE-p3" freebsd-version -j web
check "freebsd-version usage" 1 "Illegal option -x
usage: freebsd-version [-kru] [-j jail]" freebsd-version -x
check "skel freebsd-version" 0 "14.1-RELEASE-p3" "$root/skel/bin/freebsd-version" -u
check "skel kernel missing" 1 "freebsd-version: unable to locate kernel" "$root/skel/bin/freebsd-version" -k

# zfs and zpool
check "zfs name of path" 0 "zroot/jails" zfs get -H -o value name "$root"
check "zfs name of plain dir" 0 "zroot/jails" zfs get -H -o value name "$root/web.x/.." 
check "zfs path not zfs" 1 "'/tmp': not a ZFS filesystem" zfs get -H -o value name /tmp
check "zfs path missing" 1 "cannot open '/nope': No such file or directory" zfs get -H -o value name /nope
check "zfs list snapshot" 0 "zroot/jails/skel@created${T}0B${T}-${T}-" zfs list -H -o name,used,avail,mountpoint -t snapshot zroot/jails/skel
check "zfs canmount" 0 "noauto" zfs get -H -o value canmount zroot/jails/db
check "zfs list missing" 1 "cannot open 'zroot/nope': dataset does not exist" zfs list -H zroot/nope
check "zfs bad property" 2 "bad property list: invalid property 'foo'" sh -c 'zfs list -H -o foo 2>&1 | head -n 1; exit 2'
check "zfs create exists" 1 "cannot create 'zroot/jails/web': dataset already exists" zfs create zroot/jails/web
check "zfs create -p exists" 0 "" zfs create -p zroot/jails/web
check "zfs create no parent" 1 "cannot create 'zroot/x/y': parent does not exist" zfs create zroot/x/y
check "zfs create no pool" 1 "cannot create 'nopool/x': no such pool 'nopool'" zfs create nopool/x
check "zfs create" 0 "" zfs create zroot/jails/tmpds
check "zfs create made dir" 0 "" test -d "$root/tmpds"
check "zfs snapshot exists" 1 "cannot create snapshot 'zroot/jails/skel@created': dataset already exists" zfs snapshot zroot/jails/skel@created
check "zfs snapshot missing" 1 "cannot create snapshot 'zroot/nope@s': dataset does not exist" zfs snapshot zroot/nope@s
echo old >"$root/tmpds/file"
check "zfs snapshot" 0 "" zfs snapshot zroot/jails/tmpds@s1
echo new >"$root/tmpds/file"
check "zfs snapshot 2" 0 "" zfs snapshot zroot/jails/tmpds@s2
check "zfs rollback newer" 1 "cannot rollback to 'zroot/jails/tmpds@s1': more recent snapshots or bookmarks exist
use '-r' to force deletion of the following snapshots and bookmarks:
zroot/jails/tmpds@s2" zfs rollback zroot/jails/tmpds@s1
check "zfs rollback -r" 0 "" zfs rollback -r zroot/jails/tmpds@s1
check "zfs rollback restored" 0 "old" cat "$root/tmpds/file"
check "zfs destroy children" 1 "cannot destroy 'zroot/jails/tmpds': filesystem has children
use '-r' to destroy the following datasets:
zroot/jails/tmpds@s1" zfs destroy zroot/jails/tmpds
check "zfs destroy missing snap" 1 "could not find any snapshots to destroy; check snapshot names." zfs destroy zroot/jails/tmpds@nope
check "zfs destroy -r" 0 "" zfs destroy -r zroot/jails/tmpds
check "zfs destroy pool" 1 "cannot destroy 'zroot': operation does not apply to pools
use 'zfs destroy -r zroot' to destroy all datasets in the pool
use 'zpool destroy zroot' to destroy the pool itself" zfs destroy zroot
check "zfs umount not mounted" 1 "cannot unmount 'zroot/jails/db': not currently mounted" zfs umount zroot/jails/db
check "zfs mount db" 0 "" zfs mount zroot/jails/db
check "zfs mount again" 1 "cannot mount 'zroot/jails/db': filesystem already mounted" zfs mount zroot/jails/db
check "zfs umount db" 0 "" zfs umount zroot/jails/db
check "zfs set path" 1 "cannot open '/x': leading slash in name" zfs set canmount=on /x
check "zfs destroy busy" 1 "cannot unmount '$root/web/private': pool or dataset is busy" sh -c "mkdir -p '$tmp/faults' && echo '$root/web/private' >'$tmp/state/faults/umount-busy' && zfs destroy -r zroot/jails/web; s=\$?; rm -f '$tmp/state/faults/umount-busy'; exit \$s"
check "zpool list" 0 "zroot" sh -c 'zpool list -H -o name,size,alloc,free,cap,health | cut -f 1'
check "zpool missing" 1 "cannot open 'x': no such pool" zpool list -H x
: >"$tmp/state/faults/pool-full"
check "pool full create" 1 "cannot create 'zroot/jails/full': out of space" zfs create zroot/jails/full
check "pool full avail" 0 "0B" zfs get -H -o value avail zroot/jails
rm "$tmp/state/faults/pool-full"

# df, mount, umount
check "df -T type" 0 "zfs" sh -c "df -T '$root' | tail -n 1 | awk '{print \$2}'"
check "df -T nullfs" 0 "nullfs" sh -c "df -T '$root/web/etc' | tail -n 1 | awk '{print \$2}'"
check "mount -p zfs line" 0 "zroot/jails/skel${T}$root/skel zfs${T}rw,nfsv4acls ${T}0 0" sh -c "mount -p | grep '^zroot/jails/skel'"
check "umount busy nested" 1 "umount: unmount of $root/web failed: Device busy" umount "$root/web"
check "umount not root" 1 "umount: $root/db: not a file system root directory" umount "$root/db"
check "umount unknown" 1 "umount: x: unknown file system" umount x

# jail, jls, jexec
conf=$fs/etc/jail.conf.d
check "jls -j jid" 0 "1" jls -j web jid
check "jls -h path" 0 "path
$root/web" jls -j web -h path
check "jls missing" 1 'jls: jail "db" not found' jls -j db
check "jls unknown param" 1 "jls: unknown parameter: foo" jls foo
check "jls json" 0 "{\"__version\": \"2\", \"jail-information\": {\"jail\": [{\"jid\":1, \"ipv4\": \"\", \"hostname\": \"web\", \"path\": \"$root/web\"}]}}" jls --libxo json
check "jail already" 1 'jail: "web" already exists' jail -f "$conf/web.conf" -c web
check "jail not in conf" 1 'jail: "nope" not found' jail -f "$conf/web.conf" -c nope
check "jail -r not running" 1 'jail: "db" not found' jail -f "$conf/db.conf" -r db
check "jail start db" 0 "db: created" jail -f "$conf/db.conf" -c db
check "jexec db version" 0 "14.1-RELEASE-p3" jexec db freebsd-version
check "jexec status" 3 "" jexec db sh -c 'exit 3'
check "jexec missing cmd" 1 "jexec: execvp: nope-cmd: No such file or directory" jexec db nope-cmd
check "jexec missing jail" 1 'jexec: jail "zz" not found' jexec zz true
check "jexec user" 1 "jexec: bob: no such user" jexec -U bob db true
check "jexec usage" 1 "usage: jexec [-l] [-u username | -U username] jail [command ...]" jexec
check "jail stop db" 0 "db: removed" jail -f "$conf/db.conf" -r db
check "jail db mounts gone" 0 "" sh -c "mount -p | grep '$root/db' || true"
cat >"$tmp/bad.conf" <<CONF
# comment
path = "$root/\$name";
/* block comment */
bad { exec.prestart = "false"; mount.devfs; }
nopath { path = "/nonexistent/x"; }
CONF
mkdir -p "$root/bad/dev"
check "jail prestart fails" 1 "jail: bad: false: failed" jail -f "$tmp/bad.conf" -c bad
check "jail prestart undone" 0 "" sh -c "mount -p | grep '$root/bad' || true"
check "jail path missing" 1 "jail: nopath: path /nonexistent/x: No such file or directory" jail -f "$tmp/bad.conf" -c nopath

# pwd_mkdb, chflags, sha256, fetch
mkdir -p "$tmp/pw"
cp "$root/skel/skel/etc/master.passwd" "$tmp/pw/master.passwd"
check "pwd_mkdb -p" 0 "" pwd_mkdb -p -d "$tmp/pw" "$tmp/pw/master.passwd"
check "pwd_mkdb wrote" 0 "" test -f "$tmp/pw/pwd.db" -a -f "$tmp/pw/spwd.db" -a -f "$tmp/pw/passwd"
check "pwd_mkdb missing" 1 "pwd_mkdb: /x/master.passwd: No such file or directory" pwd_mkdb -d /x /x/master.passwd
printf 'root:x\n' >"$tmp/pw/bad"
check "pwd_mkdb format" 1 "pwd_mkdb: at line #1
pwd_mkdb: $tmp/pw/bad: Inappropriate file type or format" pwd_mkdb -C "$tmp/pw/bad"
check "pwd_mkdb usage" 1 "pwd_mkdb: illegal option -- z
usage: pwd_mkdb [-BCiLNp] [-d directory] [-s cachesize] [-u username] file" pwd_mkdb -z
check "chflags" 0 "" chflags -R noschg "$root/skel"
check "chflags missing" 1 "chflags: /nope: No such file or directory" chflags noschg /nope
mirror=$tmp/mirror/amd64/amd64/14.1-RELEASE
check "fetch file" 0 "" fetch -q -o "$tmp/base.txz" "file://$mirror/base.txz"
hash=$(cut -f 2 "$mirror/MANIFEST")
check "sha256 -q" 0 "$hash" sha256 -q "$tmp/base.txz"
check "sha256 -c ok" 0 "$hash" sha256 -q -c "$hash" "$tmp/base.txz"
check "sha256 missing" 1 "sha256: /nope: No such file or directory" sha256 -q /nope
check "base.txz version" 0 "14.1-RELEASE" sh -c "mkdir -p '$tmp/x' && tar -xJf '$tmp/base.txz' -C '$tmp/x' && '$tmp/x/bin/freebsd-version' -u"
check "fetch remote" 1 "fetch: http://ftp.freebsd.org/x: No address record" fetch -q -o "$tmp/y" http://ftp.freebsd.org/x
: >"$tmp/state/faults/fetch-corrupt"
fetch -q -o "$tmp/bad.txz" "file://$mirror/base.txz"
rm "$tmp/state/faults/fetch-corrupt"
check "sha256 -c mismatch" 2 "" sh -c "sha256 -q -c '$hash' '$tmp/bad.txz' >/dev/null"
echo "Not Found" >"$tmp/state/faults/fetch-fails"
check "fetch fault" 1 "fetch: file://$mirror/base.txz: Not Found" fetch -q -o "$tmp/z" "file://$mirror/base.txz"
rm "$tmp/state/faults/fetch-fails"

# freebsd-update
wd=$tmp/fu
mkdir -p "$wd"
printf 'Components world\nBackupKernel no\nKeyPrint %s\nServerName update.FreeBSD.org\n' \
	800651ef4b4c71c27e60786d7b487188970f4b4169cc055784e21eb71d410cc5 >"$tmp/fu.conf"
fu() { env PAGER=cat UNAME_r=14.1-RELEASE-p3 freebsd-update -b "$root/skel" -d "$wd" -f "$tmp/fu.conf" "$@"; }
check "fu no tty" 1 "freebsd-update fetch should not be run non-interactively.
Run freebsd-update cron instead." fu fetch
check "fu install nothing" 2 "No updates are available to install.
Run '$here/bin/freebsd-update fetch' first." fu install
check "fu updatesready none" 2 "No updates are available to install." fu updatesready
check "fu stable" 1 "freebsd-update: Cannot upgrade from a version that is not a release
(including alpha, beta and release candidates)
using freebsd-update. Instead, FreeBSD can be directly
upgraded by source or upgraded to a RELEASE/RELENG version
prior to running freebsd-update.
Currently running: 14.1-STABLE" env UNAME_r=14.1-STABLE freebsd-update -b "$root/skel" -d "$wd" -f "$tmp/fu.conf" --not-running-from-cron fetch
check "fu -r fetch" 1 "freebsd-update: -r option is meaningless with 'fetch' command.  (Did you mean 'upgrade' instead?)" fu --not-running-from-cron -r 14.2 fetch
check "fu bad conf" 1 "File does not exist or is not readable: /nope" freebsd-update -f /nope fetch
check "fu usage exit 0" 0 "usage: freebsd-update [options] command ... [path]" sh -c 'freebsd-update 2>&1 | head -n 1'
check "fu fetch install" 0 "14.1-RELEASE-p6" sh -c "$(printf '%s' "PAGER=cat UNAME_r=14.1-RELEASE-p3 freebsd-update -b '$root/skel' -d '$wd' -f '$tmp/fu.conf' --not-running-from-cron fetch install >/dev/null && '$root/skel/bin/freebsd-version' -u")"
check "fu up to date" 0 "
No updates needed to update system to 14.1-RELEASE-p6.
No updates are available to install." sh -c "PAGER=cat UNAME_r=14.1-RELEASE-p6 freebsd-update -b '$root/skel' -d '$wd' -f '$tmp/fu.conf' --not-running-from-cron fetch install | tail -n 3"
check "fu rollback" 0 "Uninstalling updates... done." fu rollback
check "fu rolled back" 0 "14.1-RELEASE-p3" "$root/skel/bin/freebsd-version" -u
: >"$tmp/state/faults/freebsd-update-install-fails"
fu --not-running-from-cron fetch >/dev/null
check "fu install fails" 1 "Installing updates...
install: $root/skel/lib/libc.so.7: No space left on device" fu install
rm "$tmp/state/faults/freebsd-update-install-fails"
check "fu partial pending" 1 "You have a partially completed upgrade pending
Run '$here/bin/freebsd-update install' first.
Run '$here/bin/freebsd-update fetch -F' to proceed anyway." fu --not-running-from-cron fetch
: >"$tmp/state/faults/freebsd-update-refuses"
check "fu refuses fault" 1 "freebsd-update fetch should not be run non-interactively.
Run freebsd-update cron instead." fu --not-running-from-cron fetch
rm "$tmp/state/faults/freebsd-update-refuses"

# service, sysrc, etcupdate
check "service running" 0 "sshd is running as pid 812." service sshd status
check "service not running" 1 "ntpd is not running." service ntpd status
check "service stop not running" 1 "ntpd not running? (check /var/run/ntpd.pid)." service ntpd stop
check "service missing" 1 "nope does not exist in /etc/rc.d or the local startup
directories (/usr/local/etc/rc.d), or is not executable" service nope status
check "sysrc set" 0 "sshd_enable: YES -> NO" sysrc sshd_enable=NO
check "sysrc new" 0 "jail_list:  -> web" sysrc -f "$tmp/rc.conf" jail_list=web
check "sysrc get -n" 0 "web" sysrc -f "$tmp/rc.conf" -n jail_list
check "sysrc unknown" 1 "sysrc: unknown variable 'nope_var'" sysrc -f "$tmp/rc.conf" nope_var
check "etcupdate" 0 "" etcupdate -D "$root/skel"

# call log
check "call log line" 0 "uname -rm${T}PWD=$(pwd) UNAME_r=14.2-RELEASE" sh -c "env UNAME_r=14.2-RELEASE uname -rm >/dev/null; tail -n 1 '$tmp/state/calls.log'"
check "call log quoting" 0 "jexec db sh -c 'exit 3'" sh -c "grep '^jexec db sh' '$tmp/state/calls.log' | cut -f 1"

if [ "$failures" -gt 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
