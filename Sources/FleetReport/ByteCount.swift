import FleetCore

/// Byte counts for people, in the style of `zfs list`: 1024 steps, units B K M G T P E.
public enum ByteCount {
    /// Formats `bytes` in at most 5 characters, e.g. `0B`, `96K`, `12.5M`, `1.21G`, `121G`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "K", "M", "G", "T", "P", "E"]
        var value = Double(max(bytes, 0))
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 || value == value.rounded(.down) {
            return "\(Int64(value))\(units[unit])"
        }
        // Two decimals below 10, one below 100, none above, as zfs(8) prints.
        if value < 10 {
            return DecimalText.format(value, digits: 2) + units[unit]
        }
        if value < 100 {
            return DecimalText.format(value, digits: 1) + units[unit]
        }
        return "\(Int64(value))\(units[unit])"
    }

    /// Reads a size as `zfs list` and `zpool list` print it (`0B`, `96K`, `1.21G`, or bare
    /// bytes as with `-p`) and returns bytes; nil when the text is not a size.
    ///
    /// The printed forms keep three significant digits, so the result is exact only for
    /// bare bytes and otherwise within about 1%.
    public static func parse(_ text: String) -> Int64? {
        let units: [Character: Double] = [
            "B": 1, "K": 1024, "M": 1024 * 1024, "G": Double(1 << 30), "T": Double(1 << 40),
            "P": Double(1 << 50), "E": Double(1 << 60),
        ]
        guard let last = text.last else { return nil }
        let multiplier: Double
        let number: Substring
        if let unit = units[last] {
            multiplier = unit
            number = text.dropLast()
        } else {
            multiplier = 1
            number = Substring(text)
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let value = Double(number)
        else { return nil }
        return Int64((value * multiplier).rounded())
    }
}
