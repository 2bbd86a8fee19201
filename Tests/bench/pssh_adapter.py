"""Runs one command on every host with parallel-ssh (libssh2 through ssh2-python), the way its
documentation shows, and prints each output line as `[host] line`. With --upload, copies the
file over SFTP first. Exits 1 when any host failed.

parallel-ssh 2.x checks no host key by default; the other tools in the benchmark do."""

import argparse
import sys

from gevent import joinall
from pssh.clients import ParallelSSHClient


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--forks", type=int, required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--hosts", required=True)
    parser.add_argument("--upload")
    parser.add_argument("--remote")
    parser.add_argument("command", nargs="+")
    arguments = parser.parse_args()

    with open(arguments.hosts) as file:
        hosts = file.read().split()
    client = ParallelSSHClient(
        hosts, user="root", port=arguments.port, pkey=arguments.key,
        pool_size=arguments.forks, num_retries=1, timeout=60)
    if arguments.upload:
        joinall(client.copy_file(arguments.upload, arguments.remote), raise_error=True)

    output = client.run_command(" ".join(arguments.command), stop_on_errors=False)
    failed = 0
    write = sys.stdout.write
    for host_output in output:
        if host_output.exception is not None:
            sys.stderr.write("[%s] %s\n" % (host_output.host, host_output.exception))
            failed += 1
            continue
        for line in host_output.stdout:
            write("[%s] %s\n" % (host_output.host, line))
        for line in host_output.stderr:
            sys.stderr.write("[%s] %s\n" % (host_output.host, line))
    client.join(output)
    for host_output in output:
        if host_output.exception is None and host_output.exit_code != 0:
            failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
