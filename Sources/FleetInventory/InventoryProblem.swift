import FleetCore
import FleetYAML

/// One problem in an inventory file.
public struct InventoryProblem: Sendable, Equatable {
    /// The position of the problem, or nil when the file could not be read.
    public var location: SourceLocation?
    /// The kind of problem.
    public var kind: Kind

    /// Creates a problem at `location`.
    public init(_ kind: Kind, at location: SourceLocation?) {
        self.kind = kind
        self.location = location
    }

    /// Wraps a problem of the YAML layer.
    init(_ problem: YAMLProblem) {
        self.init(.yaml(problem.kind), at: problem.location)
    }

    /// The kinds of problem, each with the facts its message needs.
    public enum Kind: Sendable, Equatable {
        /// A problem found by the YAML reader or a typed getter.
        case yaml(YAMLProblem.Kind)
        /// The file contains no document.
        case emptyInventory
        /// A host or group name contains a character that host patterns reserve.
        case invalidName(NameKind, name: String, character: Character)
        /// A host or group name is empty, such as the key `""`.
        case emptyName(NameKind)
        /// A host range such as `web[01:10]` is malformed.
        case invalidHostRange(name: String, reason: String)
        /// A host has variables in two places.
        case hostDefinedTwice(host: String, first: SourceLocation)
        /// A host or group mapping sets one variable twice, by two places or by a name and an alias.
        case variableSetTwice(key: String, owner: String, first: SourceLocation)
        /// A key that is neither a known variable nor an `ansible_` variable.
        case unknownVariable(key: String, owner: String, suggestion: String?)
        /// `all` is listed as a child group.
        case allAsChild
        /// One name is both a host and a group.
        case hostAndGroup(name: String, group: SourceLocation)
        /// Groups contain each other; `path` starts and ends with the same group.
        case groupCycle(path: [String])
        /// Two unrelated groups of a host set one variable to different values.
        case conflictingGroups(
            host: String, variable: String, first: String, firstLocation: SourceLocation,
            second: String, secondLocation: SourceLocation)
    }

    /// Whether a name belongs to a host or a group.
    public enum NameKind: String, Sendable, Equatable {
        /// A host name.
        case host
        /// A group name.
        case group
    }

    /// The full line, `file:line:column: error: message`.
    public var rendered: String {
        guard let location else { return "error: \(kind.message)" }
        return "\(location): error: \(kind.message)"
    }
}
