import FleetCore

/// One variable set in the file: in a host's mapping or in a group's `vars`.
public struct VariableSetting: Sendable, Hashable {
    /// The variable.
    public var variable: InventoryVariable
    /// The key as written, which may be an Ansible alias such as `ansible_port`.
    public var key: String
    /// The typed value.
    public var value: InventoryValue
    /// The value's original scalar text.
    public var text: String
    /// The position of the value.
    public var location: SourceLocation

    /// Creates a setting of `variable`, written as `key`, with its typed value and text.
    public init(
        variable: InventoryVariable, key: String, value: InventoryValue, text: String,
        location: SourceLocation
    ) {
        self.variable = variable
        self.key = key
        self.value = value
        self.text = text
        self.location = location
    }
}
