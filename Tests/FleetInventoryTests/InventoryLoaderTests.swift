import FleetCore
import FleetInventory
import Testing

/// Paths of files in the repository, found from this source file.
enum RepositoryFile {
    static func path(_ relative: String) -> String {
        let testsFolder = #filePath.split(separator: "/").dropLast().joined(separator: "/")
        return "/" + testsFolder + "/" + relative
    }
}

@Suite("Inventory loader")
struct InventoryLoaderTests {
    @Test("example inventory loads")
    func example() throws {
        let inventory = try Inventory.load(path: RepositoryFile.path("../../inventory/hosts.yml"))
        #expect(inventory.hosts.map(\.name) == ["web1", "web2", "web3", "db1", "stage1"])
        #expect(inventory.host(named: "web2")?.groups == ["web", "prod"])
        #expect(inventory.warnings.isEmpty)
        for host in inventory.hosts {
            #expect(host.variables.address.hasPrefix("127.0.0."))
        }
    }

    @Test("Ansible inventory loads unchanged")
    func ansible() throws {
        let inventory = try Inventory.load(path: RepositoryFile.path("Fixtures/ansible-hosts.yml"))
        #expect(
            inventory.hosts.map(\.name) == ["bastion", "www01", "www02", "www03", "db-a", "db-b"])

        let web = try #require(inventory.host(named: "www02"))
        #expect(web.groups == ["webservers", "production"])
        #expect(web.variables.address == "www02")
        #expect(web.variables.port == 2201)
        #expect(web.variables.user == "deploy")
        #expect(web.variables.become)
        #expect(web.variables.becomeMethod == .sudo)
        #expect(web.variables.identityFile == "~/.ssh/fleet_ed25519")

        let bastion = try #require(inventory.host(named: "bastion"))
        #expect(bastion.groups == ["ungrouped"])
        #expect(bastion.variables.address == "127.0.0.2")
        #expect(inventory.host(named: "db-b")?.variables.address == "127.0.0.5")

        let warnings: [String] = inventory.warnings.map { warning in
            String(warning.rendered.split(separator: "/").last ?? "")
        }
        let expected = [
            "ansible-hosts.yml:7:5: warning: 'ansible_python_interpreter' is an Ansible "
                + "variable that minijail-fleet ignores",
            "ansible-hosts.yml:18:9: warning: 'ansible_connection' is an Ansible variable "
                + "that minijail-fleet ignores",
        ]
        #expect(warnings == expected)
    }

    @Test("string fields keep their text")
    func stringsKeepText() throws {
        let text = """
            all:
              hosts:
                a:
                  uname_r: 13.10
                  zfs_dataset: 0123
                  skel_name: on
                  passphrase_env: no
                  user: 14.0
            """
        let host = try #require(try Inventory.parse(text, file: "h.yml").hosts.first)
        #expect(host.variables.unameR == "13.10")
        #expect(host.variables.zfsDataset == "0123")
        #expect(host.variables.skelName == "on")
        #expect(host.variables.passphraseEnv == "no")
        #expect(host.variables.user == "14.0")
    }

    @Test("booleans accept YAML 1.1 spellings")
    func booleans() throws {
        let text = "all:\n  hosts:\n    a:\n      become: yes\n      ssh_agent: Off\n"
        let host = try #require(try Inventory.parse(text, file: "h.yml").hosts.first)
        #expect(host.variables.become)
        #expect(!host.variables.sshAgent)
    }

    @Test("defaults apply to an empty host")
    func defaults() throws {
        let host = try #require(
            try Inventory.parse("all:\n  hosts:\n    h1:\n", file: "h.yml").hosts.first)
        let variables = host.variables
        #expect(variables.address == "h1")
        #expect(variables.port == 22)
        #expect(variables.user == "root")
        #expect(variables.identityFile == nil)
        #expect(variables.passphraseEnv == nil)
        #expect(variables.sshAgent)
        #expect(!variables.become)
        #expect(variables.becomeMethod == .sudo)
        #expect(variables.connectTimeout == 10)
        #expect(variables.commandTimeout == 3600)
        #expect(variables.keepaliveInterval == 15)
        #expect(variables.keepaliveCountMax == 3)
        #expect(variables.knownHosts == "~/.ssh/known_hosts")
        #expect(variables.hostKeyChecking == .strict)
        #expect(variables.hashKnownHosts)
        #expect(variables.jailsRoot == "/var/jails")
        #expect(variables.skelName == "skel")
        #expect(variables.zfsDataset == nil)
        #expect(variables.installSource == .binaries)
        #expect(variables.releaseMirror == nil)
        #expect(variables.unameR == nil)
        #expect(variables.jailConfDir == "/etc/jail.conf.d")
        #expect(variables.stateDir == "/var/db/minijail-fleet")
        #expect(host.resolvedVariables.first { $0.variable == .port }?.origin == .defaultValue)
        #expect(host.resolvedVariables.first { $0.variable == .releaseMirror }?.origin == .unset)
    }

    @Test("large inventory loads in linear time")
    func largeInventory() throws {
        // 10000 hosts in one group and a second group: reading used to copy the growing
        // mapping and scan every group's host list per host, which took minutes here.
        var text = "all:\n  children:\n    big:\n      hosts:\n"
        for index in 0..<10000 {
            text += "        host\(index):\n"
        }
        text += "    small:\n      hosts:\n        host7:\n      vars:\n        port: 2222\n"

        let clock = ContinuousClock()
        let start = clock.now
        let inventory = try Inventory.parse(text, file: "big.yml")
        let elapsed = clock.now - start

        #expect(inventory.hosts.count == 10000)
        #expect(inventory.host(named: "host7")?.groups == ["big", "small"])
        #expect(inventory.host(named: "host7")?.variables.port == 2222)
        #expect(elapsed < .seconds(20))
    }

    @Test("top-level groups join all")
    func topLevelGroups() throws {
        let inventory = try Inventory.parse("web:\n  hosts:\n    w1:\n", file: "h.yml")
        #expect(inventory.host(named: "w1")?.groups == ["web"])
        #expect(inventory.group(named: "all")?.children == ["web"])
    }
}

@Suite("Variable precedence")
struct PrecedenceTests {
    private let text = """
        all:
          vars:
            port: 1
            user: everyone
            skel_name: fromall
          hosts:
            solo:
          children:
            prod:
              vars:
                port: 2
                user: prod
              children:
                web:
                  vars:
                    port: 3
                  hosts:
                    w1:
                      port: 4
                    w2:
                db:
                  vars:
                    user: db
                  hosts:
                    d1:
            audit:
              vars:
                user: prod
              hosts:
                w2:
        """

    private func resolved(_ host: String, _ variable: InventoryVariable) throws -> ResolvedVariable?
    {
        let inventory = try Inventory.parse(text, file: "p.yml")
        return inventory.host(named: host)?.resolvedVariables.first { $0.variable == variable }
    }

    @Test("host wins over groups")
    func hostWins() throws {
        let value = try resolved("w1", .port)
        #expect(value?.value == .integer(4))
        #expect(value?.origin == .host(SourceLocation(file: "p.yml", line: 19, column: 21)))
    }

    @Test("nearest group wins over parents")
    func nearestGroup() throws {
        let value = try resolved("w2", .port)
        #expect(value?.value == .integer(3))
        #expect(value?.origin == .group("web", SourceLocation(file: "p.yml", line: 16, column: 19)))
    }

    @Test("parent group wins over all")
    func parentGroup() throws {
        let value = try resolved("d1", .port)
        #expect(value?.value == .integer(2))
        #expect(
            value?.origin == .group("prod", SourceLocation(file: "p.yml", line: 11, column: 15)))
    }

    @Test("all applies last, then defaults")
    func allThenDefault() throws {
        #expect(
            try resolved("solo", .port)?.origin
                == .group("all", SourceLocation(file: "p.yml", line: 3, column: 11)))
        #expect(try resolved("solo", .jailsRoot)?.origin == .defaultValue)
    }

    @Test("unrelated groups agreeing is no conflict")
    func agreeingGroups() throws {
        // w2 is in prod (through web) and in audit; both set user to the same text.
        let value = try resolved("w2", .user)
        #expect(value?.value == .text("prod"))
    }
}
