import FleetCLI
import Foundation
import Testing

@Suite("run PLAYBOOK over SSH", .serialized)
struct PlaybookRunTests {
    static let playbooks = SimulatedFleet.repository.appendingPathComponent("playbooks").path

    /// Adds the group `web` (host01 and host02) to the fleet's inventory, as the shipped
    /// roll-out playbook expects.
    static func addWebGroup(_ fleet: SimulatedFleet) throws {
        let text = try String(contentsOfFile: fleet.inventory, encoding: .utf8)
        let group = """
              children:
                web:
                  hosts:
                    host01:
                    host02:

            """
        try (text + group).write(toFile: fleet.inventory, atomically: true, encoding: .utf8)
    }

    static func playbook(_ fleet: SimulatedFleet, _ text: String) throws -> String {
        let path = fleet.directory + "/playbook.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init)
    }

    @Test("upgrade-skel playbook upgrades every host")
    func upgradeSkel() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 3, setup: ["--skel", "14.1-RELEASE-p5", "--latest", "14.1-RELEASE-p6"])
        defer { fleet.stop() }
        let run = await fleet.run(["run", Self.playbooks + "/upgrade-skel.yml"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = Self.lines(run.standardOutput)
        #expect(
            lines.first
                == "PLAY 1/1 'Upgrade the skel everywhere' on all: 3 hosts, serial 1,25%,100%, "
                + "max_fail_percentage 0")
        for host in fleet.hosts {
            #expect(
                lines.contains {
                    $0.hasPrefix("[\(host)] task 'Upgrade the skel with freebsd-update': changed:")
                        && $0.hasSuffix("skel 14.1-RELEASE-p5 -> 14.1-RELEASE-p6")
                })
            let version = try SimulatedFleet.shell([
                fleet.root(host) + "/var/jails/skel/bin/freebsd-version", "-u",
            ])
            #expect(version == "14.1-RELEASE-p6\n")
        }
        #expect(
            lines.contains(
                "RECAP 3 hosts: 0 ok, 3 changed, 0 failed, 0 unreachable, 0 timed out, 0 not attempted"
            ))
        #expect(
            lines.last?.hasPrefix("PLAYBOOK \(Self.playbooks)/upgrade-skel.yml: 1 of 1 plays run;")
                == true)
    }

    @Test("rollout-jails playbook creates jails on the web group only")
    func rolloutJails() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        try Self.addWebGroup(fleet)
        let run = await fleet.run(["run", Self.playbooks + "/rollout-jails.yml"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = Self.lines(run.standardOutput)
        for host in ["host01", "host02"] {
            let calls = try fleet.calls(host)
            for jail in ["www_blue", "www_green"] {
                #expect(calls.contains { $0.hasPrefix("jail -f ") && $0.hasSuffix(" -c \(jail)") })
            }
            #expect(
                lines.contains(
                    "[\(host)] task 'Show the userland version inside www_blue': 14.1-RELEASE-p5"))
        }
        #expect(try fleet.calls("host03").isEmpty)
        #expect(
            lines.contains(
                "RECAP 2 hosts: 0 ok, 2 changed, 0 failed, 0 unreachable, 0 timed out, 0 not attempted"
            ))
    }

    @Test("nightly-report playbook prints each host's report")
    func nightlyReport() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 2, setup: ["--skel", "14.1-RELEASE-p5", "--jails", "web,db", "--running", "web"])
        defer { fleet.stop() }
        let run = await fleet.run(["run", Self.playbooks + "/nightly-report.yml", "--json"])
        #expect(run.status == 0, "\(run.standardError)")
        let document = try #require(
            JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let plays = try #require(document["plays"] as? [[String: Any]])
        #expect(plays.count == 1)
        let reports = try #require(plays.first?["reports"] as? [[String: Any]])
        #expect(reports.map { $0["host"] as? String } == ["host01", "host02"])
        for report in reports {
            let jails = try #require(report["jails"] as? [[String: Any]])
            #expect(jails.map { $0["name"] as? String } == ["db", "web"])
            #expect(jails.map { $0["running"] as? Bool } == [false, true])
            #expect(report["skelVersion"] as? String == "14.1-RELEASE-p5")
        }

        let text = await fleet.run(["run", Self.playbooks + "/nightly-report.yml"])
        #expect(
            Self.lines(text.standardOutput).contains(
                "[host01] task 'Gather the report': userland 14.1-RELEASE-p5, "
                    + "skel 14.1-RELEASE-p5, 2 jails (1 running), pool zroot ONLINE 20.0G free of 20G"
            ))
    }

    @Test("failed canary spends the budget")
    func canaryFailure() async throws {
        let fleet = try await SimulatedFleet.start(
            count: 3, setup: ["--skel", "14.1-RELEASE-p5", "--latest", "14.1-RELEASE-p6"])
        defer { fleet.stop() }
        try fleet.injectFault("freebsd-update-install-fails", on: "host01")
        let run = await fleet.run(["run", Self.playbooks + "/upgrade-skel.yml"])
        #expect(run.status == 1)
        let lines = Self.lines(run.standardOutput)
        #expect(
            lines.contains(
                "RECAP 3 hosts: 0 ok, 0 changed, 1 failed, 0 unreachable, 0 timed out, 2 not attempted"
            ))
        #expect(
            run.standardError.contains(
                "[host01] task 'Upgrade the skel with freebsd-update': failed:"))
        for host in ["host02", "host03"] {
            #expect(try !fleet.calls(host).contains { $0.hasPrefix("freebsd-update") })
            #expect(
                lines.contains {
                    $0.hasPrefix("  \(host)  not-attempted  failure budget of 0% exceeded")
                })
        }
    }

    @Test("failed host stops its tasks and leaves later plays")
    func failedHostLeftOut() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        try fleet.injectFault("pool-full", on: "host02")
        let playbook = try Self.playbook(
            fleet,
            """
            - name: Create
              hosts: all
              max_fail_percentage: 50
              tasks:
                - jail_create: {name: app, start: true}
                - name: Check app
                  jail_exec: {name: app, command: [echo, up]}
            - name: Report
              hosts: all
              tasks:
                - report:
            """)
        let run = await fleet.run(["run", playbook])
        #expect(run.status == 1)
        let lines = Self.lines(run.standardOutput)
        #expect(lines.contains("[host01] task 'Check app': up"))
        #expect(!lines.contains("[host02] task 'Check app': up"))
        #expect(run.standardError.contains("[host02] jail_create app: failed:"))
        #expect(run.standardError.contains("[host02] 1 later task not run on this host"))
        #expect(
            lines.contains {
                $0.hasPrefix("  host02  not-attempted  left out: it failed in play 'Create'")
            })
        #expect(lines.contains { $0.hasPrefix("[host03] report: userland") })
        #expect(!lines.contains { $0.hasPrefix("[host02] report:") })
        #expect(lines.last?.contains(": 2 of 2 plays run;") == true)
    }

    @Test("play whose hosts all fail stops the playbook")
    func allFailedStops() async throws {
        let fleet = try await SimulatedFleet.start(count: 2)
        defer { fleet.stop() }
        let playbook = try Self.playbook(
            fleet,
            """
            - name: Break
              hosts: all
              max_fail_percentage: 100
              tasks:
                - host_exec: {command: ["false"]}
            - name: Never
              hosts: all
              tasks:
                - host_exec: {command: [touch, never-run]}
            """)
        let run = await fleet.run(["run", playbook, "--json"])
        #expect(run.status == 1)
        #expect(
            run.standardError.contains(
                "error: every host of play 'Break' failed or was unreachable; the playbook "
                    + "stops, and 1 later play does not run"))
        let document = try #require(
            JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let plays = try #require(document["plays"] as? [[String: Any]])
        #expect(plays.map { $0["ran"] as? Bool } == [true, false])
        #expect(
            document["stopped"] as? String == "every host of play 'Break' failed or was unreachable"
        )
        for host in fleet.hosts {
            #expect(try !fleet.calls(host).contains { $0.hasPrefix("touch") })
        }
    }

    @Test("check plans and changes nothing")
    func checkChangesNothing() async throws {
        let fleet = try await SimulatedFleet.start(count: 3)
        defer { fleet.stop() }
        try Self.addWebGroup(fleet)
        let run = await fleet.run(["run", Self.playbooks + "/rollout-jails.yml", "--check"])
        #expect(run.status == 0, "\(run.standardError)")
        let lines = Self.lines(run.standardOutput)
        #expect(lines.first?.hasSuffix(", check only") == true)
        #expect(lines.contains("[host01] task 'Create and start www_blue': would change: 7 steps"))
        #expect(
            lines.contains(
                "[host01] task 'Create and start www_green': planned once the tasks above have run"
            ))
        for host in fleet.hosts {
            let changing = try fleet.calls(host).filter {
                $0.hasPrefix("zfs create") || $0.hasPrefix("jail ") || $0.hasPrefix("pwd_mkdb")
            }
            #expect(changing.isEmpty, "\(host)")
        }
    }

    @Test("invalid playbook exits 65 before any host")
    func invalidPlaybook() async throws {
        let fleet = try await SimulatedFleet.start(count: 1)
        defer { fleet.stop() }
        let playbook = try Self.playbook(
            fleet,
            """
            - name: Bad
              hosts: nosuchgroup
              serial: 0
              tasks:
                - jail_start: {name: a.b}
            """)
        let run = await fleet.run(["run", playbook])
        #expect(run.status == 65)
        let errors = Self.lines(run.standardError)
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0.hasPrefix(playbook + ":") })
        #expect(try fleet.calls("host01").isEmpty)
    }
}
