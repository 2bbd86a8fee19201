import FleetCLI
import Foundation

/// A fleet of real sshd hosts running the simulated FreeBSD userland, started with
/// Tests/fleet/freebsd-fleet.sh in a fresh temporary folder; `stop` ends its processes by
/// pid and removes the folder.
final class SimulatedFleet: Sendable {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = repository.appendingPathComponent("Tests/fleet/freebsd-fleet.sh").path
    static let simulator = repository.appendingPathComponent("Tests/freebsd-sim")

    /// The fleet's folder.
    let directory: String
    /// The host names, host01 first.
    let hosts: [String]

    /// Starts `count` hosts, each set up with `setup` (options of setup-host.sh);
    /// `environment` adds fleet.sh variables such as FLEET_LOGIN_SHELL.
    init(
        count: Int, setup: [String] = ["--skel", "14.1-RELEASE-p5"],
        environment: [String: String] = [:]
    ) throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("simfleet-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        directory = URL(fileURLWithPath: base).resolvingSymlinksInPath().path
        hosts = (1...count).map { String(format: "host%02d", $0) }
        try Self.shell(
            [Self.script, "up", String(count), directory] + setup, environment: environment)
    }

    /// Starts a fleet as `init` does, on a thread outside the cooperative pool, so the
    /// fleet script's seconds of waiting hold none of the pool's few threads, which other
    /// tests' timing depends on.
    static func start(
        count: Int, setup: [String] = ["--skel", "14.1-RELEASE-p5"],
        environment: [String: String] = [:]
    ) async throws -> SimulatedFleet {
        try await offPool {
            try SimulatedFleet(count: count, setup: setup, environment: environment)
        }
    }

    /// Runs `body`, which blocks, on a thread of its own rather than the cooperative pool's.
    static func offPool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value)
        async throws -> Value
    {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Stops every sshd the fleet started and deletes its folder.
    func stop() {
        _ = try? Self.shell([Self.script, "down", directory])
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The generated inventory.
    var inventory: String { directory + "/hosts.yml" }

    /// Returns the state folder of `host`, which the simulated commands use.
    func state(_ host: String) -> String { "\(directory)/\(host)/sim" }

    /// Returns the file system root of `host`.
    func root(_ host: String) -> String { "\(directory)/\(host)/fs" }

    /// Creates the fault file `name` on `host`.
    func injectFault(_ name: String, on host: String, content: String = "") throws {
        let folder = state(host) + "/faults"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try content.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }

    /// Removes the fault file `name` on `host`.
    func clearFault(_ name: String, on host: String) {
        try? FileManager.default.removeItem(atPath: state(host) + "/faults/" + name)
    }

    /// Returns the argv of every simulated command `host` ran, one line each.
    func calls(_ host: String) throws -> [String] {
        let log = try String(contentsOfFile: state(host) + "/calls.log", encoding: .utf8)
        return log.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
    }

    /// Runs the tool in this process against the fleet's inventory.
    func run(_ arguments: [String]) async -> CLIRun {
        await CLIRun.run(["-i", inventory] + arguments, environment: ["HOME": directory])
    }

    /// Runs `arguments` and returns stdout; throws with stderr when it fails.
    @discardableResult
    static func shell(_ arguments: [String], environment: [String: String] = [:]) throws
        -> String
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) {
                $1
            }
        }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ShellError(message: String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    struct ShellError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
