"""An SSH server on loopback whose command replies are scripted, for what OpenSSH's sshd
never does, such as closing a channel without an exit status. Built on paramiko.

    /usr/bin/python3 scripted-sshd.py ADDRESS HOST_KEY AUTHORIZED_KEY READY_FILE

HOST_KEY is an unencrypted OpenSSH Ed25519 private key, AUTHORIZED_KEY the public key
line a client logs in with (any user). The server listens on ADDRESS at a free port,
writes "ADDRESS PORT" to READY_FILE once it listens, and serves until it is killed.
`fleet.sh peer scripted DIR` starts it with the keys of the fleet in DIR.

Every command prints "out" on stdout, then:

    exit N     sends exit status N and closes the channel
    no-status  closes the channel without an exit status
"""

import os

# Close descriptors inherited from the caller (such as its output pipes) before anything
# opens its own, so a caller that reads fleet.sh's output to the end is not kept waiting.
os.closerange(3, 65536)

import base64  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402

import paramiko  # noqa: E402


class Server(paramiko.ServerInterface):
    """Accepts one public key and session channels with an exec request."""

    def __init__(self, authorized_blob):
        self.authorized_blob = authorized_blob
        self.command = None
        self.exec_received = threading.Event()

    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        if key.asbytes() == self.authorized_blob:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel, command):
        self.command = command.decode("utf-8", "replace")
        self.exec_received.set()
        return True


def serve(connection, host_key, authorized_blob):
    """Runs one client's connection: one channel, one command."""
    transport = paramiko.Transport(connection)
    transport.add_server_key(host_key)
    server = Server(authorized_blob)
    try:
        transport.start_server(server=server)
        channel = transport.accept(20)
        if channel is None or not server.exec_received.wait(20):
            return
        words = server.command.split()
        channel.sendall(b"out\n")
        if len(words) == 2 and words[0] == "exit":
            channel.send_exit_status(int(words[1]))
        elif words != ["no-status"]:
            channel.sendall_stderr(b"unknown command\n")
            channel.send_exit_status(127)
        # paramiko sends EOF and CLOSE here, and an exit status only when asked above.
        channel.close()
        # The client says goodbye once it has read the close.
        transport.join(20)
    except (paramiko.SSHException, EOFError, OSError):
        pass
    finally:
        transport.close()


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: scripted-sshd.py ADDRESS HOST_KEY AUTHORIZED_KEY READY_FILE")
    address, host_key_path, authorized_path, ready_file = sys.argv[1:]
    host_key = paramiko.Ed25519Key.from_private_key_file(host_key_path)
    with open(authorized_path, encoding="ascii") as file:
        authorized_blob = base64.b64decode(file.read().split()[1])

    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, 0))
    listener.listen(16)
    # The caller polls for the file, so it must appear complete.
    with open(ready_file + ".tmp", "w", encoding="ascii") as file:
        file.write(f"{address} {listener.getsockname()[1]}\n")
    os.rename(ready_file + ".tmp", ready_file)

    while True:
        connection, _ = listener.accept()
        threading.Thread(
            target=serve, args=(connection, host_key, authorized_blob), daemon=True
        ).start()


if __name__ == "__main__":
    main()
