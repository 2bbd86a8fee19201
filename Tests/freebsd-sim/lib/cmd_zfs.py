"""zfs(8) subset: create, destroy, list, get, set, snapshot, rollback, mount, umount."""

import getopt
import os
import shutil
import sys
import time

import simstate as S

USAGE = {
    "create": "\tcreate [-Pnpuv] [-o property=value] ... <filesystem>",
    "destroy": "\tdestroy [-fnpRrv] <filesystem|volume>\n"
               "\tdestroy [-dnpRrv] <filesystem|volume>@<snap>[%<snap>][,...]",
    "list": "\tlist [-Hp] [-r|-d max] [-o property[,...]] [-s property]...\n"
            "\t    [-S property]... [-t type[,...]] [filesystem|volume|snapshot] ...",
    "get": "\tget [-rHp] [-d max] [-o \"all\" | field[,...]]\n"
           "\t    [-t type[,...]] [-s source[,...]]\n"
           "\t    <\"all\" | property[,...]> [filesystem|volume|snapshot|bookmark] ...",
    "set": "\tset [-u] <property=value> ... <filesystem|volume|snapshot> ...",
    "snapshot": "\tsnapshot [-r] [-o property=value] ... <filesystem|volume>@<snap> ...",
    "rollback": "\trollback [-rRf] <snapshot>",
    "mount": "\tmount\n\tmount [-flvO] [-o opts] <-a | filesystem>",
    "umount": "\tunmount [-fu] <-a | filesystem|mountpoint>",
}
PROPERTIES = ("name", "type", "used", "available", "avail", "referenced", "refer",
              "mountpoint", "canmount", "mounted", "quota", "origin", "creation",
              "compression", "readonly", "atime")
SETTABLE = ("mountpoint", "canmount", "quota", "compression", "readonly", "atime")
DEFAULTS = {"canmount": "on", "quota": "none", "compression": "off", "readonly": "off",
            "atime": "on"}


class Usage(Exception):
    pass


def usage(sub, extra=None):
    if extra:
        sys.stderr.write(extra + "\n")
    sys.stderr.write("usage:\n%s\n" % USAGE.get(sub, "\t" + sub))
    if sub in ("get", "set", "list"):
        sys.stderr.write("\nThe following properties are supported:\n\n\tPROPERTY       EDIT  INHERIT   VALUES\n")
    return 2


def main(argv):
    host = S.Host("zfs", argv)
    if len(argv) < 2:
        sys.stderr.write("usage: zfs command args ...\n")
        return 2
    sub = argv[1]
    sub = {"unmount": "umount", "snap": "snapshot"}.get(sub, sub)
    handler = globals().get("cmd_" + sub)
    if handler is None:
        sys.stderr.write("unrecognized command '%s'\nusage: zfs command args ...\n" % argv[1])
        return 2
    host.lock()
    try:
        return handler(host, sub, argv[2:])
    except getopt.GetoptError as e:
        return usage(sub, "invalid option '%s'" % e.opt)
    finally:
        host.unlock()


def is_path(arg):
    return arg.startswith("/") or arg.startswith("./")


def resolve_dataset(host, zfs, arg):
    """Returns (dataset name, error message) for a dataset name or a path inside a dataset."""
    if is_path(arg):
        mounts = host.mounts()
        if not os.path.exists(host.real(arg, mounts, zfs)):
            return None, "cannot open '%s': No such file or directory" % arg
        m = host.filesystem_of(arg, mounts)
        if m is None or m["type"] != "zfs":
            return None, "'%s': not a ZFS filesystem" % arg
        return m["dev"], None
    if arg not in zfs["datasets"] and arg not in zfs["snapshots"]:
        return None, "cannot open '%s': dataset does not exist" % arg
    return arg, None


def mounted_at(mounts, name):
    for m in mounts:
        if m["type"] == "zfs" and m["dev"] == name:
            return m
    return None


def busy(host, mounts, entry):
    """True when a mount sits below `entry` or a fault marks its mount point busy."""
    mp = entry["mp"]
    for m in mounts:
        if m is not entry and m["mp"].startswith(mp.rstrip("/") + "/"):
            return True
    lines = host.fault("umount-busy") or []
    return mp in [S.norm(l) for l in lines] or entry["dev"] in lines


def do_mount(host, zfs, mounts, name, where=None):
    home = S.dataset_home(host, zfs, name)
    os.makedirs(home, exist_ok=True)
    mp = S.norm(where) if where else home
    mounts.append({"dev": name, "mp": mp, "type": "zfs", "opts": ["rw", "nfsv4acls"]})


def cmd_create(host, sub, args):
    opts, rest = getopt.getopt(args, "Pnpuvo:")
    parents = any(o == "-p" for o, _ in opts)
    props = {}
    for o, v in opts:
        if o == "-o":
            if "=" not in v:
                return usage(sub, "missing '=' for property=value argument")
            key, value = v.split("=", 1)
            props[key] = value
    if len(rest) != 1:
        return usage(sub, "missing filesystem argument" if not rest else "too many arguments")
    name = rest[0]
    zfs = host.zfs()
    pool = name.split("/")[0]
    if "@" in name or name.startswith("/") or name.endswith("/") or "//" in name:
        return plain("cannot create '%s': invalid dataset name" % name)
    if pool not in zfs["pools"]:
        return plain("cannot create '%s': no such pool '%s'" % (name, pool))
    if name in zfs["datasets"]:
        return 0 if parents else plain("cannot create '%s': dataset already exists" % name)
    parent = name.rsplit("/", 1)[0]
    if parent not in zfs["datasets"] and not parents:
        return plain("cannot create '%s': parent does not exist" % name)
    for key in props:
        if key not in SETTABLE and ":" not in key:
            return plain("cannot create '%s': invalid property '%s'" % (name, key))
    if props.get("canmount", "on") not in ("on", "off", "noauto"):
        return plain("cannot create '%s': 'canmount' must be one of 'on | off | noauto'" % name)
    if host.pool_full(pool):
        return plain("cannot create '%s': out of space" % name)
    mounts = host.mounts()
    parts = name.split("/")
    for i in range(2, len(parts) + 1):
        ds = "/".join(parts[:i])
        if ds in zfs["datasets"]:
            continue
        zfs["txg"] += 1
        zfs["datasets"][ds] = {"props": dict(props) if ds == name else {}, "txg": zfs["txg"],
                               "creation": int(time.time())}
        value, _ = S.mountpoint_of(zfs, ds)
        canmount = zfs["datasets"][ds]["props"].get("canmount", "on")
        home = S.dataset_home(host, zfs, ds)
        os.makedirs(home, exist_ok=True)
        if value.startswith("/") and canmount == "on":
            do_mount(host, zfs, mounts, ds)
    host.save("zfs.json", zfs)
    host.save("mounts.json", mounts)
    return 0


def plain(message, code=1):
    sys.stderr.write(message + "\n")
    return code


def cmd_destroy(host, sub, args):
    opts, rest = getopt.getopt(args, "fnpRrvd")
    flags = "".join(o[1] for o, _ in opts)
    if len(rest) != 1:
        return usage(sub, "missing dataset argument" if not rest else "too many arguments")
    target = rest[0]
    zfs = host.zfs()
    mounts = host.mounts()
    if "@" in target:
        return destroy_snapshots(host, zfs, target, "r" in flags or "R" in flags)
    if target not in zfs["datasets"]:
        return plain("cannot open '%s': dataset does not exist" % target)
    recursive = "r" in flags or "R" in flags
    kids = S.children(zfs, target)
    snaps = [s for s in zfs["snapshots"] if s.split("@")[0] in [target] + kids]
    if "/" not in target and not recursive:
        return plain("cannot destroy '%s': operation does not apply to pools\n"
                     "use 'zfs destroy -r %s' to destroy all datasets in the pool\n"
                     "use 'zpool destroy %s' to destroy the pool itself" % (target, target, target))
    if (kids or snaps) and not recursive:
        direct = [k for k in kids if k.count("/") == target.count("/") + 1]
        own = [s for s in zfs["snapshots"] if s.split("@")[0] == target]
        lines = direct + own
        return plain("cannot destroy '%s': filesystem has children\n"
                     "use '-r' to destroy the following datasets:\n%s" % (target, "\n".join(lines)))
    victims = list(reversed(kids)) + [target]
    for ds in victims:
        entry = mounted_at(mounts, ds)
        if entry is not None and busy(host, mounts, entry) and not (
                "f" in flags and not host.fault("umount-busy")):
            return plain("cannot unmount '%s': pool or dataset is busy" % entry["mp"])
        if entry is not None and busy(host, mounts, entry):
            return plain("cannot unmount '%s': pool or dataset is busy" % entry["mp"])
    for ds in victims:
        for snap in [s for s in zfs["snapshots"] if s.split("@")[0] == ds]:
            shutil.rmtree(host.snapshot_dir(snap), ignore_errors=True)
            del zfs["snapshots"][snap]
        entry = mounted_at(mounts, ds)
        while entry is not None:
            mounts.remove(entry)
            entry = mounted_at(mounts, ds)
        home = S.dataset_home(host, zfs, ds)
        S.clear_tree(home)
        del zfs["datasets"][ds]
        if home.startswith(host.dir):
            shutil.rmtree(home, ignore_errors=True)
    host.save("zfs.json", zfs)
    host.save("mounts.json", mounts)
    return 0


def destroy_snapshots(host, zfs, target, recursive):
    name, snaps = target.split("@", 1)
    if name not in zfs["datasets"]:
        return plain("cannot open '%s': dataset does not exist" % name)
    found = []
    for snap in snaps.split(","):
        datasets = [name] + (S.children(zfs, name) if recursive else [])
        for ds in datasets:
            if ds + "@" + snap in zfs["snapshots"]:
                found.append(ds + "@" + snap)
    if not found:
        return plain("could not find any snapshots to destroy; check snapshot names.")
    held = host.fault("snapshot-held") or []
    for snap in found:
        if snap in held:
            return plain("cannot destroy '%s': dataset is busy" % snap)
    for snap in found:
        shutil.rmtree(host.snapshot_dir(snap), ignore_errors=True)
        del zfs["snapshots"][snap]
    host.save("zfs.json", zfs)
    return 0


def prop_value(host, zfs, mounts, name, prop, parsable):
    """Returns (value, source) of one property of a dataset or snapshot."""
    snapshot = "@" in name
    ds = name.split("@")[0]
    if prop == "name":
        return name, "-"
    if prop == "type":
        return ("snapshot" if snapshot else "filesystem"), "-"
    if prop == "creation":
        entry = zfs["snapshots"][name] if snapshot else zfs["datasets"][name]
        when = entry.get("creation", 0)
        return (str(when) if parsable else time.strftime("%a %b %d %H:%M %Y", time.localtime(when))), "-"
    size = (lambda n: str(n)) if parsable else S.nicenum
    if prop == "used":
        return size(0 if snapshot else S.used_bytes(host, zfs, name)), "-"
    if prop in ("referenced", "refer"):
        if snapshot:
            return size(S.tree_bytes(host.snapshot_dir(name))), "-"
        return size(S.own_bytes(host, zfs, name)), "-"
    if prop in ("available", "avail"):
        if snapshot:
            return "-", "-"
        pool = name.split("/")[0]
        _, _, free = S.pool_usage(host, zfs, pool)
        quota = zfs["datasets"][name]["props"].get("quota")
        if quota and quota != "none":
            free = max(0, min(free, parse_size(quota) - S.used_bytes(host, zfs, name)))
        return size(free), "-"
    if prop == "mounted":
        if snapshot:
            return "-", "-"
        return ("yes" if mounted_at(mounts, name) else "no"), "-"
    if prop == "origin":
        return "-", "-"
    if snapshot:
        return "-", "-"
    if prop == "mountpoint":
        return S.mountpoint_of(zfs, name)
    props = zfs["datasets"][ds]["props"]
    if prop in props:
        value = props[prop]
        if prop == "quota" and parsable and value != "none":
            value = str(parse_size(value))
        return value, "local"
    if prop in ("canmount",):
        return DEFAULTS[prop], "default"
    parts = name.split("/")
    for i in range(len(parts) - 1, 0, -1):
        parent = "/".join(parts[:i])
        if prop in zfs["datasets"][parent]["props"]:
            return zfs["datasets"][parent]["props"][prop], "inherited from " + parent
    if ":" in prop:
        return "-", "-"
    value = DEFAULTS.get(prop, "-")
    if prop == "quota" and parsable:
        value = "0"
    return value, "default"


def parse_size(text):
    units = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}
    text = text.strip().upper()
    number = text.rstrip("BKMGTP")
    unit = text[len(number):].rstrip("B") or ""
    try:
        return int(float(number) * units.get(unit, 1))
    except ValueError:
        return 0


def check_props(props, sub):
    for p in props:
        if p not in PROPERTIES and ":" not in p:
            return usage(sub, "bad property list: invalid property '%s'" % p)
    return None


def sort_key(name):
    ds, _, snap = name.partition("@")
    return (ds.split("/"), 1 if snap else 0)


def selection(zfs, names, types, recursive, depth):
    out = []
    for name in names:
        base = name.split("@")[0]
        if "@" in name:
            out.append(name)
            continue
        datasets = [name]
        if recursive or depth is not None:
            for c in S.children(zfs, name):
                if depth is None or c.count("/") - name.count("/") <= depth:
                    datasets.append(c)
        for ds in datasets:
            if "filesystem" in types:
                out.append(ds)
            if "snapshot" in types:
                out.extend(s for s in zfs["snapshots"] if s.split("@")[0] == ds)
        del base
    txg = lambda n: zfs["snapshots"][n]["txg"] if "@" in n else 0
    return sorted(dict.fromkeys(out), key=lambda n: (sort_key(n), txg(n)))


def parse_types(text):
    types = set()
    for t in text.split(","):
        if t == "all":
            types |= {"filesystem", "snapshot"}
        elif t in ("filesystem", "snapshot", "volume", "bookmark", "fs", "snap"):
            types.add({"fs": "filesystem", "snap": "snapshot"}.get(t, t))
        else:
            raise ValueError(t)
    return types


def cmd_list(host, sub, args):
    opts, rest = getopt.getopt(args, "Hprd:o:s:S:t:")
    scripted = parsable = recursive = False
    depth = None
    fields = ["name", "used", "avail", "refer", "mountpoint"]
    types = None
    for o, v in opts:
        if o == "-H":
            scripted = True
        elif o == "-p":
            parsable = True
        elif o == "-r":
            recursive = True
        elif o == "-d":
            depth = int(v)
        elif o == "-o":
            fields = v.split(",")
        elif o == "-t":
            try:
                types = parse_types(v)
            except ValueError as e:
                return usage(sub, "invalid type '%s'" % e.args[0])
    bad = check_props(fields, sub)
    if bad is not None:
        return bad
    zfs = host.zfs()
    mounts = host.mounts()
    status = 0
    if rest:
        names = []
        for arg in rest:
            name, error = resolve_dataset(host, zfs, arg)
            if error:
                sys.stderr.write(error + "\n")
                status = 1
                continue
            names.append(name)
        if types is None:
            types = {"filesystem"} if not any("@" in n for n in names) else {"filesystem", "snapshot"}
        if types == {"snapshot"} and not recursive and depth is None:
            depth = 0
            recursive = False
            rows = selection(zfs, names, types, False, 0)
        else:
            rows = selection(zfs, names, types, recursive, depth)
    else:
        types = types or {"filesystem"}
        roots = [d for d in zfs["datasets"] if "/" not in d]
        rows = selection(zfs, roots, types, True, None)
    if not rows:
        if not scripted and status == 0:
            sys.stderr.write("no datasets available\n")
        return status
    table = [[prop_value(host, zfs, mounts, r, f, parsable)[0] for f in fields] for r in rows]
    print_table(fields, table, scripted)
    return status


def print_table(fields, table, scripted):
    if scripted:
        for row in table:
            sys.stdout.write("\t".join(row) + "\n")
        return
    header = [f.upper() for f in fields]
    header = ["AVAIL" if h == "AVAILABLE" else "REFER" if h == "REFERENCED" else h for h in header]
    widths = [max(len(header[i]), *(len(r[i]) for r in table)) for i in range(len(fields))]
    right = {"USED", "AVAIL", "REFER", "QUOTA"}
    for row in [header] + table:
        cells = []
        for i, cell in enumerate(row):
            last = i == len(row) - 1
            if header[i] in right:
                cells.append(cell.rjust(widths[i]))
            else:
                cells.append(cell if last else cell.ljust(widths[i]))
        sys.stdout.write("  ".join(cells).rstrip() + "\n")


def cmd_get(host, sub, args):
    opts, rest = getopt.getopt(args, "rHpd:o:t:s:")
    scripted = parsable = recursive = False
    depth = None
    columns = ["name", "property", "value", "source"]
    types = {"filesystem", "snapshot"}
    for o, v in opts:
        if o == "-H":
            scripted = True
        elif o == "-p":
            parsable = True
        elif o == "-r":
            recursive = True
        elif o == "-d":
            depth = int(v)
        elif o == "-o":
            columns = ["name", "property", "value", "received", "source"] if v == "all" else v.split(",")
            for c in columns:
                if c not in ("name", "property", "value", "received", "source"):
                    return usage(sub, "invalid field '%s'" % c)
        elif o == "-t":
            types = parse_types(v)
    if not rest:
        return usage(sub, "missing property argument")
    props = list(PROPERTIES) if rest[0] == "all" else rest[0].split(",")
    if rest[0] == "all":
        props = [p for p in props if p not in ("avail", "refer")]
    bad = check_props(props, sub)
    if bad is not None:
        return bad
    zfs = host.zfs()
    mounts = host.mounts()
    status = 0
    names = []
    for arg in rest[1:] or [d for d in zfs["datasets"] if "/" not in d]:
        name, error = resolve_dataset(host, zfs, arg)
        if error:
            sys.stderr.write(error + "\n")
            status = 1
            continue
        names.append(name)
    if not rest[1:]:
        recursive = True
    rows = selection(zfs, names, types, recursive, depth) if (recursive or depth is not None) else names
    table = []
    for r in rows:
        for p in props:
            value, source = prop_value(host, zfs, mounts, r, p, parsable)
            cells = {"name": r, "property": p, "value": value, "source": source, "received": "-"}
            table.append([cells[c] for c in columns])
    if scripted:
        for row in table:
            sys.stdout.write("\t".join(row) + "\n")
    elif table:
        header = [c.upper() for c in columns]
        widths = [max(len(header[i]), *(len(r[i]) for r in table)) for i in range(len(columns))]
        for row in [header] + table:
            sys.stdout.write("  ".join(c.ljust(widths[i]) for i, c in enumerate(row)).rstrip() + "\n")
    return status


def cmd_set(host, sub, args):
    opts, rest = getopt.getopt(args, "u")
    if len(rest) < 2:
        return usage(sub, "missing arguments")
    assignments = [a for a in rest if "=" in a and not a.startswith("/")]
    targets = rest[len(assignments):]
    if not assignments:
        return usage(sub, "missing property=value argument(s)")
    if not targets:
        return usage(sub, "missing dataset name(s)")
    zfs = host.zfs()
    mounts = host.mounts()
    for target in targets:
        if target.startswith("/"):
            return plain("cannot open '%s': leading slash in name" % target)
        if target not in zfs["datasets"]:
            return plain("cannot open '%s': dataset does not exist" % target)
    for target in targets:
        for assignment in assignments:
            key, value = assignment.split("=", 1)
            error = set_one(host, zfs, mounts, target, key, value)
            if error:
                return plain("cannot set property for '%s': %s" % (target, error))
    host.save("zfs.json", zfs)
    host.save("mounts.json", mounts)
    return 0


def set_one(host, zfs, mounts, target, key, value):
    if key not in SETTABLE and ":" not in key:
        return "invalid property '%s'" % key
    if key == "canmount" and value not in ("on", "off", "noauto"):
        return "'canmount' must be one of 'on | off | noauto'"
    if key == "mountpoint" and not (value.startswith("/") or value in ("none", "legacy")):
        return "'mountpoint' must be an absolute path, 'none', or 'legacy'"
    if key == "mountpoint":
        affected = [target] + S.children(zfs, target)
        old_homes = {d: S.dataset_home(host, zfs, d) for d in affected}
        was_mounted = {d: mounted_at(mounts, d) is not None for d in affected}
        zfs["datasets"][target]["props"][key] = S.norm(value) if value.startswith("/") else value
        new_home = S.dataset_home(host, zfs, target)
        old_home = old_homes[target]
        if new_home != old_home and os.path.isdir(old_home):
            os.makedirs(os.path.dirname(new_home), exist_ok=True)
            if os.path.isdir(new_home) and not os.listdir(new_home):
                os.rmdir(new_home)
            if os.path.exists(new_home):
                S.copy_tree(old_home, new_home)
                shutil.rmtree(old_home)
            else:
                shutil.move(old_home, new_home)
        for d in affected:
            entry = mounted_at(mounts, d)
            if entry is not None and entry["mp"] == old_homes[d]:
                mounts.remove(entry)
                value_now, _ = S.mountpoint_of(zfs, d)
                if value_now.startswith("/") and was_mounted[d]:
                    do_mount(host, zfs, mounts, d)
        return None
    zfs["datasets"][target]["props"][key] = value
    return None


def cmd_snapshot(host, sub, args):
    opts, rest = getopt.getopt(args, "ro:")
    recursive = any(o == "-r" for o, _ in opts)
    if not rest:
        return usage(sub, "missing snapshot argument")
    zfs = host.zfs()
    for target in rest:
        if "@" not in target:
            return plain("cannot create snapshot '%s': missing '@' delimiter in snapshot name" % target)
        name, snap = target.split("@", 1)
        if name not in zfs["datasets"]:
            return plain("cannot create snapshot '%s': dataset does not exist" % target)
        if target in zfs["snapshots"]:
            return plain("cannot create snapshot '%s': dataset already exists" % target)
        if host.pool_full(name.split("/")[0]):
            return plain("cannot create snapshot '%s': out of space" % target)
        for ds in [name] + (S.children(zfs, name) if recursive else []):
            full = ds + "@" + snap
            if full in zfs["snapshots"]:
                continue
            home = S.dataset_home(host, zfs, ds)
            skip = set(S.dataset_home(host, zfs, c) for c in S.children(zfs, ds))
            destination = host.snapshot_dir(full)
            os.makedirs(destination, exist_ok=True)
            if os.path.isdir(home):
                S.copy_tree(home, destination, skip)
            zfs["txg"] += 1
            zfs["snapshots"][full] = {"txg": zfs["txg"], "creation": int(time.time())}
    host.save("zfs.json", zfs)
    return 0


def cmd_rollback(host, sub, args):
    opts, rest = getopt.getopt(args, "rRf")
    recursive = any(o in ("-r", "-R") for o, _ in opts)
    if len(rest) != 1:
        return usage(sub, "missing dataset argument" if not rest else "too many arguments")
    target = rest[0]
    zfs = host.zfs()
    if "@" not in target:
        return plain("'%s' is not a snapshot" % target)
    name = target.split("@")[0]
    if name not in zfs["datasets"]:
        return plain("cannot open '%s': dataset does not exist" % name)
    if target not in zfs["snapshots"]:
        return plain("cannot open '%s': dataset does not exist" % target)
    txg = zfs["snapshots"][target]["txg"]
    newer = sorted((s for s in zfs["snapshots"] if s.split("@")[0] == name
                    and zfs["snapshots"][s]["txg"] > txg), key=lambda s: zfs["snapshots"][s]["txg"])
    if newer and not recursive:
        return plain("cannot rollback to '%s': more recent snapshots or bookmarks exist\n"
                     "use '-r' to force deletion of the following snapshots and bookmarks:\n%s"
                     % (target, "\n".join(newer)))
    for snap in newer:
        shutil.rmtree(host.snapshot_dir(snap), ignore_errors=True)
        del zfs["snapshots"][snap]
    home = S.dataset_home(host, zfs, name)
    skip = set(S.dataset_home(host, zfs, c) for c in S.children(zfs, name))
    os.makedirs(home, exist_ok=True)
    S.clear_tree(home, skip)
    S.copy_tree(host.snapshot_dir(target), home)
    host.save("zfs.json", zfs)
    return 0


def cmd_mount(host, sub, args):
    opts, rest = getopt.getopt(args, "flvOao:")
    zfs = host.zfs()
    mounts = host.mounts()
    every = any(o == "-a" for o, _ in opts)
    if not rest and not every:
        for m in mounts:
            if m["type"] == "zfs":
                sys.stdout.write("%-30s %s\n" % (m["dev"], m["mp"]))
        return 0
    names = [d for d in sorted(zfs["datasets"]) if not mounted_at(mounts, d)
             and zfs["datasets"][d]["props"].get("canmount", "on") == "on"
             and S.mountpoint_of(zfs, d)[0].startswith("/")] if every else rest
    for name in names:
        if name not in zfs["datasets"]:
            return plain("cannot open '%s': dataset does not exist" % name)
        if mounted_at(mounts, name):
            return plain("cannot mount '%s': filesystem already mounted" % name)
        if zfs["datasets"][name]["props"].get("canmount") == "off":
            return plain("cannot mount '%s': 'canmount' property is set to 'off'" % name)
        value, _ = S.mountpoint_of(zfs, name)
        if value == "legacy":
            return plain("cannot mount '%s': legacy mountpoint\nuse mount(8) to mount this filesystem" % name)
        if value == "none":
            return plain("cannot mount '%s': no mountpoint set" % name)
        do_mount(host, zfs, mounts, name)
    host.save("mounts.json", mounts)
    return 0


def cmd_umount(host, sub, args):
    opts, rest = getopt.getopt(args, "fua")
    zfs = host.zfs()
    mounts = host.mounts()
    if len(rest) != 1:
        return usage(sub, "missing filesystem argument" if not rest else "too many arguments")
    arg = rest[0]
    if arg.startswith("/"):
        entry = None
        for m in mounts:
            if m["mp"] == S.norm(arg):
                entry = m
        if entry is None or entry["type"] != "zfs":
            if not os.path.exists(host.real(arg, mounts, zfs)):
                return plain("cannot unmount '%s': No such file or directory" % arg)
            return plain("cannot unmount '%s': not a mountpoint" % arg)
        name = entry["dev"]
    else:
        name = arg
        if name not in zfs["datasets"]:
            return plain("cannot open '%s': dataset does not exist" % name)
        entry = mounted_at(mounts, name)
        if entry is None:
            return plain("cannot unmount '%s': not currently mounted" % name)
    if busy(host, mounts, entry):
        return plain("cannot unmount '%s': pool or dataset is busy" % entry["mp"])
    mounts.remove(entry)
    host.save("mounts.json", mounts)
    return 0
