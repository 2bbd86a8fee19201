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
        let result: RemoteResult
        do {
            result = try await shell.run(FactsProbe.script(settings: settings))
        } catch {
            return HostReport(
                unreachableHost: host, problem: "connection lost while reading facts: \(error)")
        }
        do {
            let facts = try FactsProbe.parse(result.stdout)
            return report(host: host, facts: facts, settings: settings)
        } catch {
            var problem = "cannot read the host's facts: \(error)"
            if result.outcome != .exited(0) {
                problem += " (probe ended with \(result.outcome)"
                problem += result.lastLine.map { ": \($0))" } ?? ")"
            }
            return HostReport(unreachableHost: host, problem: problem)
        }
    }
}
