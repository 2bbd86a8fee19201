import FleetCore

/// Something in an inventory that loads but that the user may want to know about.
public struct InventoryWarning: Sendable, Equatable {
    /// The position of the warning.
    public var location: SourceLocation
    /// The kind of warning.
    public var kind: Kind

    /// The kinds of warning.
    public enum Kind: Sendable, Equatable {
        /// An Ansible variable that minijail-fleet does not use, such as
        /// `ansible_python_interpreter`.
        case ignoredAnsibleVariable(key: String)
    }

    /// The sentence a user reads.
    public var message: String {
        switch kind {
        case .ignoredAnsibleVariable(let key):
            return "'\(key)' is an Ansible variable that minijail-fleet ignores"
        }
    }

    /// The full line, `file:line:column: warning: message`.
    public var rendered: String { "\(location): warning: \(message)" }
}
