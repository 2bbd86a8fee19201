import FleetSSH
import Foundation
import Testing

@Suite("SSH error messages")
struct SSHErrorRendererTests {
    private static func error(_ phase: SessionPhase, _ reason: SSHFailure) -> SSHError {
        SSHError(host: "web3", endpoint: "10.0.0.3:22", phase: phase, reason: reason)
    }

    private static let cases: [(SSHError, String)] = [
        (
            SSHError(
                host: "web3", endpoint: "web3.example:22", phase: .resolving,
                reason: .nameResolution(message: "Name or service not known")),
            """
            cannot resolve the address of web3 (web3.example:22): Name or service not known; \
            check the address in the inventory
            """
        ),
        (
            error(.hostKey, .knownHostsFile(path: "/kh", errno: EISDIR, message: "Is a directory")),
            """
            cannot use known_hosts file /kh: Is a directory; \
            point known_hosts in the inventory at a file, not a folder
            """
        ),
        (
            error(
                .hostKey,
                .knownHostsFile(path: "/no/kh", errno: ENOENT, message: "No such file or directory")
            ),
            """
            cannot use known_hosts file /no/kh: No such file or directory; \
            create the folder that should contain /no/kh
            """
        ),
        (
            error(
                .hostKey, .knownHostsFile(path: "/kh", errno: EACCES, message: "Permission denied")),
            """
            cannot use known_hosts file /kh: Permission denied; \
            let the user running minijail-fleet read and write it
            """
        ),
        (
            error(
                .upload,
                .sftp(function: "libssh2_sftp_write", status: 14, file: "/a/.f.tmp", path: "/a/f")),
            """
            cannot upload /a/f to 10.0.0.3:22: libssh2_sftp_write on /a/.f.tmp failed: \
            no space left on the file system (SSH_FX_NO_SPACE_ON_FILESYSTEM); free space on the host
            """
        ),
        (
            error(
                .upload,
                .sftp(function: "libssh2_sftp_open_ex", status: 3, file: "/.f.tmp", path: "/f")),
            """
            cannot upload /f to 10.0.0.3:22: libssh2_sftp_open_ex on /.f.tmp failed: \
            permission denied (SSH_FX_PERMISSION_DENIED); check that the login user may write to /
            """
        ),
        (
            error(
                .upload,
                .sftp(function: "libssh2_sftp_open_ex", status: 99, file: ".f.tmp", path: "f")),
            """
            cannot upload f to 10.0.0.3:22: libssh2_sftp_open_ex on .f.tmp failed: SFTP status 99
            """
        ),
        (
            error(.command, .keepalivesUnanswered(count: 3, interval: .seconds(15))),
            """
            command on 10.0.0.3:22 stopped: no reply to 3 keepalives in 45 s; \
            check that the host is up and reachable
            """
        ),
        (
            error(.upload, .keepalivesUnanswered(count: 1, interval: .milliseconds(500))),
            """
            upload on 10.0.0.3:22 stopped: no reply to 1 keepalive in 0.5 s; \
            check that the host is up and reachable
            """
        ),
        (
            error(.keyExchange, .timedOut(after: .seconds(10))),
            """
            cannot start SSH session to 10.0.0.3:22: key exchange timed out after 10 s; \
            check that sshd is running
            """
        ),
        (
            error(.banner, .timedOut(after: .milliseconds(1500))),
            """
            cannot start SSH session to 10.0.0.3:22: no SSH banner after 1.5 s; \
            check that sshd, not another service, listens on that port
            """
        ),
        (
            error(.connecting, .timedOut(after: .seconds(5))),
            """
            cannot connect to 10.0.0.3:22: TCP connect timed out after 5 s; \
            check that the host is up and the port is not filtered
            """
        ),
        (
            error(
                .connecting, .socket(function: "connect", errno: 111, message: "Connection refused")
            ),
            """
            cannot connect to 10.0.0.3:22: connect failed: Connection refused; \
            check that sshd is running and listening on that port
            """
        ),
        (
            error(.banner, .notSSH(firstLine: "HTTP/1.1 400 Bad Request")),
            """
            cannot start SSH session to 10.0.0.3:22: the server sent \"HTTP/1.1 400 Bad Request\" \
            instead of an SSH banner; check that the port belongs to sshd
            """
        ),
        (
            error(.banner, .unsupportedProtocol(identification: "SSH-1.5-OpenSSH_1.2.3")),
            """
            cannot start SSH session to 10.0.0.3:22: the server sent \"SSH-1.5-OpenSSH_1.2.3\", \
            an SSH version other than 2.0; enable SSH protocol 2 in its sshd
            """
        ),
        (
            error(
                .hostKey,
                .hostKeyUnknown(
                    keyType: "ssh-ed25519", fingerprint: "SHA256:abc", knownHostsFile: "/kh")),
            """
            host key of 10.0.0.3:22 (ssh-ed25519 SHA256:abc) is not in /kh; \
            add it with ssh-keyscan or set host_key_checking to accept-new
            """
        ),
        (
            error(
                .hostKey,
                .knownHostsMissing(
                    keyType: "ssh-ed25519", fingerprint: "SHA256:abc", knownHostsFile: "/kh")),
            """
            host key of 10.0.0.3:22 (ssh-ed25519 SHA256:abc) cannot be checked: the \
            known_hosts file /kh does not exist; correct known_hosts in the inventory, or \
            record the host's key in /kh with ssh-keyscan
            """
        ),
        (
            error(
                .hostKey,
                .hostKeyChanged(
                    keyType: "ssh-ed25519", expected: "SHA256:old",
                    actual: "ssh-ed25519 SHA256:new",
                    file: "/kh", line: 4)),
            """
            host key of 10.0.0.3:22 has changed: /kh:4 records ssh-ed25519 SHA256:old, \
            the server presented ssh-ed25519 SHA256:new; if the change is expected, \
            delete line 4 of /kh
            """
        ),
        (
            error(
                .authentication,
                .authenticationFailed(
                    user: "root", offered: ["publickey", "password"],
                    tried: ["publickey SHA256:k (/id)", "agent SHA256:a"])),
            """
            authentication as root to 10.0.0.3:22 failed: the server offers publickey, password; \
            tried publickey SHA256:k (/id), agent SHA256:a; \
            check the user's authorized_keys on the host
            """
        ),
        (
            error(
                .authentication,
                .authenticationFailed(user: "root", offered: ["publickey"], tried: [])),
            """
            authentication as root to 10.0.0.3:22 failed: the server offers publickey; \
            tried nothing (no key configured and the agent not allowed); \
            set identity_file, or set ssh_agent to true and run ssh-agent, in the inventory
            """
        ),
        (
            error(
                .authentication,
                .authenticationFailed(
                    user: "root", offered: ["publickey"],
                    tried: ["agent (cannot connect to /a.sock: failed connecting with agent)"])),
            """
            authentication as root to 10.0.0.3:22 failed: the server offers publickey; \
            tried agent (cannot connect to /a.sock: failed connecting with agent); \
            check that ssh-agent runs, that SSH_AUTH_SOCK names its socket and that \
            ssh-add -l lists a key, or set identity_file in the inventory
            """
        ),
        (
            error(
                .authentication,
                .authenticationFailed(
                    user: "root", offered: ["publickey"], tried: ["agent (no identities)"])),
            """
            authentication as root to 10.0.0.3:22 failed: the server offers publickey; \
            tried agent (no identities); \
            check that ssh-agent runs, that SSH_AUTH_SOCK names its socket and that \
            ssh-add -l lists a key, or set identity_file in the inventory
            """
        ),
        (
            error(
                .channel,
                .libssh2(function: "libssh2_channel_open_ex", code: -21, message: "denied")),
            """
            opening a channel on 10.0.0.3:22 failed: libssh2_channel_open_ex returned \
            LIBSSH2_ERROR_CHANNEL_FAILURE (-21): denied
            """
        ),
        (
            error(
                .upload,
                .renameFailed(
                    temporary: "/etc/.motd.upload-7", path: "/etc/motd",
                    message: "mv ended with exited(1)")),
            """
            cannot upload /etc/motd to 10.0.0.3:22: renaming /etc/.motd.upload-7 to /etc/motd \
            failed: mv ended with exited(1)
            """
        ),
        (
            error(.command, .commandTooLong(bytes: 40_005)),
            """
            command on 10.0.0.3:22 not sent: it is 40005 bytes, more than one SSH request \
            carries (about 34,000); copy it to the host as a script, for example with \
            exec --upload, and run that
            """
        ),
        (
            error(.command, .becomePasswordRequired(tool: "sudo")),
            """
            sudo on 10.0.0.3:22 needs a password, which a batch run cannot give; allow the user \
            to run commands with sudo without a password, or log in as root
            """
        ),
        (
            error(.command, .becomeToolMissing(tool: "doas")),
            """
            doas is not installed on 10.0.0.3:22, or not on the login user's PATH; install it \
            (pkg install doas), set become_method to the other tool, or log in as root
            """
        ),
        (error(.command, .cancelled), "command on 10.0.0.3:22 was interrupted"),
        (
            {
                var failure = error(.command, .cancelled)
                failure.stop = .notSignalled("pgrep is not installed on the host")
                return failure
            }(),
            """
            command on 10.0.0.3:22 was interrupted; it may still run on the host: pgrep is not \
            installed on the host
            """
        ),
        (
            error(
                .hostKey,
                .hostKeyRevoked(
                    keyType: "ssh-ed25519", fingerprint: "SHA256:abc", file: "/kh", line: 4)),
            """
            host key of 10.0.0.3:22 (ssh-ed25519 SHA256:abc) is revoked at /kh:4; give the host \
            a new key, or delete that line if the revocation is a mistake
            """
        ),
        (
            {
                var failure = error(
                    .upload,
                    .renameFailed(
                        temporary: "/etc/.motd.upload-7", path: "/etc/motd",
                        message: "mv: /etc/motd: Read-only file system"))
                failure.leftover = "/etc/.motd.upload-7"
                return failure
            }(),
            """
            cannot upload /etc/motd to 10.0.0.3:22: renaming /etc/.motd.upload-7 to /etc/motd \
            failed: mv: /etc/motd: Read-only file system; remove the temporary file \
            /etc/.motd.upload-7 from the host if it is still there
            """
        ),
    ]

    @Test("each failure reads as one sentence", arguments: cases)
    func messages(error: SSHError, message: String) {
        #expect(SSHErrorRenderer.message(for: error) == message)
    }

    @Test("an error interpolated into a reason reads as its sentence", arguments: cases)
    func interpolated(error: SSHError, message: String) {
        #expect("\(error)" == message)
    }

    private static let keyCases: [(PrivateKeyProblem.Kind, String)] = [
        (
            PrivateKeyProblem.Kind.unreadable(errno: 2, message: "No such file or directory"),
            "cannot use private key /k: No such file or directory; check identity_file in the inventory"
        ),
        (
            .notAPrivateKey,
            "cannot use private key /k: the file is not a private key in OpenSSH or PEM format"
        ),
        (
            .passphraseMissing(variable: nil),
            """
            cannot use private key /k: the key is encrypted and the inventory gives no \
            passphrase_env; set passphrase_env to the name of an environment variable that \
            contains the key's passphrase, or add the key to ssh-agent with ssh-add and remove \
            identity_file from the inventory
            """
        ),
        (
            .passphraseMissing(variable: "DEPLOY_KEY_PASSPHRASE"),
            """
            cannot use private key /k: the key is encrypted and DEPLOY_KEY_PASSPHRASE, the \
            environment variable passphrase_env names, is not set; set it to the key's \
            passphrase
            """
        ),
        (
            .rejected(code: -48, message: "Private key unpack failed (correct password?)"),
            """
            cannot use private key /k: libssh2 cannot decode it (LIBSSH2_ERROR_KEYFILE_AUTH_FAILED: \
            Private key unpack failed (correct password?)); \
            check the passphrase and that the key type is ed25519, ecdsa or rsa
            """
        ),
    ]

    @Test("key problems name the file", arguments: keyCases)
    func keyMessages(kind: PrivateKeyProblem.Kind, message: String) {
        #expect(SSHErrorRenderer.message(for: PrivateKeyProblem(path: "/k", kind: kind)) == message)
    }

    @Test("passphrases never print")
    func secretHidden() {
        let target = SSHTarget(
            name: "a", address: "127.0.0.1", user: "root", passphrase: .init("hunter2"),
            knownHostsFile: "/kh")
        #expect(!String(describing: target).contains("hunter2"))
    }
}
