import FleetCore
import FleetInventory
import FleetPlaybook
import FleetRun

/// `run PLAYBOOK`: validates a playbook, then runs its plays in order over SSH.
enum RunCommand {
    /// The command's table entry.
    static let spec = CommandSpec(
        name: "run",
        summary: "run a playbook's plays in order on the hosts each play selects",
        options: [
            OptionSpec(long: "check", help: "print each host's plan per task and change nothing")
        ] + FleetRunOptions.specs,
        arguments: [ArgumentSpec(name: "PLAYBOOK", help: "the playbook file")],
        handler: run)

    @Sendable static func run(_ context: CommandContext) async -> ExitStatus {
        do {
            let options = try FleetRunOptions(context)
            let path = context.parsed.argument("PLAYBOOK") ?? ""
            let (playbook, inventory) = try load(path, context: context)
            let plays = try prepare(playbook, inventory: inventory, context: context)
            let run = PlaybookRun(
                context: context, path: path, plays: plays, options: options,
                checkOnly: context.parsed.count("check") > 0)
            return await run.run()
        } catch {
            return error.status
        }
    }

    /// Loads the inventory and the playbook and prints every problem of both, as
    /// `playbook check` does, before any host is contacted.
    static func load(
        _ path: String, context: CommandContext
    ) throws(CommandExit) -> (Playbook, Inventory) {
        var inventory: Inventory?
        var inventoryStatus = ExitStatus.ok
        do {
            inventory = try context.loadInventory()
        } catch {
            inventoryStatus = error.status
        }

        let playbook: Playbook
        do {
            playbook = try Playbook.load(path: path, inventory: inventory)
        } catch {
            PlaybookCommands.report(error, path: path, console: context.console)
            throw CommandExit(inventoryStatus == .ok ? .dataError : inventoryStatus)
        }
        guard let inventory else {
            throw CommandExit(inventoryStatus)
        }
        return (playbook, inventory)
    }

    /// Selects each play's hosts (its `vars` applied, `--limit` on top) and builds their
    /// targets and settings; prints every host problem of every play, then throws 65.
    static func prepare(
        _ playbook: Playbook, inventory: Inventory, context: CommandContext
    ) throws(CommandExit) -> [PreparedPlay] {
        var allowed: Set<String>?
        if let limit = context.limit {
            do {
                allowed = Set(try HostPattern(limit).hosts(in: inventory).map(\.name))
            } catch {
                context.console.error("--limit: \(error.message)")
                throw CommandExit(.usage)
            }
        }

        var plays: [PreparedPlay] = []
        var failed = false
        for play in playbook.plays {
            let selected: [InventoryHost]
            do {
                selected = try play.selectedHosts(in: inventory)
            } catch {
                // The loader resolved every pattern already; this only guards a change there.
                context.console.error(
                    "'hosts' of play '\(play.name)': \(error.message)", at: play.hostsLocation)
                failed = true
                continue
            }
            var hosts: [FleetHost] = []
            for host in selected where allowed?.contains(host.name) ?? true {
                switch FleetHost.make(host, environment: context.environment) {
                case .success(let fleetHost):
                    hosts.append(fleetHost)
                case .failure(let problem):
                    context.console.error(
                        "[\(problem.host)] play '\(play.name)': \(problem.message)",
                        at: host.location)
                    failed = true
                }
            }
            plays.append(PreparedPlay(play: play, hosts: hosts))
        }
        if failed { throw CommandExit(.dataError) }
        return plays
    }
}

/// A play with its hosts resolved, ready to run.
struct PreparedPlay: Sendable {
    /// The play as loaded.
    var play: Play
    /// Its hosts after `vars` and `--limit`, in inventory order; may be empty under `--limit`.
    var hosts: [FleetHost]
}
