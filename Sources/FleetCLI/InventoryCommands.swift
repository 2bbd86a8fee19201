import FleetCore
import FleetInventory

/// Handlers of `inventory list`, `inventory show` and `inventory check`.
enum InventoryCommands {
    /// Prints the hosts a pattern selects, one a line with their groups, or as JSON.
    @Sendable static func list(_ context: CommandContext) async -> ExitStatus {
        do {
            let inventory = try context.loadInventory()
            let pattern = context.parsed.argument("PATTERN") ?? "all"
            let hosts = try context.select(pattern, in: inventory)
            if context.parsed.count("json") > 0 {
                printJSON(hosts, console: context.console)
            } else {
                printTable(hosts, console: context.console)
            }
            return .ok
        } catch {
            return error.status
        }
    }

    /// Prints every variable of one host with its value and origin.
    @Sendable static func show(_ context: CommandContext) async -> ExitStatus {
        do {
            let inventory = try context.loadInventory()
            let name = context.parsed.argument("HOST") ?? ""
            guard let host = inventory.host(named: name) else {
                let suggestion = Suggestion.nearest(to: name, in: inventory.hosts.map(\.name))
                let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
                context.console.error("host '\(name)' is not in \(inventory.path)\(hint)")
                return .usage
            }
            printVariables(of: host, console: context.console)
            return .ok
        } catch {
            return error.status
        }
    }

    /// Validates the inventory, printing every problem and warning.
    @Sendable static func check(_ context: CommandContext) async -> ExitStatus {
        do {
            let inventory = try context.loadInventory(showWarnings: true)
            let groups = inventory.groups.filter { $0.name != "all" }.count
            context.console.result(
                "\(inventory.path): \(count(inventory.hosts.count, "host")), "
                    + "\(count(groups, "group")), no problems")
            return .ok
        } catch {
            return error.status
        }
    }

    private static func printTable(_ hosts: [InventoryHost], console: Console) {
        let width = hosts.map(\.name.count).max() ?? 0
        for host in hosts {
            let padding = String(repeating: " ", count: width - host.name.count + 2)
            let line = host.name + padding + host.groups.joined(separator: ",")
            console.result(line.trailingSpacesRemoved)
        }
    }

    private static func printJSON(_ hosts: [InventoryHost], console: Console) {
        let objects = hosts.map { host in
            "  {\"name\": \(JSONText.string(host.name)), "
                + "\"address\": \(JSONText.string(host.variables.address)), "
                + "\"port\": \(host.variables.port), "
                + "\"user\": \(JSONText.string(host.variables.user)), "
                + "\"groups\": \(JSONText.array(host.groups))}"
        }
        console.result("[\n" + objects.joined(separator: ",\n") + "\n]")
    }

    private static func printVariables(of host: InventoryHost, console: Console) {
        let groups = host.groups.isEmpty ? "none" : host.groups.joined(separator: ", ")
        console.result("host \(host.name) (\(host.location))")
        console.result("groups: \(groups)")

        let rows = host.resolvedVariables.map {
            ($0.variable.name, $0.text ?? "-", $0.origin.description)
        }
        let nameWidth = rows.map(\.0.count).max() ?? 0
        let valueWidth = rows.map(\.1.count).max() ?? 0
        for (name, value, origin) in rows {
            let line =
                name + String(repeating: " ", count: nameWidth - name.count + 2)
                + value + String(repeating: " ", count: valueWidth - value.count + 2) + origin
            console.result(line)
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }
}

extension String {
    fileprivate var trailingSpacesRemoved: String {
        var result = self
        while result.last == " " {
            result.removeLast()
        }
        return result
    }
}
