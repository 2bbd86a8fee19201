import FleetCore
import FleetInventory

/// The input of a command handler: the parsed command line, the console and the
/// environment, with the global options applied.
struct CommandContext: Sendable {
    /// The default inventory path, relative to the working directory.
    static let defaultInventoryPath = "inventory/hosts.yml"
    /// The environment variable that overrides the default inventory path.
    static let inventoryVariable = "MINIJAIL_FLEET_INVENTORY"

    /// The parsed command line.
    var parsed: ParsedCommand
    /// The output funnel.
    var console: Console
    /// The process environment.
    var environment: [String: String]

    /// The inventory path: `-i` first, then `MINIJAIL_FLEET_INVENTORY`, then the default.
    var inventoryPath: String {
        if let path = parsed.value("inventory") {
            return path
        }
        if let path = environment[Self.inventoryVariable], !path.isEmpty {
            return path
        }
        return Self.defaultInventoryPath
    }

    /// The `--limit` pattern, when given.
    var limit: String? { parsed.value("limit") }

    /// Loads the inventory, or prints every problem and throws the exit status: 65 for bad
    /// data, 78 when the file cannot be read. Warnings print only with `-v` unless
    /// `showWarnings` is set.
    func loadInventory(showWarnings: Bool = false) throws(CommandExit) -> Inventory {
        let path = inventoryPath
        let inventory: Inventory
        do {
            inventory = try Inventory.load(path: path)
        } catch {
            if error.isUnreadableFile {
                let reason = error.problems.first?.kind.message ?? "cannot read the file"
                console.error(
                    "inventory '\(path)': \(reason); pass -i FILE or set "
                        + "\(Self.inventoryVariable)")
                throw CommandExit(.config)
            }
            for problem in error.problems {
                console.error(problem.kind.message, at: problem.location)
            }
            throw CommandExit(.dataError)
        }

        if showWarnings || console.verbosity >= .verbose {
            for warning in inventory.warnings {
                console.warning(warning.message, at: warning.location)
            }
        }
        return inventory
    }

    /// Returns the hosts `pattern` selects after `--limit`, or prints why none are selected
    /// and throws the usage status.
    func select(_ pattern: String, in inventory: Inventory) throws(CommandExit) -> [InventoryHost] {
        do {
            return try inventory.select(pattern, limit: limit)
        } catch {
            console.error(error.message)
            throw CommandExit(.usage)
        }
    }
}

/// Stops a command with an exit status after its messages are printed.
struct CommandExit: Error {
    /// The status to exit with.
    var status: ExitStatus

    init(_ status: ExitStatus) {
        self.status = status
    }
}
