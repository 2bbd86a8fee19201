import Testing

@Suite("playbook check")
struct PlaybookCommandTests {
    static let inventoryText = """
        all:
          children:
            web:
              hosts:
                web1:
                web2:
        """

    private static func repositoryPath(_ relative: String) -> String {
        let testsFolder = #filePath.split(separator: "/").dropLast().joined(separator: "/")
        return "/" + testsFolder + "/../../" + relative
    }

    @Test("valid playbook prints a summary")
    func valid() async throws {
        let files = try TemporaryInventory()
        let inventory = try files.write("hosts.yml", Self.inventoryText)
        let playbook = try files.write(
            "p.yml",
            """
            - name: web
              hosts: web
              tasks:
                - jail_create: {name: a, start: true}
                - jail_exec: {name: a, command: [uname, -a]}
            - name: all
              hosts: all
              tasks:
                - report: {}
            """)
        let run = await CLIRun.run(["playbook", "check", "-i", inventory, playbook])
        #expect(run.status == 0)
        #expect(run.standardOutput == "\(playbook): 2 plays, 3 tasks, ok\n")
        #expect(run.standardError == "")
    }

    @Test(
        "shipped playbooks pass against the example inventory",
        arguments: [
            ("upgrade-skel.yml", "1 play, 1 task"),
            ("rollout-jails.yml", "1 play, 3 tasks"),
            ("nightly-report.yml", "1 play, 1 task"),
        ])
    func shipped(file: String, counts: String) async {
        let inventory = Self.repositoryPath("inventory/hosts.yml")
        let playbook = Self.repositoryPath("playbooks/" + file)
        let run = await CLIRun.run(["playbook", "check", playbook, "--inventory", inventory])
        #expect(run.status == 0)
        #expect(run.standardOutput == "\(playbook): \(counts), ok\n")
        #expect(run.standardError == "")
    }

    @Test("every problem is printed and the exit status is 65")
    func problems() async throws {
        let files = try TemporaryInventory()
        let inventory = try files.write("hosts.yml", Self.inventoryText)
        let playbook = try files.write(
            "bad.yml",
            """
            - name: web
              hosts: wbe
              serial: [1, 0%]
              tasks:
                - jail_create: {name: a.b}
                - jail_delete: {name: a}
            """)
        let run = await CLIRun.run(["playbook", "check", "-i", inventory, playbook])
        #expect(run.status == 65)
        #expect(
            run.standardError == """
                \(playbook):2:10: error: 'hosts' of play 'web' selects nothing in the inventory: 'wbe' matches no host or group; did you mean 'web'?
                \(playbook):3:15: error: invalid batch size '0%' in 'serial': a percentage must be 1% to 100%
                \(playbook):5:27: error: invalid jail name "a.b": it contains '.', which jail(8) reads as a hierarchical jail separator; use 1 to 63 letters, digits or '_', not digits only
                \(playbook):6:7: error: 'jail_delete' needs 'confirm: true', the playbook form of --yes, because it destroys the jail and its dataset

                """)
        #expect(run.standardOutput == "")
    }

    @Test("missing playbook exits 65")
    func missingPlaybook() async throws {
        let files = try TemporaryInventory()
        let inventory = try files.write("hosts.yml", Self.inventoryText)
        let run = await CLIRun.run(["playbook", "check", "-i", inventory, "/nonexistent/p.yml"])
        #expect(run.status == 65)
        #expect(
            run.standardError
                == "error: playbook '/nonexistent/p.yml': cannot read the file: No such file or "
                + "directory\n")
        #expect(run.standardOutput == "")
    }

    @Test("broken inventory and playbook are both reported")
    func brokenInventory() async throws {
        let files = try TemporaryInventory()
        let inventory = try files.write("hosts.yml", "all:\n  hots:\n")
        let playbook = try files.write("p.yml", "- name: p\n  hosts: all\n  tasks: []\n")
        let run = await CLIRun.run(["playbook", "check", "-i", inventory, playbook])
        #expect(run.status == 65)
        #expect(
            run.standardError == """
                \(inventory):2:3: error: unknown key 'hots' in group 'all'; did you mean 'hosts'?
                \(playbook):3:10: error: play 'p' has no tasks; 'tasks' needs at least one

                """)
        #expect(run.standardOutput == "")
    }

    @Test("missing inventory exits 78 after checking the playbook")
    func missingInventory() async throws {
        let files = try TemporaryInventory()
        let playbook = try files.write("p.yml", "- name: p\n  hosts: all\n  tasks:\n")
        let run = await CLIRun.run(["playbook", "check", "-i", "/nonexistent/h.yml", playbook])
        #expect(run.status == 78)
        #expect(
            run.standardError
                == "error: inventory '/nonexistent/h.yml': cannot read the file: No such file or "
                + "directory; pass -i FILE or set MINIJAIL_FLEET_INVENTORY\n"
                + "\(playbook):3:9: error: play 'p' has no tasks; 'tasks' needs at least one\n")
        #expect(run.standardOutput == "")
    }

    @Test("missing argument is a usage error")
    func missingArgument() async {
        let run = await CLIRun.run(["playbook", "check"])
        #expect(run.status == 64)
        #expect(
            run.standardError == "error: missing argument PLAYBOOK\n"
                + "usage: minijail-fleet playbook check [options] PLAYBOOK\n"
                + "Run 'minijail-fleet playbook check --help' for details.\n")
        #expect(run.standardOutput == "")
    }
}
