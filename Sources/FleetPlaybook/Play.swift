import FleetCore
import FleetInventory

/// One play: the hosts it selects, how they roll out, and the tasks each host runs.
public struct Play: Sendable, Equatable {
    /// The play's `name`.
    public var name: String
    /// The position of the play's mapping.
    public var location: SourceLocation
    /// The `hosts` pattern, resolved against the inventory when the play runs.
    public var hosts: HostPattern
    /// The position of the `hosts` value.
    public var hostsLocation: SourceLocation
    /// The batch sizes from `serial`; every host in one batch when it is not set.
    public var serial: SerialPlan
    /// The failure budget from `max_fail_percentage`; 0 when it is not set.
    public var budget: FailureBudget
    /// Host variables from `vars` that override the inventory for this play, in file order;
    /// each carries the position of its value.
    public var vars: [VariableSetting]
    /// The tasks, in file order; never empty.
    public var tasks: [PlaybookTask]
}
