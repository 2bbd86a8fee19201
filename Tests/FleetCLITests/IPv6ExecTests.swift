import Foundation
import Testing

@Suite("exec over IPv6")
struct IPv6ExecTests {
    @Test("exec reaches hosts on ::1")
    func execOverIPv6() async throws {
        let directory = NSTemporaryDirectory() + "ipv6-fleet-" + UUID().uuidString
        let script = SimulatedFleet.repository.appendingPathComponent("Tests/fleet/fleet.sh").path
        try SimulatedFleet.shell(["/usr/bin/env", "FLEET_IPV6=1", script, "up", "2", directory])
        defer {
            _ = try? SimulatedFleet.shell([script, "down", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }

        let run = await CLIRun.run(
            ["-i", directory + "/hosts.yml", "exec", "--all", "--", "echo \"$SSH_CONNECTION\""],
            environment: ["HOME": directory])

        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n")
        for host in ["host01", "host02"] {
            // sshd sets SSH_CONNECTION to "client-address client-port server-address
            // server-port", so both ends must be ::1.
            let line = lines.first { $0.hasPrefix("[\(host)] ") }
            let fields = line?.split(separator: " ") ?? []
            #expect(fields.count == 5, "\(run.standardOutput)")
            #expect(fields.dropFirst().first == "::1")
            #expect(fields.dropFirst(3).first == "::1")
        }
        #expect(run.standardOutput.contains("RECAP 2 hosts: 2 ok"))
    }
}
