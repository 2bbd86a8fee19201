"""How each compared tool runs one job on the fleet: its command line, environment and the
text in which the benchmark looks for every host's output."""

import os
import shlex

HERE = os.path.dirname(os.path.abspath(__file__))

# OpenSSH 9.x offers a post-quantum key exchange first that libssh2 lacks, so every OpenSSH
# client is held to the curve25519 exchange libssh2 and paramiko use.
OPENSSH_OPTIONS = [
    "-F", "/dev/null",
    "-o", "BatchMode=yes",
    "-o", "KexAlgorithms=curve25519-sha256",
    "-o", "StrictHostKeyChecking=yes",
    "-o", "GlobalKnownHostsFile=/dev/null",
    "-o", "IdentitiesOnly=yes",
    "-o", "IdentityAgent=none",
    "-o", "ControlMaster=no",
    "-o", "LogLevel=ERROR",
]

REMOTE_FILE = "bench-upload.bin"


class Fleet:
    """The running fleet: addresses, port, client key and known_hosts of `fleet.sh up`."""

    def __init__(self, directory, addresses, port):
        self.directory = directory
        self.addresses = addresses
        self.port = port
        self.key = os.path.join(directory, "id_ed25519")
        self.known_hosts = os.path.join(directory, "known_hosts")
        self.inventory = os.path.join(directory, "hosts.yml")

    def openssh_options(self):
        return OPENSSH_OPTIONS + [
            "-o", "UserKnownHostsFile=" + self.known_hosts, "-i", self.key,
            "-p", str(self.port)]


class Run:
    """One invocation: argv, extra environment, and where its output ends up."""

    def __init__(self, argv, env=None, output_dir=None, cwd=None):
        self.argv = argv
        self.env = env or {}
        self.output_dir = output_dir
        self.cwd = cwd


def upload_script(job):
    """The remote command that hashes the uploaded file."""
    return "sha256sum " + REMOTE_FILE


def minijail_fleet(fleet, job, forks, work, binary, supports_upload):
    argv = [binary, "-i", fleet.inventory, "exec", "--all", "--forks", str(forks)]
    if job.upload is not None:
        if not supports_upload:
            return None
        argv += ["--upload", job.upload + ":" + REMOTE_FILE]
    return Run(argv + ["--", job.command])


def ssh_xargs(fleet, job, forks, work, binary, supports_upload):
    """`xargs -P` starting one `ssh` per host, each writing to its own file so that long
    lines of parallel hosts never interleave. The upload pipes the file into the same
    connection (`cat >FILE`), the cheapest way OpenSSH alone offers."""
    output_dir = os.path.join(work, "xargs-out")
    os.makedirs(output_dir, exist_ok=True)
    for name in os.listdir(output_dir):
        os.unlink(os.path.join(output_dir, name))
    command = job.command
    stdin = "/dev/null"
    if job.upload is not None:
        command = "cat >" + REMOTE_FILE + " && " + upload_script(job)
        stdin = job.upload
    ssh = " ".join(shlex.quote(word) for word in ["ssh"] + fleet.openssh_options())
    per_host = ssh + ' -l root "$1" "$2" <"$3" >"$4/$1.out"'
    hosts_file = os.path.join(work, "addresses")
    script = (
        'xargs -P "$1" -I{} sh -c ' + shlex.quote(per_host)
        + ' sh {} "$2" "$3" "$4" <"$5"')
    argv = ["sh", "-c", script, "ssh-xargs", str(forks), command, stdin, output_dir, hosts_file]
    return Run(argv, output_dir=output_dir)


def pdsh(fleet, job, forks, work, binary, supports_upload):
    options = " ".join(shlex.quote(word) for word in fleet.openssh_options())
    env = {"PDSH_SSH_ARGS": options + " -l%u %h", "PDSH_RCMD_TYPE": "ssh"}
    hosts = "^" + os.path.join(work, "addresses")
    run = ["pdsh", "-S", "-R", "ssh", "-f", str(forks), "-l", "root", "-w", hosts]
    if job.upload is None:
        return Run(run + [job.command], env=env)
    copy = ["pdcp", "-R", "ssh", "-f", str(forks), "-l", "root", "-w", hosts, job.upload,
            REMOTE_FILE]
    script = shlex.join(copy) + " && exec " + shlex.join(run + [upload_script(job)])
    return Run(["sh", "-c", script], env=env)


def parallel_ssh(fleet, job, forks, work, binary, supports_upload, venv):
    argv = [os.path.join(venv, "bin", "python"), os.path.join(HERE, "pssh_adapter.py"),
            "--forks", str(forks), "--key", fleet.key, "--port", str(fleet.port),
            "--hosts", os.path.join(work, "addresses")]
    if job.upload is not None:
        argv += ["--upload", job.upload, "--remote", REMOTE_FILE]
    return Run(argv + ["--", job.command])


def ansible_environment(fleet, work):
    home = os.path.join(work, "ansible-home")
    os.makedirs(home, exist_ok=True)
    options = " ".join(shlex.quote(word) for word in OPENSSH_OPTIONS + [
        "-o", "UserKnownHostsFile=" + fleet.known_hosts])
    return {
        "ANSIBLE_CONFIG": os.path.join(work, "ansible.cfg"),
        "ANSIBLE_HOME": home,
        "ANSIBLE_LOCAL_TEMP": os.path.join(home, "tmp"),
        "ANSIBLE_SSH_ARGS": options,
        "ANSIBLE_SSH_USETTY": "False",
        "ANSIBLE_HOST_KEY_CHECKING": "True",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_PIPELINING": "True",
        "ANSIBLE_DEPRECATION_WARNINGS": "False",
    }


def ansible(fleet, job, forks, work, binary, supports_upload, venv):
    """Ad-hoc `raw` for commands (no module transfer, Ansible's cheapest path) and a
    two-task playbook (`copy`, then `raw`) for the upload."""
    env = ansible_environment(fleet, work)
    inventory = os.path.join(work, "ansible-hosts.ini")
    if job.upload is None:
        argv = [os.path.join(venv, "bin", "ansible"), "all", "-i", inventory, "-m", "raw",
                "-a", job.command, "-f", str(forks)]
        return Run(argv, env=env)
    playbook = os.path.join(work, "ansible-upload.yml")
    with open(playbook, "w") as file:
        file.write(
            "- hosts: all\n  gather_facts: false\n  tasks:\n"
            "    - copy: {src: %s, dest: %s, mode: '0644'}\n"
            "    - raw: %s\n" % (job.upload, REMOTE_FILE, upload_script(job)))
    env["ANSIBLE_STDOUT_CALLBACK"] = "oneline"
    argv = [os.path.join(venv, "bin", "ansible-playbook"), "-i", inventory, playbook, "-f",
            str(forks), "-v"]
    return Run(argv, env=env)


def pyinfra(fleet, job, forks, work, binary, supports_upload, venv):
    """`pyinfra exec` for commands; a deploy of `files.put` then `server.shell` (output shown
    with -vvv) for the upload."""
    inventory = os.path.join(work, "pyinfra_inventory.py")
    program = os.path.join(venv, "bin", "pyinfra")
    if job.upload is None:
        return Run([program, "-y", "--parallel", str(forks), inventory, "exec", "--",
                    job.command], cwd=work)
    deploy = os.path.join(work, "pyinfra_upload.py")
    with open(deploy, "w") as file:
        file.write(
            "from pyinfra.operations import files, server\n"
            "files.put(name='upload', src=%r, dest=%r, mode='644')\n"
            "server.shell(name='hash', commands=[%r])\n"
            % (job.upload, REMOTE_FILE, upload_script(job)))
    return Run([program, "-y", "-vvv", "--parallel", str(forks), inventory, deploy], cwd=work)


def write_inventories(fleet, work):
    """Writes the address list and the Ansible and pyinfra inventories for `fleet`."""
    with open(os.path.join(work, "addresses"), "w") as file:
        file.write("".join(address + "\n" for address in fleet.addresses))
    with open(os.path.join(work, "ansible.cfg"), "w") as file:
        file.write("[defaults]\nhost_key_checking = True\ninterpreter_python = /usr/bin/python3\n")
    with open(os.path.join(work, "ansible-hosts.ini"), "w") as file:
        file.write("[all]\n" + "".join(a + "\n" for a in fleet.addresses))
        file.write("[all:vars]\nansible_port=%d\nansible_user=root\n" % fleet.port)
        file.write("ansible_ssh_private_key_file=%s\n" % fleet.key)
    with open(os.path.join(work, "pyinfra_inventory.py"), "w") as file:
        data = {"ssh_port": fleet.port, "ssh_user": "root", "ssh_key": fleet.key,
                "ssh_known_hosts_file": fleet.known_hosts,
                "ssh_strict_host_key_checking": "yes"}
        file.write("hosts = [(address, %r) for address in %r]\n" % (data, fleet.addresses))


TOOLS = {
    "minijail-fleet": minijail_fleet,
    "ssh+xargs": ssh_xargs,
    "pdsh": pdsh,
    "parallel-ssh": parallel_ssh,
    "ansible": ansible,
    "pyinfra": pyinfra,
}

NEEDS_VENV = {"parallel-ssh", "ansible", "pyinfra"}
