import FleetRun

/// The record of every remote command one host ran, in order.
struct StepJournal {
    let host: String
    private(set) var records: [StepRecord] = []
    /// Whether Ctrl-C cut off a command that changes nothing (the facts probe, taking or
    /// releasing the lock), so no change can still be running and the lock may go at once.
    var interruptedReadOnlyStep = false
    /// Whether the step Ctrl-C cut off is known to have ended on the host.
    var interruptedStepStopped = false
    /// The step whose timeout cut it off and which was not seen to end on the host, so it
    /// may still run there: nothing is rolled back under it and the lock stays.
    var stepStillRunning: String?

    init(host: String) {
        self.host = host
    }

    /// Appends a record made elsewhere, such as the facts probe's.
    mutating func append(_ record: StepRecord) {
        records.append(record)
    }

    /// Appends the record of `command` named `name`; success defaults to exit status 0.
    mutating func record(
        name: String, command: String, result: RemoteResult, changed: Bool,
        succeeded: Bool? = nil
    ) {
        records.append(
            StepRecord(
                name: name, command: command, result: result.outcome.description,
                succeeded: succeeded ?? (result.outcome == .exited(0)), changed: changed,
                outputTail: result.tail(), seconds: result.seconds))
    }
}
