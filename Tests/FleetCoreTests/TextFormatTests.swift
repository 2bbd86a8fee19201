import FleetCore
import Testing

@Suite("Decimal and time text")
struct TextFormatTests {
    @Test(
        "decimals round as printf",
        arguments: [
            (1.25, 1, "1.2"),
            (1.35, 1, "1.4"),
            (3.0, 2, "3.00"),
            (0.004, 2, "0.00"),
            (12.349, 1, "12.3"),
            (9.995, 2, "9.99"),
            (-2.5, 0, "-2"),
            (1234.5678, 3, "1234.568"),
        ])
    func decimals(value: Double, digits: Int, expected: String) {
        #expect(DecimalText.format(value, digits: digits) == expected)
    }

    @Test("infinite and huge decimals")
    func unusualValues() {
        #expect(DecimalText.format(.infinity, digits: 2) == "inf")
        #expect(DecimalText.format(1e50, digits: 1) == "1e+50")
    }

    @Test(
        "UTC times",
        arguments: [
            (0, "1970-01-01T00:00:00Z", "19700101T000000Z"),
            (951_782_400, "2000-02-29T00:00:00Z", "20000229T000000Z"),
            (1_796_413_986, "2026-12-04T19:53:06Z", "20261204T195306Z"),
        ])
    func times(seconds: Int64, iso: String, compact: String) {
        let time = UTCTime(secondsSince1970: seconds)
        #expect(time.iso8601 == iso)
        #expect(time.compact == compact)
    }

    @Test("current time after test date")
    func now() {
        #expect(UTCTime.now().secondsSince1970 > 1_796_413_986)
    }
}
