import FleetCore
import FleetRun
import Foundation
import Testing

@testable import FleetCLI

@Suite("jail create --spread")
struct JailPlacementTests {
    @Test(
        "placement picks fewest jails, then most free space",
        arguments: [
            // Fewest jails wins over free space; once b and c tie, c has more space.
            (
                [("a", 3, 900), ("b", 1, 100), ("c", 2, 500)], ["j1", "j2", "j3"],
                ["b", "c", "b"]
            ),
            // A tie in jails goes to the most free space.
            ([("a", 2, 100), ("b", 2, 300), ("c", 2, 200)], ["j1"], ["b"]),
            // A full tie goes to the first host; the count moves the next choice.
            ([("a", 0, 100), ("b", 0, 100)], ["j1", "j2", "j3"], ["a", "b", "a"]),
            // Unknown free space ranks below any known amount.
            ([("a", 1, -1), ("b", 1, 0)], ["j1"], ["b"]),
        ] as [([(String, Int, Int64)], [String], [String])])
    func placement(hosts: [(String, Int, Int64)], names: [String], expected: [String]) {
        let candidates = hosts.map { host, jails, free in
            PlacementCandidate(host: host, jailCount: jails, freeBytes: free < 0 ? nil : free)
        }
        let placed = JailPlacement.place(names, on: candidates)
        #expect(placed.map(\.jail) == names)
        #expect(placed.map(\.host) == expected)
    }

    @Test(
        "spread exit status with Ctrl-C",
        arguments: [
            // Ctrl-C cut a creation short, so the host failed.
            ([HostState.ok, .failed], true, FleetCore.ExitStatus.interrupted),
            // Ctrl-C came before the pass reached any host.
            ([.notAttempted, .notAttempted], true, .interrupted),
            // Ctrl-C after every host had succeeded changed nothing.
            ([.changed, .changed], true, .ok),
            ([.ok, .failed], false, .someFailed),
            ([.unreachable, .unreachable], false, .unavailable),
        ] as [([HostState], Bool, FleetCore.ExitStatus)])
    func spreadExitStatus(states: [HostState], interrupted: Bool, expected: FleetCore.ExitStatus) {
        let outcomes = states.enumerated().map { index, state in
            HostOutcome(host: "h\(index)", state: state, reason: "reason")
        }
        let report = SpreadReport(
            command: "jail create", runID: "run", assignments: [], outcomes: outcomes,
            check: false, interrupted: interrupted)
        #expect(report.exitStatus == expected)
    }

    @Test("twenty names over five equal hosts")
    func evenSpread() {
        let candidates = (1...5).map {
            PlacementCandidate(host: "h\($0)", jailCount: 0, freeBytes: 1 << 30)
        }
        let names = (1...20).map { "j\($0)" }
        let placed = JailPlacement.place(names, on: candidates)
        for host in candidates.map(\.host) {
            #expect(placed.filter { $0.host == host }.count == 4, "\(host)")
        }
    }

    @Test("conflicts name every host using the name")
    func conflicts() {
        let found = JailPlacement.conflicts(
            ["web", "new", "db"], usedNames: ["h1": ["web"], "h2": ["web", "db"]],
            hosts: ["h1", "h2"])
        #expect(
            found == [
                JailNameConflict(jail: "web", hosts: ["h1", "h2"]),
                JailNameConflict(jail: "db", hosts: ["h2"]),
            ])
    }
}

@Suite("jail create --spread over SSH", .serialized)
struct JailSpreadTests {
    @Test("twenty jails over five hosts")
    func twentyOverFive() async throws {
        let fleet = try await SimulatedFleet.start(count: 5)
        defer { fleet.stop() }
        let names = (1...20).map { String(format: "app%02d", $0) }
        let run = await fleet.run(
            ["jail", "create", "--all", "--spread", "--start", "--serial", "2", "--json"] + names)
        #expect(run.status == 0, "\(run.standardError)")
        let document = try #require(
            JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let placement = try #require(document["placement"] as? [[String: String]])
        #expect(placement.map { $0["jail"] } == names)
        for host in fleet.hosts {
            let placed = placement.filter { $0["host"] == host }.compactMap { $0["jail"] }
            #expect(placed.count == 4, "\(host)")
            let files = try FileManager.default.contentsOfDirectory(
                atPath: fleet.root(host) + "/etc/jail.conf.d")
            #expect(Set(files) == Set(placed.map { $0 + ".conf" }), "\(host)")
            let calls = try fleet.calls(host)
            for jail in placed {
                #expect(calls.contains { $0.hasPrefix("jail -f ") && $0.hasSuffix(" -c \(jail)") })
            }
        }
    }

    @Test("placement table lists each jail")
    func placementTable() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let busy = await fleet.run(["jail", "create", "--on", "host01", "old"])
        #expect(busy.status == 0, "\(busy.standardError)")
        let run = await fleet.run(["jail", "create", "--all", "--spread", "a", "b", "c"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        let table = Array(lines.drop { $0 != "PLACEMENT" })
        // b ties on jail count; host02 has more free space in exact bytes, because the
        // jail old uses some on host01 and the placed jail a uses none yet.
        #expect(
            table.prefix(5) == [
                "PLACEMENT",
                "  JAIL  HOST    HOST STATE",
                "  a     host02  changed",
                "  b     host02  changed",
                "  c     host01  changed",
            ])
    }

    @Test("name in use names the host")
    func nameInUse() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        let first = await fleet.run(["jail", "create", "--on", "host02", "taken"])
        #expect(first.status == 0, "\(first.standardError)")
        let run = await fleet.run(["jail", "create", "--all", "--spread", "fresh", "taken"])
        #expect(run.status == 65)
        #expect(
            run.standardError
                == "error: jail name 'taken' is already used on host02; choose another name\n")
        for host in fleet.hosts {
            #expect(try !fleet.calls(host).contains { $0.hasSuffix("zroot/jails/fresh") })
        }
    }
}
