"""jail(8), jls(8) and jexec(8) over the simulated host's jail table."""

import getopt
import json
import os
import sys

import jailconf
import jailexec
import simstate as S

JLS_PARAMS = ("jid", "name", "path", "host.hostname", "hostname", "ip4.addr", "ip6.addr",
              "osrelease", "osreldate", "securelevel", "parent", "children.max", "children.cur",
              "dying", "persist", "devfs_ruleset", "enforce_statfs", "host", "ip4", "ip6",
              "vnet", "allow.raw_sockets", "allow.mount", "lastjid", "cpuset.id")


def conf_default(host):
    return os.path.join(host.fsroot, "etc", "jail.conf")


# --------------------------------------------------------------------- jail

def jail_main(argv):
    host = S.Host("jail", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "cdf:hiJ:lmn:p:qrRs:u:U:v")
    except getopt.GetoptError:
        return jail_usage()
    flags = "".join(o[1] for o, _ in opts if o not in ("-f", "-J", "-n", "-p", "-s", "-u", "-U"))
    conf = None
    for o, v in opts:
        if o == "-f":
            conf = v
    create, remove, modify = "c" in flags, "r" in flags, "m" in flags
    if not (create or remove or modify) or (modify and (create or remove)):
        return jail_usage()
    quiet, verbose, print_jid = "q" in flags, "v" in flags, "i" in flags
    if rest and all("=" in a for a in rest):
        params = {}
        for a in rest:
            key, value = a.split("=", 1)
            params[key] = [v for v in value.split(",")] if key in ("ip4.addr", "ip6.addr") else [value]
        if "name" not in params:
            return S.err("jail", "no name given (use name=)")
        params.setdefault("persist", ["true"])
        name = params["name"][0]
        if create:
            return start(host, name, params, None, quiet, verbose, print_jid)
        return S.err("jail", "only -c is simulated with parameters on the command line")
    if not rest:
        return jail_usage()
    path = conf or conf_default(host)
    statements = None
    if os.path.exists(path):
        try:
            statements = jailconf.parse(path)
        except jailconf.ConfError as e:
            return S.err("jail", str(e))
    elif conf is not None or create or modify:
        return S.err("jail", "%s: No such file or directory" % path)
    status = 0
    names = rest
    if names == ["*"]:
        names = jailconf.jail_names(statements or []) if create else sorted(host.jails()["running"])
    for name in names:
        params = None
        if statements is not None and name in jailconf.jail_names(statements):
            try:
                params = jailconf.params_for(statements, name)
            except jailconf.ConfError as e:
                sys.stderr.write("jail: %s\n" % e)
                status = 1
                continue
        if remove:
            result = stop(host, name, params, statements is not None, quiet, verbose)
            if result != 0 or not create:
                status = status or result
                continue
        if create:
            if params is None:
                sys.stderr.write('jail: "%s" not found\n' % name)
                status = 1
                continue
            status = start(host, name, params, path, quiet, verbose, print_jid) or status
        if modify:
            running = host.jails()["running"]
            if name not in running:
                sys.stderr.write('jail: "%s" not found\n' % name)
                status = 1
                continue
            if not quiet:
                sys.stdout.write("%s: updated\n" % name)
    return status


def jail_usage():
    sys.stderr.write(
        "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
        "            -[cmr] param=value ... [command=command ...]\n"
        "       jail [-dqv] [-f file] -[cmr] [jail]\n"
        "       jail [-qv] [-f file] -[rR] ['*' | jail ...]\n"
        "       jail [-dhilqv] [-J jid_file] [-u username] [-U username]\n"
        "            [-n jailname] [-s securelevel]\n"
        "            path hostname [ip[,...]] command ...\n")
    return 1


def truthy(params, key, default=False):
    if key not in params:
        return default
    return params[key][-1] not in ("false", "0", "no")


def step_failed(name, command, status, missing):
    if missing is not None:
        sys.stderr.write("jail: %s: exec %s: No such file or directory\n" % (name, missing))
    elif status < 0:
        sys.stderr.write("jail: %s: %s: exited on signal %d\n" % (name, command, -status))
    else:
        sys.stderr.write("jail: %s: %s: failed\n" % (name, command))


def run_host_steps(name, params, key, verbose):
    for command in params.get(key, []):
        if verbose:
            sys.stdout.write("%s: run command: %s\n" % (name, command))
            sys.stdout.flush()
        status, missing = jailexec.run_step(command)
        if status != 0:
            step_failed(name, command, status, missing)
            return False
    return True


def run_jail_steps(host, jail, params, keys, verbose):
    env, root = jailexec.jail_env(host, jail)
    for key in keys:
        for command in params.get(key, []):
            if verbose:
                sys.stdout.write("%s: run command in jail: %s\n" % (jail["name"], command))
                sys.stdout.flush()
            if not any(c in jailexec.METACHARACTERS for c in command):
                words = command.split()
                program = jailexec.find_program(root, env, words[0])
                if program is None:
                    step_failed(jail["name"], command, 1, words[0])
                    return False
                command = " ".join(S.quote(w) for w in [program] + [jailexec.map_argument(root, w) for w in words[1:]])
            status, missing = jailexec.run_step(command, env, root)
            if status != 0:
                step_failed(jail["name"], command, status, missing)
                return False
    return True


def param_mounts(params):
    """Returns the fstab-style entries of the `mount` parameter as (device, path, type, options)."""
    entries = []
    for line in params.get("mount", []):
        words = line.split()
        if len(words) >= 3:
            entries.append((words[0], words[1], words[2], words[3] if len(words) > 3 else "rw"))
    return entries


def start(host, name, params, conf, quiet, verbose, print_jid):
    running = host.jails()["running"]
    if name in running:
        sys.stderr.write('jail: "%s" already exists\n' % name)
        return 1
    path = params.get("path", [""])[-1]
    if not path:
        sys.stderr.write("jail: %s: path: no value\n" % name)
        return 1
    if not os.path.isdir(host.real(path)):
        sys.stderr.write("jail: %s: path %s: No such file or directory\n" % (name, path))
        return 1
    done = []

    def undo():
        host.lock()
        mounts = host.mounts()
        for entry in reversed(done):
            if entry in mounts:
                mounts.remove(entry)
        host.save("mounts.json", mounts)
        table = host.jails()
        table["running"].pop(name, None)
        host.save("jails.json", table)
        host.unlock()

    host.lock()
    mounts = host.mounts()
    for device, target, fstype, options in param_mounts(params):
        if not os.path.isdir(host.real(target, mounts)):
            host.unlock()
            sys.stderr.write("jail: %s: mount: %s: No such file or directory\n" % (name, target))
            undo()
            return 1
        entry = {"dev": device, "mp": S.norm(target), "type": fstype, "opts": options.split(",")}
        mounts.append(entry)
        done.append(entry)
    if truthy(params, "mount.devfs"):
        dev = os.path.join(path, "dev")
        if not os.path.isdir(host.real(dev, mounts)):
            host.unlock()
            sys.stderr.write("jail: %s: mount.devfs: %s: No such file or directory\n" % (name, dev))
            undo()
            return 1
        entry = {"dev": "devfs", "mp": S.norm(dev), "type": "devfs", "opts": ["rw"]}
        mounts.append(entry)
        done.append(entry)
    host.save("mounts.json", mounts)
    host.unlock()
    if not run_host_steps(name, params, "exec.prestart", verbose):
        undo()
        return 1
    host.lock()
    table = host.jails()
    taken = set(j["jid"] for j in table["running"].values())
    if "jid" in params:
        jid = int(params["jid"][-1])
        if jid in taken:
            host.unlock()
            sys.stderr.write("jail: %s: jail %d already exists\n" % (name, jid))
            undo()
            return 1
    else:
        jid = table.get("lastjid", 0) + 1
        while jid in taken:
            jid += 1
    table["lastjid"] = max(table.get("lastjid", 0), jid)
    jail = {"jid": jid, "name": name, "path": S.norm(path),
            "hostname": params.get("host.hostname", [host.sysctl().get("kern.hostname", "")])[-1],
            "ip4": params.get("ip4.addr", []), "ip6": params.get("ip6.addr", []),
            "osrelease": params.get("osrelease", [""])[-1], "conf": conf,
            "devfs": truthy(params, "mount.devfs"), "persist": truthy(params, "persist"),
            "mounts": done, "params": params}
    table["running"][name] = jail
    host.save("jails.json", table)
    host.unlock()
    keys = ["exec.start", "command"]
    if not run_jail_steps(host, jail, params, keys, verbose) or \
            not run_host_steps(name, params, "exec.poststart", verbose):
        undo()
        return 1
    if print_jid:
        sys.stdout.write("%d\n" % jid)
    if not quiet:
        sys.stdout.write("%s: created\n" % name)
    return 0


def stop(host, name, params, have_conf, quiet, verbose):
    table = host.jails()
    jail = table["running"].get(name)
    if jail is None:
        for candidate in table["running"].values():
            if str(candidate["jid"]) == name:
                jail = candidate
    if jail is None:
        sys.stderr.write('jail: "%s" not found\n' % name)
        return 1
    name = jail["name"]
    if params is None:
        params = jail.get("params", {})
    if not run_host_steps(name, params, "exec.prestop", verbose) or \
            not run_jail_steps(host, jail, params, ["exec.stop"], verbose):
        return 1
    host.lock()
    table = host.jails()
    table["running"].pop(name, None)
    host.save("jails.json", table)
    host.unlock()
    status = 0 if run_host_steps(name, params, "exec.poststop", verbose) else 1
    host.lock()
    mounts = host.mounts()
    if jail.get("devfs"):
        dev = S.norm(os.path.join(jail["path"], "dev"))
        entry = next((m for m in reversed(mounts) if m["mp"] == dev and m["type"] == "devfs"), None)
        if entry is None:
            sys.stderr.write("jail: %s: mount.devfs: %s: not a mount point\n" % (name, os.path.join(jail["path"], "dev")))
            status = 1
        else:
            mounts.remove(entry)
    for entry in reversed(jail.get("mounts", [])):
        if entry["type"] == "devfs" and jail.get("devfs"):
            continue
        match = next((m for m in reversed(mounts) if m["mp"] == entry["mp"] and m["dev"] == entry["dev"]), None)
        if match is None:
            sys.stderr.write("jail: %s: umount %s: not a file system root directory\n" % (name, entry["mp"]))
            status = 1
        else:
            mounts.remove(match)
    host.save("mounts.json", mounts)
    host.unlock()
    if status == 0 and have_conf and not quiet:
        sys.stdout.write("%s: removed\n" % name)
    return status


# ---------------------------------------------------------------------- jls

def jls_main(argv):
    host = S.Host("jls", argv)
    args = argv[1:]
    libxo = None
    filtered = []
    i = 0
    while i < len(args):
        if args[i] == "--libxo" and i + 1 < len(args):
            libxo = args[i + 1]
            i += 2
            continue
        if args[i].startswith("--libxo="):
            libxo = args[i].split("=", 1)[1]
            i += 1
            continue
        filtered.append(args[i])
        i += 1
    try:
        opts, rest = getopt.getopt(filtered, "adj:hNnqsv")
    except getopt.GetoptError as e:
        sys.stderr.write("jls: illegal option -- %s\nusage: jls [-dhNnqv] [-j jail] [param ...]\n" % e.opt)
        return 1
    flags = "".join(o[1] for o, _ in opts if o != "-j")
    wanted = None
    for o, v in opts:
        if o == "-j":
            wanted = v
    for p in rest:
        if p not in JLS_PARAMS and not p.startswith("allow."):
            sys.stderr.write("jls: unknown parameter: %s\n" % p)
            return 1
    jails = sorted(host.jails()["running"].values(), key=lambda j: j["jid"])
    if wanted is not None:
        jails = [j for j in jails if j["name"] == wanted or str(j["jid"]) == wanted]
        if not jails:
            sys.stderr.write('jls: jail "%s" not found\n' % wanted)
            return 1
    if libxo and libxo.split(",")[0] == "json":
        return jls_json(jails, "N" in flags, rest)
    if rest or "n" in flags or "s" in flags:
        return jls_params(jails, rest, flags)
    if "v" in flags:
        sys.stdout.write("   JID  Hostname                      Path\n        Name                          State\n"
                         "        CPUSetID\n        IP Address(es)\n")
        for j in jails:
            sys.stdout.write("%6d  %-29.29s %s\n        %-29s %s\n        %s\n" % (
                j["jid"], j["hostname"], j["path"], j["name"], "ACTIVE", j["jid"] + 1))
            for ip in j["ip4"] + j["ip6"]:
                sys.stdout.write("        %s\n" % ip)
        return 0
    if "N" in flags:
        sys.stdout.write(" JID             IP Address      Hostname                      Path\n")
    else:
        sys.stdout.write("   JID  IP Address      Hostname                      Path\n")
    for j in jails:
        ip = j["ip4"][0] if j["ip4"] else ""
        if "N" in flags:
            sys.stdout.write(" %-15s %-15.15s %-29.29s %s\n" % (j["name"], ip, j["hostname"], j["path"]))
        else:
            sys.stdout.write("%6d  %-15.15s %-29.29s %s\n" % (j["jid"], ip, j["hostname"], j["path"]))
    return 0


def jail_value(j, key):
    table = {
        "jid": str(j["jid"]), "name": j["name"], "path": j["path"],
        "host.hostname": j["hostname"], "hostname": j["hostname"],
        "ip4.addr": ",".join(j["ip4"]), "ip6.addr": ",".join(j["ip6"]),
        "osrelease": j.get("osrelease") or "", "parent": "0", "dying": "false",
        "persist": "true" if j.get("persist") else "false", "securelevel": "-1",
        "children.max": "0", "children.cur": "0", "devfs_ruleset": "4", "enforce_statfs": "2",
        "host": "new", "ip4": "new" if j["ip4"] else "disable", "ip6": "disable", "vnet": "inherit",
    }
    return table.get(key, "")


def jls_params(jails, keys, flags):
    keys = keys or ["jid", "name", "path", "host.hostname", "ip4.addr", "ip6.addr", "persist"]
    pairs = "n" in flags or "s" in flags
    quote = "q" in flags or "s" in flags
    if "h" in flags:
        sys.stdout.write(" ".join(keys) + "\n")
    for j in jails:
        values = []
        for k in keys:
            value = jail_value(j, k)
            if quote and (value == "" or any(c in value for c in " \t\"'\\")):
                value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            if pairs and k in ("persist", "dying"):
                values.append(k if value == "true" else "no" + k)
            else:
                values.append(k + "=" + value if pairs else value)
        sys.stdout.write(" ".join(values) + "\n")
    return 0


def jls_json(jails, by_name, keys):
    items = []
    for j in jails:
        if keys:
            items.append({k: jail_value(j, k) for k in keys})
            continue
        item = {"name": j["name"]} if by_name else {"jid": j["jid"]}
        item.update({"ipv4": j["ip4"][0] if j["ip4"] else "", "hostname": j["hostname"], "path": j["path"]})
        items.append(item)
    document = {"__version": "2", "jail-information": {"jail": items}}
    sys.stdout.write(json.dumps(document, separators=(", ", ": ")).replace('{"jid": ', '{"jid":') + "\n")
    return 0


# -------------------------------------------------------------------- jexec

JEXEC_USAGE = "usage: jexec [-l] [-u username | -U username] jail [command ...]\n"


def jexec_main(argv):
    host = S.Host("jexec", argv)
    try:
        opts, rest = getopt.getopt(argv[1:], "lnu:U:")
    except getopt.GetoptError:
        sys.stderr.write(JEXEC_USAGE)
        return 1
    users = [(o, v) for o, v in opts if o in ("-u", "-U")]
    if not rest or len(users) > 1:
        sys.stderr.write(JEXEC_USAGE)
        return 1
    clean = any(o == "-l" for o, _ in opts)
    wanted = rest[0]
    jails = host.jails()["running"]
    jail = jails.get(wanted) or next((j for j in jails.values() if str(j["jid"]) == wanted), None)
    if jail is None:
        if wanted.isdigit():
            sys.stderr.write("jexec: jail_attach(%s): Invalid argument\n" % wanted)
        else:
            sys.stderr.write('jexec: jail "%s" not found\n' % wanted)
        return 1
    root = host.real(jail["path"])
    for option, user in users:
        known = jail_users(host, jail["path"]) if option == "-U" else known_users(host.fsroot)
        if option == "-u":
            import pwd
            try:
                pwd.getpwnam(user)
                continue
            except KeyError:
                pass
        if user not in known:
            sys.stderr.write("jexec: %s: no such user\n" % user)
            return 1
    command = rest[1:] or [os.environ.get("SHELL", "/bin/sh"), "-i"]
    sys.stdout.flush()
    status = jailexec.run_in_jail(host, jail, command, clean)
    if status is None:
        sys.stderr.write("jexec: execvp: %s: No such file or directory\n" % command[0])
        return 1
    return status if status >= 0 else 128 - status


def known_users(root):
    names = set()
    for name in ("etc/master.passwd", "etc/passwd"):
        path = os.path.join(root, name)
        if os.path.islink(path) and os.readlink(path).startswith("/private/"):
            continue
        try:
            with open(path) as f:
                for line in f:
                    if line.strip() and not line.startswith("#"):
                        names.add(line.split(":")[0])
        except OSError:
            pass
    return names


def jail_users(host, path):
    """Reads the jail's user names, following links into /private through the jail's mounts."""
    names = set()
    for name in ("etc/master.passwd", "etc/passwd"):
        real = host.real(os.path.join(path, name))
        if os.path.islink(real) and os.readlink(real).startswith("/"):
            real = host.real(path + os.readlink(real))
        try:
            with open(real) as f:
                names.update(l.split(":")[0] for l in f if l.strip() and not l.startswith("#"))
        except OSError:
            pass
    return names
