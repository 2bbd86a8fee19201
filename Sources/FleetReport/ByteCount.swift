import Foundation

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
            return String(format: "%.2f", value) + units[unit]
        }
        if value < 100 {
            return String(format: "%.1f", value) + units[unit]
        }
        return "\(Int64(value))\(units[unit])"
    }
}
