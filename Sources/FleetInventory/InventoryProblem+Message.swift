extension InventoryProblem.Kind {
    /// The sentence a user reads, without position or severity.
    public var message: String {
        switch self {
        case .yaml(let kind):
            return kind.message
        case .emptyInventory:
            return "the inventory is empty; expected a mapping with an 'all' group"
        case .invalidName(let kind, let name, let character):
            let shown = name.unicodeScalars.map(Self.displayed).joined()
            return "invalid \(kind.rawValue) name '\(shown)': \(Self.reason(for: character))"
        case .emptyName(let kind):
            return "the \(kind.rawValue) name is empty; give it a name"
        case .invalidHostRange(let name, let reason):
            return "invalid host range '\(name)': \(reason)"
        case .hostDefinedTwice(let host, let first):
            return "host '\(host)' is defined twice; its variables are first given at \(first), "
                + "so list it here without variables"
        case .variableSetTwice(let key, let owner, let first):
            return "'\(key)' sets a variable of \(owner) that is already set at \(first)"
        case .unknownVariable(let key, let owner, let suggestion):
            guard let suggestion else { return "unknown variable '\(key)' in \(owner)" }
            return "unknown variable '\(key)' in \(owner); did you mean '\(suggestion)'?"
        case .allAsChild:
            return "group 'all' contains every group and cannot be a child of another group"
        case .hostAndGroup(let name, let group):
            return "'\(name)' is both a host and a group (defined at \(group)); rename one of them"
        case .groupCycle(let path):
            return "groups contain each other: " + path.joined(separator: " -> ")
        case .conflictingGroups(
            let host, let variable, let first, let firstAt, let second, let secondAt):
            return "host '\(host)' gets different values of '\(variable)' from unrelated groups "
                + "'\(first)' (\(firstAt)) and '\(second)' (\(secondAt)); "
                + "set it on the host or in one group"
        }
    }

    private static func reason(for character: Character) -> String {
        if character == "/" || character == "\\" {
            return "'\(character)' would make it a path, and a host name becomes a file name"
        }
        guard let scalar = character.unicodeScalars.first, scalar.value >= 0x20,
            scalar.value < 0x7F
        else {
            let code = character.unicodeScalars.first.map(Self.codePoint) ?? ""
            return "it contains \(code), a space, control or format character"
        }
        return "'\(character)' is reserved for host patterns"
    }

    /// Shows printable ASCII as is and every other scalar as `\u{...}`, so a name cannot
    /// break the line or reorder the terminal's text.
    private static func displayed(_ scalar: Unicode.Scalar) -> String {
        scalar.value >= 0x20 && scalar.value < 0x7F ? String(scalar) : scalar.escaped(asASCII: true)
    }

    private static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
