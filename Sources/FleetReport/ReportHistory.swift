import FleetCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Every nightly report, kept in an SQLite file so that each run can say what changed.
///
/// Layout: table `runs` (id, taken_at in ISO 8601 UTC, tool version) and table
/// `host_reports` (run_id, host, reachable, report as JSON). The JSON is the same
/// `HostReport` encoding that `report --json` prints, so old rows stay readable as the
/// report grows optional fields.
public final class ReportHistory {
    private let database: SQLiteDatabase

    /// Opens or creates the history file at `path`.
    public init(path: String) throws(ReportHistoryError) {
        database = try SQLiteDatabase(path: path)
        try database.execute(
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS runs (
                id INTEGER PRIMARY KEY,
                taken_at TEXT NOT NULL,
                tool_version TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS host_reports (
                run_id INTEGER NOT NULL REFERENCES runs(id),
                host TEXT NOT NULL,
                reachable INTEGER NOT NULL,
                report TEXT NOT NULL,
                PRIMARY KEY (run_id, host)
            );
            """)
    }

    /// Stores `reports` as a new run taken at `time` and returns the run's id.
    @discardableResult
    public func record(_ reports: [HostReport], at time: UTCTime, toolVersion: String)
        throws(ReportHistoryError) -> Int64
    {
        try database.execute("BEGIN IMMEDIATE")
        do {
            try database.query(
                "INSERT INTO runs (taken_at, tool_version) VALUES (?, ?)",
                [.text(time.iso8601), .text(toolVersion)])
            let runID = database.lastInsertRowID
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            for report in reports {
                // Encoding plain structs of strings, numbers and arrays cannot fail.
                let json = String(decoding: try! encoder.encode(report), as: UTF8.self)
                try database.query(
                    "INSERT INTO host_reports (run_id, host, reachable, report) VALUES (?, ?, ?, ?)",
                    [
                        .integer(runID), .text(report.host), .integer(report.reachable ? 1 : 0),
                        .text(json),
                    ])
            }
            try database.execute("COMMIT")
            return runID
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    /// Returns the stored run before `runID` (the newest when nil), or nil when there is none.
    public func run(before runID: Int64?) throws(ReportHistoryError) -> StoredRun? {
        let rows =
            if let runID {
                try database.query(
                    "SELECT id, taken_at FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1",
                    [.integer(runID)])
            } else {
                try database.query("SELECT id, taken_at FROM runs ORDER BY id DESC LIMIT 1")
            }
        guard let row = rows.first, let id = row[0].integer, let takenAt = row[1].text else {
            return nil
        }
        let reportRows = try database.query(
            "SELECT host, report FROM host_reports WHERE run_id = ? ORDER BY host", [.integer(id)])
        let decoder = JSONDecoder()
        var reports: [HostReport] = []
        for reportRow in reportRows {
            guard let json = reportRow[1].text,
                let report = try? decoder.decode(HostReport.self, from: Data(json.utf8))
            else {
                throw ReportHistoryError(
                    path: database.path, call: "decode", code: 0,
                    message: "run \(id) has an unreadable report for \(reportRow[0].text ?? "?")")
            }
            reports.append(report)
        }
        return StoredRun(id: id, takenAt: takenAt, reports: reports)
    }
}

/// One run read back from the history.
public struct StoredRun: Sendable, Equatable {
    /// The run's id, increasing with time.
    public let id: Int64
    /// When it was taken, ISO 8601 in UTC.
    public let takenAt: String
    /// Its host reports, sorted by host name.
    public let reports: [HostReport]
}
