"""zpool list, mount, umount and df: the simulated host's file systems."""

import getopt
import os
import sys

import simstate as S

ROOT_DEVICE = "/dev/ada0p2"


def zpool_main(argv):
    host = S.Host("zpool", argv)
    if len(argv) < 2 or argv[1] not in ("list", "get", "status"):
        sys.stderr.write("usage: zpool command args ...\n")
        return 2
    zfs = host.zfs()
    if argv[1] == "status":
        return zpool_status(host, zfs, argv[2:])
    try:
        opts, rest = getopt.getopt(argv[2:], "Hpgo:LPvT:")
    except getopt.GetoptError as e:
        sys.stderr.write("invalid option '%s'\nusage:\n\tlist [-gHLpPv] [-o property[,...]] [-T d|u] [pool] ... [interval [count]]\n" % e.opt)
        return 2
    scripted = any(o == "-H" for o, _ in opts)
    parsable = any(o == "-p" for o, _ in opts)
    fields = ["name", "size", "alloc", "free", "ckpoint", "expandsz", "frag", "cap", "dedup", "health", "altroot"]
    for o, v in opts:
        if o == "-o":
            fields = v.split(",")
    known = ("name", "size", "alloc", "allocated", "free", "cap", "capacity", "health",
             "ckpoint", "expandsz", "frag", "fragmentation", "dedup", "dedupratio", "altroot")
    for f in fields:
        if f not in known:
            sys.stderr.write("bad property list: invalid property '%s'\n" % f)
            return 2
    pools = rest or sorted(zfs["pools"])
    status = 0
    rows = []
    for pool in pools:
        if pool not in zfs["pools"]:
            sys.stderr.write("cannot open '%s': no such pool\n" % pool)
            status = 1
            continue
        size, alloc, free = S.pool_usage(host, zfs, pool)
        cap = alloc * 100 // size if size else 0
        num = (lambda n: str(n)) if parsable else S.nicenum
        values = {
            "name": pool, "size": num(size), "alloc": num(alloc), "allocated": num(alloc),
            "free": num(free), "cap": str(cap) if parsable else "%d%%" % cap,
            "capacity": str(cap) if parsable else "%d%%" % cap,
            "health": zfs["pools"][pool].get("health", "ONLINE"), "ckpoint": "-", "expandsz": "-",
            "frag": "0" if parsable else "0%", "fragmentation": "0" if parsable else "0%",
            "dedup": "1.00" if parsable else "1.00x", "dedupratio": "1.00x", "altroot": "-",
        }
        rows.append([values[f] for f in fields])
    if not pools or (not rows and not rest):
        if not scripted:
            sys.stdout.write("no pools available\n")
        return status
    if scripted:
        for row in rows:
            sys.stdout.write("\t".join(row) + "\n")
    elif rows:
        header = [f.upper() for f in fields]
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(len(fields))]
        for row in [header] + rows:
            cells = [c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)]
            sys.stdout.write("  ".join(cells).rstrip() + "\n")
    return status


def zpool_status(host, zfs, args):
    pools = args or sorted(zfs["pools"])
    if not pools:
        sys.stdout.write("no pools available\n")
        return 0
    for pool in pools:
        if pool not in zfs["pools"]:
            sys.stderr.write("cannot open '%s': no such pool\n" % pool)
            return 1
        health = zfs["pools"][pool].get("health", "ONLINE")
        sys.stdout.write("  pool: %s\n state: %s\nconfig:\n\n\tNAME        STATE     READ WRITE CKSUM\n"
                         "\t%-11s %-9s     0     0     0\n\t  ada0p4    %-9s     0     0     0\n\n"
                         "errors: No known data errors\n" % (pool, health, pool, health, health))
    return 0


def options_text(m):
    return ",".join(m["opts"])


def all_mounts(host, mounts):
    root = {"dev": host.info.get("rootdev", ROOT_DEVICE), "mp": "/", "type": host.info.get("roottype", "ufs"),
            "opts": ["rw"]}
    return [root] + mounts


def pad(field, tabs_only=False):
    n = len(field)
    if n < 8:
        return field + "\t\t\t"
    if n < 16:
        return field + "\t\t"
    if n < 24:
        return field + "\t"
    return field + " "


def mount_p_line(m):
    if m["mp"] == "/" and m["type"] == "ufs":
        dump = "1 1"
    elif m["type"] == "ufs":
        dump = "2 2"
    else:
        dump = "0 0"
    opts = options_text(m)
    return pad(m["dev"]) + pad(m["mp"]) + m["type"] + "\t" + opts + ("\t" if len(opts) < 8 else " ") + "\t" + dump


def mount_main(argv):
    host = S.Host("mount", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "adflpruvwt:o:F:")
    except getopt.GetoptError:
        sys.stderr.write("usage: mount [-adflpruvw] [-F fstab] [-o options] [-t ufs | external_type]\n"
                         "       mount [-dfpruvw] special | node\n"
                         "       mount [-dfpruvw] [-o options] [-t ufs | external_type] special node\n")
        return 1
    flags = "".join(o[1] for o, _ in opts if o not in ("-t", "-o", "-F"))
    fstype = None
    options = []
    for o, v in opts:
        if o == "-t":
            fstype = v
        elif o == "-o":
            options.extend(x for x in v.split(",") if x)
    if "r" in flags:
        options.append("ro")
    host.lock()
    try:
        mounts = host.mounts()
        if not rest:
            listing = all_mounts(host, mounts)
            if "p" in flags:
                for m in listing:
                    sys.stdout.write(mount_p_line(m) + "\n")
            else:
                for m in listing:
                    extra = ", local" if m["type"] in ("zfs", "ufs") else ""
                    if "ro" in m["opts"]:
                        extra += ", read-only"
                    sys.stdout.write("%s on %s (%s%s)\n" % (m["dev"], m["mp"], m["type"], extra))
            return 0
        if len(rest) != 2 or fstype is None:
            sys.stderr.write("mount: only 'mount -t type special node' is simulated\n")
            return 1
        return do_mount(host, mounts, fstype, options, rest[0], rest[1])
    finally:
        host.unlock()


def do_mount(host, mounts, fstype, options, special, node):
    zfs = host.zfs()
    helper = "mount_" + fstype
    readonly = "ro" in options or "rdonly" in options
    target = S.norm(node)
    if not os.path.isdir(host.real(node, mounts, zfs)):
        sys.stderr.write("%s: %s: No such file or directory\n" % ("mount" if fstype in ("zfs", "devfs") else helper, node))
        return 1
    if fstype == "nullfs":
        if not os.path.exists(host.real(special, mounts, zfs)):
            sys.stderr.write("mount_nullfs: %s: No such file or directory\n" % special)
            return 1
        entry = {"dev": S.norm(special), "mp": target, "type": "nullfs", "opts": ["ro" if readonly else "rw"]}
    elif fstype == "devfs":
        entry = {"dev": "devfs", "mp": target, "type": "devfs", "opts": ["ro" if readonly else "rw"]}
        entry["opts"] += [o for o in options if o not in ("ro", "rw", "rdonly") and not o.startswith("ruleset")]
    elif fstype == "zfs":
        if special not in zfs["datasets"]:
            sys.stderr.write("mount: %s: No such file or directory\n" % special)
            return 1
        for m in mounts:
            if m["type"] == "zfs" and m["dev"] == special:
                sys.stderr.write("mount: %s: Device busy\n" % special)
                return 1
        entry = {"dev": special, "mp": target, "type": "zfs", "opts": ["ro" if readonly else "rw", "nfsv4acls"]}
    elif fstype in ("tmpfs", "fdescfs", "procfs"):
        entry = {"dev": fstype, "mp": target, "type": fstype, "opts": ["ro" if readonly else "rw"]}
    else:
        sys.stderr.write("mount: %s: Operation not supported by device\n" % special)
        return 1
    mounts.append(entry)
    host.save("mounts.json", mounts)
    return 0


def umount_main(argv):
    host = S.Host("umount", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "AafnvF:h:t:")
    except getopt.GetoptError:
        rest = []
    if not rest:
        sys.stderr.write("usage: umount [-fNnv] special ... | node ... | fsid ...\n"
                         "       umount -a | -A [-F fstab] [-fnv] [-h host] [-t type]\n")
        return 1
    host.lock()
    try:
        mounts = host.mounts()
        zfs = host.zfs()
        status = 0
        for arg in rest:
            entry = None
            for m in mounts:
                if m["mp"] == S.norm(arg) or m["dev"] == arg:
                    entry = m
            if entry is None:
                if arg.startswith("/") or os.path.exists(arg):
                    if os.path.exists(host.real(arg, mounts, zfs)):
                        sys.stderr.write("umount: %s: not a file system root directory\n" % arg)
                    else:
                        sys.stderr.write("umount: %s: statfs: No such file or directory\n" % arg)
                        sys.stderr.write("umount: %s: unknown file system\n" % arg)
                else:
                    sys.stderr.write("umount: %s: unknown file system\n" % arg)
                status = 1
                continue
            busy_paths = [S.norm(l) for l in (host.fault("umount-busy") or [])]
            below = [m for m in mounts if m is not entry and m["mp"].startswith(entry["mp"].rstrip("/") + "/")]
            if entry["mp"] in busy_paths or below:
                sys.stderr.write("umount: unmount of %s failed: Device busy\n" % entry["mp"])
                status = 1
                continue
            mounts.remove(entry)
        host.save("mounts.json", mounts)
        return status
    finally:
        host.unlock()


def df_main(argv):
    host = S.Host("df", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "abcgHhiklmnPTt:,")
    except getopt.GetoptError as e:
        sys.stderr.write("df: illegal option -- %s\nusage: df [-b | -g | -H | -h | -k | -m | -P] [-acilnT] [-t type] [-,]\n          [file | filesystem ...]\n" % e.opt)
        return 1
    flags = "".join(o[1] for o, _ in opts if o != "-t")
    show_type = "T" in flags
    block = 1024 if ("k" in flags or os.environ.get("BLOCKSIZE") in ("K", "1k", "1024")) else 512
    human = "h" in flags
    mounts = host.mounts()
    zfs = host.zfs()
    listing = all_mounts(host, mounts)
    status = 0
    chosen = []
    if rest:
        for path in rest:
            if not os.path.exists(host.real(path, mounts, zfs)):
                sys.stderr.write("df: %s: No such file or directory\n" % path)
                status = 1
                continue
            m = host.filesystem_of(path, mounts)
            chosen.append(m if m is not None else listing[0])
    else:
        chosen = listing
    rows = []
    for m in chosen:
        total, used, avail = usage_of(host, zfs, m)
        cap = "%d%%" % (used * 100 // (used + avail)) if used + avail else "100%"
        fmt = S.nicenum if human else (lambda n: str(n // block))
        row = [m["dev"]] + ([m["type"]] if show_type else []) + [fmt(total), fmt(used), fmt(avail), cap, m["mp"]]
        rows.append(row)
    header = ["Filesystem"] + (["Type"] if show_type else []) + \
        ["Size" if human else ("1K-blocks" if block == 1024 else "512-blocks"), "Used", "Avail", "Capacity", "Mounted on"]
    if chosen or not rest:
        widths = [max(len(header[i]), *(len(r[i]) for r in rows)) if rows else len(header[i]) for i in range(len(header))]
        for row in [header] + rows:
            cells = []
            for i, c in enumerate(row):
                if i == len(row) - 1:
                    cells.append(c)
                elif i <= (1 if show_type else 0):
                    cells.append(c.ljust(widths[i]))
                else:
                    cells.append(c.rjust(widths[i]))
            sys.stdout.write(" ".join(cells[:-1]) + "    " + cells[-1] + "\n")
    return status


def usage_of(host, zfs, m):
    if m["type"] == "zfs" and m["dev"] in zfs["datasets"]:
        pool = m["dev"].split("/")[0]
        _, _, free = S.pool_usage(host, zfs, pool)
        used = S.own_bytes(host, zfs, m["dev"])
        return used + free, used, free
    if m["type"] == "nullfs":
        source = host.filesystem_of(m["dev"])
        if source is not None and source is not m:
            return usage_of(host, zfs, source)
    if m["type"] in ("devfs", "fdescfs", "procfs"):
        return 1024, 1024, 0
    size = 20 << 30
    used = 4 << 30
    return size, used, size - used
