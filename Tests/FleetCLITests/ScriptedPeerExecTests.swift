import Foundation
import Testing

/// `exec` against the paramiko server of `fleet.sh peer scripted`, which behaves in ways
/// OpenSSH's sshd never does.
@Suite("exec on a misbehaving SSH server")
struct ScriptedPeerExecTests {
    @Test(
        "exec names the failure",
        arguments: [
            ("exit 4294967295", "exit status 4294967295"),
            (
                "disconnect",
                "command on ADDRESS stopped: the server disconnected with the message "
                    + "\\\"scripted goodbye\\\"; check the host's sshd log"
            ),
        ])
    func failure(command: String, reason: String) async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let peer = try SimulatedFleet.shell([
            SimulatedFleet.repository.appendingPathComponent("Tests/fleet/fleet.sh").path,
            "peer", "scripted", fleet.directory,
        ])
        let parts = peer.split(separator: " ").map {
            $0.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        try #require(parts.count == 2)
        let inventory = """
            all:
              hosts:
                scripted:
                  address: \(parts[0])
                  port: \(parts[1])
                  identity_file: \(fleet.directory)/id_ed25519
                  known_hosts: \(fleet.directory)/known_hosts
                  host_key_checking: off
                  command_timeout: 10
            """
        let path = fleet.directory + "/scripted.yml"
        try inventory.write(toFile: path, atomically: true, encoding: .utf8)

        let run = await CLIRun.run(
            ["-i", path, "exec", "--all", "--json", "--", command],
            environment: ["HOME": fleet.directory])
        let endpoint = "\(parts[0]):\(parts[1])"
        let expected = reason.replacingOccurrences(of: "ADDRESS", with: endpoint)
        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardOutput.contains("\"state\" : \"failed\""), "\(run.standardOutput)")
        #expect(
            run.standardOutput.contains("\"reason\" : \"\(expected)\""), "\(run.standardOutput)")
    }
}
