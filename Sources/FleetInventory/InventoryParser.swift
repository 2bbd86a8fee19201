import FleetCore
import FleetYAML

/// Reads an Ansible-layout YAML inventory into groups, hosts and their variable settings,
/// collecting every problem instead of stopping at the first.
struct InventoryParser {
    /// A group as the file defines it, possibly in several places.
    struct Group {
        var name: String
        var location: SourceLocation
        var children: [String] = []
        var parents: [String] = []
        var hosts: [String] = []
        /// The same names as `hosts`, so adding a host stays constant time in large groups.
        var hostSet: Set<String> = []
        var settings: [InventoryVariable: VariableSetting] = [:]

        /// Appends `host` to `hosts` unless the group already lists it.
        mutating func addHost(_ host: String) {
            if hostSet.insert(host).inserted {
                hosts.append(host)
            }
        }
    }

    /// A host as the file defines it.
    struct Host {
        var name: String
        var location: SourceLocation
        var variablesLocation: SourceLocation?
        var settings: [InventoryVariable: VariableSetting] = [:]
    }

    private static let groupKeys = ["hosts", "vars", "children"]
    /// The host pattern operators, which no host or group name may contain.
    private static let reservedText = ",:!&*?[]"
    private static let reservedCharacters = Set(reservedText)

    private(set) var groups: [String: Group] = [:]
    private(set) var groupOrder: [String] = []
    private(set) var hosts: [String: Host] = [:]
    private(set) var hostOrder: [String] = []
    private(set) var problems: [InventoryProblem] = []
    private(set) var warnings: [InventoryWarning] = []

    /// Reads `document`, whose YAML problems are already collected.
    mutating func parse(_ document: YAMLDocument) {
        problems += document.problems.map(InventoryProblem.init)
        guard let root = document.root else {
            if document.problems.isEmpty {
                let start = SourceLocation(file: document.file, line: 1, column: 1)
                problems.append(InventoryProblem(.emptyInventory, at: start))
            }
            return
        }
        guard let entries = collect({ () throws(YAMLProblem) in try root.mapping(key: nil) }) else {
            return
        }
        if entries.isEmpty {
            problems.append(InventoryProblem(.emptyInventory, at: root.location))
            return
        }

        addGroup("all", at: root.location, parent: nil)
        for entry in entries {
            let parent = entry.keyText == "all" ? nil : "all"
            parseGroup(entry.keyText, at: entry.key.location, body: entry.value, parent: parent)
        }
        addUngroupedHosts()
        checkHostsAreNotGroups()
    }

    private mutating func parseGroup(
        _ name: String, at location: SourceLocation, body: YAMLNode, parent: String?
    ) {
        if parent != nil && name == "all" {
            problems.append(InventoryProblem(.allAsChild, at: location))
            return
        }
        guard checkName(name, kind: .group, at: location) else { return }
        addGroup(name, at: location, parent: parent)

        guard let entries = collect({ () throws(YAMLProblem) in try body.mapping(key: name) })
        else {
            return
        }
        let owner = "group '\(name)'"
        problems += YAMLSchema.unknownKeys(in: entries, known: Self.groupKeys, owner: owner)
            .map(InventoryProblem.init)

        for entry in entries {
            switch entry.keyText {
            case "hosts":
                let hostEntries = collect { () throws(YAMLProblem) in
                    try entry.value.mapping(key: "hosts")
                }
                for host in hostEntries ?? [] {
                    parseHost(host, group: name)
                }
            case "vars":
                let variables = collect { () throws(YAMLProblem) in
                    try entry.value.mapping(key: "vars")
                }
                var settings = groups[name]?.settings ?? [:]
                readVariables(variables ?? [], owner: owner, into: &settings)
                groups[name]?.settings = settings
            case "children":
                let children = collect { () throws(YAMLProblem) in
                    try entry.value.mapping(key: "children")
                }
                for child in children ?? [] {
                    parseGroup(
                        child.keyText, at: child.key.location, body: child.value, parent: name)
                }
            default:
                continue
            }
        }
    }

    private mutating func parseHost(_ entry: YAMLMappingEntry, group: String) {
        let names: [String]
        switch HostRange.expand(entry.keyText) {
        case .success(let expanded):
            names = expanded
        case .failure(let problem):
            problems.append(
                InventoryProblem(
                    .invalidHostRange(name: entry.keyText, reason: problem.reason),
                    at: entry.key.location))
            return
        }

        for name in names {
            guard checkName(name, kind: .host, at: entry.key.location) else { continue }
            if hosts[name] == nil {
                hosts[name] = Host(name: name, location: entry.key.location)
                hostOrder.append(name)
            }
            groups[group]?.addHost(name)
            readHostVariables(entry, host: name)
        }
    }

    private mutating func readHostVariables(_ entry: YAMLMappingEntry, host name: String) {
        guard !entry.value.isNull, var host = hosts[name] else { return }
        if let first = host.variablesLocation {
            problems.append(
                InventoryProblem(
                    .hostDefinedTwice(host: name, first: first), at: entry.key.location))
            return
        }
        host.variablesLocation = entry.key.location
        let entries = collect { () throws(YAMLProblem) in try entry.value.mapping(key: name) }
        readVariables(entries ?? [], owner: "host '\(name)'", into: &host.settings)
        hosts[name] = host
    }

    private mutating func readVariables(
        _ entries: [YAMLMappingEntry], owner: String,
        into settings: inout [InventoryVariable: VariableSetting]
    ) {
        for entry in entries {
            guard let variable = InventoryVariable.named(entry.keyText) else {
                reportUnknownVariable(entry, owner: owner)
                continue
            }
            if let existing = settings[variable] {
                problems.append(
                    InventoryProblem(
                        .variableSetTwice(
                            key: entry.keyText, owner: owner, first: existing.location),
                        at: entry.key.location))
                continue
            }
            let value = collect { () throws(YAMLProblem) in
                try variable.read(entry.value, key: entry.keyText)
            }
            guard let value, let text = entry.value.scalar?.text else { continue }
            settings[variable] = VariableSetting(
                variable: variable, key: entry.keyText, value: value, text: text,
                location: entry.value.location)
        }
    }

    private mutating func reportUnknownVariable(_ entry: YAMLMappingEntry, owner: String) {
        if YAMLSchema.isMergeKey(entry) {
            problems.append(InventoryProblem(YAMLProblem(.mergeKey, at: entry.key.location)))
            return
        }
        // Ansible inventories carry many ansible_* settings for Ansible itself; they must load
        // unchanged, so they only warn.
        if entry.keyText.hasPrefix("ansible_") {
            warnings.append(
                InventoryWarning(
                    location: entry.key.location,
                    kind: .ignoredAnsibleVariable(key: entry.keyText)))
            return
        }
        let suggestion = Suggestion.nearest(to: entry.keyText, in: InventoryVariable.allKeys)
        problems.append(
            InventoryProblem(
                .unknownVariable(key: entry.keyText, owner: owner, suggestion: suggestion),
                at: entry.key.location))
    }

    private mutating func addGroup(_ name: String, at location: SourceLocation, parent: String?) {
        if groups[name] == nil {
            groups[name] = Group(name: name, location: location)
            groupOrder.append(name)
        }
        guard let parent else { return }
        if groups[parent]?.children.contains(name) == false {
            groups[parent]?.children.append(name)
        }
        if groups[name]?.parents.contains(parent) == false {
            groups[name]?.parents.append(parent)
        }
    }

    /// Puts hosts that belong to no group but `all` into `ungrouped`, as Ansible does.
    private mutating func addUngroupedHosts() {
        let grouped = Set(groups.values.filter { $0.name != "all" }.flatMap(\.hosts))
        let ungrouped = hostOrder.filter { !grouped.contains($0) }
        guard !ungrouped.isEmpty, let all = groups["all"] else { return }
        addGroup("ungrouped", at: all.location, parent: "all")
        // The group is taken out of `groups` while it grows, so adding a host needs no
        // lookup by name.
        guard var group = groups.removeValue(forKey: "ungrouped") else { return }
        for name in ungrouped {
            group.addHost(name)
        }
        groups["ungrouped"] = group
    }

    private mutating func checkHostsAreNotGroups() {
        // Groups are far fewer than hosts, so look up each group first and each host only
        // when some group shares a host's name.
        guard groupOrder.contains(where: { hosts[$0] != nil }) else { return }
        for name in hostOrder {
            guard let host = hosts[name], let group = groups[name] else { continue }
            problems.append(
                InventoryProblem(
                    .hostAndGroup(name: name, group: group.location), at: host.location))
        }
    }

    private mutating func checkName(
        _ name: String, kind: InventoryProblem.NameKind, at location: SourceLocation
    ) -> Bool {
        if name.isEmpty {
            problems.append(InventoryProblem(.emptyName(kind), at: location))
            return false
        }
        if Self.isPlainName(name, kind: kind) {
            return true
        }
        // A host name also becomes a file name (exec --output-dir writes DIR/HOST.out), so
        // '/' and '\\' are rejected there; control and format characters (a newline, a
        // right-to-left override) would garble every line that prints the name.
        let isPathSeparator = { (character: Character) in
            kind == .host && (character == "/" || character == "\\")
        }
        guard
            let character = name.first(where: {
                Self.reservedCharacters.contains($0) || $0.isWhitespace || isPathSeparator($0)
                    || $0.unicodeScalars.contains(where: Self.isControlOrFormat)
            })
        else { return true }
        problems.append(
            InventoryProblem(.invalidName(kind, name: name, character: character), at: location))
        return false
    }

    /// Returns whether every byte of `name` is printable ASCII that `checkName` accepts. Such
    /// a name only has one-byte characters, so it passes without the slower search by
    /// character, which finds the exact character to report in any other name.
    private static func isPlainName(_ name: String, kind: InventoryProblem.NameKind) -> Bool {
        let bytes = name.utf8.span
        for index in bytes.indices {
            let byte = bytes[index]
            guard byte > 0x20 && byte < 0x7F, !reservedASCII[Int(byte)] else { return false }
            if kind == .host && (byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\")) {
                return false
            }
        }
        return true
    }

    /// Whether each ASCII byte is one of `reservedText`, indexed by the byte.
    private static let reservedASCII: [Bool] = {
        var table = [Bool](repeating: false, count: 128)
        for byte in reservedText.utf8 {
            table[Int(byte)] = true
        }
        return table
    }()

    private static func isControlOrFormat(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    private mutating func collect<Value>(_ body: () throws(YAMLProblem) -> Value) -> Value? {
        do {
            return try body()
        } catch {
            problems.append(InventoryProblem(error))
            return nil
        }
    }
}
