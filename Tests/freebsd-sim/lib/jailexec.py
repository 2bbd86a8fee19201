"""Runs commands "inside" a simulated jail: the jail's root is the real folder behind its path."""

import os
import subprocess

import simstate as S

SIM_BIN = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bin"))
METACHARACTERS = set("|&;<>()$`\\\"'*?[#~\n")


def root_of(host, path):
    return host.real(path)


def jail_env(host, jail, clean=False):
    root = root_of(host, jail["path"])
    jail_path = [os.path.join(root, d) for d in ("bin", "sbin", "usr/bin", "usr/sbin")]
    env = {} if clean else dict(os.environ)
    if clean:
        for key in ("TERM", "FREEBSD_SIM_STATE"):
            if key in os.environ:
                env[key] = os.environ[key]
        env["HOME"] = "/root"
        env["SHELL"] = "/bin/csh"
        env["USER"] = "root"
        base = "/bin:/usr/bin"
    else:
        base = os.environ.get("PATH", "/bin:/usr/bin")
    env["PATH"] = ":".join(jail_path + [SIM_BIN, base])
    env["FREEBSD_SIM_JAIL"] = jail["name"]
    env["PWD"] = root
    return env, root


def map_argument(root, arg):
    """Maps an absolute path argument to the jail's copy when the jail's root has that file."""
    if arg.startswith("/") and os.path.lexists(os.path.join(root, arg.lstrip("/"))):
        return os.path.join(root, arg.lstrip("/"))
    return arg


def find_program(root, env, program):
    if "/" in program:
        mapped = map_argument(root, program)
        if os.path.exists(mapped):
            return mapped
        if program.startswith("/") and os.path.exists(os.path.join(SIM_BIN, os.path.basename(program))):
            return os.path.join(SIM_BIN, os.path.basename(program))
        return mapped if os.path.exists(mapped) else None
    for directory in env["PATH"].split(":"):
        candidate = os.path.join(directory, program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def run_in_jail(host, jail, argv, clean=False):
    """Runs argv with the jail's root as working folder and its bin folders first on PATH."""
    env, root = jail_env(host, jail, clean)
    program = find_program(root, env, argv[0])
    if program is None:
        return None
    args = [program] + [map_argument(root, a) for a in argv[1:]]
    return subprocess.run(args, env=env, cwd=root).returncode


def run_step(command, env=None, cwd=None):
    """Runs an exec.* command as jail(8) does: under /bin/sh -c when it has shell metacharacters.

    Returns (status, missing program or None); a negative status is the signal number.
    """
    if any(c in METACHARACTERS for c in command):
        args = ["/bin/sh", "-c", command]
    else:
        args = command.split()
        if not args:
            return 0, None
    try:
        status = subprocess.run(args, env=env, cwd=cwd).returncode
    except FileNotFoundError:
        return 1, args[0]
    except PermissionError:
        return 1, args[0]
    return status, None
