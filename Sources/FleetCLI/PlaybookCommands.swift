import FleetCore
import FleetInventory
import FleetPlaybook

/// Handlers of the `playbook` commands.
enum PlaybookCommands {
    /// Validates a playbook and resolves each play's `hosts` pattern against the inventory,
    /// printing every problem without connecting to any host.
    ///
    /// A broken inventory is reported first, and the playbook is still checked on its own, so
    /// one run shows the problems of both files.
    @Sendable static func check(_ context: CommandContext) async -> ExitStatus {
        let path = context.parsed.argument("PLAYBOOK") ?? ""
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
            report(error, path: path, console: context.console)
            return inventoryStatus == .ok ? .dataError : inventoryStatus
        }
        guard inventoryStatus == .ok else {
            return inventoryStatus
        }
        context.console.result(
            "\(path): \(count(playbook.plays.count, "play")), "
                + "\(count(playbook.taskCount, "task")), ok")
        return .ok
    }

    /// Prints every problem of a playbook that failed to load, each with its position.
    static func report(_ error: PlaybookProblems, path: String, console: Console) {
        for problem in error.problems {
            if case .yaml(.unreadableFile(let reason)) = problem.kind {
                console.error("playbook '\(path)': cannot read the file: \(reason)")
                continue
            }
            console.error(problem.kind.message, at: problem.location)
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}
