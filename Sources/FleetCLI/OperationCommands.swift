import FleetCore
import FleetJails
import FleetRun

/// The `jail`, `skel` and `host` commands: one jail operation on every host `--on` selects.
enum OperationCommands {
    static let selectionOptions = [
        OptionSpec(
            long: "on", valueName: "PATTERN", help: "the hosts to work on, such as web:&prod"),
        OptionSpec(long: "all", short: "a", help: "work on every host (same as --on all)"),
        OptionSpec(long: "check", help: "print each host's plan and change nothing"),
    ]

    static let jailName = ArgumentSpec(name: "NAME", help: "the jail's name")

    /// `jail ...`.
    static let jail = CommandSpec(
        name: "jail",
        summary: "create, start, stop, restart, delete jails, or run commands in them",
        subcommands: [
            CommandSpec(
                name: "create",
                summary: "create jails on every selected host (or spread them with --spread)",
                options: selectionOptions + [
                    OptionSpec(long: "start", help: "start each jail once it is created"),
                    OptionSpec(
                        long: "spread",
                        help:
                            "place each jail on one host: fewest jails first, then most free space"),
                ] + FleetRunOptions.specs,
                arguments: [
                    ArgumentSpec(name: "NAME", help: "the names of the new jails", isVariadic: true)
                ],
                handler: create),
            single("start", "start a jail and check that it runs") { .jailStart($0) },
            single("stop", "stop a jail and unmount what it left behind") { .jailStop($0) },
            single("restart", "stop a jail if it runs, then start it") { .jailRestart($0) },
            CommandSpec(
                name: "delete",
                summary: "delete a jail, its dataset and its configuration",
                options: selectionOptions + [
                    OptionSpec(
                        long: "yes", help: "confirm the deletion; required, as nothing asks"),
                    OptionSpec(long: "stop", help: "stop the jail first when it runs"),
                ] + FleetRunOptions.specs,
                arguments: [jailName],
                handler: delete),
            CommandSpec(
                name: "exec",
                summary: "run a command inside a jail with jexec",
                options: selectionOptions + FleetRunOptions.specs,
                arguments: [jailName],
                trailing: ArgumentSpec(name: "COMMAND", help: "the program and its arguments"),
                handler: jailExec),
        ])

    /// `skel ...`.
    static let skel = CommandSpec(
        name: "skel",
        summary: "install or upgrade the base jail that every jail mounts read-only",
        subcommands: [
            CommandSpec(
                name: "install",
                summary: "install the skel from the host's release sets or sources",
                options: selectionOptions + FleetRunOptions.specs,
                handler: { context in
                    await runOperations(context, command: "skel install") { _ in [.skelInstall] }
                }),
            CommandSpec(
                name: "upgrade",
                summary: "upgrade the skel with freebsd-update (or from sources)",
                options: selectionOptions + [
                    OptionSpec(
                        long: "release", valueName: "RELEASE",
                        help:
                            "upgrade to RELEASE, such as 14.2-RELEASE (default: latest patch level)"
                    )
                ] + FleetRunOptions.specs,
                handler: { context in
                    let release: String?
                    do throws(CommandExit) {
                        release = try UpgradeSkelCommand.release(context)
                    } catch {
                        return error.status
                    }
                    return await runOperations(context, command: "skel upgrade") { _ in
                        [.skelUpgrade(targetRelease: release)]
                    }
                }),
        ])

    /// `host exec`.
    static let host = CommandSpec(
        name: "host",
        summary: "run plain commands on the hosts themselves",
        subcommands: [
            CommandSpec(
                name: "exec",
                summary: "run a program on every selected host, its arguments quoted as given",
                options: selectionOptions + FleetRunOptions.specs,
                trailing: ArgumentSpec(name: "COMMAND", help: "the program and its arguments"),
                handler: { context in
                    let argv = context.parsed.trailing
                    return await runOperations(context, command: "host exec") { _ in
                        [.hostExec(argv: argv)]
                    }
                })
        ])

    private static func single(
        _ name: String, _ summary: String,
        _ operation: @escaping @Sendable (JailName) -> FleetJails.Operation
    ) -> CommandSpec {
        CommandSpec(
            name: name, summary: summary,
            options: selectionOptions + FleetRunOptions.specs,
            arguments: [jailName],
            handler: { context in
                let jail: JailName
                do throws(CommandExit) {
                    jail = try parseName(context.parsed.argument("NAME") ?? "", context: context)
                } catch {
                    return error.status
                }
                return await runOperations(context, command: "jail \(name)") { _ in
                    [operation(jail)]
                }
            })
    }

    @Sendable static func create(_ context: CommandContext) async -> ExitStatus {
        do {
            let names = try context.parsed.variadicArguments().map { name throws(CommandExit) in
                try parseName(name, context: context)
            }
            let start = context.parsed.count("start") > 0
            if context.parsed.count("spread") > 0 {
                return await JailSpread.run(context, names: names, start: start)
            }
            return await runOperations(context, command: "jail create") { _ in
                names.flatMap { name -> [FleetJails.Operation] in
                    start ? [.jailCreate(name), .jailStart(name)] : [.jailCreate(name)]
                }
            }
        } catch {
            return error.status
        }
    }

    @Sendable static func delete(_ context: CommandContext) async -> ExitStatus {
        do throws(CommandExit) {
            let name = try parseName(context.parsed.argument("NAME") ?? "", context: context)
            guard context.parsed.count("yes") > 0 else {
                throw context.usageError(
                    "jail delete destroys the jail's dataset and files; add --yes to confirm")
            }
            let stop = context.parsed.count("stop") > 0
            return await runOperations(context, command: "jail delete") { _ in
                [.jailDelete(name, stopFirst: stop, confirmed: true)]
            }
        } catch {
            return error.status
        }
    }

    @Sendable static func jailExec(_ context: CommandContext) async -> ExitStatus {
        do {
            let name = try parseName(context.parsed.argument("NAME") ?? "", context: context)
            let argv = context.parsed.trailing
            return await runOperations(context, command: "jail exec") { _ in
                [.jailExec(name, argv: argv)]
            }
        } catch {
            return error.status
        }
    }

    /// Checks a jail name from the command line; a bad one is a usage error (64), reported
    /// before any host is contacted.
    static func parseName(_ name: String, context: CommandContext) throws(CommandExit) -> JailName {
        do {
            return try JailName(name)
        } catch {
            throw context.usageError(error.description)
        }
    }

    /// Returns the host pattern from `--on` or `--all`, or prints a usage error.
    static func hostPattern(_ context: CommandContext) throws(CommandExit) -> String {
        switch (context.parsed.value("on"), context.parsed.count("all") > 0) {
        case (let pattern?, false): return pattern
        case (nil, true): return "all"
        case (.some, true): throw context.usageError("give either --on PATTERN or --all, not both")
        case (nil, false):
            throw context.usageError(
                "missing --on PATTERN; name the hosts to work on, or give --all")
        }
    }

    /// Runs the operations `plan` returns for each selected host.
    static func runOperations(
        _ context: CommandContext, command: String,
        plan: @escaping @Sendable (FleetHost) -> [FleetJails.Operation]
    ) async -> ExitStatus {
        do {
            let pattern = try hostPattern(context)
            let options = try FleetRunOptions(context)
            let hosts = try FleetRunner.selectHosts(pattern, context: context)
            let check = context.parsed.count("check") > 0
            let runner = FleetRunner(
                command: command, context: context, hosts: hosts, options: options)
            let runID = runner.runID
            let verbosity = context.console.verbosity
            return await runner.run(
                work: { host, connection in
                    await OperationJob.run(
                        plan(host), on: host, connection: connection, runID: runID, checkOnly: check
                    )
                },
                describe: { OperationJob.lines($0, verbosity: verbosity) })
        } catch {
            return error.status
        }
    }
}
