import FleetCore

/// One task of a play: an optional name and one operation.
public struct PlaybookTask: Sendable, Equatable {
    /// The task's `name`, for progress lines and reports; nil when the task has none.
    public var name: String?
    /// The position of the task's mapping.
    public var location: SourceLocation
    /// The operation with its parameters.
    public var action: TaskAction

    /// Creates a task.
    public init(name: String?, location: SourceLocation, action: TaskAction) {
        self.name = name
        self.location = location
        self.action = action
    }
}
