/// The rule a jail name breaks.
///
/// Names become `jail.conf` entries, ZFS dataset names and rc variables, so one rule applies
/// everywhere: 1 to 64 characters of `[A-Za-z0-9_-]`, not starting with `-`, not all digits.
/// A name that breaks it is rejected with the reason, never rewritten.
public enum JailNameViolation: Sendable, Equatable {
    /// The name is empty.
    case empty
    /// The name is longer than `maximum` characters.
    case tooLong(length: Int, maximum: Int)
    /// The name contains `.`, which FreeBSD reads as a hierarchical jail.
    case dot
    /// The name contains a character outside `[A-Za-z0-9_-]`.
    case invalidCharacter(Character)
    /// The name starts with `-`, which commands read as an option.
    case leadingHyphen
    /// The name is all digits, which `jail` and `jls` read as a jail id.
    case allDigits

    /// The reason as a clause, such as "'.' separates hierarchical jail names in FreeBSD".
    public var reason: String {
        switch self {
        case .empty:
            return "the name is empty"
        case .tooLong(let length, let maximum):
            return "it has \(length) characters; at most \(maximum) are allowed"
        case .dot:
            return "'.' separates the parts of hierarchical jail names in FreeBSD"
        case .invalidCharacter(let character):
            return "'\(character)' is not allowed; use letters, digits, '_' and '-'"
        case .leadingHyphen:
            return "it starts with '-', which commands read as an option"
        case .allDigits:
            return "a name of digits only reads as a jail id"
        }
    }
}

/// Returns the first jail-name rule that `name` breaks, or nil when it is valid.
///
/// TODO: use FleetJails.JailName once merged, so the planner and playbooks share one check.
func jailNameViolation(_ name: String) -> JailNameViolation? {
    let maximum = 64
    if name.isEmpty {
        return .empty
    }
    if name.count > maximum {
        return .tooLong(length: name.count, maximum: maximum)
    }
    if name.contains(".") {
        return .dot
    }
    if let character = name.first(where: { !isJailNameCharacter($0) }) {
        return .invalidCharacter(character)
    }
    if name.hasPrefix("-") {
        return .leadingHyphen
    }
    if name.allSatisfy({ $0.isASCII && $0.isNumber }) {
        return .allDigits
    }
    return nil
}

private func isJailNameCharacter(_ character: Character) -> Bool {
    character == "_" || character == "-"
        || (character.isASCII && (character.isLetter || character.isNumber))
}
