#!/usr/bin/python3
"""Prints the Markdown tables of docs/benchmarks.md from the JSON that bench.py --json wrote:
one table per job and fleet size, then the per-host figures of every tool across sizes.

usage: report.py RESULTS.json"""

import json
import sys

MIB = 1 << 20


def cell_table(result):
    rows = result["rows"]
    fleet = rows.get("minijail-fleet", {})
    lines = [
        "**%s, N = %d** (forks %d, load %.1f)" % (
            result["job"], result["hosts"], result["forks"], result["load"][0]),
        "",
        "| tool | median wall s | client CPU s | CPU ms/host | peak RSS MiB, largest process"
        " | peak RSS MiB, all processes | minijail-fleet / tool, wall | minijail-fleet / tool,"
        " CPU |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in rows.items():
        if row["state"] != "ok":
            reason = row.get("reason", "")
            lines.append("| %s | %s%s | | | | | | |" % (
                name, row["state"], (": " + reason) if reason else ""))
            continue
        wall_ratio = cpu_ratio = ""
        if fleet.get("state") == "ok":
            wall_ratio = "%.2f" % (fleet["wall"] / row["wall"])
            cpu_ratio = "%.2f" % (fleet["cpu"] / row["cpu"]) if row["cpu"] else ""
        lines.append("| %s | %.3f | %.3f | %.2f | %.1f | %.1f | %s | %s |" % (
            name, row["wall"], row["cpu"], row["cpu_per_host_ms"], row["rss"] / MIB,
            row["rss_sum"] / MIB, wall_ratio, cpu_ratio))
    return "\n".join(lines)


def per_host_table(results, job):
    """Wall and CPU per host at each size, and the marginal CPU per added host between
    consecutive sizes, which excludes each tool's fixed start-up cost."""
    cells = [result for result in results if result["job"] == job]
    sizes = [result["hosts"] for result in cells]
    tools = []
    for result in cells:
        for name in result["rows"]:
            if name not in tools:
                tools.append(name)
    header = ["tool"] + ["wall ms/host N=%d" % n for n in sizes] + [
        "CPU ms/host N=%d" % n for n in sizes] + [
        "marginal CPU ms/host %d→%d" % (a, b) for a, b in zip(sizes, sizes[1:])]
    lines = ["**%s**" % job, "", "| " + " | ".join(header) + " |",
             "|---" + "|---:" * (len(header) - 1) + "|"]
    for name in tools:
        rows = [result["rows"].get(name, {"state": "skipped"}) for result in cells]
        walls = ["%.2f" % row["wall_per_host_ms"] if row["state"] == "ok" else row["state"]
                 for row in rows]
        cpus = ["%.2f" % row["cpu_per_host_ms"] if row["state"] == "ok" else row["state"]
                for row in rows]
        marginal = []
        for (a, row_a), (b, row_b) in zip(zip(sizes, rows), list(zip(sizes, rows))[1:]):
            if row_a["state"] == "ok" and row_b["state"] == "ok":
                marginal.append("%.2f" % ((row_b["cpu"] - row_a["cpu"]) / (b - a) * 1000))
            else:
                marginal.append("")
        lines.append("| " + " | ".join([name] + walls + cpus + marginal) + " |")
    return "\n".join(lines)


def main():
    with open(sys.argv[1]) as file:
        report = json.load(file)
    print("Machine: %s" % json.dumps(report["machine"]))
    print("Versions: %s\n" % json.dumps(report["versions"]))
    for result in report["results"]:
        print(cell_table(result) + "\n")
    jobs = []
    for result in report["results"]:
        if result["job"] not in jobs:
            jobs.append(result["job"])
    for job in jobs:
        print(per_host_table(report["results"], job) + "\n")


if __name__ == "__main__":
    main()
