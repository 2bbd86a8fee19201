import FleetJails
import FleetReport

extension ReportBuilder {
    /// Runs the facts probe on `host` through `shell` and builds its report; it changes
    /// nothing on the host and takes no lock.
    ///
    /// A lost connection, a probe that ends abnormally or output that cannot be parsed gives
    /// the report of a host that could not be read, with the reason in one line.
    public static func gather(host: String, shell: some RemoteShell, settings: HostSettings)
        async -> HostReport
    {
        switch await FactsGathering.gather(shell: shell, settings: settings).result {
        case .success(let facts):
            return report(host: host, facts: facts, settings: settings)
        case .failure(let error):
            return HostReport(unreachableHost: host, problem: error.description)
        }
    }
}
