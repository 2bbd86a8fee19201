#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A wall-clock time in UTC, to the second, formatted without Foundation's calendars.
public struct UTCTime: Sendable, Equatable {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSince1970: Int64

    /// Creates the time `secondsSince1970` seconds after the epoch.
    public init(secondsSince1970: Int64) {
        self.secondsSince1970 = secondsSince1970
    }

    /// Returns the current wall-clock time, truncated to the second.
    public static func now() -> UTCTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UTCTime(secondsSince1970: Int64(spec.tv_sec))
    }

    /// ISO 8601 as the report history stores it, e.g. `2026-12-04T19:53:06Z`.
    public var iso8601: String {
        let parts = fields
        return "\(parts.year)-\(pad(parts.month))-\(pad(parts.day))T"
            + "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))Z"
    }

    /// The compact form used in run ids and file names, e.g. `20261204T195306Z`.
    public var compact: String {
        let parts = fields
        return "\(parts.year)\(pad(parts.month))\(pad(parts.day))T"
            + "\(pad(parts.hour))\(pad(parts.minute))\(pad(parts.second))Z"
    }

    private var fields: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var seconds = time_t(secondsSince1970)
        var broken = tm()
        gmtime_r(&seconds, &broken)
        return (
            Int(broken.tm_year) + 1900, Int(broken.tm_mon) + 1, Int(broken.tm_mday),
            Int(broken.tm_hour), Int(broken.tm_min), Int(broken.tm_sec)
        )
    }

    private func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
