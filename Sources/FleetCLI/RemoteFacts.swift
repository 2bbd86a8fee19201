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
        let probe = await FactsGathering.gather(
            shell: SSHShell(connection: connection), settings: settings)
        switch probe.result {
        case .success(let facts):
            // A parsed probe always ran, so it has its step.
            return .success((facts, probe.step!))
        case .failure(let error):
            return .failure(RemoteFactsFailure(reason: error.description, step: probe.step))
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
