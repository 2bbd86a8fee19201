import FleetRun
import FleetSSH
import Foundation
import Testing

@testable import FleetCLI

@Suite("Host state of an SSH error")
struct ConnectionOutcomeTests {
    static let endpoint = "127.0.0.9:22"

    static func error(_ phase: SessionPhase, _ reason: SSHFailure) -> SSHError {
        SSHError(host: "web1", endpoint: endpoint, phase: phase, reason: reason)
    }

    static let cases: [(SSHError, FleetRun.HostState, String)] = [
        (
            error(.connecting, .timedOut(after: .seconds(5))), .unreachable,
            "connect: cannot connect to 127.0.0.9:22: TCP connect timed out after 5 s"
        ),
        (
            error(.banner, .timedOut(after: .seconds(5))), .unreachable,
            "handshake: cannot start SSH session to 127.0.0.9:22: no SSH banner after 5 s"
        ),
        (
            error(.authentication, .timedOut(after: .seconds(5))), .unreachable,
            "authentication: "
        ),
        (error(.command, .timedOut(after: .seconds(5))), .timedOut, ""),
        (error(.upload, .timedOut(after: .seconds(5))), .timedOut, ""),
        (error(.connecting, .cancelled), .notAttempted, "interrupted: "),
        (error(.authentication, .cancelled), .notAttempted, "interrupted: "),
        (
            error(.command, .cancelled), .failed,
            "interrupted: command on 127.0.0.9:22 was interrupted"
        ),
        (error(.upload, .cancelled), .failed, "interrupted: "),
    ]

    @Test("error phase sets host state", arguments: cases)
    func state(error: SSHError, expected: FleetRun.HostState, reasonStart: String) {
        let outcome = FleetRunner.outcome(for: error, host: "web1")
        #expect(outcome.state == expected, "\(error.phase) \(error.reason)")
        #expect(outcome.reason?.hasPrefix(reasonStart) == true, "\(outcome.reason ?? "nil")")
    }

    @Test("stalled handshake is unreachable, exit 69")
    func stalledHandshake() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try SimulatedFleet.shell([
            SimulatedFleet.repository.appendingPathComponent("Tests/fleet/fleet.sh").path,
            "peer", "banner", fleet.directory,
        ])
        let parts = peer.split(separator: " ").map { $0.trimmingCharacters(in: .whitespaces) }
        try #require(parts.count == 2)
        let inventory = """
            all:
              hosts:
                stalled:
                  address: \(parts[0])
                  port: \(parts[1])
                  identity_file: \(fleet.directory)/id_ed25519
                  known_hosts: \(fleet.directory)/known_hosts
                  connect_timeout: 1
            """
        let path = fleet.directory + "/stalled.yml"
        try inventory.write(toFile: path, atomically: true, encoding: .utf8)

        let run = await CLIRun.run(
            ["-i", path, "exec", "--all", "--json", "--", "true"],
            environment: ["HOME": fleet.directory])
        #expect(run.status == 69, "\(run.standardError)")
        #expect(run.standardOutput.contains("\"state\" : \"unreachable\""))
        #expect(run.standardOutput.contains("\"reason\" : \"handshake: "))
        #expect(run.standardOutput.contains("\"timed-out\" : 0"))
    }

    @Test("encrypted key names its variable", arguments: [true, false])
    func encryptedKey(namesVariable: Bool) async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let key = fleet.directory + "/encrypted_key"
        try SimulatedFleet.shell([
            "/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "right", "-f", key,
        ])
        let variable = namesVariable ? "\n    passphrase_env: FLEET_TEST_UNSET_PASSPHRASE" : ""
        let inventory = """
            all:
              vars:
                identity_file: \(key)\(variable)
                known_hosts: \(fleet.directory)/known_hosts
              hosts:
                host01:
                  address: 127.0.0.1
            """
        let path = fleet.directory + "/encrypted.yml"
        try inventory.write(toFile: path, atomically: true, encoding: .utf8)

        let run = await CLIRun.run(
            ["-i", path, "exec", "--all", "--", "true"], environment: ["HOME": fleet.directory])
        #expect(run.status == 69)
        let start = "error: cannot use private key \(key): the key is encrypted"
        let expected =
            namesVariable
            ? "\(start) and FLEET_TEST_UNSET_PASSPHRASE, the environment variable passphrase_env"
                + " names, is not set; set it to the key's passphrase\n"
            : "\(start) and the inventory gives no passphrase_env; set passphrase_env to the"
                + " name of an environment variable that contains the key's passphrase, or add"
                + " the key to ssh-agent with ssh-add and remove identity_file from the"
                + " inventory\n"
        #expect(run.standardError.hasPrefix(expected), "\(run.standardError)")
    }
}
