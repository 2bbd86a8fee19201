/// Checks and joins absolute paths that reach a remote shell.
public enum RemotePath {
    /// Throws unless `path` is absolute, normalized, and made of letters, digits and
    /// `/._-+@,:` only; `/` itself passes only when `allowRoot` is true.
    public static func check(
        _ path: String, setting: String, allowRoot: Bool
    ) throws(SettingsError) {
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw SettingsError(setting: setting, value: path, problem: .controlCharacter)
        }
        guard path.hasPrefix("/") else {
            throw SettingsError(setting: setting, value: path, problem: .notAbsolute)
        }
        if path == "/" {
            if allowRoot { return }
            throw SettingsError(setting: setting, value: path, problem: .rootDirectory)
        }
        let components = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        if components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
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

    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        case "/", ".", "_", "-", "+", "@", ",", ":": return true
        default: return false
        }
    }
}
