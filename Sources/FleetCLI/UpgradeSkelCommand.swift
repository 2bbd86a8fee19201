import FleetCore
import FleetPlaybook
import FleetJails
import FleetOps
import FleetRun

/// `upgrade-skel`: upgrades the skel on every selected host in rolling batches, with a
/// snapshot before each install and a rollback when any later step fails.
enum UpgradeSkelCommand {
    /// The command's table entry.
    static let spec = CommandSpec(
        name: "upgrade-skel",
        summary: "upgrade the skel of every selected host in rolling batches, with rollback",
        options: [
            OptionSpec(
                long: "all", short: "a", help: "select every host (same as the pattern all)"),
            OptionSpec(
                long: "release", valueName: "RELEASE",
                help: "upgrade to RELEASE, such as 14.2-RELEASE (default: the latest patch level "
                    + "of the skel's release)"),
            OptionSpec(
                long: "restart-jails",
                help: "restart the running jails one at a time once the skel is upgraded"),
            OptionSpec(long: "check", help: "print what each host would do and change nothing"),
        ] + FleetRunOptions.specs,
        arguments: [
            ArgumentSpec(
                name: "PATTERN", help: "host pattern, such as web:&prod (or --all)",
                isOptional: true)
        ],
        handler: run)

    @Sendable static func run(_ context: CommandContext) async -> ExitStatus {
        do {
            let pattern = try ExecCommand.hostPattern(context)
            let options = try FleetRunOptions(context)
            let request = SkelUpgradeRequest(
                targetRelease: try release(context),
                restartJails: context.parsed.count("restart-jails") > 0)
            let checkOnly = context.parsed.count("check") > 0
            let hosts = try FleetRunner.selectHosts(pattern, context: context)

            var runner = FleetRunner(
                command: "upgrade-skel", context: context, hosts: hosts, options: options)
            let mode = ProgressView.mode(
                console: context.console, json: options.json, environment: context.environment)
            let progress = ProgressView(
                console: context.console, mode: mode, hosts: hosts.map(\.name),
                columns: context.environment["COLUMNS"].flatMap { Int($0) } ?? 80)
            runner.progress = progress
            let runID = runner.runID
            let verbosity = context.console.verbosity
            return await runner.run(
                work: { host, connection in
                    let job = JobContext(
                        host: host.name, settings: host.settings, runID: runID,
                        controller: OperationJob.controllerName, checkOnly: checkOnly,
                        stepStarted: { step in progress.stepStarted(host: host.name, step: step) })
                    let workflow = SkelUpgradeWorkflow(
                        shell: SSHShell(connection: connection), context: job, request: request)
                    return await workflow.run()
                },
                describe: { UpgradeSkelLines.lines($0, verbosity: verbosity) })
        } catch {
            return error.status
        }
    }

    /// Returns `--release` when it names a release such as `14.2-RELEASE`, or prints a usage
    /// error with the reason, before any host is contacted.
    static func release(_ context: CommandContext) throws(CommandExit) -> String? {
        guard let text = context.parsed.value("release") else { return nil }
        if let problem = releaseProblem(text) {
            throw context.usageError("invalid value '\(text)' for --release: \(problem.reason)")
        }
        return text
    }
}
