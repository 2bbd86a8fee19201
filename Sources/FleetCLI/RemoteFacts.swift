import FleetJails
import FleetOps
import FleetRun
import FleetSSH

/// Gathers a host's facts with the facts probe over its SSH connection, outside any
/// operation: for `report` tasks and for placing jails with `jail create --spread`.
enum RemoteFacts {
    /// Runs the probe for `settings` and parses its output, recording the probe as the
    /// step `facts`; a failure carries the reason in one line.
    static func gather(
        host: String, settings: HostSettings, connection: SSHConnection
    ) async -> Result<(HostFacts, StepRecord), RemoteFactsFailure> {
        let script = FactsProbe.script(settings: settings)
        let result: RemoteResult
        do {
            result = try await SSHShell(connection: connection).run(script)
        } catch {
            return .failure(
                RemoteFactsFailure(reason: "connection lost during the facts probe: \(error)"))
        }
        let record = StepRecord(
            name: "facts", command: "facts probe", result: result.outcome.description,
            succeeded: result.outcome == .exited(0), changed: false, outputTail: result.tail(),
            seconds: result.seconds)
        do {
            return .success((try FactsProbe.parse(result.stdout), record))
        } catch {
            return .failure(
                RemoteFactsFailure(reason: "cannot read the host's facts: \(error)", step: record))
        }
    }
}

/// The reason a host's facts could not be gathered.
struct RemoteFactsFailure: Error, Sendable {
    /// One line for the recap.
    var reason: String
    /// The probe's step, when it ran.
    var step: StepRecord?
}
