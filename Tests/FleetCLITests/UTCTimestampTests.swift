import FleetCore
import Foundation
import Testing

@testable import FleetCLI

@Suite("UTC time of run IDs and reports")
struct UTCTimestampTests {
    @Test(
        "matches Foundation's formatters",
        arguments: [
            0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_798_761_599,
            1_796_437_833, 4_107_542_399, 4_107_542_400, -1, -86_401, 253_402_300_799,
        ] as [Int64])
    func matchesFormatter(seconds: Int64) {
        let date = Date(timeIntervalSince1970: Double(seconds))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        iso.timeZone = TimeZone(identifier: "UTC")
        let time = UTCTime(secondsSince1970: seconds)
        #expect(time.compact == formatter.string(from: date))
        #expect(time.iso8601 == iso.string(from: date))
    }

    @Test("run ID starts with UTC time")
    func runIDNow() {
        let before = UTCTime.now()
        let id = FleetRunner.makeRunID()
        let after = UTCTime.now()
        let stamps = Set([before, after].map(\.compact))
        #expect(stamps.contains(String(id.prefix(16))))
        #expect(id.dropFirst(16).first == "-")
    }
}
