/// A jail name that follows the one name rule of minijail-fleet.
///
/// The rule: 1 to 63 characters, each an ASCII letter, digit or `_`, and not digits only.
/// A name that breaks it is rejected with the reason and never rewritten. Why each part:
/// - A name becomes a ZFS dataset component, a directory under the jails root, a jail.conf
///   block name, the jail's hostname and part of rc.conf variables such as `jail_<name>_...`.
///   rc(8) variables and `sh` variable names only hold letters, digits and `_`, and rc.d/jail
///   maps only `/` and `.` to `_`, so `-` is rejected: `web-1` would give `jail_web-1_...`,
///   which `sh` cannot address. Without `-`, a name can also never read as an option.
/// - `.` separates levels of hierarchical jails in jail(8), so it is rejected.
/// - A name of digits only reads as a jail id (JID) to jail(8), jls(8) and jexec(8).
/// - 63 characters keeps the hostname a valid DNS label (RFC 1035) and leaves room in the
///   256-byte ZFS dataset name limit (ZFS_MAX_DATASET_NAME_LEN) for a deep parent dataset.
public struct JailName: Sendable, Hashable, CustomStringConvertible {
    /// The maximum length in characters.
    public static let maximumLength = 63

    /// The validated name.
    public let value: String

    /// Validates `raw` against the name rule.
    public init(_ raw: String) throws(JailNameError) {
        if let problem = JailName.problem(in: raw) {
            throw JailNameError(name: raw, problem: problem)
        }
        value = raw
    }

    /// The name itself.
    public var description: String { value }

    /// Returns the first rule that `raw` breaks, or nil when it is a valid name.
    public static func problem(in raw: String) -> JailNameError.Problem? {
        if raw.isEmpty { return .empty }
        // Every host of a run checks its skel name, so common names take a shortcut. A name
        // of at most 63 bytes, each an ASCII letter, digit or '_', is at most 63 scalars long
        // and can break only the digits-only rule.
        if raw.utf8.count <= maximumLength, let digitsOnly = isDigitsOnlyPlainName(raw) {
            return digitsOnly ? .digitsOnly : nil
        }
        let scalars = Array(raw.unicodeScalars)
        if scalars.count > maximumLength { return .tooLong(scalars.count) }
        if raw == "." || raw == ".." || raw.hasPrefix("../") || raw.contains("/..") {
            return .pathTraversal
        }
        if let bad = scalars.first(where: { !isAllowed($0) }) {
            return problem(for: bad, isFirst: scalars.first == bad)
        }
        if scalars.allSatisfy({ ("0"..."9").contains($0) }) { return .digitsOnly }
        return nil
    }

    /// Returns whether `raw` is made of digits only when every byte is an ASCII letter, digit
    /// or '_', and nil when some byte is not.
    private static func isDigitsOnlyPlainName(_ raw: String) -> Bool? {
        let bytes = raw.utf8.span
        var digitsOnly = true
        for index in bytes.indices {
            let byte = bytes[index]
            guard isAllowedByte(byte) else { return nil }
            if byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { digitsOnly = false }
        }
        return digitsOnly
    }

    private static func isAllowedByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default: return false
        }
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": return true
        default: return false
        }
    }

    private static func problem(for scalar: Unicode.Scalar, isFirst: Bool) -> JailNameError.Problem
    {
        switch scalar {
        case ".": return .dot
        case "/": return .slash
        case "-": return isFirst ? .leadingDash : .dash
        case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}": return .whitespace
        default:
            if scalar.properties.isWhitespace { return .whitespace }
            return .invalidCharacter(Character(scalar))
        }
    }
}

/// A jail name rejected by the name rule, with the name as given and the rule it breaks.
public struct JailNameError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule a rejected name breaks.
    public enum Problem: Sendable, Equatable {
        /// The name is empty.
        case empty
        /// The name has more than `JailName.maximumLength` characters; the count is attached.
        case tooLong(Int)
        /// The name is `.`, `..` or contains a `..` path component.
        case pathTraversal
        /// The name contains `.`, the hierarchical jail separator.
        case dot
        /// The name contains `/`.
        case slash
        /// The name starts with `-`.
        case leadingDash
        /// The name contains `-`.
        case dash
        /// The name contains a space, tab, newline or other whitespace.
        case whitespace
        /// The name contains a character outside letters, digits and `_`.
        case invalidCharacter(Character)
        /// The name is made of digits only.
        case digitsOnly
    }

    /// The name exactly as given.
    public let name: String
    /// The rule it breaks.
    public let problem: Problem

    /// Creates an error for `name`.
    public init(name: String, problem: Problem) {
        self.name = name
        self.problem = problem
    }

    /// The sentence shown to the user.
    public var description: String {
        "invalid jail name \(displayedName): \(reason); "
            + "use 1 to \(JailName.maximumLength) letters, digits or '_', not digits only"
    }

    private var displayedName: String {
        let shown = name.count > 40 ? String(name.prefix(40)) + "..." : name
        return "\"" + shown.unicodeScalars.map(Self.displayed).joined() + "\""
    }

    /// Shows letters, marks, numbers, punctuation and symbols as they are, and escapes the
    /// rest (control and format characters such as a newline or a right-to-left override),
    /// so a message can neither break a line nor reorder the terminal's text.
    private static func displayed(_ scalar: Unicode.Scalar) -> String {
        if scalar.isASCII { return scalar.escaped(asASCII: true) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber,
            .otherNumber, .connectorPunctuation, .dashPunctuation, .openPunctuation,
            .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return String(scalar)
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format,
            .surrogate, .privateUse, .unassigned:
            return scalar.escaped(asASCII: true)
        @unknown default:
            return scalar.escaped(asASCII: true)
        }
    }

    private var reason: String {
        switch problem {
        case .empty: return "the name is empty"
        case .tooLong(let count):
            return "it has \(count) characters, more than the maximum of \(JailName.maximumLength)"
        case .pathTraversal: return "it contains a '..' path component"
        case .dot: return "it contains '.', which jail(8) reads as a hierarchical jail separator"
        case .slash: return "it contains '/', which would make it a path"
        case .leadingDash: return "it starts with '-', which commands read as an option"
        case .dash: return "it contains '-', which rc.conf variable names cannot hold"
        case .whitespace: return "it contains whitespace"
        case .invalidCharacter(let character):
            let scalars = character.unicodeScalars
            let shown = scalars.map(Self.displayed).joined()
            guard let first = scalars.first, !first.isASCII else {
                return "it contains '\(shown)', which is not a letter, digit or '_'"
            }
            let hex = String(first.value, radix: 16, uppercase: true)
            let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            return "it contains '\(shown)' (\(code)), which is not an ASCII letter, digit or '_'"
        case .digitsOnly: return "it is made of digits only, which jail(8) reads as a jail id"
        }
    }
}
