import FleetSSH
import Foundation
import Testing

@Suite("host key checking against real sshd")
struct HostKeyTests {
    /// Opens a connection and returns the error, or nil when it succeeded.
    private func openError(_ target: SSHTarget) async -> SSHError? {
        do {
            let connection = try await SSHConnection.open(target)
            await connection.close()
            return nil
        } catch {
            return error as? SSHError
        }
    }

    @Test(
        "unusable known_hosts fails the host",
        arguments: [
            ("folder", HostKeyChecking.strict), ("folder", .acceptNew), ("missing", .acceptNew),
        ])
    func unusableFile(kind: String, mode: HostKeyChecking) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target(checking: mode)
        target.knownHostsFile = fleet.directory + (kind == "folder" ? "/kh.d" : "/none/kh")
        if kind == "folder" {
            try FileManager.default.createDirectory(
                atPath: target.knownHostsFile, withIntermediateDirectories: false)
        }
        let error = await openError(target)
        #expect(error?.phase == .hostKey)
        #expect(error?.unreachableReason == .hostKey)
        let expected =
            kind == "folder"
            ? "cannot use known_hosts file \(target.knownHostsFile): Is a directory; "
                + "point known_hosts in the inventory at a file, not a folder"
            : "cannot use known_hosts file \(target.knownHostsFile): No such file or directory; "
                + "create the folder that should contain \(target.knownHostsFile)"
        #expect(error.map(SSHErrorRenderer.message(for:)) == expected)
    }

    @Test("recorded key is accepted in every mode", arguments: HostKeyChecking.allCases)
    func known(mode: HostKeyChecking) async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        #expect(await openError(fleet.target(checking: mode)) == nil)
    }

    @Test("unknown key fails strict, is recorded by accept-new, passes off")
    func unknown() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let recorded = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8)
        try "".write(toFile: fleet.knownHosts, atomically: true, encoding: .utf8)

        let strict = await openError(fleet.target(checking: .strict))
        guard case .hostKeyUnknown(let type, let fingerprint, let file) = strict?.reason else {
            Issue.record("expected an unknown host key, got \(String(describing: strict))")
            return
        }
        #expect(type == "ssh-ed25519")
        #expect(fingerprint.hasPrefix("SHA256:"))
        #expect(file == fleet.knownHosts)
        #expect(strict?.phase == .hostKey)
        #expect(try String(contentsOfFile: fleet.knownHosts, encoding: .utf8) == "")

        #expect(await openError(fleet.target(checking: .off)) == nil)
        #expect(try String(contentsOfFile: fleet.knownHosts, encoding: .utf8) == "")

        var acceptNew = fleet.target(checking: .acceptNew)
        acceptNew.hashKnownHosts = false
        #expect(await openError(acceptNew) == nil)
        #expect(try String(contentsOfFile: fleet.knownHosts, encoding: .utf8) == recorded)
        #expect(await openError(fleet.target(checking: .strict)) == nil)
    }

    @Test("strict with missing file names it")
    func strictMissingFile() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        var target = fleet.target(checking: .strict)
        target.knownHostsFile = fleet.directory + "/no_known_hosts"

        let error = await openError(target)
        guard case .knownHostsMissing(let type, let fingerprint, let file) = error?.reason else {
            Issue.record("expected a missing known_hosts file, got \(String(describing: error))")
            return
        }
        #expect(type == "ssh-ed25519")
        #expect(fingerprint.hasPrefix("SHA256:"))
        #expect(file == target.knownHostsFile)
        #expect(error?.phase == .hostKey)
        #expect(error?.unreachableReason == .hostKey)
        #expect(!FileManager.default.fileExists(atPath: target.knownHostsFile))
    }

    @Test("changed key fails strict and accept-new with both fingerprints")
    func changed() async throws {
        let fleet = try await TestFleet.start(count: 2)
        defer { fleet.stop() }
        // Record host02's key under host01's name, on line 1.
        let lines = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8).split(
            separator: "\n")
        let forged = lines[1].replacingOccurrences(of: fleet.addresses[1], with: fleet.addresses[0])
        try (forged + "\n").write(toFile: fleet.knownHosts, atomically: true, encoding: .utf8)
        let expected = try await TestFleet.run([
            "ssh-keygen", "-l", "-f", fleet.directory + "/host02/ssh_host_ed25519_key.pub",
        ])
        let actual = try await TestFleet.run([
            "ssh-keygen", "-l", "-f", fleet.directory + "/host01/ssh_host_ed25519_key.pub",
        ])

        for mode in [HostKeyChecking.strict, .acceptNew] {
            let error = await openError(fleet.target(checking: mode))
            #expect(
                error?.reason
                    == .hostKeyChanged(
                        keyType: "ssh-ed25519", expected: String(expected.split(separator: " ")[1]),
                        actual: "ssh-ed25519 " + String(actual.split(separator: " ")[1]),
                        file: fleet.knownHosts, line: 1))
        }
        #expect(await openError(fleet.target(checking: .off)) == nil)
        #expect(try String(contentsOfFile: fleet.knownHosts, encoding: .utf8) == forged + "\n")
    }

    @Test("revoked key fails strict and accept-new")
    func revoked() async throws {
        let fleet = try await TestFleet.start(count: 1)
        defer { fleet.stop() }
        let recorded = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8)
        let key = recorded.split(separator: " ").dropFirst().joined(separator: " ")
        let contents = recorded + "@revoked * " + key
        try contents.write(toFile: fleet.knownHosts, atomically: true, encoding: .utf8)
        let listed = try await TestFleet.run([
            "ssh-keygen", "-l", "-f", fleet.directory + "/host01/ssh_host_ed25519_key.pub",
        ])
        let fingerprint = String(listed.split(separator: " ")[1])

        for mode in [HostKeyChecking.strict, .acceptNew] {
            let error = await openError(fleet.target(checking: mode))
            #expect(
                error?.reason
                    == .hostKeyRevoked(
                        keyType: "ssh-ed25519", fingerprint: fingerprint, file: fleet.knownHosts,
                        line: 2))
        }
        // Off reads no known_hosts file at all.
        #expect(await openError(fleet.target(checking: .off)) == nil)
        #expect(try String(contentsOfFile: fleet.knownHosts, encoding: .utf8) == contents)
    }

    @Test("accept-new records hashed entries OpenSSH finds", arguments: ["IPv4", "IPv6"])
    func acceptNewHashed(family: String) async throws {
        let fleet = try await TestFleet.start(
            count: 1, environment: family == "IPv6" ? ["FLEET_IPV6": "1"] : [:])
        defer { fleet.stop() }
        let recorded = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8)
        try "".write(toFile: fleet.knownHosts, atomically: true, encoding: .utf8)

        #expect(await openError(fleet.target(checking: .acceptNew)) == nil)
        let written = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8)
        let fields = written.split(separator: " ")
        #expect(fields.count == 3)
        #expect(fields.first?.hasPrefix("|1|") == true)
        #expect(!written.contains(fleet.addresses[0]))
        // The key itself is the one fleet.sh recorded in clear text.
        #expect(
            fields.dropFirst().joined(separator: " ")
                == recorded.split(separator: " ")
                .dropFirst().joined(separator: " "))

        // ssh-keygen -F looks the name up as OpenSSH's client would and exits 1 when no
        // entry matches, which makes TestFleet.run throw.
        let name = "[\(fleet.addresses[0])]:\(fleet.ports[0])"
        let found = try await TestFleet.run(["ssh-keygen", "-F", name, "-f", fleet.knownHosts])
        #expect(found.contains("ssh-ed25519 "))
        #expect(await openError(fleet.target(checking: .strict)) == nil)
        #expect(try String(contentsOfFile: fleet.knownHosts, encoding: .utf8) == written)
    }

    @Test("hashed entries on port 22 match")
    func hashedPort22() async throws {
        let fleet = try await TestFleet.start(count: 1, environment: ["FLEET_PORT": "22"])
        defer { fleet.stop() }
        try await TestFleet.run(["ssh-keygen", "-q", "-H", "-f", fleet.knownHosts])
        let contents = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8)
        #expect(contents.hasPrefix("|1|"))
        #expect(!contents.contains(fleet.addresses[0]))
        #expect(await openError(fleet.target()) == nil)
    }

    @Test(
        "recorded key type is negotiated",
        arguments: ["ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa"])
    func recordedTypePreferred(keyType: String) async throws {
        let fleet = try await TestFleet.start(
            count: 1, environment: ["FLEET_HOST_KEY_TYPES": "ed25519 ecdsa rsa"])
        defer { fleet.stop() }
        let lines = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8).split(
            separator: "\n")
        let kept = lines.filter { $0.split(separator: " ")[1] == keyType }
        #expect(kept.count == 1)
        try (kept.joined(separator: "\n") + "\n").write(
            toFile: fleet.knownHosts, atomically: true, encoding: .utf8)
        #expect(await openError(fleet.target()) == nil)
    }
}
