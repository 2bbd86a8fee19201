#!/usr/bin/python3
"""Benchmarks the main jobs, upgrade-skel --all and report --all, over local fleets of
simulated FreeBSD hosts (real sshd on loopback), and prints wall time, controller CPU,
controller peak memory, and how much of each host's time is the controller's own
overhead beyond the remote commands.

    Tests/bench/main_jobs.py [--hosts 10,50,200] [--runs 3] [--forks 50] [--tool PATH]

Each size gets a fresh fleet: every host has a skel at 14.1-RELEASE-p5 with an update to
-p6 waiting, and two jails, one running. The first upgrade-skel run upgrades every host;
the later runs find nothing to do. report --all runs --runs times.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FLEET = os.path.join(REPO, "Tests", "fleet", "freebsd-fleet.sh")


def build_tool():
    subprocess.run(["swift", "build", "-c", "release"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=REPO,
                              check=True, capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, "minijail-fleet")


def run_measured(argv):
    """Runs argv in a fork so its own rusage (not the sum of all children) is read."""
    start = time.monotonic()
    read_out, write_out = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.dup2(write_out, 1)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(read_out)
        os.execv(argv[0], argv)
    os.close(write_out)
    chunks = []
    while True:
        chunk = os.read(read_out, 1 << 16)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_out)
    _, status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - start
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss_kib": usage.ru_maxrss,
        "status": os.waitstatus_to_exitcode(status),
        "stdout": b"".join(chunks).decode(errors="replace"),
    }


def overhead(document):
    """Per-host seconds outside remote commands: host time minus the time of its steps."""
    values = []
    for host in document["hosts"]:
        inside = sum(step["seconds"] for step in host.get("steps", []))
        values.append(max(0.0, host["seconds"] - inside))
    return values


def bench_size(tool, hosts, runs, forks):
    folder = tempfile.mkdtemp(prefix="bench-mainjobs-")
    try:
        started = time.monotonic()
        subprocess.run([FLEET, "up", str(hosts), folder, "--skel", "14.1-RELEASE-p5",
                        "--jails", "web,db", "--running", "web", "--latest", "14.1-RELEASE-p6"],
                       check=True, stdout=subprocess.DEVNULL)
        setup = time.monotonic() - started
        inventory = os.path.join(folder, "hosts.yml")
        base = [tool, "-i", inventory]
        rows = []
        for job, argv, repeat in [
            ("upgrade-skel (upgrades)", base + ["upgrade-skel", "--all", "--json",
                                                "--forks", str(forks)], 1),
            ("upgrade-skel (nothing to do)", base + ["upgrade-skel", "--all", "--json",
                                                     "--forks", str(forks)], runs),
            ("report", base + ["report", "--all", "--json", "--forks", str(forks)], runs),
        ]:
            samples = []
            for _ in range(repeat):
                result = run_measured(argv)
                document = json.loads(result["stdout"])
                entries = document.get("hosts", [])
                states = [h.get("state", "reachable" if h.get("reachable") else "unreachable")
                          for h in entries]
                # Exit 1 means warnings in a report; every host must still have answered.
                complete = len(entries) == hosts and all(
                    s in ("ok", "changed", "reachable") for s in states)
                if result["status"] not in (0, 1) or not complete:
                    raise SystemExit("%s on %d hosts failed: exit %d, %s" % (
                        job, hosts, result["status"], states))
                result["overhead"] = overhead(document) if "steps" in entries[0] else []
                samples.append(result)
            wall = statistics.median(s["wall"] for s in samples)
            cpu = statistics.median(s["cpu"] for s in samples)
            rss = max(s["rss_kib"] for s in samples)
            over = [v for s in samples for v in s["overhead"]]
            rows.append((job, hosts, len(samples), wall, cpu, rss,
                         statistics.median(over) if over else None))
        return setup, rows
    finally:
        subprocess.run([FLEET, "down", folder], stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", default="10,50,200")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--forks", type=int, default=50)
    parser.add_argument("--tool")
    args = parser.parse_args()
    tool = args.tool or build_tool()
    print("tool %s, forks %d, load average %s" % (tool, args.forks,
                                                  " ".join(open("/proc/loadavg").read().split()[:3])))
    print("%-30s %5s %4s %9s %9s %11s %10s %12s %14s" % (
        "job", "hosts", "runs", "wall s", "cpu s", "cpu ms/host", "peak MiB", "wall ms/host",
        "overhead s/host"))
    for hosts in [int(n) for n in args.hosts.split(",")]:
        setup, rows = bench_size(tool, hosts, args.runs, args.forks)
        for job, count, runs, wall, cpu, rss, over in rows:
            print("%-30s %5d %4d %9.2f %9.2f %11.2f %10.1f %12.1f %14s" % (
                job, count, runs, wall, cpu, cpu * 1000 / count, rss / 1024, wall * 1000 / count,
                "%.3f" % over if over is not None else "-"))
        print("  (fleet of %d set up in %.1f s)" % (hosts, setup))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
