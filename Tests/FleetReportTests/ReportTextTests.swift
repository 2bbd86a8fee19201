import FleetCore
import FleetReport
import Testing

@Suite("Report text, verdict and JUnit")
struct ReportTextTests {
    static let web = JailReport(name: "web", running: true, jid: 12, usedBytes: 1_299_227_607)
    static let db = JailReport(name: "db", running: false, jid: nil, usedBytes: 96 << 10)

    static func report(
        _ host: String, skel: String = "14.1-RELEASE-p6", jails: [JailReport] = [web, db],
        health: String = "ONLINE", free: Int64 = 400 << 30, mounts: [String] = []
    ) -> HostReport {
        HostReport(
            host: host, hostVersion: "14.1-RELEASE-p6", kernelVersion: "14.1-RELEASE-p6",
            skelVersion: skel, skelBehind: skel < "14.1-RELEASE-p6", jails: jails,
            pool: PoolReport(name: "zroot", sizeBytes: 476 << 30, freeBytes: free, health: health),
            leftoverMounts: mounts, lastSkelSnapshot: "zroot/jails/skel@created")
    }

    static let unreachable = HostReport(
        unreachableHost: "gone", problem: "connect: cannot connect to 127.0.0.9:22")

    @Test("tables of reachable and unreachable hosts")
    func tables() {
        let noZFS = HostReport(
            host: "ufs1", hostVersion: "13.4-RELEASE", kernelVersion: "13.4-RELEASE",
            skelVersion: nil, skelBehind: false,
            jails: [JailReport(name: "a", running: true, jid: 3, usedBytes: nil)], pool: nil,
            leftoverMounts: [], lastSkelSnapshot: nil)
        let lines = ReportText.tables([Self.report("alpha"), Self.unreachable, noZFS])
        #expect(
            lines == [
                "HOST   VERSION          SKEL             JAILS  UP  SIZE  FREE  CAP  HEALTH",
                "alpha  14.1-RELEASE-p6  14.1-RELEASE-p6      2   1  476G  400G  15%  ONLINE",
                "gone   unreachable: connect: cannot connect to 127.0.0.9:22",
                "ufs1   13.4-RELEASE     none                 1   1     -     -    -  -",
                "",
                "HOST   JAIL  STATE    JID   USED",
                "alpha  db    stopped    -    96K",
                "alpha  web   running   12  1.21G",
                "ufs1   a     running    3      -",
                "",
                "HOST   LAST SKEL SNAPSHOT",
                "alpha  zroot/jails/skel@created",
                "ufs1   -",
            ])
    }

    @Test("host without jails leaves out the jails table")
    func noJails() {
        let lines = ReportText.tables([Self.report("h", jails: [])])
        #expect(!lines.contains { $0.hasPrefix("HOST  JAIL") })
        #expect(lines.contains("HOST  LAST SKEL SNAPSHOT"))
    }

    @Test("only unreachable hosts give one table")
    func onlyUnreachable() {
        #expect(
            ReportText.tables([Self.unreachable]) == [
                "HOST  VERSION  SKEL  JAILS  UP  SIZE  FREE  CAP  HEALTH",
                "gone  unreachable: connect: cannot connect to 127.0.0.9:22",
            ])
    }

    @Test("changes, problems and summary")
    func sections() {
        let changes: [ReportChange] = [
            .jailAdded(host: "a", jail: "mail"), .becameUnreachable(host: "b", problem: "gone"),
        ]
        #expect(
            ReportText.changes(changes, since: "2024-05-01T06:00:00Z") == [
                "CHANGES SINCE 2024-05-01T06:00:00Z", "a: jail mail added",
                "b: became unreachable: gone",
            ])
        #expect(
            ReportText.changes([], since: "2024-05-01T06:00:00Z") == [
                "no changes since 2024-05-01T06:00:00Z"
            ])
        let reports = [Self.report("a", skel: "14.1-RELEASE-p5"), Self.unreachable]
        let verdict = ReportVerdict(reports: reports, thresholds: ReportThresholds())
        #expect(
            ReportText.problems(verdict.problems) == [
                "PROBLEMS",
                "a: skel 14.1-RELEASE-p5 is behind the host's 14.1-RELEASE-p6",
                "gone: unreachable: connect: cannot connect to 127.0.0.9:22",
            ])
        #expect(ReportText.problems([]).isEmpty)
        #expect(
            ReportText.summary(reports, verdict: verdict)
                == "REPORT 2 hosts: 1 reachable, 1 unreachable, 1 warning")
    }

    @Test(
        "exit status",
        arguments: [
            ([report("a")], FleetCore.ExitStatus.ok),
            ([report("a", health: "DEGRADED")], .someFailed),
            ([report("a", free: 10 << 30)], .someFailed),
            ([report("a", skel: "14.1-RELEASE-p5")], .someFailed),
            ([report("a", mounts: ["/var/jails/db/dev"])], .someFailed),
            ([report("a"), unreachable], .someFailed),
            ([unreachable], .unavailable),
            ([unreachable, HostReport(unreachableHost: "b", problem: "x")], .unavailable),
            ([], .ok),
        ])
    func exitStatus(reports: [HostReport], status: FleetCore.ExitStatus) {
        #expect(
            ReportVerdict(reports: reports, thresholds: ReportThresholds()).exitStatus == status)
    }

    @Test("pool capacity threshold is compared as greater than")
    func capacityBoundary() {
        var thresholds = ReportThresholds()
        thresholds.maxPoolCapacityPercent = 50
        let half = Self.report("a", free: 238 << 30)
        #expect(ReportVerdict(reports: [half], thresholds: thresholds).exitStatus == .ok)
        thresholds.maxPoolCapacityPercent = 49
        #expect(
            ReportVerdict(reports: [half], thresholds: thresholds).problems == [
                ReportProblem(
                    host: "a", kind: .warning, message: "pool zroot is 50% full (warning above 49%)"
                )
            ])
    }

    @Test("JUnit cases")
    func junitCases() {
        let cases = ReportJUnit.cases(
            [Self.report("a"), Self.report("b", health: "FAULTED"), Self.unreachable],
            thresholds: ReportThresholds(), seconds: ["a": 1.25])
        #expect(cases.map(\.name) == ["a", "b", "gone"])
        #expect(
            cases.map(\.outcome) == [
                .passed, .failure(message: "pool zroot is FAULTED"),
                .error(message: "connect: cannot connect to 127.0.0.9:22"),
            ])
        #expect(cases.map(\.seconds) == [1.25, 0, 0])
        #expect(
            cases[0].output == """
                version: 14.1-RELEASE-p6
                skel: 14.1-RELEASE-p6
                pool zroot: 476G, 400G free, ONLINE
                jail db: stopped, 96K used
                jail web: running, jid 12, 1.21G used
                last skel snapshot: zroot/jails/skel@created
                """)
        #expect(cases[2].output == "")
    }

    @Test("change hosts and kinds")
    func changeFields() {
        let changes: [ReportChange] = [
            .hostAdded(host: "a"), .jailRunningChanged(host: "b", jail: "w", running: false),
            .poolSpaceGrew(host: "c", pool: "zroot", fromBytes: 1, toBytes: 2),
        ]
        #expect(changes.map(\.host) == ["a", "b", "c"])
        #expect(changes.map(\.kind) == ["host-added", "jail-stopped", "pool-space-grew"])
    }
}
