import FleetCore

/// Scalar typing rules and mapping checks shared by every schema built on FleetYAML.
public enum YAMLSchema {
    /// Returns the value of a YAML 1.1 boolean spelling (`true`, `yes`, `on`, `false`, `no`,
    /// `off`, each lower case, capitalized or upper case), or nil. `y` and `n` are not booleans
    /// here, because a single letter is too easy to write by mistake.
    public static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
            return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
            return false
        default:
            return nil
        }
    }

    /// Returns the value of a decimal integer with an optional sign, or why it is not one.
    public static func integer(_ text: String) -> Result<Int, YAMLProblem.IntegerProblem> {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }

        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else {
            return .failure(looksLikeFloat(digits) ? .notWhole : .notDecimal)
        }
        if digits.count > 1 && digits.first == "0" {
            return .failure(.leadingZero)
        }
        guard let magnitude = Int(digits) else {
            return .failure(.tooLarge)
        }
        return .success(negative ? -magnitude : magnitude)
    }

    /// Returns a problem for each key of `entries` that is not in `known`, with the nearest
    /// known key suggested; `owner` names the mapping in the message, as in "group 'web'".
    public static func unknownKeys(
        in entries: [YAMLMappingEntry], known: [String], owner: String
    ) -> [YAMLProblem] {
        entries.compactMap { entry in
            guard !known.contains(entry.keyText) else { return nil }
            if isMergeKey(entry) { return YAMLProblem(.mergeKey, at: entry.key.location) }
            let suggestion = Suggestion.nearest(to: entry.keyText, in: known)
            return YAMLProblem(
                .unknownKey(key: entry.keyText, owner: owner, suggestion: suggestion),
                at: entry.key.location)
        }
    }

    /// Returns whether `entry` is a YAML 1.1 merge key: a plain `<<`.
    public static func isMergeKey(_ entry: YAMLMappingEntry) -> Bool {
        entry.keyText == "<<" && entry.key.scalar?.style == .plain
    }

    private static func looksLikeFloat(_ text: Substring) -> Bool {
        let allowed = "0123456789.eE+-_"
        let hasDigit = text.contains(where: \.isASCIIDigit)
        let hasMark = text.contains(".") || text.contains("e") || text.contains("E")
        return hasDigit && hasMark && text.allSatisfy { allowed.contains($0) }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
