import FleetJails
import FleetOps
import Foundation

/// A simulated FreeBSD host in a temporary folder, driven through a local `/bin/sh`
/// with the simulated commands first on `PATH`.
struct SimulatedHost: RemoteShell {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let simulator = repository.appendingPathComponent("Tests/freebsd-sim")

    let folder: String
    let state: String
    let fsroot: String

    /// Sets up a host with `setup-host.sh` and `arguments`.
    init(_ arguments: [String] = []) throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("simhost-\(UUID().uuidString)").resolvingSymlinksInPath().path
        folder = base
        state = base + "/state"
        fsroot = base + "/fs"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: fsroot, withIntermediateDirectories: true)
        let setup = Self.simulator.appendingPathComponent("setup-host.sh").path
        let result = try Self.runLocally(
            ["/bin/sh", setup, state, fsroot] + arguments, environment: [:])
        guard result.outcome == .exited(0) else {
            throw SetupError(message: "setup-host.sh failed: \(result.stderr)")
        }
    }

    struct SetupError: Error { let message: String }

    /// The inventory settings that point the product at this host's folders.
    func settings(mirror: String? = nil) throws -> HostSettings {
        try HostSettings(
            jailsRoot: fsroot + "/var/jails", releaseMirror: mirror,
            jailConfDir: fsroot + "/etc/jail.conf.d", stateDir: fsroot + "/var/db/minijail-fleet",
            freebsdUpdateConfig: fsroot + "/etc/freebsd-update.conf")
    }

    func run(_ script: String) async throws -> RemoteResult {
        try Self.runLocally(
            ["/bin/sh", "-c", script],
            environment: [
                "PATH": Self.simulator.path + "/bin:/usr/bin:/bin:/usr/sbin:/sbin",
                "FREEBSD_SIM_STATE": state, "HOME": folder, "LC_ALL": "C",
            ])
    }

    /// The commands the host ran, one argv line each, from the simulator's call log.
    func calls() throws -> [String] {
        let log = try String(contentsOfFile: state + "/calls.log", encoding: .utf8)
        return log.split(separator: "\n").map { line in
            String(line.split(separator: "\t", maxSplits: 1).first ?? "")
        }
    }

    /// Creates `name` in the fault folder with `content`.
    func injectFault(_ name: String, content: String = "") throws {
        try FileManager.default.createDirectory(
            atPath: state + "/faults", withIntermediateDirectories: true)
        try content.write(toFile: state + "/faults/" + name, atomically: true, encoding: .utf8)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }

    static func runLocally(_ argv: [String], environment: [String: String]) throws -> RemoteResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        if !environment.isEmpty { process.environment = environment }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        // Read both pipes concurrently so that neither fills up and blocks the child.
        nonisolated(unsafe) var errorData = Data()
        let reader = Thread { errorData = error.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        let outcome: RemoteOutcome =
            process.terminationReason == .uncaughtSignal
            ? .signaled(String(process.terminationStatus)) : .exited(process.terminationStatus)
        return RemoteResult(
            outcome: outcome, stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self),
            seconds: Date().timeIntervalSince(started))
    }
}
