import Foundation
import Testing

@testable import FleetCLI

@Suite("UTC timestamp of the run ID")
struct UTCTimestampTests {
    @Test(
        "matches DateFormatter output",
        arguments: [
            0, 59, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_798_761_599,
            1_796_437_833, 4_107_542_399, 4_107_542_400, -1, -86_401, 253_402_300_799,
        ] as [Int64])
    func matchesFormatter(seconds: Int64) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
        #expect(UTCTimestamp.compact(secondsSince1970: seconds) == expected)
    }

    @Test("run ID starts with UTC time")
    func runIDNow() {
        let before = Int64(Date().timeIntervalSince1970)
        let id = FleetRunner.makeRunID()
        let after = Int64(Date().timeIntervalSince1970)
        let stamps = Set([before, after].map { UTCTimestamp.compact(secondsSince1970: $0) })
        #expect(stamps.contains(String(id.prefix(16))))
        #expect(id.dropFirst(16).first == "-")
    }
}
