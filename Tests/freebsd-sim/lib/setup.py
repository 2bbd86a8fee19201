"""Initialises one simulated host: state folder, file system root, pool, skel, jails, mirror."""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simstate as S  # noqa: E402

DUPED_FILES = ("etc/passwd", "etc/master.passwd", "etc/group", "etc/hosts", "etc/login.conf", "etc/motd")
SYMLINKED_FILES = ("root", "etc/make.conf", "etc/spwd.db", "etc/pwd.db", "etc/login.conf.db") + tuple(
    "etc/ssh/ssh_host_%s_key%s" % (k, s) for k in ("ecdsa", "ed25519", "rsa") for s in ("", ".pub"))
SYMLINKED_PATHS = ("etc/rc.conf.d", "home", "usr/local", "tmp", "var", "mnt")
MIRROR_RELEASES = ("13.3-RELEASE", "13.4-RELEASE", "14.1-RELEASE", "14.2-RELEASE")
CATALOG = ("latest 13.3-RELEASE-p8", "latest 13.4-RELEASE-p3", "latest 14.1-RELEASE-p6",
           "latest 14.2-RELEASE-p1", "eol 13.2-RELEASE", "eol 13.3-RELEASE")

FREEBSD_VERSION = """#!/bin/sh
# freebsd-version: print the installed userland, the installed or the running kernel.
# The userland version is written into this script when the world is built.
USERLAND_VERSION="%s"

: ${ROOT:=}
usage() {
	echo "usage: freebsd-version [-kru] [-j jail]" >&2
	exit 1
}
kernel_version() {
	kernel="$ROOT/boot/kernel/kernel"
	if [ ! -f "$kernel" ]; then
		echo "freebsd-version: unable to locate kernel" >&2
		exit 1
	fi
	sed -n 's/^@(#)FreeBSD \\([^ ]*\\) .*/\\1/p' "$kernel" | head -n 1
}
opt_k= opt_r= opt_u= jails=
while getopts kruj: option; do
	case $option in
	k) opt_k=1 ;;
	r) opt_r=1 ;;
	u) opt_u=1 ;;
	j) jails="$jails $OPTARG" ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] && usage
[ -z "$opt_k$opt_r$opt_u$jails" ] && opt_u=1
[ -n "$opt_k" ] && kernel_version
[ -n "$opt_r" ] && sysctl -n kern.osrelease
[ -n "$opt_u" ] && echo "$USERLAND_VERSION"
for jail in $jails; do
	jexec -- "$jail" freebsd-version || exit 1
done
exit 0
"""

MASTER_PASSWD = """# $FreeBSD$
#
root::0:0::0:0:Charlie &:/root:/bin/sh
toor:*:0:0::0:0:Bourne-again Superuser:/root:
daemon:*:1:1::0:0:Owner of many system processes:/root:/usr/sbin/nologin
operator:*:2:5::0:0:System &:/:/usr/sbin/nologin
bin:*:3:7::0:0:Binaries Commands and Source:/:/usr/sbin/nologin
sshd:*:22:22::0:0:Secure Shell Daemon:/var/empty:/usr/sbin/nologin
www:*:80:80::0:0:World Wide Web Owner:/nonexistent:/usr/sbin/nologin
nobody:*:65534:65534::0:0:Unprivileged user:/nonexistent:/usr/sbin/nologin
"""
GROUP = "wheel:*:0:root\ndaemon:*:1:\noperator:*:5:root\nbin:*:7:\nsshd:*:22:\nwww:*:80:\nnobody:*:65534:\n"


def passwd_text():
    lines = []
    for line in MASTER_PASSWD.splitlines():
        if line.startswith("#") or not line:
            lines.append(line)
            continue
        f = line.split(":")
        lines.append(":".join([f[0], "*", f[2], f[3], f[7], f[8], f[9]]))
    return "\n".join(lines) + "\n"


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def build_userland(root, version):
    """Writes a small base system: the dirs, freebsd-version, etc/ and rc scripts."""
    for d in ("bin", "sbin", "boot", "dev", "lib", "libexec", "usr/bin", "usr/sbin", "usr/lib",
              "usr/local", "usr/share", "etc/ssh", "etc/rc.d", "etc/rc.conf.d", "var/log", "var/run",
              "var/db", "var/empty", "root", "home", "tmp", "mnt", "media", "proc", "rescue"):
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.chmod(os.path.join(root, "tmp"), 0o1777)
    write(os.path.join(root, "bin/freebsd-version"), FREEBSD_VERSION % version, 0o555)
    write(os.path.join(root, "etc/master.passwd"), MASTER_PASSWD, 0o600)
    write(os.path.join(root, "etc/passwd"), passwd_text())
    write(os.path.join(root, "etc/group"), GROUP)
    write(os.path.join(root, "etc/hosts"), "::1\t\t\tlocalhost localhost.my.domain\n127.0.0.1\t\tlocalhost localhost.my.domain\n")
    write(os.path.join(root, "etc/login.conf"), "default:\\\n\t:path=/sbin /bin /usr/sbin /usr/bin:\\\n\t:umask=022:\n")
    write(os.path.join(root, "etc/motd"), "FreeBSD %s\n" % version)
    write(os.path.join(root, "etc/rc.conf"), "")
    write(os.path.join(root, "etc/rc"), "#!/bin/sh\n# System startup script run by init at boot.\nexit 0\n", 0o555)
    write(os.path.join(root, "etc/rc.shutdown"), "#!/bin/sh\n# Run by init at shutdown.\nexit 0\n", 0o555)
    write(os.path.join(root, "COPYRIGHT"), "Copyright (c) The FreeBSD Project\n")


def finish_skel(skel):
    """Leaves the skel as the product's skel-finish step does: per-jail files and the
    per-jail directories (with their stock content) move into the template folder skel/skel,
    and every per-jail path becomes a link to /private/<path>."""
    os.makedirs(os.path.join(skel, "private"), exist_ok=True)
    template = os.path.join(skel, "skel")
    for path in DUPED_FILES:
        target = os.path.join(template, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.move(os.path.join(skel, path), target)
    for path in tuple(SYMLINKED_PATHS) + ("root",):
        full = os.path.join(skel, path)
        target = os.path.join(template, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.move(full, target)
        else:
            if os.path.lexists(full):
                os.unlink(full)
            os.makedirs(target, exist_ok=True)
    for path in DUPED_FILES + SYMLINKED_FILES + SYMLINKED_PATHS:
        full = os.path.join(skel, path)
        if os.path.isdir(full) and not os.path.islink(full):
            shutil.rmtree(full)
        elif os.path.lexists(full):
            os.unlink(full)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        os.symlink("/private/" + path, full)


def sim(state, env_extra, *argv):
    env = dict(os.environ, FREEBSD_SIM_STATE=state, FREEBSD_SIM_NOLOG="1")
    env.update(env_extra)
    bin_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bin")
    env["PATH"] = os.path.normpath(bin_dir) + ":" + env.get("PATH", "/usr/bin:/bin")
    result = subprocess.run(list(argv), env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write("setup-host: %s failed: %s%s" % (" ".join(argv), result.stdout, result.stderr))
        sys.exit(1)
    return result.stdout


def jail_conf(fsroot, name, jid, use_zfs):
    root = os.path.join(fsroot, "var", "jails")
    path = os.path.join(root, name)
    lines = ["%s {" % name,
             '\thost.hostname = "%s";' % name,
             '\tpath = "%s";' % path,
             "\tjid = %d;" % jid,
             "\tpersist;",
             "\tmount.nodevfs;",
             '\texec.prestart = "mount -t nullfs -o ro %s/skel %s";' % (root, path),
             '\texec.prestart += "mount -t devfs devfs %s/dev";' % path]
    if use_zfs:
        lines.append('\texec.prestart += "mount -t zfs zroot/jails/%s %s/private";' % (name, path))
    else:
        lines.append('\texec.prestart += "mount -t nullfs %s/private %s/private";' % (path + ".private", path))
    lines += ['\texec.start = "/bin/sh /etc/rc";',
              '\texec.stop = "/bin/sh /etc/rc.shutdown";',
              '\texec.poststop = "umount %s/private";' % path,
              '\texec.poststop += "umount %s/dev";' % path,
              '\texec.poststop += "umount %s";' % path,
              "}"]
    return "\n".join(lines) + "\n"


def create_jail(state, fsroot, name, jid, use_zfs):
    root = os.path.join(fsroot, "var", "jails")
    path = os.path.join(root, name)
    if use_zfs:
        sim(state, {}, "zfs", "create", "zroot/jails/" + name)
        private = path
    else:
        private = path + ".private"
        os.makedirs(private, exist_ok=True)
        os.makedirs(path, exist_ok=True)
    template = os.path.join(root, "skel", "skel")
    for d in SYMLINKED_PATHS + ("root",):
        shutil.copytree(os.path.join(template, d), os.path.join(private, d), symlinks=True,
                        dirs_exist_ok=True)
    for d in ("etc/ssh", "var/log", "var/run"):
        os.makedirs(os.path.join(private, d), exist_ok=True)
    os.chmod(os.path.join(private, "tmp"), 0o1777)
    for f in DUPED_FILES:
        shutil.copy2(os.path.join(root, "skel", "skel", f), os.path.join(private, f))
    sim(state, {}, "pwd_mkdb", "-d", os.path.join(private, "etc"), os.path.join(private, "etc", "master.passwd"))
    write(os.path.join(private, "etc", "make.conf"), "WRKDIRPREFIX?=\t/tmp\n")
    if use_zfs:
        sim(state, {}, "zfs", "umount", "zroot/jails/" + name)
        sim(state, {}, "zfs", "set", "canmount=noauto", "zroot/jails/" + name)
    write(os.path.join(fsroot, "etc", "jail.conf.d", name + ".conf"), jail_conf(fsroot, name, jid, use_zfs))


def build_mirror(mirror, arch, releases):
    """Builds release sets in the layout of the FreeBSD mirrors:
    <mirror>/<uname -m>/<uname -p>/<release>/base.txz and MANIFEST."""
    processor = "aarch64" if arch == "arm64" else arch
    for release in releases:
        directory = os.path.join(mirror, arch, processor, release)
        os.makedirs(directory, exist_ok=True)
        tree = os.path.join(directory, ".tree")
        shutil.rmtree(tree, ignore_errors=True)
        build_userland(tree, release)
        archive = os.path.join(directory, "base.txz")
        with tarfile.open(archive, "w:xz") as tar:
            tar.add(tree, arcname=".", filter=lambda info: reset_owner(info))
        with tarfile.open(archive, "r:xz") as tar:
            count = len(tar.getmembers())
        shutil.rmtree(tree)
        with open(archive, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        with open(os.path.join(directory, "MANIFEST"), "w") as f:
            f.write('base.txz\t%s\t%d\tbase\t"Base system (MANDATORY)"\ton\n' % (digest, count))


def reset_owner(info):
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    info.mtime = 1700000000
    return info


def main():
    parser = argparse.ArgumentParser(prog="setup-host.sh")
    parser.add_argument("state")
    parser.add_argument("fsroot")
    parser.add_argument("--release", default="14.1-RELEASE-p5")
    parser.add_argument("--userland", help="installed userland version (default: --release)")
    parser.add_argument("--arch", default="amd64")
    parser.add_argument("--hostname", default="fleet-host")
    parser.add_argument("--skel", metavar="VERSION")
    parser.add_argument("--jails", default="")
    parser.add_argument("--running", default="")
    parser.add_argument("--no-zfs", action="store_true")
    parser.add_argument("--mirror", metavar="DIR")
    parser.add_argument("--pool-size", default=str(20 << 30), help="pool size in bytes")
    parser.add_argument("--latest", action="append", default=[],
                        help="RELEASE-pN that the update server offers (repeatable)")
    args = parser.parse_args()
    state = os.path.realpath(args.state)
    fsroot = os.path.realpath(args.fsroot)
    os.makedirs(state, exist_ok=True)
    os.makedirs(os.path.join(state, "faults"), exist_ok=True)
    for d in ("etc/jail.conf.d", "var/db/minijail-fleet", "var/db/freebsd-update", "var/jails"):
        os.makedirs(os.path.join(fsroot, d), exist_ok=True)
    machine_arch = {"arm64": "aarch64", "amd64": "amd64", "i386": "i386"}.get(args.arch, args.arch)
    major, minor = args.release.split("-")[0].split(".")[:2]
    osreldate = "%d%02d000" % (int(major), int(minor))
    S.write_keyvalues(os.path.join(state, "host"), {
        "fsroot": fsroot, "userland": args.userland or args.release, "kernel": args.release,
        "roottype": "ufs"})
    S.write_keyvalues(os.path.join(state, "sysctl"), {
        "kern.ostype": "FreeBSD", "kern.osrelease": args.release, "kern.hostname": args.hostname,
        "kern.version": "FreeBSD %s GENERIC" % args.release, "kern.ident": "GENERIC",
        "kern.osreldate": osreldate, "user.freebsd_version": osreldate,
        "kern.build_id": "00000000000000000000000000000000", "hw.machine": args.arch,
        "hw.machine_arch": machine_arch, "hw.ncpu": "4", "kern.features.vimage": "1",
        "kern.securelevel": "-1", "kern.bootfile": "/boot/kernel/kernel"})
    with open(os.path.join(state, "update-catalog"), "w") as f:
        f.write("\n".join(CATALOG + tuple("latest " + l for l in args.latest)) + "\n")
    with open(os.path.join(fsroot, "etc", "freebsd-update.conf"), "w") as f:
        f.write("KeyPrint 800651ef4b4c71c27e60786d7b487188970f4b4169cc055784e21eb71d410cc5\n"
                "ServerName update.FreeBSD.org\nComponents src world kernel\n"
                "IgnorePaths\nIDSIgnorePaths /usr/share/man/cat\nIDSIgnorePaths /usr/share/man/whatis\n"
                "IDSIgnorePaths /var/db/locate.database\nIDSIgnorePaths /var/log\n"
                "UpdateIfUnmodified /etc/ /var/ /root/ /.cshrc /.profile\n"
                "MergeChanges /etc/ /boot/device.hints\n")
    write(os.path.join(fsroot, "etc", "rc.conf"), 'hostname="%s"\nsshd_enable="YES"\nzfs_enable="YES"\n' % args.hostname)
    S.write_keyvalues(os.path.join(state, "services"), {"sshd": "812"})
    import json
    zfs = {"pools": {}, "datasets": {}, "snapshots": {}, "txg": 1}
    mounts = []
    if not args.no_zfs:
        now = int(time.time())
        zfs["pools"]["zroot"] = {"size": int(args.pool_size), "health": "ONLINE"}
        zfs["datasets"]["zroot"] = {"props": {"mountpoint": os.path.join(fsroot, "zroot")}, "txg": 1, "creation": now}
        zfs["datasets"]["zroot/jails"] = {"props": {"mountpoint": os.path.join(fsroot, "var", "jails")}, "txg": 2, "creation": now}
        zfs["txg"] = 2
        os.makedirs(os.path.join(fsroot, "zroot"), exist_ok=True)
        mounts = [{"dev": "zroot", "mp": os.path.join(fsroot, "zroot"), "type": "zfs", "opts": ["rw", "nfsv4acls"]},
                  {"dev": "zroot/jails", "mp": os.path.join(fsroot, "var", "jails"), "type": "zfs", "opts": ["rw", "nfsv4acls"]}]
    for name, value in (("zfs.json", zfs), ("mounts.json", mounts), ("jails.json", {"running": {}, "lastjid": 0})):
        with open(os.path.join(state, name), "w") as f:
            json.dump(value, f, indent=1, sort_keys=True)
    open(os.path.join(state, "calls.log"), "w").close()
    jails = [j for j in args.jails.split(",") if j]
    if jails and not args.skel:
        parser.error("--jails needs --skel")
    if args.skel:
        skel = os.path.join(fsroot, "var", "jails", "skel")
        if not args.no_zfs:
            sim(state, {}, "zfs", "create", "-p", "zroot/jails/skel")
        build_userland(skel, args.skel)
        finish_skel(skel)
        if not args.no_zfs:
            sim(state, {}, "zfs", "snapshot", "zroot/jails/skel@created")
    for jid, name in enumerate(jails, 1):
        create_jail(state, fsroot, name, jid, not args.no_zfs)
    for name in [r for r in args.running.split(",") if r]:
        sim(state, {}, "jail", "-f", os.path.join(fsroot, "etc", "jail.conf.d", name + ".conf"), "-c", name)
    if args.mirror:
        build_mirror(os.path.realpath(args.mirror), args.arch, MIRROR_RELEASES)
    open(os.path.join(state, "calls.log"), "w").close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
