import FleetSSH
import Foundation

/// A fleet of real sshd processes started with Tests/fleet/fleet.sh in a fresh temporary
/// folder; `stop` ends them by pid and removes the folder.
final class TestFleet: Sendable {
    /// The fleet's folder, holding keys, known_hosts and hosts.yml.
    let directory: String
    /// Host addresses in order (host01 first).
    let addresses: [String]
    /// Host ports in order: FLEET_PORT for every host, or each host's own with FLEET_IPV6.
    let ports: [Int]

    static let script: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fleet/fleet.sh").path
    }()

    /// Starts `count` hosts on a dispatch thread, so the blocking helper processes never
    /// hold one of the cooperative pool's few threads; `environment` adds fleet.sh
    /// variables such as FLEET_HOST_KEY_TYPES.
    static func start(count: Int, environment: [String: String] = [:]) async throws -> TestFleet {
        try await offPool { try TestFleet(count: count, environment: environment) }
    }

    private init(count: Int, environment: [String: String]) throws {
        directory = try TestFleet.makeDirectory()
        let sharedPort = Int(environment["FLEET_PORT"] ?? "2222")!
        _ = try TestFleet.shell(
            [TestFleet.script, "up", String(count), directory], environment: environment)
        let inventory = try String(contentsOfFile: directory + "/hosts.yml", encoding: .utf8)
        let lines = inventory.split(separator: "\n")
        addresses = lines.filter { $0.contains("address:") }
            .map { $0.split(separator: " ").last!.trimmingCharacters(in: ["\""]) }
        // Only host entries (six spaces in) carry their own port.
        let hostPorts = lines.filter { $0.hasPrefix("      port:") }
            .map { Int($0.split(separator: " ").last!)! }
        ports = hostPorts.isEmpty ? Array(repeating: sharedPort, count: addresses.count) : hostPorts
    }

    /// Stops every process the fleet started, by the pids in its pid files (as
    /// `fleet.sh down` does, without a subprocess so a `defer` stays cheap), and deletes
    /// its folder.
    func stop() {
        TestFleet.killRecorded(in: directory)
        // An exiting sshd removes its pid file while the folder is being removed, which can
        // end one removal early, so try again. Never wait here: `stop` runs on Swift's pool.
        for _ in 0..<3 where FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    private static func killRecorded(in directory: String) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for entry in entries {
            let path = directory + "/" + entry
            if entry.hasPrefix("peer-") && entry.hasSuffix(".pid") {
                killPid(file: path)
            } else if entry.hasPrefix("host") {
                killPid(file: path + "/sshd.pid")
            } else if entry.hasPrefix("v") {
                killRecorded(in: path)
            }
        }
    }

    private static func killPid(file: String) {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, SIGTERM)
    }

    /// The client key fleet.sh authorised on every host.
    var identityFile: String { directory + "/id_ed25519" }

    /// The known_hosts file listing every host's key.
    var knownHosts: String { directory + "/known_hosts" }

    /// Returns a target for host `index` (0-based) with short test timeouts.
    func target(_ index: Int = 0, checking: HostKeyChecking = .strict) -> SSHTarget {
        SSHTarget(
            name: String(format: "host%02d", index + 1), address: addresses[index],
            port: ports[index],
            user: "root", identityFile: identityFile, knownHostsFile: knownHosts,
            hostKeyChecking: checking, connectTimeout: .seconds(5), commandTimeout: .seconds(30))
    }

    /// Starts a misbehaving listener of one of the kinds `fleet.sh peer` lists; returns its
    /// address and port. `environment` adds variables such as FLEET_PEER_UPSTREAM.
    func peer(_ kind: String, environment: [String: String] = [:]) async throws
        -> (address: String, port: Int)
    {
        let output = try await TestFleet.run(
            [TestFleet.script, "peer", kind, directory], environment: environment)
        let fields = output.split(whereSeparator: \.isWhitespace)
        return (String(fields[0]), Int(fields[1])!)
    }

    /// Runs `arguments` on a dispatch thread and returns stdout.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws
        -> String
    {
        try await offPool { try shell(arguments, environment: environment) }
    }

    /// Runs `body` on a dispatch thread outside the cooperative pool.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }

    /// Runs `arguments` and returns stdout; throws with stderr when it fails.
    @discardableResult
    static func shell(_ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$@\"", "sh"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ShellFailure(
                arguments: arguments, status: process.terminationStatus,
                stderr: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "fleet-test-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A helper command that exited non-zero.
struct ShellFailure: Error, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stderr: String

    var description: String { "\(arguments.joined(separator: " ")) exited \(status): \(stderr)" }
}
