import FleetCore
import FleetSSH
import Foundation
import Testing

@Suite("authentication and private keys")
struct AuthenticationTests {
    private func fingerprint(_ publicKey: String) async throws -> String {
        String(
            try await TestFleet.run(["ssh-keygen", "-l", "-f", publicKey]).split(separator: " ")[1])
    }

    /// Creates a `type` key without passphrase in the fleet's folder, lets it log in to the
    /// fleet's hosts, and returns its path.
    private func authorizedKey(_ type: String, in fleet: TestFleet) async throws -> String {
        let key = fleet.directory + "/client_\(type)"
        try await TestFleet.run(["ssh-keygen", "-q", "-t", type, "-N", "", "-f", key])
        try await TestFleet.run([
            "sh", "-c", "cat \"$1\" >> \"$2\"", "sh", key + ".pub",
            fleet.directory + "/authorized_keys",
        ])
        return key
    }

    @Test("wrong key names user, methods and key tried")
    func wrongKey() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let other = fleet.directory + "/other_ed25519"
        try await TestFleet.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other])
        let otherFingerprint = try await fingerprint(other + ".pub")
        var target = fleet.target()
        target.identityFile = other

        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .authentication,
                reason: .authenticationFailed(
                    user: "root", offered: ["publickey"],
                    tried: ["publickey \(otherFingerprint) (\(other))"]))
        ) {
            try await SSHConnection.open(target)
        }
    }

    @Test("key types ecdsa and rsa log in", arguments: ["ecdsa", "rsa"])
    func keyTypes(type: String) async throws {
        let fleet = try await TestFleet.start(
            count: 1, environment: ["FLEET_HOST_KEY_TYPES": "ed25519 rsa"])
        defer { fleet.stop() }
        let key = try await authorizedKey(type, in: fleet)
        var target = fleet.target()
        target.identityFile = key
        let connection = try await SSHConnection.open(target)
        #expect(try await connection.run("echo ok").stdout.text == "ok\n")
        await connection.close()
    }

    @Test("rejected RSA key names SHA-1 signing")
    func rsaWithoutSHA1() async throws {
        // The hosts keep OpenSSH's default PubkeyAcceptedAlgorithms, without ssh-rsa.
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let key = try await authorizedKey("rsa", in: fleet)
        let keyFingerprint = try await fingerprint(key + ".pub")
        var target = fleet.target()
        target.identityFile = key

        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .authentication,
                reason: .authenticationFailed(
                    user: "root", offered: ["publickey"],
                    tried: [
                        "publickey \(keyFingerprint) (\(key), an ssh-rsa key, which libssh2 1.10 "
                            + "signs with SHA-1 only and OpenSSH 8.8 or later rejects unless "
                            + "PubkeyAcceptedAlgorithms includes ssh-rsa)"
                    ]))
        ) {
            try await SSHConnection.open(target)
        }
    }

    @Test("encrypted key works with its passphrase")
    func passphrase() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        try await TestFleet.run([
            "ssh-keygen", "-q", "-p", "-N", "s3cret word", "-f", fleet.identityFile,
        ])
        var target = fleet.target()
        target.passphrase = Secret("s3cret word")
        let key = try SSHPrivateKey.load(path: fleet.identityFile, passphrase: target.passphrase)
        #expect(key.keyType == "ssh-ed25519")
        #expect(key.fingerprint == (try await fingerprint(fleet.identityFile + ".pub")))
        let connection = try await SSHConnection.open(target, key: key)
        #expect(try await connection.run("echo ok").stdout.text == "ok\n")
        await connection.close()
    }

    @Test("unloadable keys are found before any host")
    func unloadable() async throws {
        let directory = NSTemporaryDirectory() + "keys-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let encrypted = directory + "/encrypted"
        try await TestFleet.run([
            "ssh-keygen", "-q", "-t", "ed25519", "-N", "right", "-f", encrypted,
        ])
        let garbage = directory + "/garbage"
        try "not a key\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let missing = directory + "/missing"

        func target(_ name: String, _ path: String, _ passphrase: String?) -> SSHTarget {
            SSHTarget(
                name: name, address: "127.0.0.1", user: "root", identityFile: path,
                passphrase: passphrase.map(Secret.init), knownHostsFile: directory + "/kh")
        }
        let ring = SSHKeyRing(targets: [
            target("a", missing, nil), target("b", missing, nil), target("c", garbage, nil),
            target("d", encrypted, nil), target("e", encrypted + "", "wrong"),
        ])
        #expect(ring.problems.map(\.path) == [missing, garbage, encrypted])
        #expect(
            ring.problems[0].kind
                == .unreadable(errno: ENOENT, message: "No such file or directory"))
        #expect(ring.problems[1].kind == .notAPrivateKey)
        #expect(ring.problems[2].kind == .passphraseMissing(variable: nil))

        #expect(throws: PrivateKeyProblem.self) {
            try SSHPrivateKey.load(path: encrypted, passphrase: Secret("wrong"))
        }
        do {
            _ = try SSHPrivateKey.load(path: encrypted, passphrase: Secret("wrong"))
        } catch {
            #expect(
                error.kind
                    == .rejected(
                        code: -48, message: "Private key unpack failed (correct password?)"))
        }
        #expect(
            try SSHPrivateKey.load(path: encrypted, passphrase: Secret("right")).keyType
                == "ssh-ed25519")
    }

    @Test("driver reports a bad key without contacting the host")
    func driverSkipsBadKey() async throws {
        var target = SSHTarget(
            name: "web1", address: "127.0.0.1", port: 1, user: "root",
            identityFile: "/nonexistent/key", knownHostsFile: "/nonexistent/kh")
        target.connectTimeout = .seconds(1)
        let ring = SSHKeyRing(targets: [target])
        let results = await SSHFleet.run([target], keys: ring) { _ in }
        guard case .unreachable(.authentication, let error) = results[0].state else {
            Issue.record("expected unreachable, got \(results[0].state)")
            return
        }
        #expect(error.reason == .privateKey(ring.problems[0]))
    }
}

@Suite("ssh-agent")
struct AgentTests {
    /// Starts ssh-agent in the foreground (-D), so it stays this test's child, on `socket`;
    /// the caller stops it by its pid with SIGKILL, because the agent inherits a signal mask
    /// that may block SIGTERM.
    static func startAgent(socket: String) async throws -> Process {
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/ssh-agent")
        agent.arguments = ["-D", "-a", socket]
        agent.standardOutput = FileHandle.nullDevice
        agent.standardError = FileHandle.nullDevice
        try agent.run()
        while !FileManager.default.fileExists(atPath: socket) {
            try await Task.sleep(for: .milliseconds(10))
        }
        return agent
    }

    /// Runs the python3 `script` with `arguments` and returns once it created `socket`; the
    /// caller stops it by its pid.
    static func startPython(_ script: String, arguments: [String], socket: String)
        async throws -> Process
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        try process.run()
        while !FileManager.default.fileExists(atPath: socket) {
            try await Task.sleep(for: .milliseconds(10))
        }
        return process
    }

    /// Adds the private key `key` to the agent on `socket`. The socket file appears just
    /// before the agent listens, so the first attempts may fail and are retried.
    static func add(_ key: String, socket: String) async throws {
        for attempt in 1...50 {
            do {
                try await TestFleet.run(
                    ["ssh-add", "-q", key], environment: ["SSH_AUTH_SOCK": socket])
                return
            } catch  where attempt < 50 {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    @Test("agent is tried only when allowed")
    func agentOnlyWhenAllowed() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let socket = fleet.directory + "/agent.sock"
        let agent = try await Self.startAgent(socket: socket)
        defer { kill(agent.processIdentifier, SIGKILL) }
        try await Self.add(fleet.identityFile, socket: socket)

        var target = fleet.target()
        target.identityFile = nil
        target.agentSocket = socket
        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .authentication,
                reason: .authenticationFailed(user: "root", offered: ["publickey"], tried: []))
        ) {
            try await SSHConnection.open(target)
        }

        target.useAgent = true
        let connection = try await SSHConnection.open(target)
        #expect(try await connection.run("echo agent").stdout.text == "agent\n")
        await connection.close()
    }

    @Test("missing agent socket is named")
    func missingAgentSocket() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target()
        target.identityFile = nil
        target.useAgent = true
        target.agentSocket = fleet.directory + "/no-agent.sock"
        do {
            let connection = try await SSHConnection.open(target)
            await connection.close()
            Issue.record("the connection opened without a key")
        } catch let error as SSHError {
            guard case .authenticationFailed(_, _, let tried) = error.reason else {
                Issue.record("unexpected failure \(error.reason)")
                return
            }
            #expect(tried.count == 1)
            let start = "agent (cannot connect to \(fleet.directory)/no-agent.sock: "
            #expect(tried.first?.hasPrefix(start) == true, "\(tried)")
        }
    }

    @Test("silent agent ends at the handshake timeout")
    func silentAgent() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let socket = fleet.directory + "/silent-agent.sock"
        // A socket that listens but never accepts, reads or replies, stopped by its pid.
        let listener = try await Self.startPython(
            """
            import socket, sys, time
            server = socket.socket(socket.AF_UNIX)
            server.bind(sys.argv[1])
            server.listen(8)
            time.sleep(600)
            """,
            arguments: [socket], socket: socket)
        defer { kill(listener.processIdentifier, SIGKILL) }

        var target = fleet.target()
        target.identityFile = nil
        target.useAgent = true
        target.agentSocket = socket
        target.connectTimeout = .seconds(2)
        let start = ContinuousClock.now
        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .authentication,
                reason: .authenticationFailed(
                    user: "root", offered: ["publickey"],
                    tried: [
                        "agent (cannot list identities: no reply within the 2 s handshake timeout)"
                    ]))
        ) {
            try await SSHConnection.open(target)
        }
        // The reason names the 2 s deadline; the slack is for a busy machine.
        #expect(ContinuousClock.now - start < .seconds(9))
    }

    @Test("agent signing past deadline is named")
    func slowSigningAgent() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let agentSocket = fleet.directory + "/agent.sock"
        let agent = try await Self.startAgent(socket: agentSocket)
        defer { kill(agent.processIdentifier, SIGKILL) }
        try await Self.add(fleet.identityFile, socket: agentSocket)

        // A relay to the agent that passes the key list on at once and delays the signature
        // by 3 s, past the 2 s deadline.
        let socket = fleet.directory + "/slow-agent.sock"
        let relay = try await Self.startPython(
            """
            import socket, sys, threading, time
            upstream, path = sys.argv[1:3]
            server = socket.socket(socket.AF_UNIX)
            server.bind(path)
            server.listen(8)
            def pump(source, destination, delay):
                while True:
                    data = source.recv(65536)
                    if not data:
                        break
                    # Reply type 14 is SSH2_AGENT_SIGN_RESPONSE.
                    if delay and len(data) > 4 and data[4] == 14:
                        time.sleep(3)
                    destination.sendall(data)
            def relay(client):
                agent = socket.socket(socket.AF_UNIX)
                agent.connect(upstream)
                threading.Thread(target=pump, args=(client, agent, False), daemon=True).start()
                pump(agent, client, True)
            while True:
                client, _ = server.accept()
                threading.Thread(target=relay, args=(client,), daemon=True).start()
            """,
            arguments: [agentSocket, socket], socket: socket)
        defer { kill(relay.processIdentifier, SIGKILL) }

        var target = fleet.target()
        target.identityFile = nil
        target.useAgent = true
        target.agentSocket = socket
        target.connectTimeout = .seconds(2)
        let keyFingerprint = String(
            try await TestFleet.run(["ssh-keygen", "-l", "-f", fleet.identityFile + ".pub"])
                .split(separator: " ")[1])
        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .authentication,
                reason: .authenticationFailed(
                    user: "root", offered: ["publickey"],
                    tried: [
                        "agent \(keyFingerprint) (no signature within the 2 s handshake "
                            + "timeout)"
                    ]))
        ) {
            try await SSHConnection.open(target)
        }
    }

    @Test(
        "agent keys past MaxAuthTries are not listed",
        arguments: [
            (8, " before the agent's other 2 keys"), (7, " before the agent's other key"),
            (6, ""),
        ])
    func agentPastMaxAuthTries(keyCount: Int, untriedClause: String) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let agentSocket = fleet.directory + "/agent.sock"
        let agent = try await Self.startAgent(socket: agentSocket)
        defer { kill(agent.processIdentifier, SIGKILL) }

        // Keys the host does not accept, against the fleet's MaxAuthTries 6. With six
        // keys, the server disconnects after the last one, so no key is left untried.
        var fingerprints: [String] = []
        for index in 1...keyCount {
            let key = fleet.directory + "/wrong\(index)"
            _ = try await TestFleet.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key])
            fingerprints.append(
                String(
                    try await TestFleet.run(["ssh-keygen", "-l", "-f", key + ".pub"])
                        .split(separator: " ")[1]))
            try await Self.add(key, socket: agentSocket)
        }

        var target = fleet.target()
        target.identityFile = nil
        target.useAgent = true
        target.agentSocket = agentSocket
        let listed = try await TestFleet.run(
            ["ssh-add", "-l"], environment: ["SSH_AUTH_SOCK": agentSocket])
        let order = listed.split(separator: "\n").map { String($0.split(separator: " ")[1]) }
        #expect(Set(order) == Set(fingerprints))
        await #expect(
            throws: SSHError(
                host: "host01", endpoint: target.endpoint, phase: .authentication,
                reason: .authenticationFailed(
                    user: "root", offered: ["publickey"],
                    tried: order.prefix(6).map { "agent \($0)" } + [
                        "then the server disconnected (\"Too many authentication failures\", "
                            + "as sshd does after MaxAuthTries)\(untriedClause)"
                    ]))
        ) {
            try await SSHConnection.open(target)
        }
    }
}
