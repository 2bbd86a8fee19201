"""pwd_mkdb, fetch, service, sysrc and etcupdate."""

import getopt
import os
import shutil
import subprocess
import sys

import simstate as S

PWD_USAGE = "usage: pwd_mkdb [-BCiLNp] [-d directory] [-s cachesize] [-u username] file\n"


def pwd_mkdb_main(argv):
    host = S.Host("pwd_mkdb", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "BCiLNpd:s:u:")
    except getopt.GetoptError as e:
        sys.stderr.write("pwd_mkdb: illegal option -- %s\n" % e.opt + PWD_USAGE)
        return 1
    if len(rest) != 1:
        sys.stderr.write(PWD_USAGE)
        return 1
    flags = "".join(o[1] for o, _ in opts if o not in ("-d", "-s", "-u"))
    directory = "/etc"
    for o, v in opts:
        if o == "-d":
            directory = v.rstrip("/") or "/"
    source = rest[0]
    real_source = host.real(source)
    real_dir = host.real(directory)
    if not os.path.isfile(real_source):
        return S.err("pwd_mkdb", "%s: No such file or directory" % source)
    with open(real_source) as f:
        lines = f.read().split("\n")
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split(":")
        if len(fields) != 10 or not fields[0] or not fields[2].isdigit() or not fields[3].isdigit():
            sys.stderr.write("pwd_mkdb: at line #%d\n" % number)
            return S.err("pwd_mkdb", "%s: Inappropriate file type or format" % source)
        entries.append(fields)
    if "C" in flags:
        return 0
    if not os.path.isdir(real_dir):
        return S.err("pwd_mkdb", "%s/pwd.db.tmp: No such file or directory" % directory)
    if host.pool_full("zroot") and host.filesystem_of(directory) is not None:
        return S.err("pwd_mkdb", "%s/pwd.db.tmp: No space left on device" % directory)
    if "p" in flags:
        orig = real_source + ".orig"
        if os.path.exists(orig):
            return S.err("pwd_mkdb", "%s.orig: File exists" % source)
        with open(orig, "w") as f:
            for e in entries:
                f.write(":".join([e[0], "*", e[2], e[3], e[7], e[8], e[9]]) + "\n")
        os.replace(orig, os.path.join(real_dir, "passwd"))
    for name, mode, secure in (("pwd.db", 0o644, False), ("spwd.db", 0o600, True)):
        tmp = os.path.join(real_dir, name + ".tmp")
        with open(tmp, "w") as f:
            f.write("# simulated Berkeley DB placeholder written by pwd_mkdb\n")
            for e in entries:
                f.write("%s:%s:%s:%s\n" % (e[0], e[1] if secure else "*", e[2], e[3]))
        os.chmod(tmp, mode)
        os.replace(tmp, os.path.join(real_dir, name))
    destination = os.path.join(real_dir, "master.passwd")
    if os.path.abspath(real_source) != os.path.abspath(destination):
        os.replace(real_source, destination)
    return 0


def fetch_main(argv):
    host = S.Host("fetch", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "146AadFilMmnPpqRrsUvo:T:S:N:")
    except getopt.GetoptError as e:
        sys.stderr.write("fetch: illegal option -- %s\nusage: fetch [-146AadFilMmnPpqRrsUv] [-N netrc] [-o outputfile] [-S bytes] [-T seconds] URL ...\n" % e.opt)
        return 1
    flags = "".join(o[1] for o, _ in opts if o not in ("-o", "-T", "-S", "-N"))
    output = None
    for o, v in opts:
        if o == "-o":
            output = v
    if not rest:
        sys.stderr.write("usage: fetch [-146AadFilMmnPpqRrsUv] [-N netrc] [-o outputfile] [-S bytes] [-T seconds] URL ...\n")
        return 1
    status = 0
    for url in rest:
        destination = output
        name = url.rstrip("/").rsplit("/", 1)[-1]
        if destination is None:
            destination = name
        elif destination != "-" and os.path.isdir(host.real(destination)):
            destination = os.path.join(destination, name)
        failure = host.fault("fetch-fails")
        if failure is not None and (len(failure) < 2 or failure[1] in url):
            reason = failure[0] if failure else "Not Found"
            remove_partial(host, destination, flags)
            sys.stderr.write("fetch: %s: %s\n" % (url, reason))
            status = 1
            continue
        if not url.startswith("file://"):
            host_part = url.split("://", 1)[-1].split("/", 1)[0]
            remove_partial(host, destination, flags)
            sys.stderr.write("fetch: %s: No address record\n" % url if host_part else
                             "fetch: %s: Invalid URL\n" % url)
            status = 1
            continue
        source = url[len("file://"):]
        if not os.path.isfile(source):
            sys.stderr.write("fetch: %s: No such file or directory\n" % url)
            status = 1
            continue
        with open(source, "rb") as f:
            data = f.read()
        corrupt = host.fault("fetch-corrupt")
        if corrupt is not None and any(p in url for p in (corrupt or ["base.txz"])):
            data = data[:-64] + bytes(64) if len(data) > 64 else data + b"\0"
        if destination == "-":
            sys.stdout.buffer.write(data)
            continue
        real = host.real(destination)
        fs = host.filesystem_of(destination)
        if fs is not None and fs["type"] == "zfs" and host.pool_full(fs["dev"].split("/")[0]):
            sys.stderr.write("fetch: %s: No space left on device\n" % destination)
            status = 1
            continue
        try:
            with open(real, "wb") as f:
                f.write(data)
        except OSError as e:
            sys.stderr.write("fetch: %s: %s\n" % (destination, e.strerror))
            status = 1
            continue
        if "q" not in flags:
            sys.stderr.write("%-40s %8d  B %s\n" % (destination, len(data), "  10 MBps    00s"))
    return status


def remove_partial(host, destination, flags):
    if destination and destination != "-" and "R" not in flags:
        real = host.real(destination)
        if os.path.isfile(real):
            os.unlink(real)


# ------------------------------------------------------------------ service

SERVICES = ("sshd", "syslogd", "cron", "ntpd", "jail", "devd", "sendmail", "local_unbound")


def service_main(argv):
    host = S.Host("service", argv)
    args = argv[1:]
    jail = None
    if len(args) >= 2 and args[0] == "-j":
        jail = args[1]
        return subprocess.run(["jexec", "-l", jail, "/usr/sbin/service"] + args[2:]).returncode
    if len(args) == 1 and args[0] in ("-e", "-l", "-r"):
        for name in SERVICES:
            sys.stdout.write(("/etc/rc.d/" if args[0] != "-l" else "") + name + "\n")
        return 0
    if len(args) != 2:
        sys.stderr.write("usage: service [-j <jail name or id>] -e\n"
                         "       service [-j <jail name or id>] -R\n"
                         "       service [-j <jail name or id>] [-v] -l | -r\n"
                         "       service [-j <jail name or id>] [-v] <rc.d script> start|stop|etc.\n"
                         "       service -h\n")
        return 1
    name, action = args
    if name not in SERVICES:
        sys.stderr.write("%s does not exist in /etc/rc.d or the local startup\n"
                         "directories (/usr/local/etc/rc.d), or is not executable\n" % name)
        return 1
    context = os.environ.get("FREEBSD_SIM_JAIL", "")
    path = os.path.join(host.dir, "services" + ("." + context if context else ""))
    running = S.read_keyvalues(path)
    pid = running.get(name)
    one = action.startswith("one")
    verb = action[3:] if one else action
    enabled = rc_enabled(host, name)
    if verb in ("start", "stop", "restart", "status") and not one and not enabled and host.info.get("rcsubr", "") == "old":
        sys.stdout.write("Cannot '%s' %s. Set %s_enable to YES in /etc/rc.conf or use 'one%s' instead of '%s'.\n"
                         % (verb, name, name, verb, verb))
        return 0
    if verb == "status":
        if pid:
            sys.stdout.write("%s is running as pid %s.\n" % (name, pid))
            return 0
        sys.stdout.write("%s is not running.\n" % name)
        return 1
    if verb in ("stop", "restart"):
        if not pid and verb == "stop":
            sys.stderr.write("%s not running? (check /var/run/%s.pid).\n" % (name, name))
            return 1
        running.pop(name, None)
        if pid:
            sys.stdout.write("Stopping %s.\nWaiting for PIDS: %s.\n" % (name, pid))
    if verb in ("start", "restart"):
        if pid and verb == "start":
            sys.stderr.write("%s already running?   (pid=%s).\n" % (name, pid))
            return 1
        running[name] = str(1000 + len(name) * 7 + len(running))
        sys.stdout.write("Starting %s.\n" % name)
    if verb not in ("start", "stop", "restart", "status", "enable", "disable"):
        sys.stderr.write("/etc/rc.d/%s: unknown directive '%s'.\n" % (name, action))
        return 1
    S.write_keyvalues(path, running)
    return 0


def rc_enabled(host, name):
    values = read_rc(os.path.join(host.fsroot, "etc", "rc.conf"))
    return values.get(name + "_enable", "NO").upper() == "YES"


# -------------------------------------------------------------------- sysrc

def rc_defaults():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rc.conf.defaults")
    return read_rc(path)


def read_rc(path):
    values = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#") or "=" not in line:
                    continue
                key, value = line.split("=", 1)
                value = value.split("#")[0].strip() if not value.startswith('"') else value
                values[key.strip()] = value.strip().strip('"')
    except OSError:
        pass
    return values


def write_rc(path, key, value):
    lines = []
    found = False
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError:
        pass
    for i, line in enumerate(lines):
        if line.strip().startswith(key + "="):
            lines[i] = '%s="%s"' % (key, value)
            found = True
    if not found:
        lines.append('%s="%s"' % (key, value))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def sysrc_main(argv):
    host = S.Host("sysrc", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "f:nj:R:xqv")
    except getopt.GetoptError:
        sys.stderr.write("usage: sysrc [-cDdEeFhinNqvx] [-s name] [-f file] [-j jail|-R dir] name[[+|-]=value] ...\n")
        return 1
    flags = "".join(o[1] for o, _ in opts if o not in ("-f", "-j", "-R"))
    path = None
    root = "/"
    for o, v in opts:
        if o == "-f":
            path = v
        elif o == "-R":
            root = v
        elif o == "-j":
            table = host.jails()["running"]
            jail = table.get(v) or next((j for j in table.values() if str(j["jid"]) == v), None)
            if jail is None:
                return S.err("sysrc", "%s: No such jail" % v)
            root = jail["path"]
    if path is None:
        path = os.path.join(host.fsroot, "etc", "rc.conf") if root == "/" else os.path.join(root, "etc", "rc.conf")
    real = host.real(path)
    if os.path.islink(real) and os.readlink(real).startswith("/") and root != "/":
        real = host.real(root + os.readlink(real))
    status = 0
    for arg in rest:
        values = read_rc(real)
        defaults = rc_defaults()
        for operator in ("+=", "-=", "="):
            if operator in arg:
                key, value = arg.split(operator, 1)
                break
        else:
            key, operator, value = arg, None, None
        if operator is None:
            if key in values:
                current = values[key]
            elif key in defaults:
                current = defaults[key]
            else:
                sys.stderr.write("sysrc: unknown variable '%s'\n" % key)
                status = 1
                continue
            sys.stdout.write((current if "n" in flags else "%s: %s" % (key, current)) + "\n")
            continue
        old = values.get(key, defaults.get(key))
        words = (old or "").split()
        if operator == "+=":
            new = " ".join(words + [w for w in value.split() if w not in words])
        elif operator == "-=":
            new = " ".join(w for w in words if w not in value.split())
        else:
            new = value
        write_rc(real, key, new)
        if "q" not in flags:
            sys.stdout.write("%s: %s -> %s\n" % (key, old, new) if old is not None else "%s:  -> %s\n" % (key, new))
    return status


# ---------------------------------------------------------------- etcupdate

def etcupdate_main(argv):
    host = S.Host("etcupdate", argv)
    args = argv[1:]
    mode = "update"
    if args and args[0] in ("extract", "status", "diff", "resolve", "revert", "build"):
        mode = args.pop(0)
    try:
        opts, rest = getopt.getopt(args, "BFnpD:d:m:s:t:rA:I:L:M:")
    except getopt.GetoptError:
        sys.stderr.write("usage: etcupdate [-npBF] [-d workdir] [-r | -s source | -t tarball]\n"
                         "                 [-A patterns] [-D destdir] [-I patterns] [-L logfile]\n"
                         "                 [-M options] [-m make]\n")
        return 1
    destdir = "/"
    for o, v in opts:
        if o == "-D":
            destdir = v
    real = host.real(destdir) if destdir != "/" else host.fsroot
    if not os.path.isdir(real):
        sys.stderr.write("etcupdate: %s: No such file or directory\n" % destdir)
        return 1
    workdir = os.path.join(real, "var", "db", "etcupdate")
    conflicts_file = os.path.join(workdir, "conflicts.sim")
    try:
        os.makedirs(workdir, exist_ok=True)
    except OSError:
        pass
    existing = []
    if os.path.exists(conflicts_file):
        with open(conflicts_file) as f:
            existing = [l.strip() for l in f if l.strip()]
    if mode == "status":
        for path in existing:
            sys.stdout.write("  C %s\n" % path)
        return 0
    if mode == "resolve":
        if os.path.exists(conflicts_file):
            os.unlink(conflicts_file)
        return 0
    if mode in ("diff", "revert", "build", "extract"):
        return 0
    if existing:
        sys.stderr.write("Conflicts remain from previous update, aborting.\n")
        return 1
    injected = host.fault("etcupdate-conflicts")
    if injected:
        with open(conflicts_file, "w") as f:
            f.write("\n".join(injected) + "\n")
        for path in injected:
            sys.stdout.write("  C %s\n" % path)
        sys.stdout.write("Warnings:\n  Conflicts remain from this update.\n")
    return 0
