import FleetCore
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `--report-dir` folder: one JSON file per host, written the moment the host
/// finishes, and a summary written at the end.
///
/// Each file is replaced atomically, so an interrupted controller leaves every finished
/// host's report whole. Layout: `<dir>/hosts/<host>.json` and `<dir>/summary.json`.
public final class ReportDirectory: Sendable {
    /// The folder.
    public let path: String
    /// What the run did, e.g. `upgrade-skel`, recorded in every file.
    public let command: String
    /// The run's unique id, recorded in every file.
    public let runID: String

    /// Creates the folder (and `hosts/` in it) when missing.
    public init(path: String, command: String, runID: String) throws(AtomicFileError) {
        self.path = path
        self.command = command
        self.runID = runID
        try AtomicFile.makeDirectories(path + "/hosts")
    }

    /// The file of `host`, with characters unsafe in file names percent-encoded.
    public func hostFile(_ host: String) -> String {
        "\(path)/hosts/\(Self.fileName(host)).json"
    }

    /// Writes `outcome` to its host's file.
    public func write(_ outcome: HostOutcome) throws(AtomicFileError) {
        let record = HostRecord(command: command, runID: runID, outcome: outcome)
        try AtomicFile.write(Self.encode(record), to: hostFile(outcome.host))
    }

    /// Writes `summary.json` with every outcome, the counts per state, and whether Ctrl-C
    /// stopped the run (`interrupted`), which then exits 130 unless every host succeeded.
    public func writeSummary(_ outcomes: [HostOutcome], interrupted: Bool = false)
        throws(AtomicFileError)
    {
        let recap = Recap(outcomes)
        var counts: [String: Int] = [:]
        for state in HostState.allCases {
            counts[state.rawValue] = recap.count(state)
        }
        let summary = Summary(
            command: command, runID: runID,
            exitStatus: recap.exitStatus(interrupted: interrupted), interrupted: interrupted,
            counts: counts, hosts: outcomes)
        try AtomicFile.write(Self.encode(summary), to: path + "/summary.json")
    }

    /// Reads the outcome a previous run wrote for `host`, if any and readable.
    public func previousOutcome(of host: String) -> HostRecord? {
        guard let data = FileManager.default.contents(atPath: hostFile(host)) else { return nil }
        return try? JSONDecoder().decode(HostRecord.self, from: data)
    }

    private static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding structs of strings, numbers and arrays cannot fail.
        return Array(try! encoder.encode(value)) + [10]
    }

    private static func fileName(_ host: String) -> String {
        var name = ""
        for byte in host.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                name.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: "."):
                name += name.isEmpty ? "%2E" : "."
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                name += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return name
    }
}

/// One host's report file.
public struct HostRecord: Codable, Sendable, Equatable {
    /// The command of the run.
    public var command: String
    /// The run's id.
    public var runID: String
    /// The host's outcome.
    public var outcome: HostOutcome
}

/// The summary file of a run.
struct Summary: Codable {
    var command: String
    var runID: String
    var exitStatus: Int32
    /// Whether Ctrl-C stopped the run before every host ran.
    var interrupted: Bool
    var counts: [String: Int]
    var hosts: [HostOutcome]
}
