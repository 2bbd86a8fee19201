"""Shared state, call log, faults and path resolution of the simulated FreeBSD host.

Every simulated command finds its host through FREEBSD_SIM_STATE. Python
commands read and write the JSON files under that folder while holding
STATE/lock, so commands that run at the same time see whole updates.
"""

import fcntl
import json
import os
import shutil
import sys

SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=+,@%")
LOGGED_ENV = ("UNAME_r", "UNAME_m", "UNAME_p", "PAGER", "FREEBSD_SIM_JAIL")


def quote(word):
    """Quotes one word for POSIX sh the way ShellQuote.quote in FleetCore does."""
    if word and all(c in SAFE for c in word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def state_dir(prog):
    path = os.environ.get("FREEBSD_SIM_STATE", "")
    if not path or not os.path.isdir(path):
        sys.stderr.write("%s: FREEBSD_SIM_STATE is not set to a simulated host's state folder\n" % prog)
        sys.exit(70)
    return path


def log_call(state, argv):
    """Appends one line to STATE/calls.log: the quoted argv, a TAB, then PWD and the logged variables."""
    if os.environ.get("FREEBSD_SIM_NOLOG"):
        return
    words = [os.path.basename(argv[0])] + argv[1:]
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = "?"
    env = ["PWD=" + quote(cwd)]
    for name in LOGGED_ENV:
        if name in os.environ:
            env.append(name + "=" + quote(os.environ[name]))
    line = " ".join(quote(w) for w in words) + "\t" + " ".join(env) + "\n"
    with open(os.path.join(state, "calls.log"), "a") as log:
        fcntl.flock(log, fcntl.LOCK_EX)
        log.write(line)


def err(prog, message, code=1):
    sys.stderr.write("%s: %s\n" % (prog, message))
    return code


class Host:
    """One simulated host: its state folder, its file system root and its JSON state files."""

    def __init__(self, prog, argv=None, log=True):
        self.prog = prog
        self.dir = state_dir(prog)
        if log and argv is not None:
            log_call(self.dir, argv)
        self.info = read_keyvalues(os.path.join(self.dir, "host"))
        self.fsroot = self.info.get("fsroot", "/nonexistent")
        self._lock = None

    # --- locking and JSON files ---

    def lock(self):
        if self._lock is None:
            self._lock = open(os.path.join(self.dir, "lock"), "a")
            fcntl.flock(self._lock, fcntl.LOCK_EX)

    def unlock(self):
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def load(self, name, default):
        path = os.path.join(self.dir, name)
        try:
            with open(path) as f:
                return json.load(f)
        except FileNotFoundError:
            return default

    def save(self, name, value):
        path = os.path.join(self.dir, name)
        with open(path + ".tmp", "w") as f:
            json.dump(value, f, indent=1, sort_keys=True)
        os.replace(path + ".tmp", path)

    def zfs(self):
        return self.load("zfs.json", {"pools": {}, "datasets": {}, "snapshots": {}, "txg": 1})

    def mounts(self):
        return self.load("mounts.json", [])

    def jails(self):
        return self.load("jails.json", {"running": {}, "lastjid": 0})

    # --- faults ---

    def fault(self, name):
        """Returns the fault file's lines (possibly empty) when STATE/faults/NAME exists, else None."""
        path = os.path.join(self.dir, "faults", name)
        if not os.path.exists(path):
            return None
        with open(path) as f:
            return [l.strip() for l in f if l.strip() and not l.startswith("#")]

    def pool_full(self, pool):
        lines = self.fault("pool-full")
        return lines is not None and (not lines or pool in lines)

    # --- sysctl and host values ---

    def sysctl(self):
        return read_keyvalues(os.path.join(self.dir, "sysctl"))

    def set_info(self, key, value):
        self.info[key] = value
        write_keyvalues(os.path.join(self.dir, "host"), self.info)

    # --- datasets ---

    def snapshot_dir(self, snap):
        return os.path.join(self.dir, "snapshots", snap.replace("/", "%"))

    # --- path resolution ---

    def filesystem_of(self, path, mounts=None):
        """Returns the mount entry holding `path` (longest mount point, later mounts on top), or None for `/`."""
        if mounts is None:
            mounts = self.mounts()
        path = norm(path)
        best = None
        for m in mounts:
            mp = m["mp"]
            if path == mp or path.startswith(mp.rstrip("/") + "/"):
                if best is None or len(mp) >= len(best["mp"]):
                    best = m
        return best

    def real(self, path, mounts=None, zfs=None):
        """Maps a path as the simulated host sees it to the real file: nullfs mounts read their source."""
        if mounts is None:
            mounts = self.mounts()
        path = norm(path)
        for _ in range(32):
            m = self.filesystem_of(path, mounts)
            if m is None:
                return path
            rest = path[len(m["mp"].rstrip("/")):]
            if m["type"] == "nullfs":
                source = norm(m["dev"])
                if source == m["mp"]:
                    return path
                path = norm(source + rest)
                continue
            if m["type"] == "zfs":
                if zfs is None:
                    zfs = self.zfs()
                return norm(dataset_home(self, zfs, m["dev"]) + rest)
            return path
        return path


def norm(path):
    return os.path.normpath(os.path.abspath(path))


def read_keyvalues(path):
    values = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.rstrip("\n")
                if "=" in line and not line.startswith("#"):
                    key, value = line.split("=", 1)
                    values[key] = value
    except FileNotFoundError:
        pass
    return values


def write_keyvalues(path, values):
    with open(path + ".tmp", "w") as f:
        for key in values:
            f.write("%s=%s\n" % (key, values[key]))
    os.replace(path + ".tmp", path)


# --- ZFS helpers shared by zfs, zpool, df, mount ---

def mountpoint_of(zfs, name):
    """Returns (value, source) of a dataset's mountpoint property."""
    props = zfs["datasets"][name]["props"]
    if "mountpoint" in props:
        return props["mountpoint"], "local"
    if "/" not in name:
        return "/" + name, "default"
    parent, last = name.rsplit("/", 1)
    value, source = mountpoint_of(zfs, parent)
    if source == "local":
        source = "inherited from " + parent
    if value in ("none", "legacy"):
        return value, source
    return value.rstrip("/") + "/" + last, source


def dataset_home(host, zfs, name):
    """Returns the real folder that holds a dataset's files: its mountpoint, or a folder in state."""
    if name in zfs["datasets"]:
        value, _ = mountpoint_of(zfs, name)
        if value.startswith("/"):
            return norm(value)
    return os.path.join(host.dir, "data", name.replace("/", "%"))


def children(zfs, name):
    prefix = name + "/"
    return sorted(d for d in zfs["datasets"] if d.startswith(prefix))


def tree_bytes(path, skip=()):
    """Sums the apparent sizes of the files under `path`, skipping the folders in `skip`."""
    total = 0
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if os.path.join(root, d) not in skip]
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def own_bytes(host, zfs, name):
    home = dataset_home(host, zfs, name)
    skip = set(dataset_home(host, zfs, c) for c in children(zfs, name))
    return tree_bytes(home, skip) if os.path.isdir(home) else 0


def snapshot_bytes(host, zfs, name):
    total = 0
    for snap in zfs["snapshots"]:
        if snap.split("@")[0] == name:
            total += tree_bytes(host.snapshot_dir(snap))
    return total


def used_bytes(host, zfs, name):
    total = own_bytes(host, zfs, name) + snapshot_bytes(host, zfs, name)
    for c in children(zfs, name):
        if c.count("/") == name.count("/") + 1:
            total += used_bytes(host, zfs, c)
    return total


def pool_usage(host, zfs, pool):
    """Returns (size, alloc, free) in bytes for a pool; a full-pool fault makes free 0."""
    size = int(zfs["pools"][pool]["size"])
    alloc = used_bytes(host, zfs, pool) if pool in zfs["datasets"] else 0
    if host.pool_full(pool):
        alloc = size
    alloc = min(alloc, size)
    return size, alloc, size - alloc


def nicenum(num):
    """Formats bytes the way zfs_nicebytes does: 1024 steps, at most 5 characters."""
    units = "BKMGTPE"
    n = num
    index = 0
    while n >= 1024 and index < 6:
        n //= 1024
        index += 1
    if index == 0 or num % (1024 ** index) == 0:
        return "%d%s" % (n, units[index])
    value = num / (1024 ** index)
    for digits in (2, 1, 0):
        text = "%.*f%s" % (digits, value, units[index])
        if len(text) <= 5:
            return text
    return text


def copy_tree(source, destination, skip=()):
    """Copies a folder like cp -a, skipping the folders listed in `skip`."""
    def ignore(directory, names):
        return [n for n in names if os.path.join(directory, n) in skip]
    shutil.copytree(source, destination, symlinks=True, ignore=ignore, dirs_exist_ok=True)


def clear_tree(path, skip=()):
    """Removes everything under `path` except the folders in `skip` (and the folders leading to them)."""
    if not os.path.isdir(path):
        return
    for name in os.listdir(path):
        child = os.path.join(path, name)
        if child in skip:
            continue
        if any(s.startswith(child + "/") for s in skip):
            clear_tree(child, skip)
            continue
        if os.path.isdir(child) and not os.path.islink(child):
            shutil.rmtree(child)
        else:
            os.unlink(child)
