import FleetCore
import FleetInventory
import FleetPlaybook
import Testing

/// Paths of files in the repository, found from this source file.
enum RepositoryFile {
    static func path(_ relative: String) -> String {
        let testsFolder = #filePath.split(separator: "/").dropLast().joined(separator: "/")
        return "/" + testsFolder + "/../../" + relative
    }
}

@Suite("Playbook loader")
struct PlaybookLoaderTests {
    static let fullText = """
        - name: Roll out
          hosts: web:&prod
          serial: [1, "25%", 100%]
          max_fail_percentage: 20
          vars:
            command_timeout: 1800
            ansible_user: deploy
          tasks:
            - name: install
              skel_install: {source: sources}
            - skel_install:
            - skel_upgrade: {release: 14.2-RELEASE}
            - skel_upgrade: {}
            - jail_create: {name: www_blue, start: yes}
            - jail_create: {name: db_2}
            - jail_start: {name: www_blue}
            - jail_stop: {name: www_blue}
            - jail_restart: {name: www_blue}
            - jail_delete: {name: old, stop: on, confirm: true}
            - jail_delete: {name: old2, confirm: TRUE}
            - jail_exec:
                name: www_blue
                command: [sh, -c, 'echo "$HOME"', '', on, 0755]
            - host_exec: {command: [zpool, status]}
            - report: {}
            - report:
        - name: second
          hosts: all
          tasks:
            - report: {}
        """

    @Test("every task and key loads")
    func full() throws {
        let playbook = try Playbook.parse(Self.fullText, file: "p.yml")
        #expect(playbook.path == "p.yml")
        #expect(playbook.plays.count == 2)
        #expect(playbook.taskCount == 16)

        let play = playbook.plays[0]
        #expect(play.name == "Roll out")
        #expect(play.location == SourceLocation(file: "p.yml", line: 1, column: 3))
        #expect(play.hosts.text == "web:&prod")
        #expect(play.hostsLocation == SourceLocation(file: "p.yml", line: 2, column: 10))
        #expect(play.serial == SerialPlan(sizes: [.count(1), .percent(25), .percent(100)]))
        #expect(play.budget == FailureBudget(maxFailPercent: 20))

        #expect(play.vars.map(\.variable) == [.commandTimeout, .user])
        #expect(play.vars.map(\.value) == [.integer(1800), .text("deploy")])
        #expect(play.vars.map(\.key) == ["command_timeout", "ansible_user"])
        #expect(play.vars[0].location == SourceLocation(file: "p.yml", line: 6, column: 22))

        let expected: [TaskAction] = [
            .skelInstall(source: .sources),
            .skelInstall(source: nil),
            .skelUpgrade(release: "14.2-RELEASE"),
            .skelUpgrade(release: nil),
            .jailCreate(name: "www_blue", start: true),
            .jailCreate(name: "db_2", start: false),
            .jailStart(name: "www_blue"),
            .jailStop(name: "www_blue"),
            .jailRestart(name: "www_blue"),
            .jailDelete(name: "old", stop: true),
            .jailDelete(name: "old2", stop: false),
            .jailExec(name: "www_blue", command: ["sh", "-c", "echo \"$HOME\"", "", "on", "0755"]),
            .hostExec(command: ["zpool", "status"]),
            .report,
            .report,
        ]
        #expect(play.tasks.map(\.action) == expected)
        #expect(play.tasks[0].name == "install")
        #expect(play.tasks[1].name == nil)
        #expect(play.tasks[0].location == SourceLocation(file: "p.yml", line: 9, column: 7))
        #expect(play.tasks.map(\.action.operation.key).first == "skel_install")

        let second = playbook.plays[1]
        #expect(second.serial == .allAtOnce)
        #expect(second.budget == FailureBudget(maxFailPercent: 0))
        #expect(second.vars.isEmpty)
    }

    @Test(
        "serial forms",
        arguments: [
            ("1", [SerialPlan.Size.count(1)]),
            ("10", [.count(10)]),
            ("'25%'", [.percent(25)]),
            ("25%", [.percent(25)]),
            ("\"100%\"", [.percent(100)]),
            ("[1, '25%', '100%']", [.count(1), .percent(25), .percent(100)]),
            ("[2, 5]", [.count(2), .count(5)]),
            ("\n    - 1\n    - 50%", [.count(1), .percent(50)]),
        ])
    func serialForms(text: String, sizes: [SerialPlan.Size]) throws {
        let playbook = try Playbook.parse(
            "- name: p\n  hosts: all\n  serial: \(text)\n  tasks:\n    - report:\n", file: "p.yml")
        #expect(playbook.plays[0].serial == SerialPlan(sizes: sizes))
    }

    @Test("string fields keep their exact text")
    func exactText() throws {
        let text = """
            - name: on
              hosts: "0123"
              tasks:
                - name: 14.10
                  skel_upgrade: {release: 14.10-RELEASE}
                - name: no
                  jail_exec: {name: "007x", command: [echo, yes, 1.0, ~x]}
            """
        let inventory = try Inventory.parse("all:\n  hosts:\n    '0123':\n", file: "h.yml")
        let playbook = try Playbook.parse(text, file: "p.yml", inventory: inventory)
        let play = playbook.plays[0]
        #expect(play.name == "on")
        #expect(play.hosts.text == "0123")
        #expect(play.tasks.map(\.name) == ["14.10", "no"])
        #expect(play.tasks[0].action == .skelUpgrade(release: "14.10-RELEASE"))
        #expect(
            play.tasks[1].action == .jailExec(name: "007x", command: ["echo", "yes", "1.0", "~x"]))
    }

    @Test(
        "shipped playbooks pass the check",
        arguments: ["upgrade-skel.yml", "rollout-jails.yml", "nightly-report.yml"])
    func shipped(file: String) throws {
        let inventory = try Inventory.load(path: RepositoryFile.path("inventory/hosts.yml"))
        let playbook = try Playbook.load(
            path: RepositoryFile.path("playbooks/" + file), inventory: inventory)
        #expect(!playbook.plays.isEmpty)
        for play in playbook.plays {
            #expect(try !play.hosts.hosts(in: inventory).isEmpty)
            #expect(!play.tasks.isEmpty)
        }
    }

    @Test("play vars override the inventory")
    func varsOverride() throws {
        let inventory = try Inventory.parse(
            "all:\n  vars:\n    command_timeout: 60\n  hosts:\n    a:\n      port: 2222\n    b:\n",
            file: "h.yml")
        let text = """
            - name: slow
              hosts: all:!b
              vars: {command_timeout: 1800, ansible_port: 22}
              tasks: [report: {}]
            """
        let play = try #require(Playbook.parse(text, file: "p.yml").plays.first)
        let hosts = try play.selectedHosts(in: inventory)
        #expect(hosts.map(\.name) == ["a"])
        #expect(hosts[0].variables.commandTimeout == 1800)
        #expect(hosts[0].variables.port == 22)
        #expect(hosts[0].variables.user == "root")

        let origin = hosts[0].resolvedVariables.first { $0.variable == .commandTimeout }?.origin
        #expect(origin == .play("slow", SourceLocation(file: "p.yml", line: 3, column: 27)))
        #expect(origin?.description == "p.yml:3:27 (play slow)")
        #expect(inventory.host(named: "a")?.variables.commandTimeout == 60)
    }

    @Test("upgrade playbook ramps with no budget")
    func upgradePlaybook() throws {
        let playbook = try Playbook.load(path: RepositoryFile.path("playbooks/upgrade-skel.yml"))
        let play = try #require(playbook.plays.first)
        #expect(play.hosts.text == "all")
        #expect(play.serial == SerialPlan(sizes: [.count(1), .percent(25), .percent(100)]))
        #expect(play.budget == FailureBudget(maxFailPercent: 0))
        #expect(play.tasks.map(\.action) == [.skelUpgrade(release: nil)])
    }

    @Test("roll-out playbook creates and starts jails")
    func rolloutPlaybook() throws {
        let playbook = try Playbook.load(path: RepositoryFile.path("playbooks/rollout-jails.yml"))
        let play = try #require(playbook.plays.first)
        #expect(play.hosts.text == "web")
        #expect(play.serial == SerialPlan(sizes: [.count(1)]))
        let created = play.tasks.compactMap { task -> String? in
            guard case .jailCreate(let name, true) = task.action else { return nil }
            return name
        }
        #expect(created == ["www_blue", "www_green"])
    }

    @Test("report playbook covers every host")
    func reportPlaybook() throws {
        let playbook = try Playbook.load(path: RepositoryFile.path("playbooks/nightly-report.yml"))
        let play = try #require(playbook.plays.first)
        #expect(play.hosts.text == "all")
        #expect(play.serial == .allAtOnce)
        #expect(play.budget == FailureBudget(maxFailPercent: 100))
        #expect(play.tasks.map(\.action) == [.report])
    }
}
