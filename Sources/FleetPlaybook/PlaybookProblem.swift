import struct FleetJails.JailName
import struct FleetJails.JailNameError
import FleetCore
import FleetInventory
import FleetYAML

/// One problem in a playbook file.
public struct PlaybookProblem: Sendable, Equatable {
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
        /// The file contains no plays.
        case emptyPlaybook
        /// The top level is not a list of plays.
        case notAList(found: YAMLNodeKind)
        /// A play, task or operation lacks a key it needs; `owner` names the mapping.
        case missingKey(key: String, owner: String)
        /// A play's `tasks` list is empty.
        case noTasks(play: String)
        /// A task has no operation key.
        case noOperation(task: String)
        /// A task has a second operation key; `first` is the first one's key.
        case twoOperations(task: String, first: String, second: String)
        /// An entry of `serial` is not a batch size.
        case invalidSerial(text: String, reason: String)
        /// `serial` is an empty list.
        case emptySerial
        /// The `hosts` value is not a valid host pattern.
        case invalidHostPattern(HostPatternError)
        /// The `hosts` pattern selects no host of the inventory.
        case unmatchedHostPattern(play: String, HostPatternError)
        /// A `vars` key is not an inventory variable.
        case unknownVariable(key: String, play: String, suggestion: String?)
        /// A `vars` key sets a variable that another key (its name or an alias) already sets.
        case variableSetTwice(key: String, play: String, first: SourceLocation)
        /// A jail name breaks the jail-name rule.
        case invalidJailName(JailNameError)
        /// A `skel_upgrade` release is not of the form `N.M-RELEASE`.
        case invalidRelease(text: String, problem: ReleaseProblem)
        /// A `command` list is empty, or its program is empty.
        case emptyCommand(operation: String)
        /// A `jail_delete` lacks `confirm: true`.
        case deleteNotConfirmed
    }

    /// The full line, `file:line:column: error: message`.
    public var rendered: String {
        guard let location else { return "error: \(kind.message)" }
        return "\(location): error: \(kind.message)"
    }
}
