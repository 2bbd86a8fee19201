import FleetCore

/// One problem found while reading a YAML file or checking it against a schema.
public struct YAMLProblem: Error, Sendable, Equatable {
    /// The position of the problem; nil when the file itself could not be read.
    public var location: SourceLocation?
    /// The kind of problem.
    public var kind: Kind

    /// Creates a problem at `location`.
    public init(_ kind: Kind, at location: SourceLocation?) {
        self.kind = kind
        self.location = location
    }

    /// A kind of problem, with the facts its message needs.
    public enum Kind: Sendable, Equatable {
        /// The file could not be read; `reason` is the system's text.
        case unreadableFile(reason: String)
        /// libyaml rejected the text.
        case syntax(problem: String, context: String?)
        /// libyaml rejected the text at a tab, which YAML does not allow for indentation.
        case tabCharacter
        /// The file is not UTF-8 text, or contains a character YAML does not allow; `detail`
        /// shows the offending bytes or code point, such as `bytes 0xE9 0x74` or `U+0007`.
        case invalidText(problem: String, detail: String?)
        /// A mapping repeats a key.
        case duplicateKey(key: String, first: SourceLocation)
        /// A mapping key is a mapping or a sequence.
        case nonScalarKey
        /// An alias names an anchor that no earlier node defines.
        case undefinedAlias(name: String)
        /// Alias expansion would make the document larger than `limit` nodes.
        case aliasExpansionLimit(limit: Int)
        /// Collections nest deeper than `limit` levels.
        case nestingLimit(limit: Int)
        /// The file contains more than one document.
        case multipleDocuments
        /// A node has the wrong kind; `key` names the field when there is one.
        case wrongKind(expected: YAMLNodeKind, found: YAMLNodeKind, key: String?)
        /// A field has no value.
        case missingValue(key: String)
        /// A boolean field contains something other than a boolean spelling.
        case invalidBoolean(key: String, text: String)
        /// An integer field contains something other than a decimal integer.
        case invalidInteger(key: String, text: String, reason: IntegerProblem)
        /// An integer is outside the field's range.
        case integerOutOfRange(key: String, value: Int, range: ClosedRange<Int>)
        /// A field that takes one of a few words contains another one.
        case invalidChoice(key: String, text: String, allowed: [String], suggestion: String?)
        /// A field's value fails a check, such as "an absolute path".
        case invalidValue(key: String, text: String, expected: String)
        /// A field has an explicit tag that its type does not accept.
        case unsupportedTag(key: String, tag: String)
        /// A mapping uses a YAML 1.1 merge key (`<<: *anchor`), which is not merged.
        case mergeKey
        /// A mapping has a key the schema does not know; `owner` names the mapping.
        case unknownKey(key: String, owner: String, suggestion: String?)
    }

    /// The reason a scalar is not an integer.
    public enum IntegerProblem: Error, Sendable, Equatable {
        /// Digits with a leading zero, which YAML 1.1 reads as octal.
        case leadingZero
        /// A fraction or an exponent.
        case notWhole
        /// Anything else that is not decimal digits.
        case notDecimal
        /// Too many digits for a 64-bit integer.
        case tooLarge
    }

    /// The message without position or severity.
    public var message: String { kind.message }

    /// The full line, `file:line:column: error: message`.
    public var rendered: String {
        guard let location else { return "error: \(message)" }
        return "\(location): error: \(message)"
    }
}
