#!/usr/bin/python3
"""Benchmarks minijail-fleet against OpenSSH with xargs -P, pdsh, parallel-ssh, Ansible and
pyinfra on a local fleet of real sshd hosts (Tests/fleet/fleet.sh). Not a test: it prints
tables and writes the raw figures as JSON. See docs/benchmarks.md.

Every cell is a warm-up and then --runs timed runs, tools alternating within each round. A
run counts only when the tool exits 0 and its output holds every host's output in full; a
tool that fails a run fails the cell, which is then not timed further."""

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time

import tools

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FLEET = os.path.join(ROOT, "Tests", "fleet", "fleet.sh")
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1 << 20

LINE_64 = "minijail-fleet benchmark line of exactly sixty-four bytes: 0123"  # 63 + newline


class Job:
    """One job: the remote command and the line every host must print (with its count)."""

    def __init__(self, name, command, expected_line, lines_per_host, upload=False):
        self.name = name
        self.command = command
        self.expected_line = expected_line
        self.lines_per_host = lines_per_host
        self.wants_upload = upload
        self.upload = None  # the local file of the current run


def make_jobs(work):
    uname = subprocess.run(["uname", "-a"], capture_output=True, text=True).stdout.strip()
    assert len(LINE_64) == 63
    return {
        "true": Job("true", "true", None, 0),
        "uname": Job("uname -a", "uname -a", uname, 1),
        "lines": Job("1 MiB as 16,384 lines", "yes '%s' | head -n 16384" % LINE_64, LINE_64,
                     16384),
        "line": Job("1 MiB as one line", "head -c 1048575 /dev/zero | tr '\\000' x; echo",
                    "x" * 1048575, 1),
        "upload": Job("upload 1 MiB + sha256sum", tools.upload_script(None), None, 1,
                      upload=True),
    }


def fresh_upload(job, work):
    """Writes a new random 1 MiB file so no tool can skip the copy, and sets the line every
    host must print."""
    path = os.path.join(work, "upload.bin")
    data = os.urandom(MIB)
    with open(path, "wb") as file:
        file.write(data)
    job.upload = path
    job.expected_line = hashlib.sha256(data).hexdigest() + "  " + tools.REMOTE_FILE


def session_rss(session):
    """The summed resident memory, in bytes, of every process in `session`."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as file:
                fields = file.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            total += int(fields[21]) * PAGE
    return total


def measure(run, stdout_path, stderr_path, sample_seconds, wrapper):
    """Runs `run` in its own session under the rusage wrapper and returns wall seconds, user
    plus system CPU seconds of every process it started and waited for, the largest single
    process's peak RSS, the peak of the session's summed RSS (sampled) and the exit status."""
    env = dict(os.environ)
    env.update(run.env)
    figures_path = stdout_path + ".rusage"
    peak_sum = [0]
    done = threading.Event()
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        started = time.monotonic()
        process = subprocess.Popen([wrapper, figures_path] + run.argv, stdout=out, stderr=err,
                                   stdin=subprocess.DEVNULL, env=env, cwd=run.cwd,
                                   start_new_session=True)

        def sample():
            while not done.wait(sample_seconds):
                peak_sum[0] = max(peak_sum[0], session_rss(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        process.wait()
        wall = time.monotonic() - started
        done.set()
        sampler.join()
    with open(figures_path) as file:
        user, system, rss, status = file.read().split()
    return {"wall": wall, "cpu": float(user) + float(system), "rss": int(rss) * 1024,
            "rss_sum": peak_sum[0], "status": int(status)}


def check_output(job, hosts, run, stdout_path):
    """Returns None when the output holds every host's expected lines, else why not."""
    if job.expected_line is None:
        return None
    paths = [stdout_path, stdout_path[:-len("stdout")] + "stderr"]
    if run.output_dir:
        paths = [os.path.join(run.output_dir, name) for name in sorted(os.listdir(run.output_dir))]
    expected = job.expected_line
    wanted = hosts * job.lines_per_host
    found = 0
    for path in paths:
        with open(path, "r", errors="replace") as file:
            text = file.read()
        if job.wants_upload:
            found += text.count(expected.split()[0])
            continue
        for line in text.split("\n"):
            if line.endswith("\r"):
                line = line[:-1]
            if line.endswith(expected):
                found += 1
    if found != wanted:
        return "found %d of %d expected lines (%d bytes of %d)" % (
            found, wanted, found * (len(expected) + 1), wanted * (len(expected) + 1))
    return None


def fleet_up(count, directory):
    subprocess.run([FLEET, "down", directory], check=False)
    subprocess.run([FLEET, "up", str(count), directory], check=True, stdout=subprocess.DEVNULL)
    addresses = []
    with open(os.path.join(directory, "hosts.yml")) as file:
        for line in file:
            if line.strip().startswith("address:"):
                addresses.append(line.split(":", 1)[1].strip())
    return tools.Fleet(directory, addresses, int(os.environ.get("FLEET_PORT", "2222")))


def machine_allows(count):
    """Whether `count` more sshd hosts fit: about 8 MiB of memory each plus spare, and the
    pid and descriptor limits."""
    with open("/proc/meminfo") as file:
        info = dict(line.split(":", 1) for line in file)
    available = int(info["MemAvailable"].split()[0]) * 1024
    with open("/proc/sys/kernel/pid_max") as file:
        pid_max = int(file.read())
    return available > count * 8 * MIB + 2048 * MIB and pid_max > count * 20


def build_invocation(name, fleet, job, forks, work, arguments, supports_upload):
    if name == "baseline":
        return tools.minijail_fleet(fleet, job, forks, work, arguments.baseline, supports_upload)
    builder = tools.TOOLS[name]
    if name in tools.NEEDS_VENV:
        return builder(fleet, job, forks, work, arguments.binary, supports_upload,
                       arguments.venv)
    return builder(fleet, job, forks, work, arguments.binary, supports_upload)


def run_cell_round(names, fleet, job, forks, work, arguments, supports_upload, cells, timed):
    for name in names:
        cell = cells[name]
        if cell["failure"] or cell["unavailable"]:
            continue
        if job.wants_upload:
            fresh_upload(job, work)
        run = build_invocation(name, fleet, job, forks, work, arguments, supports_upload)
        if run is None:
            cell["unavailable"] = True
            continue
        stdout_path = os.path.join(work, "stdout")
        stderr_path = os.path.join(work, "stderr")
        figures = measure(run, stdout_path, stderr_path, arguments.sample,
                          arguments.wrapper)
        problem = None
        if figures["status"] != 0:
            with open(stderr_path, errors="replace") as file:
                tail = file.read()[-300:]
            problem = "exit status %d: %s" % (figures["status"], tail.strip())
        else:
            problem = check_output(job, len(fleet.addresses), run, stdout_path)
        if problem:
            cell["failure"] = problem
            print("    %-15s FAILED: %s" % (name, problem), flush=True)
            continue
        if timed:
            cell["runs"].append(figures)
        print("    %-15s %s %7.3f s wall %7.3f s cpu %6.1f MiB rss %7.1f MiB tree" % (
            name, "timed " if timed else "warmup", figures["wall"], figures["cpu"],
            figures["rss"] / MIB, figures["rss_sum"] / MIB), flush=True)


def summarize(cells, hosts):
    rows = {}
    for name, cell in cells.items():
        if cell["unavailable"]:
            rows[name] = {"state": "not available"}
            continue
        if cell["failure"]:
            rows[name] = {"state": "failed", "reason": cell["failure"]}
            continue
        runs = cell["runs"]
        wall = statistics.median(run["wall"] for run in runs)
        cpu = statistics.median(run["cpu"] for run in runs)
        rows[name] = {
            "state": "ok", "runs": len(runs), "wall": wall, "cpu": cpu,
            "wall_per_host_ms": wall / hosts * 1000, "cpu_per_host_ms": cpu / hosts * 1000,
            "rss": max(run["rss"] for run in runs),
            "rss_sum": max(run["rss_sum"] for run in runs),
            "walls": [run["wall"] for run in runs], "cpus": [run["cpu"] for run in runs],
        }
    return rows


def print_table(job, hosts, rows):
    print("\n%s, N = %d" % (job.name, hosts))
    print("| tool | median wall s | client CPU s | CPU ms/host | peak RSS MiB (largest"
          " process) | peak RSS MiB (all processes) | fleet/tool wall | fleet/tool CPU |")
    print("|---|---|---|---|---|---|---|---|")
    fleet = rows.get("minijail-fleet", {})
    for name, row in rows.items():
        if row["state"] != "ok":
            print("| %s | %s | | | | | | |" % (name, row["state"] + (
                ": " + row["reason"] if "reason" in row else "")))
            continue
        ratio_wall = ratio_cpu = ""
        if fleet.get("state") == "ok":
            ratio_wall = "%.2f" % (fleet["wall"] / row["wall"])
            ratio_cpu = "%.2f" % (fleet["cpu"] / row["cpu"]) if row["cpu"] > 0 else ""
        print("| %s | %.3f | %.3f | %.2f | %.1f | %.1f | %s | %s |" % (
            name, row["wall"], row["cpu"], row["cpu_per_host_ms"], row["rss"] / MIB,
            row["rss_sum"] / MIB, ratio_wall, ratio_cpu))
    sys.stdout.flush()


def tool_versions(arguments):
    def first_line(argv):
        try:
            result = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        except OSError as error:
            return str(error)
        return (result.stdout + result.stderr).strip().split("\n")[0]

    pip = [os.path.join(arguments.venv, "bin", "pip"), "list", "--disable-pip-version-check"]
    packages = first_line(["sh", "-c", " ".join(pip) + " 2>/dev/null | grep -Ei "
                           "'^(parallel-ssh|ssh2-python|ansible-core|pyinfra|paramiko) ' | "
                           "tr -s ' ' | paste -sd ';'"])
    return {
        "minijail-fleet": first_line([arguments.binary, "--version"]),
        "OpenSSH": first_line(["ssh", "-V"]),
        "pdsh": first_line(["pdsh", "-V"]),
        "python packages": packages,
        "python": first_line([os.path.join(arguments.venv, "bin", "python"), "--version"]),
        "kernel": platform.release(),
    }


def machine():
    with open("/proc/cpuinfo") as file:
        model = next((line.split(":", 1)[1].strip() for line in file
                      if line.startswith("model name")), "unknown")
    with open("/proc/meminfo") as file:
        memory = file.readline().split(":", 1)[1].strip()
    return {"nproc": os.cpu_count(), "memory": memory, "cpu": model,
            "load_before": os.getloadavg()}


def build(arguments):
    os.makedirs(arguments.work, exist_ok=True)
    arguments.wrapper = os.path.join(arguments.work, "rusage")
    subprocess.run(["cc", "-O2", "-o", arguments.wrapper, os.path.join(HERE, "rusage.c")],
                   check=True)
    if arguments.no_build:
        return
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", arguments.scratch_path,
                    "--product", "minijail-fleet"], cwd=ROOT, check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,50,200", help="fleet sizes, comma separated")
    parser.add_argument("--jobs", default="true,uname,lines,line,upload")
    parser.add_argument("--tools", default=",".join(tools.TOOLS))
    parser.add_argument("--runs", type=int, default=3, help="timed runs per cell")
    parser.add_argument("--forks", type=int, default=50,
                        help="hosts in flight for every tool (capped at N)")
    parser.add_argument("--scratch-path", default="/tmp/minijail-fleet-bench/build")
    parser.add_argument("--binary", help="minijail-fleet binary (default: the release build)")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--baseline",
                        help="another minijail-fleet binary to run as the tool 'baseline', "
                        "for before/after figures in one run")
    parser.add_argument("--venv", default="/tmp/minijail-fleet-bench/venv")
    parser.add_argument("--work", default="/tmp/minijail-fleet-bench/work")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--sample", type=float, default=0.1,
                        help="seconds between samples of the summed RSS")
    parser.add_argument("--max-tool-seconds", type=float, default=120,
                        help="skip a tool's job at larger sizes once one of its runs took this long")
    arguments = parser.parse_args()
    if arguments.binary is None:
        arguments.binary = os.path.join(arguments.scratch_path, "release", "minijail-fleet")

    build(arguments)
    os.makedirs(arguments.work, exist_ok=True)
    help_text = subprocess.run([arguments.binary, "exec", "--help"], capture_output=True,
                               text=True)
    supports_upload = "--upload" in help_text.stdout + help_text.stderr
    jobs = make_jobs(arguments.work)
    selected_jobs = [jobs[name] for name in arguments.jobs.split(",")]
    names = arguments.tools.split(",")
    if arguments.baseline:
        names.insert(1, "baseline")
    report = {"machine": machine(), "versions": tool_versions(arguments),
              "forks": arguments.forks, "runs": arguments.runs, "results": []}
    print(json.dumps(report, indent=1), flush=True)
    slow_cells = set()
    started = time.monotonic()

    for size in (int(text) for text in arguments.sizes.split(",")):
        if not machine_allows(size):
            print("skipping N = %d: not enough memory or pids for its sshd hosts" % size)
            continue
        directory = os.path.join(arguments.work, "fleet-%d" % size)
        fleet = fleet_up(size, directory)
        try:
            tools.write_inventories(fleet, arguments.work)
            forks = min(arguments.forks, size)
            for job in selected_jobs:
                print("\n== %s, N = %d, forks %d (load %.2f)" % (
                    job.name, size, forks, os.getloadavg()[0]), flush=True)
                active = [name for name in names if (name, job.name) not in slow_cells]
                for name in names:
                    if (name, job.name) in slow_cells:
                        print("    %-15s skipped: a run at a smaller N took over %.0f s" % (
                            name, arguments.max_tool_seconds))
                cells = {name: {"runs": [], "failure": None, "unavailable": False}
                         for name in active}
                for round_index in range(arguments.runs + 1):
                    # Rotate the order each round so no tool always runs first or last.
                    shift = round_index % len(active)
                    order = active[shift:] + active[:shift]
                    run_cell_round(order, fleet, job, forks, arguments.work, arguments,
                                   supports_upload, cells, timed=round_index > 0)
                rows = summarize(cells, size)
                for name, row in rows.items():
                    if row["state"] == "ok" and max(row["walls"]) > arguments.max_tool_seconds:
                        slow_cells.add((name, job.name))
                print_table(job, size, rows)
                report["results"].append({"job": job.name, "hosts": size, "forks": forks,
                                          "load": os.getloadavg(), "rows": rows})
                if arguments.json:
                    with open(arguments.json, "w") as file:
                        json.dump(report, file, indent=1)
        finally:
            subprocess.run([FLEET, "down", directory], check=False)
    report["seconds"] = time.monotonic() - started
    if arguments.json:
        with open(arguments.json, "w") as file:
            json.dump(report, file, indent=1)
    print("\nfinished in %.0f s" % report["seconds"])


if __name__ == "__main__":
    main()
