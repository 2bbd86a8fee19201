import FleetCore

/// Typed reading of scalar fields: each getter types the original text for one field and
/// throws one problem that names the field and the text.
extension YAMLNode {
    private static let stringTags: Set<String> = ["tag:yaml.org,2002:str", "!"]
    private static let booleanTags: Set<String> = ["tag:yaml.org,2002:bool"]
    private static let integerTags: Set<String> = ["tag:yaml.org,2002:int"]

    /// Returns the text of a string field exactly as written (`on`, `0123`, `13.10` stay text).
    public func string(key: String) throws(YAMLProblem) -> String {
        try scalarText(key: key, tags: Self.stringTags)
    }

    /// Returns a boolean field's value from `true`/`false` or the YAML 1.1 spellings
    /// `yes`/`no`/`on`/`off`, each in lower case, capitalized or upper case.
    public func boolean(key: String) throws(YAMLProblem) -> Bool {
        let text = try scalarText(key: key, tags: Self.booleanTags)
        guard let value = YAMLSchema.boolean(text) else {
            throw YAMLProblem(.invalidBoolean(key: key, text: text), at: location)
        }
        return value
    }

    /// Returns an integer field's value written in decimal, rejecting leading zeros (`0755`),
    /// fractions, exponents and other bases, and values outside `range`.
    public func integer(key: String, range: ClosedRange<Int>) throws(YAMLProblem) -> Int {
        let text = try scalarText(key: key, tags: Self.integerTags)
        let value: Int
        switch YAMLSchema.integer(text) {
        case .success(let parsed):
            value = parsed
        case .failure(let reason):
            throw YAMLProblem(.invalidInteger(key: key, text: text, reason: reason), at: location)
        }
        guard range.contains(value) else {
            throw YAMLProblem(
                .integerOutOfRange(key: key, value: value, range: range), at: location)
        }
        return value
    }

    /// Returns a field's text when it is one of `allowed`, compared exactly.
    public func choice(key: String, from allowed: [String]) throws(YAMLProblem) -> String {
        let text = try scalarText(key: key, tags: Self.stringTags)
        guard allowed.contains(text) else {
            let suggestion = Suggestion.nearest(to: text, in: allowed)
            throw YAMLProblem(
                .invalidChoice(key: key, text: text, allowed: allowed, suggestion: suggestion),
                at: location)
        }
        return text
    }

    /// Returns the entries of a mapping field; an empty value is an empty mapping.
    public func mapping(key: String?) throws(YAMLProblem) -> [YAMLMappingEntry] {
        if isNull {
            return []
        }
        guard let entries = mappingEntries else {
            throw YAMLProblem(.wrongKind(expected: .mapping, found: kind, key: key), at: location)
        }
        return entries
    }

    /// Returns the items of a sequence field; an empty value is an empty sequence.
    public func sequence(key: String?) throws(YAMLProblem) -> [YAMLNode] {
        if isNull {
            return []
        }
        guard let items = sequenceItems else {
            throw YAMLProblem(
                .wrongKind(expected: .sequence, found: kind, key: key), at: location)
        }
        return items
    }

    private func scalarText(key: String, tags: Set<String>) throws(YAMLProblem) -> String {
        if isNull {
            throw YAMLProblem(.missingValue(key: key), at: location)
        }
        guard let scalar else {
            throw YAMLProblem(.wrongKind(expected: .scalar, found: kind, key: key), at: location)
        }
        if let tag, !tags.contains(tag) {
            throw YAMLProblem(.unsupportedTag(key: key, tag: tag), at: location)
        }
        return scalar.text
    }
}
