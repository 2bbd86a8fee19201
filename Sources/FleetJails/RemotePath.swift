/// Checks and joins absolute paths that reach a remote shell.
public enum RemotePath {
    /// Throws unless `path` is absolute, normalized, and made of letters, digits and
    /// `/._-+@,:` only; `/` itself passes only when `allowRoot` is true.
    public static func check(
        _ path: String, setting: String, allowRoot: Bool
    ) throws(SettingsError) {
        // Control characters are single bytes in UTF-8, so the bytes find them.
        if path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw SettingsError(setting: setting, value: path, problem: .controlCharacter)
        }
        guard path.hasPrefix("/") else {
            throw SettingsError(setting: setting, value: path, problem: .notAbsolute)
        }
        if path == "/" {
            if allowRoot { return }
            throw SettingsError(setting: setting, value: path, problem: .rootDirectory)
        }
        if hasAbnormalComponent(path) {
            throw SettingsError(setting: setting, value: path, problem: .notNormalized)
        }
        if let bad = path.unicodeScalars.first(where: { !isPathCharacter($0) }) {
            throw SettingsError(
                setting: setting, value: path, problem: .invalidCharacter(Character(bad)))
        }
    }

    /// Returns `base` and `components` joined with `/`.
    public static func join(_ base: String, _ components: String...) -> String {
        ([base == "/" ? "" : base] + components).joined(separator: "/")
    }

    /// Returns whether the absolute `path` has an empty, `.` or `..` component.
    ///
    /// A run checks the same few paths for every host, so ASCII text, where every byte is one
    /// character, is scanned byte by byte. Other text is split by characters, because a
    /// combining mark after a `/` joins it into one character that no longer separates.
    private static func hasAbnormalComponent(_ path: String) -> Bool {
        guard path.utf8.allSatisfy({ $0 < 0x80 }) else {
            let components = path.dropFirst().split(
                separator: "/", omittingEmptySubsequences: false)
            return components.contains { $0.isEmpty || $0 == "." || $0 == ".." }
        }

        // A component is abnormal when it is empty or made of one or two dots only. The
        // first byte is the leading '/', which starts the first component.
        var length = 0
        var dots = 0
        var isFirst = true
        for byte in path.utf8 {
            if isFirst {
                isFirst = false
            } else if byte == UInt8(ascii: "/") {
                if length == dots && dots <= 2 { return true }
                length = 0
                dots = 0
            } else {
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return length == dots && dots <= 2
    }

    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "/", ".", "_", "-", "+", "@", ",", ":": return true
        default: return false
        }
    }
}
