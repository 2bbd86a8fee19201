import FleetCLI
import FleetReport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("report over SSH", .serialized)
struct ReportCommandTests {
    @Test("text report of one host")
    func textOneHost() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 1, setup: ["--skel", "14.1-RELEASE-p5", "--jails", "web,db", "--running", "web"])
        defer { fleet.stop() }
        let leftover = try fleet.leaveMount(on: "host01", jail: "db")
        let sizes = try SimulatedSizes(fleet, host: "host01")

        let run = await fleet.run(["report", "--all"])

        #expect(run.status == 1, "\(run.standardError)")
        #expect(run.standardError == "")
        let expected = [
            "HOST    VERSION          SKEL             JAILS  UP  SIZE   FREE  CAP  HEALTH",
            "host01  14.1-RELEASE-p5  14.1-RELEASE-p5      2   1  \(sizes.poolColumns)  ONLINE",
            "",
            "HOST    JAIL  STATE    JID   USED",
            "host01  db    stopped    -  \(sizes.jailColumn("db"))",
            "host01  web   running    1  \(sizes.jailColumn("web"))",
            "",
            "HOST    LAST SKEL SNAPSHOT",
            "host01  zroot/jails/skel@created",
            "",
            "PROBLEMS",
            "host01: mounts left behind by stopped jails: \(leftover)",
            "",
            "REPORT 1 host: 1 reachable, 0 unreachable, 1 warning",
        ]
        #expect(run.standardOutput == expected.joined(separator: "\n") + "\n")
    }

    @Test("JSON holds jails, pool and leftovers")
    func json() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 2, setup: ["--skel", "14.1-RELEASE-p5", "--jails", "web,db", "--running", "web"])
        defer { fleet.stop() }
        let leftover = try fleet.leaveMount(on: "host02", jail: "db")
        let sizes = try SimulatedSizes(fleet, host: "host02")

        let run = await fleet.run(["report", "--all", "--json"])

        #expect(run.status == 1, "\(run.standardError)")
        let document = try JSONDecoder().decode(
            DecodedReport.self, from: Data(run.standardOutput.utf8))
        #expect(document.command == "report")
        #expect(document.exitStatus == 1)
        #expect(document.hosts.map(\.host) == ["host01", "host02"])
        #expect(document.history == nil)
        let host = try #require(document.hosts.last)
        #expect(host.reachable)
        #expect(host.hostVersion == "14.1-RELEASE-p5")
        #expect(host.skelVersion == "14.1-RELEASE-p5")
        #expect(!host.skelBehind)
        #expect(
            host.jails == [
                JailReport(name: "db", running: false, jid: nil, usedBytes: sizes.used["db"]),
                JailReport(name: "web", running: true, jid: 1, usedBytes: sizes.used["web"]),
            ])
        #expect(
            host.pool
                == PoolReport(
                    name: "zroot", sizeBytes: sizes.poolSize, freeBytes: sizes.poolFree,
                    health: "ONLINE"))
        #expect(host.leftoverMounts == [leftover])
        #expect(host.lastSkelSnapshot == "zroot/jails/skel@created")
        #expect(document.hosts.first?.leftoverMounts == [])
        #expect(
            document.problems == [
                DecodedProblem(
                    host: "host02", kind: "warning",
                    message: "mounts left behind by stopped jails: \(leftover)")
            ])
    }

    @Test("unwritable JUnit path fails before any host is read")
    func junitFolderMissing() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let path = fleet.directory + "/missing/report.xml"

        let run = await fleet.run(["report", "--all", "--junit", path])

        #expect(run.status == 78, "\(run.standardError)")
        #expect(
            run.standardError.contains(
                "cannot write '\(path)': access: No such file or directory; check --junit"))
        #expect(!run.standardOutput.contains("host01"), "\(run.standardOutput)")
        #expect(((try? fleet.calls("host01")) ?? []).isEmpty)
    }

    @Test("JUnit and JSON list unreachable and auth-failed hosts")
    func unreachableHosts() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        let otherKey = try fleet.useForeignKey(on: "host02")
        try fleet.stopHost("host03")
        let junitPath = fleet.directory + "/report.xml"

        let run = await fleet.run(["report", "--all", "--json", "--junit", junitPath])

        #expect(run.status == 1, "\(run.standardError)")
        let xml = try String(contentsOfFile: junitPath, encoding: .utf8)
        #expect(xml.contains("tests=\"3\" failures=\"0\" errors=\"2\" skipped=\"0\""))
        #expect(xml.contains("<testcase classname=\"report\" name=\"host01\""))
        let host02 = try fleet.address("host02")
        #expect(
            xml.contains(
                "<error message=\"authentication: authentication as root to \(host02):2222 failed: "
                    + "the server offers publickey; tried publickey "))
        #expect(xml.contains("(\(otherKey))"))
        let host03 = try fleet.address("host03")
        #expect(
            xml.contains(
                "<error message=\"connect: cannot connect to \(host03):2222: connect failed: "
                    + "Connection refused; check that sshd is running and listening on that port\"/>"
            ))

        let document = try JSONDecoder().decode(
            DecodedReport.self, from: Data(run.standardOutput.utf8))
        #expect(document.hosts.map(\.reachable) == [true, false, false])
        #expect(document.problems.map(\.host) == ["host02", "host03"])
        #expect(document.problems.map(\.kind) == ["unreachable", "unreachable"])
        #expect(document.hosts[1].problem?.hasPrefix("authentication: ") == true)
        #expect(document.hosts[2].problem?.hasPrefix("connect: ") == true)
    }

    @Test("history prints exactly the changes")
    func history() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 3,
            setup: [
                "--skel", "14.1-RELEASE-p5", "--jails", "web,db", "--running", "web,db",
                "--latest", "14.1-RELEASE-p6",
            ])
        defer { fleet.stop() }
        let historyPath = fleet.directory + "/db/history.db"

        let first = await fleet.run(["report", "--all", "--history", historyPath, "--json"])
        #expect(first.status == 0, "\(first.standardError)")
        let firstDocument = try JSONDecoder().decode(
            DecodedReport.self, from: Data(first.standardOutput.utf8))
        #expect(firstDocument.history?.previousRun == nil)
        #expect(firstDocument.history?.changes.isEmpty == true)
        let before = try SimulatedSizes(fleet, host: "host01")

        let create = await fleet.run(["jail", "create", "--on", "host01", "mail"])
        #expect(create.status == 0, "\(create.standardError)")
        try fleet.addSparseFile(bytes: 100 << 20, in: fleet.jailFolder("web", on: "host01"))
        let stop = await fleet.run(["jail", "stop", "--on", "host02", "db"])
        #expect(stop.status == 0, "\(stop.standardError)")
        let upgrade = await fleet.run(["skel", "upgrade", "--on", "host02"])
        #expect(upgrade.status == 0, "\(upgrade.standardError)")
        let host03 = try fleet.address("host03")
        try fleet.stopHost("host03")
        let after = try SimulatedSizes(fleet, host: "host01")

        let second = await fleet.run(["report", "--all", "--history", historyPath, "-q"])

        #expect(second.status == 1, "\(second.standardError)")
        let refused =
            "connect: cannot connect to \(host03):2222: connect failed: Connection refused; "
            + "check that sshd is running and listening on that port"
        let format = ByteCount.format
        let expected = [
            "CHANGES SINCE \(firstDocument.takenAt)",
            "host01: jail mail added",
            "host01: jail web grew \(format(before.used["web"] ?? 0)) -> "
                + format(after.used["web"] ?? 0),
            "host01: pool zroot used \(format(before.poolUsed)) -> \(format(after.poolUsed))",
            "host02: skel version 14.1-RELEASE-p5 -> 14.1-RELEASE-p6",
            "host02: jail db stopped",
            "host03: became unreachable: \(refused)",
            "",
            "PROBLEMS",
            "host03: unreachable: \(refused)",
        ]
        #expect(second.standardOutput == expected.joined(separator: "\n") + "\n")

        // A narrower pattern lists the hosts it leaves out as no longer reported.
        let secondTakenAt = try takenAt(historyPath)
        let third = await fleet.run(["report", "host01,host02", "--history", historyPath, "-q"])
        #expect(third.status == 0, "\(third.standardError)")
        #expect(
            third.standardOutput == "CHANGES SINCE \(secondTakenAt)\nhost03: no longer reported\n")
    }

    @Test("quiet report of a healthy fleet prints nothing")
    func quietHealthy() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let historyPath = fleet.directory + "/history.db"
        for _ in 1...2 {
            let run = await fleet.run(["report", "--all", "--history", historyPath, "-q"])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(run.standardOutput == "")
            #expect(run.standardError == "")
        }
    }

    /// A fault that crosses one warning threshold on a one-host fleet.
    enum Trouble: String, CaseIterable, Sendable {
        case none
        case degradedPool
        case fullPool
        case skelBehind
        case leftoverMount
    }

    @Test("exit status for each threshold", arguments: Trouble.allCases)
    func thresholdStatus(_ trouble: Trouble) async throws {
        var setup = ["--skel", "14.1-RELEASE-p5", "--jails", "web,db", "--running", "web"]
        switch trouble {
        case .fullPool: setup += ["--pool-size", String(100 << 20)]
        case .skelBehind: setup += ["--release", "14.1-RELEASE-p6"]
        case .none, .degradedPool, .leftoverMount: break
        }
        let fleet = try await SimulatedFleet.start(count: 1, setup: setup)
        defer { fleet.stop() }
        let expected: String?
        switch trouble {
        case .none:
            expected = nil
        case .degradedPool:
            try fleet.setPoolHealth("DEGRADED", on: "host01")
            expected = "host01: pool zroot is DEGRADED"
        case .fullPool:
            try fleet.addSparseFile(bytes: 90 << 20, in: fleet.jailFolder("web", on: "host01"))
            expected = "host01: pool zroot is 90% full (warning above 80%)"
        case .skelBehind:
            expected = "host01: skel 14.1-RELEASE-p5 is behind the host's 14.1-RELEASE-p6"
        case .leftoverMount:
            let mount = try fleet.leaveMount(on: "host01", jail: "db")
            expected = "host01: mounts left behind by stopped jails: \(mount)"
        }

        let run = await fleet.run(["report", "--all", "-q"])

        #expect(run.status == (expected == nil ? 0 : 1), "\(run.standardError)")
        #expect(run.standardOutput == expected.map { "PROBLEMS\n\($0)\n" } ?? "")
    }

    @Test("pool capacity threshold is configurable")
    func capacityOption() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 1, setup: ["--pool-size", String(100 << 20)])
        defer { fleet.stop() }
        try fleet.addSparseFile(bytes: 50 << 20, in: fleet.root("host01") + "/zroot")
        let run = await fleet.run(["report", "--all", "-q", "--max-pool-capacity", "40"])
        #expect(run.status == 1, "\(run.standardError)")
        #expect(
            run.standardOutput == "PROBLEMS\nhost01: pool zroot is 50% full (warning above 40%)\n")
        let relaxed = await fleet.run(["report", "--all", "-q", "--max-pool-capacity", "60"])
        #expect(relaxed.status == 0)
        let bad = await fleet.run(["report", "--all", "--max-pool-capacity", "101"])
        #expect(bad.status == 64)
        #expect(
            bad.standardError.hasPrefix(
                "error: invalid value '101' for --max-pool-capacity: use a whole number from 0 to 100\n"
            ))
    }

    @Test("some unreachable exits 1, none reachable exits 69")
    func unreachableStatus() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        try fleet.stopHost("host02")
        let some = await fleet.run(["report", "--all", "-q"])
        #expect(some.status == 1)
        #expect(some.standardOutput.hasPrefix("PROBLEMS\nhost02: unreachable: connect: "))

        try fleet.stopHost("host01")
        let none = await fleet.run(["report", "--all"])
        #expect(none.status == 69)
        #expect(
            none.standardOutput.hasSuffix(
                "REPORT 2 hosts: 0 reachable, 2 unreachable, 0 warnings\n"))
        let lines = none.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "HOST    VERSION  SKEL  JAILS  UP  SIZE  FREE  CAP  HEALTH")
        #expect(lines.dropFirst().first?.hasPrefix("host01  unreachable: connect: ") == true)
    }

    @Test("unusable history file exits 78 before any host")
    func badHistory() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let blocker = fleet.directory + "/not-a-folder"
        try "".write(toFile: blocker, atomically: true, encoding: .utf8)
        let run = await fleet.run(["report", "--all", "--history", blocker + "/history.db"])
        #expect(run.status == 78)
        #expect(run.standardError.hasSuffix("; check --history\n"))
        #expect(run.standardOutput == "")
        #expect(((try? fleet.calls("host01")) ?? []).isEmpty)
    }

    /// Reads the newest run's time from the history file.
    private func takenAt(_ path: String) throws -> String {
        try ReportHistory(path: path).run(before: nil)?.takenAt ?? ""
    }
}

/// The `report --json` document, read back.
struct DecodedReport: Decodable {
    struct History: Decodable {
        var file: String
        var previousRun: String?
        var changes: [DecodedChange]
    }

    var command: String
    var takenAt: String
    var exitStatus: Int32
    var hosts: [HostReport]
    var problems: [DecodedProblem]
    var history: History?
}

struct DecodedProblem: Decodable, Equatable {
    var host: String
    var kind: String
    var message: String
}

struct DecodedChange: Decodable, Equatable {
    var host: String
    var kind: String
    var message: String
}

/// Sizes read straight from one simulated host's ZFS state with `zfs list -Hp` and
/// `zpool list -Hp`, to compare with what the report prints.
struct SimulatedSizes {
    /// Bytes used by each jail dataset, by jail name.
    var used: [String: Int64] = [:]
    var poolSize: Int64 = 0
    var poolFree: Int64 = 0

    init(_ fleet: SimulatedFleet, host: String) throws {
        let datasets = try fleet.simulate(host, ["zfs", "list", "-Hp", "-o", "name,used", "-r"])
        for line in datasets.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2, fields[0].hasPrefix("zroot/jails/") else { continue }
            used[String(fields[0].dropFirst("zroot/jails/".count))] = Int64(fields[1])
        }
        let pool = try fleet.simulate(host, ["zpool", "list", "-Hp", "-o", "size,free", "zroot"])
        let fields = pool.split(whereSeparator: \.isWhitespace)
        poolSize = Int64(fields.first ?? "") ?? 0
        poolFree = Int64(fields.last ?? "") ?? 0
    }

    var poolUsed: Int64 { poolSize - poolFree }

    /// The SIZE, FREE and CAP columns of one host as the hosts table aligns them: right,
    /// at least as wide as their headers.
    var poolColumns: String {
        let cells = [
            ByteCount.format(poolSize), ByteCount.format(poolFree),
            "\((poolSize - poolFree) * 100 / poolSize)%",
        ]
        return zip(cells, ["SIZE", "FREE", "CAP"]).map { cell, header in
            pad(cell, header.count)
        }.joined(separator: "  ")
    }

    /// Formats the USED column of `jail`, right-aligned to the widest value of this host.
    func jailColumn(_ jail: String) -> String {
        let width = max(4, used.values.map { ByteCount.format($0).count }.max() ?? 0)
        return pad(ByteCount.format(used[jail] ?? 0), width)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(width - text.count, 0)) + text
    }
}

extension SimulatedFleet {
    /// Runs a simulated FreeBSD command locally against `host`'s state and returns stdout.
    func simulate(_ host: String, _ argv: [String]) throws -> String {
        let process = Process()
        process.executableURL = Self.simulator.appendingPathComponent("bin/" + argv[0])
        process.arguments = Array(argv.dropFirst())
        process.environment = [
            "PATH": Self.simulator.path + "/bin:/usr/bin:/bin", "FREEBSD_SIM_STATE": state(host),
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ShellError(message: "\(argv.joined(separator: " ")) failed on \(host)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Mounts the skel read-only on the stopped `jail`'s path, as a failed stop leaves it,
    /// and returns the mount point.
    func leaveMount(on host: String, jail: String) throws -> String {
        let jails = root(host) + "/var/jails"
        _ = try simulate(
            host, ["mount", "-t", "nullfs", "-o", "ro", jails + "/skel", jails + "/" + jail])
        return jails + "/" + jail
    }

    /// Returns the real folder of `jail`'s dataset on `host`.
    func jailFolder(_ jail: String, on host: String) -> String {
        root(host) + "/var/jails/" + jail
    }

    /// Adds a sparse file of `bytes` to a dataset's folder; the simulator counts its
    /// apparent size as used space.
    func addSparseFile(bytes: Int64, in folder: String) throws {
        let path = folder + "/sparse-\(bytes)"
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ShellError(message: "cannot create \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(bytes))
        try handle.close()
    }

    /// Sets the health `zpool list` reports for the pool `zroot`.
    func setPoolHealth(_ health: String, on host: String) throws {
        let path = state(host) + "/zfs.json"
        var zfs =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
            as? [String: Any] ?? [:]
        var pools = zfs["pools"] as? [String: Any] ?? [:]
        var zroot = pools["zroot"] as? [String: Any] ?? [:]
        zroot["health"] = health
        pools["zroot"] = zroot
        zfs["pools"] = pools
        try JSONSerialization.data(withJSONObject: zfs).write(to: URL(fileURLWithPath: path))
    }

    /// Reads the address of `host` from the generated inventory.
    func address(_ host: String) throws -> String {
        let text = try String(contentsOfFile: inventory, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(of: "    \(host):"),
            let line = lines[start...].first(where: { $0.hasPrefix("      address: ") })
        else { throw ShellError(message: "\(host) has no address in \(inventory)") }
        return String(line.dropFirst("      address: ".count))
    }

    /// Stops `host`'s sshd by the pid it recorded and waits until it has exited.
    func stopHost(_ host: String) throws {
        let pidFile = "\(directory)/\(host)/sshd.pid"
        let text = try String(contentsOfFile: pidFile, encoding: .utf8)
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ShellError(message: "\(pidFile) holds no pid")
        }
        kill(pid, SIGTERM)
        for _ in 0..<100 where kill(pid, 0) == 0 {
            usleep(50_000)
        }
        // sshd removes its pid file on SIGTERM; make sure `stop` finds none either way.
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    /// Points `host`'s inventory entry at a new key that its sshd does not accept and
    /// returns the key's path.
    func useForeignKey(on host: String) throws -> String {
        let key = directory + "/foreign_key"
        try Self.shell(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key])
        let text = try String(contentsOfFile: inventory, encoding: .utf8)
        let edited = text.replacingOccurrences(
            of: "    \(host):\n", with: "    \(host):\n      identity_file: \(key)\n")
        try edited.write(toFile: inventory, atomically: true, encoding: .utf8)
        return key
    }
}
