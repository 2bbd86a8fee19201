import FleetCore
import FleetReport
import Foundation
import Testing

@Suite("Report history")
struct ReportHistoryTests {
    static func report(
        _ host: String, skel: String = "14.1-RELEASE-p5", jails: [JailReport] = [],
        free: Int64 = 400 << 30
    ) -> HostReport {
        HostReport(
            host: host, hostVersion: "14.1-RELEASE-p6", kernelVersion: "14.1-RELEASE-p5",
            skelVersion: skel, skelBehind: skel != "14.1-RELEASE-p6", jails: jails,
            pool: PoolReport(
                name: "zroot", sizeBytes: 476 << 30, freeBytes: free, health: "ONLINE"),
            leftoverMounts: [], lastSkelSnapshot: "zroot/jails/skel@created")
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("history-\(UUID().uuidString).db").path
    }

    @Test("stores and reads back runs")
    func roundTrip() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let history = try ReportHistory(path: path)
        #expect(try history.run(before: nil) == nil)
        let first = [Self.report("web1"), ReportHistoryTests.unreachable("web2")]
        let firstID = try history.record(
            first, at: UTCTime(secondsSince1970: 0), toolVersion: "t")
        let second = [Self.report("web1", skel: "14.1-RELEASE-p6")]
        let secondID = try history.record(
            second, at: UTCTime(secondsSince1970: 60), toolVersion: "t")
        #expect(secondID > firstID)

        let newest = try #require(try history.run(before: nil))
        #expect(newest.id == secondID)
        #expect(newest.takenAt == "1970-01-01T00:01:00Z")
        #expect(newest.reports == second)
        let previous = try #require(try history.run(before: secondID))
        #expect(previous.reports == first.sorted { $0.host < $1.host })
        #expect(try history.run(before: firstID) == nil)
    }

    static func unreachable(_ host: String) -> HostReport {
        HostReport(unreachableHost: host, problem: "connection refused")
    }

    @Test("reopened file keeps runs")
    func reopen() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ReportHistory(path: path).record([Self.report("a")], at: .now(), toolVersion: "t")
        let reopened = try ReportHistory(path: path)
        #expect(try reopened.run(before: nil)?.reports.map(\.host) == ["a"])
    }

    @Test("unwritable file names the call")
    func unwritable() {
        do {
            _ = try ReportHistory(path: "/nonexistent-dir/history.db")
            Issue.record("opening a file in a missing folder succeeded")
        } catch {
            #expect(
                error.description
                    == "report history '/nonexistent-dir/history.db': sqlite3_open_v2 failed (14): "
                    + "unable to open database file")
        }
    }

    @Test("changes between two reports")
    func changes() {
        let web = JailReport(name: "web", running: true, jid: 1, usedBytes: 10 << 20)
        let db = JailReport(name: "db", running: true, jid: 2, usedBytes: 100 << 20)
        let before = [
            Self.report("h1", jails: [web, db]),
            Self.report("h2"),
            Self.report("h3"),
            Self.report("h5"),
        ]
        var grownDB = db
        grownDB.usedBytes = 300 << 20
        var stoppedWeb = web
        stoppedWeb.running = false
        stoppedWeb.jid = nil
        let mail = JailReport(name: "mail", running: false, jid: nil, usedBytes: 1 << 20)
        let after = [
            Self.report(
                "h1", skel: "14.1-RELEASE-p6", jails: [stoppedWeb, grownDB, mail], free: 300 << 30),
            Self.unreachable("h2"),
            Self.report("h3"),
            Self.report("h4"),
        ]
        let lines = ReportChange.changes(from: before, to: after).map(\.description)
        #expect(
            lines == [
                "h1: skel version 14.1-RELEASE-p5 -> 14.1-RELEASE-p6",
                "h1: jail db grew 100M -> 300M",
                "h1: jail mail added",
                "h1: jail web stopped",
                "h1: pool zroot used 76G -> 176G",
                "h2: became unreachable: connection refused",
                "h4: new host",
                "h5: no longer reported",
            ])
    }

    @Test("small growth is not a change")
    func smallGrowth() {
        let jail = JailReport(name: "web", running: true, jid: 1, usedBytes: 10 << 20)
        var grown = jail
        grown.usedBytes = 20 << 20
        let changes = ReportChange.changes(
            from: [Self.report("h", jails: [jail])], to: [Self.report("h", jails: [grown])])
        #expect(changes.isEmpty)
    }

    @Test(
        "byte counts",
        arguments: [
            (Int64(0), "0B"), (512, "512B"), (96 << 10, "96K"), (13_107_200, "12.5M"),
            (1_299_227_607, "1.21G"), (121 << 30, "121G"), (10 << 30, "10G"),
        ])
    func byteCounts(bytes: Int64, text: String) {
        #expect(ByteCount.format(bytes) == text)
    }

    @Test(
        "sizes read back",
        arguments: [
            ("0B", Int64(0)), ("96K", 98_304), ("1.21G", 1_299_227_607), ("121G", 129_922_760_704),
            ("12345", 12_345),
        ])
    func parseSizes(text: String, bytes: Int64) {
        #expect(ByteCount.parse(text) == bytes)
    }

    @Test("non-sizes are rejected", arguments: ["", "-", "none", "1.2X", "G", "1,5M"])
    func parseRejects(text: String) {
        #expect(ByteCount.parse(text) == nil)
    }

    @Test("thresholds")
    func thresholds() {
        var report = Self.report("h")
        #expect(
            ReportThresholds().warnings(for: report) == [
                "skel 14.1-RELEASE-p5 is behind the host's 14.1-RELEASE-p6"
            ])
        report.skelBehind = false
        report.pool = PoolReport(name: "zroot", sizeBytes: 100, freeBytes: 10, health: "DEGRADED")
        report.leftoverMounts = ["/var/jails/web/dev"]
        #expect(
            ReportThresholds().warnings(for: report) == [
                "pool zroot is DEGRADED",
                "pool zroot is 90% full (warning above 80%)",
                "mounts left behind by stopped jails: /var/jails/web/dev",
            ])
        #expect(ReportThresholds().warnings(for: Self.unreachable("x")).isEmpty)
    }

    @Test("JUnit escapes and counts")
    func junit() {
        let xml = JUnitReport.render(
            suiteName: "report",
            cases: [
                JUnitCase(name: "a", outcome: .passed, seconds: 1.5, output: ""),
                JUnitCase(
                    name: "b<1>", outcome: .error(message: "auth \"x\" & y"), seconds: 0,
                    output: "o\u{1}"),
                JUnitCase(
                    name: "c", outcome: .skipped(message: "not attempted"), seconds: 0, output: ""),
            ])
        #expect(
            xml == """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuites>
                  <testsuite name="report" tests="3" failures="0" errors="1" skipped="1" time="1.500">
                    <testcase classname="report" name="a" time="1.500">
                    </testcase>
                    <testcase classname="report" name="b&lt;1&gt;" time="0.000">
                      <error message="auth &quot;x&quot; &amp; y"/>
                      <system-out>o\u{FFFD}</system-out>
                    </testcase>
                    <testcase classname="report" name="c" time="0.000">
                      <skipped message="not attempted"/>
                    </testcase>
                  </testsuite>
                </testsuites>

                """)
    }
}
