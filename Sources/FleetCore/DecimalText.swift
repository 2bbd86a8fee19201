#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fixed-point text for durations and sizes, rounded as printf's `%.Nf` rounds.
///
/// Written against the C library so the product needs no Foundation for `String(format:)`.
public enum DecimalText {
    /// Returns `value` with exactly `digits` digits after the point (0 through 9),
    /// e.g. `format(1.25, digits: 1)` is `1.2` and `format(3, digits: 2)` is `3.00`.
    public static func format(_ value: Double, digits: Int) -> String {
        let precision = Int32(min(max(digits, 0), 9))
        // 64 bytes hold any Double below 1e40 with 9 decimals. Larger values are not times or
        // sizes, so Swift's own description prints them.
        guard value.isFinite, abs(value) < 1e40 else { return "\(value)" }
        var buffer = [CChar](repeating: 0, count: 64)
        let written = withVaList([precision, value]) { arguments in
            vsnprintf(&buffer, buffer.count, "%.*f", arguments)
        }
        guard written > 0 else { return "\(value)" }
        return String(
            decoding: buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
