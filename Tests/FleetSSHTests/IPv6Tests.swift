import FleetSSH
import Foundation
import Testing

@Suite("IPv6 hosts on ::1")
struct IPv6Tests {
    @Test("command runs over ::1 with [::1]:port host keys")
    func commandOverIPv6() async throws {
        let fleet = try await TestFleet.start(count: 2, environment: ["FLEET_IPV6": "1"])
        defer { fleet.stop() }
        let known = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8)
        #expect(known.hasPrefix("[::1]:\(fleet.ports[0]) ssh-ed25519 "))

        let results = await SSHFleet.run((0..<2).map { fleet.target($0) }) { connection in
            try await connection.run("echo \"$SSH_CONNECTION\"")
        }

        for (index, result) in results.enumerated() {
            #expect(result.state == .ok, "host \(index + 1): \(result.state)")
            // sshd sets SSH_CONNECTION to "client-address client-port server-address server-port".
            let fields = result.commands.first?.stdout.text.split(separator: " ") ?? []
            #expect(fields.first == "::1")
            #expect(fields.last == "\(fleet.ports[index])\n")
        }
    }

    @Test("changed key for [::1]:port is rejected")
    func changedKeyOverIPv6() async throws {
        let fleet = try await TestFleet.start(count: 2, environment: ["FLEET_IPV6": "1"])
        defer { fleet.stop() }
        // Record host02's key under host01's name, so host01's real key no longer matches.
        let lines = try String(contentsOfFile: fleet.knownHosts, encoding: .utf8)
            .split(separator: "\n")
        let host02Key = lines[1].split(separator: " ").dropFirst().joined(separator: " ")
        let swapped = "[::1]:\(fleet.ports[0]) \(host02Key)\n"
        try swapped.write(toFile: fleet.knownHosts, atomically: true, encoding: .utf8)

        let error = await #expect(throws: SSHError.self) {
            try await SSHConnection.open(fleet.target(0))
        }
        #expect(error?.endpoint == "[::1]:\(fleet.ports[0])")
        guard case .hostKeyChanged(_, _, _, let file, let line) = error?.reason else {
            Issue.record("expected a changed host key, got \(String(describing: error))")
            return
        }
        #expect(file == fleet.knownHosts)
        #expect(line == 1)
    }
}
