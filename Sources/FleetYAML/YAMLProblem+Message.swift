extension YAMLProblem.Kind {
    /// The sentence a user reads, without position or severity.
    public var message: String {
        switch self {
        case .unreadableFile(let reason):
            return "cannot read the file: \(reason)"
        case .syntax(let problem, let context):
            guard let context else { return "invalid YAML: \(problem)" }
            return "invalid YAML: \(problem) (\(context))"
        case .tabCharacter:
            return "invalid YAML: a tab character here; YAML indents with spaces only, "
                + "so replace the tab with spaces"
        case .invalidText(let problem, let detail):
            let shown = detail.map { " (\($0))" } ?? ""
            return "invalid text: \(problem)\(shown); save the file as UTF-8 "
                + "without control characters"
        case .duplicateKey(let key, let first):
            return "duplicate key '\(key)'; it is first defined at \(first)"
        case .nonScalarKey:
            return "a mapping key must be a scalar, not a mapping or a sequence"
        case .undefinedAlias(let name):
            return "alias '*\(name)' refers to no anchor defined before it"
        case .aliasExpansionLimit(let limit):
            return "aliases expand the document beyond \(limit) nodes, so it is rejected"
        case .nestingLimit(let limit):
            return "collections nest deeper than \(limit) levels, so the document is rejected"
        case .multipleDocuments:
            return "expected one YAML document, but a second one starts here"
        case .wrongKind(let expected, let found, let key):
            guard let key else { return "expected \(expected), found \(found)" }
            return "expected \(expected) for '\(key)', found \(found)"
        case .missingValue(let key):
            return "'\(key)' has no value"
        case .invalidBoolean(let key, let text):
            return "invalid boolean '\(text)' for '\(key)'; use true or false"
        case .invalidInteger(let key, let text, let reason):
            return "invalid integer '\(text)' for '\(key)': \(reason.explanation)"
        case .integerOutOfRange(let key, let value, let range):
            return "'\(key)' must be \(Self.describe(range)), not \(value)"
        case .invalidChoice(let key, let text, let allowed, let suggestion):
            let base =
                "invalid value '\(text)' for '\(key)'; expected one of: "
                + allowed.joined(separator: ", ")
            guard let suggestion else { return base }
            return base + "; did you mean '\(suggestion)'?"
        case .invalidValue(let key, let text, let expected):
            return "invalid value '\(text)' for '\(key)': expected \(expected)"
        case .unsupportedTag(let key, let tag):
            return "tag '\(tag)' is not supported for '\(key)'"
        case .mergeKey:
            return "YAML merge keys ('<<') are not supported, so the merged keys would be "
                + "lost; write them out in this mapping"
        case .unknownKey(let key, let owner, let suggestion):
            guard let suggestion else { return "unknown key '\(key)' in \(owner)" }
            return "unknown key '\(key)' in \(owner); did you mean '\(suggestion)'?"
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max {
            return "at least \(range.lowerBound)"
        }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }
}

extension YAMLProblem.IntegerProblem {
    /// The reason as a clause, such as "leading zeros are not allowed".
    var explanation: String {
        switch self {
        case .leadingZero:
            return "leading zeros are not allowed, because YAML 1.1 reads them as octal"
        case .notWhole:
            return "expected a whole number"
        case .notDecimal:
            return "expected decimal digits"
        case .tooLarge:
            return "the number is too large"
        }
    }
}
