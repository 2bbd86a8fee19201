import struct FleetJails.JailName
import enum FleetJails.RemotePath
import struct FleetJails.HostSettings
/// The type of an inventory variable and the checks its value must pass.
public enum InventoryVariableType: Sendable, Hashable {
    /// Text, with an extra check.
    case text(TextRule)
    /// A decimal integer within a range.
    case integer(ClosedRange<Int>)
    /// `true` or `false`, or a YAML 1.1 spelling of either.
    case boolean
    /// One of a few words.
    case choice([String])

    /// The check a text value must pass.
    public enum TextRule: Sendable, Hashable {
        /// Any text but the empty one.
        case nonEmpty
        /// A file path; a leading `~/` is expanded when the path is used.
        case path
        /// An absolute path.
        case absolutePath
        /// The name of an environment variable: `[A-Za-z_][A-Za-z0-9_]*`.
        case environmentName
        /// A jail name: 1 to 63 letters, digits and `_`, not digits only.
        case jailName
        /// A ZFS pool or dataset name, such as `zroot/jails`.
        case dataset
        /// An http, https, ftp or file URL, such as `https://mirror.example/pub/FreeBSD`.
        case url
        /// A FreeBSD release that release sets and freebsd-update serve, such as
        /// `14.1-RELEASE`.
        case release
    }

    /// The type as the documentation and `inventory show` name it.
    public var description: String {
        switch self {
        case .text(let rule): return rule.description
        case .integer(let range) where range.upperBound == Int.max:
            return "integer >= \(range.lowerBound)"
        case .integer(let range): return "integer \(range.lowerBound)-\(range.upperBound)"
        case .boolean: return "boolean"
        case .choice(let words): return words.joined(separator: "|")
        }
    }
}

extension InventoryVariableType.TextRule {
    /// What a value must be, as in "expected an absolute path".
    var description: String {
        switch self {
        case .nonEmpty: return "non-empty text"
        case .path: return "a path"
        case .absolutePath:
            return "an absolute path without '.' or '..' parts, of letters, digits and /._-+@,:"
        case .environmentName: return "an environment variable name ([A-Za-z_][A-Za-z0-9_]*)"
        case .jailName: return "a jail name: 1 to 63 letters, digits or '_', not digits only"
        case .dataset:
            return "a ZFS dataset name: components of letters, digits and _-.: joined by '/'"
        case .url:
            return "an http, https, ftp or file URL such as https://host/path, without spaces, "
                + "quotes or shell metacharacters"
        case .release:
            return "a release such as 14.1-RELEASE or 14.2-RC1; STABLE, CURRENT and "
                + "PRERELEASE have no release sets or binary updates"
        }
    }

    /// Returns whether `text` passes the check. The remote rules are the planner's own, so a
    /// value the planner would reject is caught here with its position.
    func accepts(_ text: String) -> Bool {
        switch self {
        case .nonEmpty, .path:
            return !text.isEmpty
        case .absolutePath:
            return (try? RemotePath.check(text, setting: "", allowRoot: false)) != nil
        case .environmentName:
            guard let first = text.first, first == "_" || first.isASCIILetter else { return false }
            return text.allSatisfy { $0 == "_" || $0.isASCIILetter || $0.isASCIIDigitCharacter }
        case .jailName:
            return JailName.problem(in: text) == nil
        case .dataset:
            return (try? HostSettings.checkDataset(text)) != nil
        case .url:
            return (try? HostSettings.checkMirror(text)) != nil
        case .release:
            return (try? HostSettings.checkRelease(text)) != nil
        }
    }
}

extension Character {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
