"""An SSH server on loopback whose command replies are scripted, for what OpenSSH's sshd
never does, such as closing a channel without an exit status. Built on paramiko.

    /usr/bin/python3 scripted-sshd.py ADDRESS HOST_KEY AUTHORIZED_KEY READY_FILE

HOST_KEY is an unencrypted OpenSSH Ed25519 private key, AUTHORIZED_KEY the public key
line a client logs in with (any user). The server listens on ADDRESS at a free port,
writes "ADDRESS PORT" to READY_FILE once it listens, and serves until it is killed.
`fleet.sh peer scripted DIR` starts it with the keys of the fleet in DIR.

A connection serves any number of session channels, one command each. Every command
that gets a reply prints "out" on stdout, then:

    exit N              sends exit status N (0 to 4294967295) and closes the channel
    no-status           closes the channel without an exit status
    signal NAME         sends an exit-signal NAME with the core dump flag and the error
                        message "scripted signal", then closes the channel
    status-twice A B    sends exit status A, then B, then closes the channel
    status-after-eof N  sends EOF, then exit status N, then closes the channel
    data-after-status N sends exit status N, then "late" on stdout, then closes
    close-no-eof N      sends exit status N and CLOSE without EOF
    extended TYPE       sends "extra" as extended data of TYPE (stderr is 1), then exit
                        status 0, and closes the channel
    disconnect          sends SSH_MSG_DISCONNECT with reason 11 (by application) and the
                        text "scripted goodbye", then closes the TCP connection
    drop                closes the TCP connection with no SSH goodbye
    no-window           sends no window adjust, so the client can write at most the
                        initial window (2 MiB) of stdin, and keeps the channel open
                        for 60 s
    reject-channels     sends exit status 0, and rejects every later session channel
                        on this connection with "administratively prohibited"

Two commands get no "out": `reject-exec` is rejected with SSH_MSG_CHANNEL_FAILURE, and
`no-reply` gets no reply to its exec request for 60 s, during which the connection
answers nothing at all (paramiko handles every message on one thread).
"""

import os

# Close descriptors inherited from the caller (such as its output pipes) before anything
# opens its own, so a caller that reads fleet.sh's output to the end is not kept waiting.
os.closerange(3, 65536)

import base64  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import queue  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

import paramiko  # noqa: E402
from paramiko.common import (  # noqa: E402
    cMSG_CHANNEL_CLOSE,
    cMSG_CHANNEL_EXTENDED_DATA,
    cMSG_CHANNEL_REQUEST,
    cMSG_DISCONNECT,
)

# How long a scripted stall lasts. Tests give up well before it ends.
STALL_SECONDS = 60


class Server(paramiko.ServerInterface):
    """Accepts one public key and session channels with an exec request."""

    def __init__(self, authorized_blob):
        self.authorized_blob = authorized_blob
        self.commands = queue.Queue()
        self.reject_channels = False

    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        if key.asbytes() == self.authorized_blob:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session" and not self.reject_channels:
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_exec_request(self, channel, command):
        text = command.decode("utf-8", "replace")
        if text == "no-reply":
            # This runs on the transport's thread, so the whole connection stalls.
            time.sleep(STALL_SECONDS)
        # A rejected channel gets no command, so the next channel's command is not acted out
        # on it. The client closes it.
        accepted = text not in ("reject-exec", "no-reply")
        self.commands.put(text if accepted else None)
        return accepted


def send_exit_signal(channel, name, message):
    """Sends an "exit-signal" request, which paramiko has no helper for (RFC 4254 6.10)."""
    packet = paramiko.Message()
    packet.add_byte(cMSG_CHANNEL_REQUEST)
    packet.add_int(channel.remote_chanid)
    packet.add_string("exit-signal")
    packet.add_boolean(False)
    packet.add_string(name)
    packet.add_boolean(True)
    packet.add_string(message)
    packet.add_string("en")
    channel.transport._send_user_message(packet)


def send_extended_data(channel, data_type, data):
    """Sends SSH_MSG_CHANNEL_EXTENDED_DATA of any type, where paramiko sends only type 1."""
    packet = paramiko.Message()
    packet.add_byte(cMSG_CHANNEL_EXTENDED_DATA)
    packet.add_int(channel.remote_chanid)
    packet.add_int(data_type)
    packet.add_string(data)
    channel.transport._send_user_message(packet)


def send_close_only(channel):
    """Sends SSH_MSG_CHANNEL_CLOSE alone, where paramiko's close() sends EOF first."""
    packet = paramiko.Message()
    packet.add_byte(cMSG_CHANNEL_CLOSE)
    packet.add_int(channel.remote_chanid)
    channel.transport._send_user_message(packet)


def send_disconnect(transport, reason, text):
    """Sends SSH_MSG_DISCONNECT with a reason code and text (RFC 4253 11.1)."""
    packet = paramiko.Message()
    packet.add_byte(cMSG_DISCONNECT)
    packet.add_int(reason)
    packet.add_string(text)
    packet.add_string("en")
    transport._send_user_message(packet)


def wait_closed(channel, seconds):
    """Waits until the client closes `channel`, for at most `seconds`."""
    limit = time.monotonic() + seconds
    while not channel.closed and time.monotonic() < limit:
        time.sleep(0.05)


def run_command(transport, server, channel, words):
    """Acts out one command on `channel`. Returns False when the connection is gone."""
    channel.sendall(b"out\n")
    name, arguments = words[0] if words else "", words[1:]
    if name == "exit" and len(arguments) == 1:
        channel.send_exit_status(int(arguments[0]))
    elif name == "no-status" and not arguments:
        pass
    elif name == "signal" and len(arguments) == 1:
        send_exit_signal(channel, arguments[0], "scripted signal")
    elif name == "status-twice" and len(arguments) == 2:
        channel.send_exit_status(int(arguments[0]))
        channel.send_exit_status(int(arguments[1]))
    elif name == "status-after-eof" and len(arguments) == 1:
        channel.shutdown_write()
        channel.send_exit_status(int(arguments[0]))
    elif name == "data-after-status" and len(arguments) == 1:
        channel.send_exit_status(int(arguments[0]))
        channel.sendall(b"late\n")
    elif name == "close-no-eof" and len(arguments) == 1:
        channel.send_exit_status(int(arguments[0]))
        send_close_only(channel)
        wait_closed(channel, 20)
        return True
    elif name == "extended" and len(arguments) == 1:
        send_extended_data(channel, int(arguments[0]), b"extra\n")
        channel.send_exit_status(0)
    elif name == "disconnect" and not arguments:
        send_disconnect(transport, 11, "scripted goodbye")
        # Closing a socket with unread input sends RST, and Linux then drops what the client
        # has not read yet, the DISCONNECT included. So only this side's output ends here,
        # and the transport reads until the client closes.
        transport.sock.shutdown(socket.SHUT_WR)
        transport.join(20)
        return False
    elif name == "drop" and not arguments:
        return False
    elif name == "no-window" and not arguments:
        wait_closed(channel, STALL_SECONDS)
        return True
    elif name == "reject-channels" and not arguments:
        server.reject_channels = True
        channel.send_exit_status(0)
    else:
        channel.sendall_stderr(b"unknown command\n")
        channel.send_exit_status(127)
    # paramiko sends EOF and CLOSE here, and an exit status only when one was sent above.
    channel.close()
    return True


def serve(connection, host_key, authorized_blob):
    """Runs one client's connection, one command per session channel."""
    transport = paramiko.Transport(connection)
    transport.add_server_key(host_key)
    server = Server(authorized_blob)
    try:
        transport.start_server(server=server)
        while transport.is_active():
            channel = transport.accept(20)
            if channel is None:
                return
            try:
                command = server.commands.get(timeout=20)
            except queue.Empty:
                return
            if command is None:
                continue
            if not run_command(transport, server, channel, command.split()):
                return
    except (paramiko.SSHException, EOFError, OSError):
        pass
    finally:
        transport.close()
        connection.close()


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
