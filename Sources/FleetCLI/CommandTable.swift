/// The tool's commands and global options; a new command is one more entry here.
enum CommandTable {
    /// Options that every command takes.
    static let globalOptions = [
        OptionSpec(
            long: "inventory", short: "i", valueName: "FILE",
            help: "inventory file (default: $MINIJAIL_FLEET_INVENTORY, else inventory/hosts.yml)"),
        OptionSpec(long: "limit", valueName: "PATTERN", help: "narrow the selection to PATTERN"),
        OptionSpec(
            long: "verbose", short: "v", help: "print more; -vv prints every remote command"),
        OptionSpec(long: "quiet", short: "q", help: "print errors only"),
    ]

    /// The root of the table.
    static let root = CommandSpec(
        name: HelpText.toolName,
        summary: "manage thin FreeBSD jails on a fleet of hosts over SSH",
        options: globalOptions,
        subcommands: [
            inventory, ExecCommand.spec, OperationCommands.jail, OperationCommands.skel,
            OperationCommands.host, UpgradeSkelCommand.spec, playbook, RunCommand.spec,
            ReportCommand.spec,
        ])

    /// `inventory` and its subcommands.
    static let inventory = CommandSpec(
        name: "inventory",
        summary: "list, show and check the hosts of the inventory",
        subcommands: [
            CommandSpec(
                name: "list",
                summary: "list the hosts a pattern selects, with their groups",
                options: [OptionSpec(long: "json", help: "print a JSON array for scripts")],
                arguments: [
                    ArgumentSpec(
                        name: "PATTERN", help: "host pattern, such as web:&prod (default: all)",
                        isOptional: true)
                ],
                handler: InventoryCommands.list),
            CommandSpec(
                name: "show",
                summary: "show every variable of a host and where its value comes from",
                arguments: [ArgumentSpec(name: "HOST", help: "the host's inventory name")],
                handler: InventoryCommands.show),
            CommandSpec(
                name: "check",
                summary: "validate the inventory and print every problem",
                handler: InventoryCommands.check),
        ])

    /// `playbook` and its subcommands.
    static let playbook = CommandSpec(
        name: "playbook",
        summary: "validate playbooks without connecting to any host",
        subcommands: [
            CommandSpec(
                name: "check",
                summary: "validate a playbook and its host patterns and print every problem",
                arguments: [ArgumentSpec(name: "PLAYBOOK", help: "the playbook file")],
                handler: PlaybookCommands.check)
        ])
}
