import Foundation
import FleetInventory
import FleetPlaybook
import Testing

@Suite("Playbook errors")
struct PlaybookErrorTests {
    static let inventoryText = """
        all:
          children:
            web:
              hosts:
                web1:
                web2:
            db:
              hosts:
                db1:
        """

    private func problems(_ text: String, inventory: Inventory? = nil) -> [String] {
        do {
            _ = try Playbook.parse(text, file: "p.yml", inventory: inventory)
            return []
        } catch {
            return error.renderedLines
        }
    }

    /// Returns a valid play with `line` inserted as its line 3.
    private func play(_ line: String) -> String {
        "- name: p\n  hosts: all\n\(line)\n  tasks:\n    - report: {}\n"
    }

    /// Returns a valid play whose only task, on line 4, is `task`.
    private func task(_ task: String) -> String {
        "- name: p\n  hosts: all\n  tasks:\n    - \(task)\n"
    }

    @Test(
        "play errors have their message and position",
        arguments: [
            ("", "p.yml:1:1: error: the playbook is empty; expected a list of plays"),
            ("[]", "p.yml:1:1: error: the playbook is empty; expected a list of plays"),
            (
                "name: p\nhosts: all\n",
                "p.yml:1:1: error: expected a list of plays, found a mapping; start each play "
                    + "with '- name:'"
            ),
            ("- web", "p.yml:1:3: error: expected a mapping, found a scalar"),
            (
                "- hosts: all\n  tasks: [report: {}]\n",
                "p.yml:1:3: error: play 1 is missing the required key 'name'"
            ),
            (
                "- name: p\n  tasks: [report: {}]\n",
                "p.yml:1:3: error: play 'p' is missing the required key 'hosts'"
            ),
            (
                "- name: p\n  hosts: all\n",
                "p.yml:1:3: error: play 'p' is missing the required key 'tasks'"
            ),
            (
                "- name: p\n  hosts: all\n  tasks: []\n",
                "p.yml:3:10: error: play 'p' has no tasks; 'tasks' needs at least one"
            ),
            (
                "- name: p\n  hosts: all\n  tasks:\n",
                "p.yml:3:9: error: play 'p' has no tasks; 'tasks' needs at least one"
            ),
            (
                "- name: p\n  hosts: all\n  tasks: report\n",
                "p.yml:3:10: error: expected a sequence for 'tasks', found a scalar"
            ),
            (
                "- name: [p]\n  hosts: all\n  tasks: [report: {}]\n",
                "p.yml:1:9: error: expected a scalar for 'name', found a sequence"
            ),
            (
                "- name: p\n  hosts: all\n  hosts: web\n  tasks: [report: {}]\n",
                "p.yml:3:3: error: duplicate key 'hosts'; it is first defined at p.yml:2:3"
            ),
            (
                "- name: p\n  hosts: 'web::db'\n  tasks: [report: {}]\n",
                "p.yml:2:10: error: invalid 'hosts': host pattern 'web::db' has an empty part "
                    + "between separators"
            ),
            (
                "- name: p\n  hosts: ''\n  tasks: [report: {}]\n",
                "p.yml:2:10: error: invalid 'hosts': the host pattern is empty; use 'all' for "
                    + "every host"
            ),
            (
                "- name: p\n  hosts: ~web\n  tasks: [report: {}]\n",
                "p.yml:2:10: error: invalid 'hosts': regular expression patterns such as '~web' "
                    + "are not supported; use a glob such as 'web*'"
            ),
            (
                "- name: p\n  hosts:\n  tasks: [report: {}]\n",
                "p.yml:2:9: error: 'hosts' has no value"
            ),
            (
                "- name: p\n  host: all\n  hosts: all\n  tasks: [report: {}]\n",
                "p.yml:2:3: error: unknown key 'host' in play 'p'; did you mean 'hosts'?"
            ),
            (
                "- &base\n  name: p\n  hosts: all\n  tasks: [report: {}]\n"
                    + "- <<: *base\n  name: q\n  hosts: all\n  tasks: [report: {}]\n",
                "p.yml:5:3: error: YAML merge keys ('<<') are not supported, so the merged keys "
                    + "would be lost; write them out in this mapping"
            ),
            (
                "- name: p\n  hosts: all\n  vars: {<<: {port: 22}}\n  tasks: [report: {}]\n",
                "p.yml:3:10: error: YAML merge keys ('<<') are not supported, so the merged keys "
                    + "would be lost; write them out in this mapping"
            ),
            (
                "- name: p\n  hosts: all\n  tasks: [report: {}]\n  - x\n",
                "p.yml:4:3: error: "
                    + "invalid YAML: did not find expected key (while parsing a block mapping)"
            ),
        ])
    func playErrors(text: String, expected: String) {
        #expect(problems(text) == [expected])
    }

    @Test(
        "serial, budget and vars errors",
        arguments: [
            (
                "  serial: 0",
                "p.yml:3:11: error: invalid batch size '0' in 'serial': a batch size must be a "
                    + "whole number of hosts (at least 1) or a percentage"
            ),
            (
                "  serial: 010",
                "p.yml:3:11: error: invalid batch size '010' in 'serial': a batch size must be a "
                    + "whole number of hosts (at least 1) or a percentage"
            ),
            (
                "  serial: 0%",
                "p.yml:3:11: error: invalid batch size '0%' in 'serial': a percentage must be 1% "
                    + "to 100%"
            ),
            (
                "  serial: [1, '101%']",
                "p.yml:3:15: error: invalid batch size '101%' in 'serial': a percentage must be "
                    + "1% to 100%"
            ),
            (
                "  serial: 2.5",
                "p.yml:3:11: error: invalid batch size '2.5' in 'serial': a batch size must be a "
                    + "whole number of hosts (at least 1) or a percentage"
            ),
            (
                "  serial: 1,25%",
                "p.yml:3:11: error: invalid batch size '1,25%' in 'serial': write a ramp as a "
                    + "list, such as [1, \"25%\", \"100%\"]"
            ),
            (
                "  serial: []",
                "p.yml:3:11: error: 'serial' is an empty list; give at least one count or "
                    + "percentage"
            ),
            ("  serial:", "p.yml:3:10: error: 'serial' has no value"),
            (
                "  serial: [[1]]",
                "p.yml:3:12: error: expected a scalar for 'serial', found a sequence"
            ),
            (
                "  max_fail_percentage: 101",
                "p.yml:3:24: error: 'max_fail_percentage' must be between 0 and 100, not 101"
            ),
            (
                "  max_fail_percentage: 25%",
                "p.yml:3:24: error: invalid integer '25%' for 'max_fail_percentage': expected "
                    + "decimal digits"
            ),
            (
                "  max_fail_percentage: 010",
                "p.yml:3:24: error: invalid integer '010' for 'max_fail_percentage': leading "
                    + "zeros are not allowed, because YAML 1.1 reads them as octal"
            ),
            (
                "  vars: {prot: 22}",
                "p.yml:3:10: error: unknown variable 'prot' in 'vars' of play 'p'; did you mean "
                    + "'port'?"
            ),
            (
                "  vars: {port: 22, ansible_port: 23}",
                "p.yml:3:20: error: 'ansible_port' sets a variable in 'vars' of play 'p' that is "
                    + "already set at p.yml:3:16"
            ),
            (
                "  vars: {become: maybe}",
                "p.yml:3:18: error: invalid boolean 'maybe' for 'become'; use true or false"
            ),
            (
                "  vars: {jails_root: jails}",
                "p.yml:3:22: error: invalid value 'jails' for 'jails_root': expected an absolute "
                    + "path without '.' or '..' parts, of letters, digits and /._-+@,:"
            ),
            ("  vars: [port]", "p.yml:3:9: error: expected a mapping for 'vars', found a sequence"),
        ])
    func fieldErrors(line: String, expected: String) {
        #expect(problems(play(line)) == [expected])
    }

    @Test(
        "task errors have their message and position",
        arguments: [
            ("web", "p.yml:4:7: error: expected a mapping, found a scalar"),
            (
                "{name: only}",
                "p.yml:4:7: error: task 'only' has no operation; expected one of: skel_install, "
                    + "skel_upgrade, jail_create, jail_start, jail_stop, jail_restart, "
                    + "jail_delete, jail_exec, host_exec, report"
            ),
            (
                "{jail_craete: {name: a}}",
                "p.yml:4:8: error: unknown key 'jail_craete' in task 1 of play 'p'; did you mean "
                    + "'jail_create'?"
            ),
            (
                "{name: t, report: {}, jail_start: {name: a}}",
                "p.yml:4:29: error: task 't' has a second operation 'jail_start' after 'report'; "
                    + "a task runs one operation, so split it into two tasks"
            ),
            (
                "{jail_start: a}",
                "p.yml:4:20: error: expected a mapping for 'jail_start', found a scalar"
            ),
            (
                "{jail_start: {}}",
                "p.yml:4:8: error: 'jail_start' is missing the required key 'name'"
            ),
            (
                "{jail_create: {name: a, strat: true}}",
                "p.yml:4:31: error: unknown key 'strat' in 'jail_create'; did you mean 'start'?"
            ),
            (
                "{jail_create: {name: a, start: 1}}",
                "p.yml:4:38: error: invalid boolean '1' for 'start'; use true or false"
            ),
            (
                "{jail_create: {name: a, start: y}}",
                "p.yml:4:38: error: invalid boolean 'y' for 'start'; use true or false"
            ),
            (
                "{jail_stop: {name: a.b}}",
                "p.yml:4:26: error: invalid jail name \"a.b\": it contains '.', which jail(8) "
                    + "reads as a hierarchical jail separator; use 1 to 63 letters, digits or "
                    + "'_', not digits only"
            ),
            (
                "{jail_delete: {name: a}}",
                "p.yml:4:8: error: 'jail_delete' needs 'confirm: true', the playbook form of "
                    + "--yes, because it destroys the jail and its dataset"
            ),
            (
                "{jail_delete: {name: a, confirm: no}}",
                "p.yml:4:40: error: 'jail_delete' needs 'confirm: true', the playbook form of "
                    + "--yes, because it destroys the jail and its dataset"
            ),
            (
                "{jail_delete: {name: a, confirm: true, stop: maybe}}",
                "p.yml:4:52: error: invalid boolean 'maybe' for 'stop'; use true or false"
            ),
            (
                "{jail_exec: {name: a, command: []}}",
                "p.yml:4:38: error: 'command' of 'jail_exec' is empty; give the program and its "
                    + "arguments as a list, such as [service, sshd, status]"
            ),
            (
                "{host_exec: {command: ['', x]}}",
                "p.yml:4:29: error: 'command' of 'host_exec' is empty; give the program and its "
                    + "arguments as a list, such as [service, sshd, status]"
            ),
            (
                "{host_exec: {command: ls -l}}",
                "p.yml:4:29: error: expected a sequence for 'command', found a scalar"
            ),
            (
                "{host_exec: {command: [ls, [x]]}}",
                "p.yml:4:34: error: expected a scalar for 'command', found a sequence"
            ),
            (
                "{jail_exec: {command: [ls]}}",
                "p.yml:4:8: error: 'jail_exec' is missing the required key 'name'"
            ),
            (
                "{skel_install: {source: binary}}",
                "p.yml:4:31: error: invalid value 'binary' for 'source'; expected one of: "
                    + "binaries, sources; did you mean 'binaries'?"
            ),
            (
                "{skel_install: {source: sorces}}",
                "p.yml:4:31: error: invalid value 'sorces' for 'source'; expected one of: "
                    + "binaries, sources; did you mean 'sources'?"
            ),
            (
                "{skel_upgrade: {release: 14.1-STABLE}}",
                "p.yml:4:32: error: invalid release '14.1-STABLE' for 'skel_upgrade': STABLE is "
                    + "a development branch, and freebsd-update upgrades only to releases; "
                    + "write a release such as 14.2-RELEASE"
            ),
            (
                "{skel_upgrade: {version: 14.2-RELEASE}}",
                "p.yml:4:23: error: unknown key 'version' in 'skel_upgrade'"
            ),
            ("{report: {all: true}}", "p.yml:4:17: error: unknown key 'all' in 'report'"),
        ])
    func taskErrors(text: String, expected: String) {
        #expect(problems(task(text)) == [expected])
    }

    @Test(
        "jail names follow one rule",
        arguments: [
            ("", "\"\": the name is empty"),
            (
                String(repeating: "a", count: 64),
                "\"\(String(repeating: "a", count: 40))...\": it has 64 characters, more than the "
                    + "maximum of 63"
            ),
            (
                String(repeating: "a", count: 300),
                "\"\(String(repeating: "a", count: 40))...\": it has 300 characters, more than the "
                    + "maximum of 63"
            ),
            (
                "a.b",
                "\"a.b\": it contains '.', which jail(8) reads as a hierarchical jail separator"
            ),
            (
                "foo; reboot",
                "\"foo; reboot\": it contains ';', which is not a letter, digit or '_'"
            ),
            ("../x", "\"../x\": it contains a '..' path component"),
            ("a/b", "\"a/b\": it contains '/', which would make it a path"),
            ("web 1", "\"web 1\": it contains whitespace"),
            ("www-blue", "\"www-blue\": it contains '-', which rc.conf variable names cannot hold"),
            ("-x", "\"-x\": it starts with '-', which commands read as an option"),
            ("42", "\"42\": it is made of digits only, which jail(8) reads as a jail id"),
        ])
    func jailNames(name: String, reason: String) {
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        let expected =
            "p.yml:4:26: error: invalid jail name \(reason); use 1 to 63 letters, digits or '_', "
            + "not digits only"
        #expect(problems(task("{jail_stop: {name: \(quoted)}}")) == [expected])
    }

    @Test(
        "valid jail names pass",
        arguments: ["a", "www_blue", "db_2", "_x", "1a", "A_", String(repeating: "z", count: 63)])
    func validJailNames(name: String) {
        #expect(problems(task("{jail_start: {name: '\(name)'}}")) == [])
    }

    @Test(
        "release targets",
        arguments: [
            (
                "14.1-CURRENT",
                "CURRENT is a development branch, and freebsd-update upgrades only "
                    + "to releases; write a release such as 14.2-RELEASE"
            ),
            (
                "15.0-BETA2",
                "BETA versions are pre-releases, which skel upgrades do not target; "
                    + "write a release such as 14.2-RELEASE"
            ),
            (
                "14.2-RC1",
                "RC versions are pre-releases, which skel upgrades do not target; "
                    + "write a release such as 14.2-RELEASE"
            ),
            (
                "14.2-RELEASE-p3",
                "freebsd-update installs the latest patch level of the release "
                    + "by itself; write '14.2-RELEASE'"
            ),
            ("14.2", "expected the form N.M-RELEASE; did you mean '14.2-RELEASE'?"),
            ("14", "expected the form N.M-RELEASE, such as 14.2-RELEASE"),
            ("14.2-release", "expected the form N.M-RELEASE, such as 14.2-RELEASE"),
            ("014.2-RELEASE", "expected the form N.M-RELEASE, such as 14.2-RELEASE"),
            ("0.1-RELEASE", "expected the form N.M-RELEASE, such as 14.2-RELEASE"),
            ("14.2-RELEASE-px", "expected the form N.M-RELEASE, such as 14.2-RELEASE"),
            ("", "expected the form N.M-RELEASE, such as 14.2-RELEASE"),
        ])
    func releases(text: String, reason: String) {
        let expected =
            "p.yml:4:32: error: invalid release '\(text)' for 'skel_upgrade': \(reason)"
        #expect(problems(task("{skel_upgrade: {release: '\(text)'}}")) == [expected])
    }

    @Test("release without text is missing", arguments: ["{skel_upgrade: {release: }}"])
    func releaseMissing(text: String) {
        #expect(problems(task(text)) == ["p.yml:4:32: error: 'release' has no value"])
    }

    @Test(
        "valid release targets pass", arguments: ["14.2-RELEASE", "13.0-RELEASE", "9.10-RELEASE"])
    func validReleases(text: String) {
        #expect(problems(task("{skel_upgrade: {release: \(text)}}")) == [])
    }

    @Test("unmatched hosts name the play")
    func unmatchedHosts() throws {
        let inventory = try Inventory.parse(Self.inventoryText, file: "h.yml")
        let text = """
            - name: good
              hosts: web:!web1
              tasks: [report: {}]
            - name: typo
              hosts: webb
              tasks: [report: {}]
            - name: empty
              hosts: web:&db
              tasks: [report: {}]
            """
        #expect(
            problems(text, inventory: inventory) == [
                "p.yml:5:10: error: 'hosts' of play 'typo' selects nothing in the inventory: "
                    + "'webb' matches no host or group; did you mean 'web'?",
                "p.yml:8:10: error: 'hosts' of play 'empty' selects nothing in the inventory: "
                    + "host pattern 'web:&db' selects no hosts",
            ])
        #expect(problems(text) == [])
    }

    @Test("every problem is reported at once, in file order")
    func allAtOnce() throws {
        let inventory = try Inventory.parse(Self.inventoryText, file: "h.yml")
        let text = """
            - name: first
              hosts: dbb
              serial: [1, 0]
              max_fail_percentage: -1
              vars: {usr: root}
              tasks:
                - jail_create: {name: "1"}
                  jail_start: {name: x}
                - skel_upgrade: {release: 14.0-STABLE}
            - hosts: all
              tasks:
                - jail_delete: {name: x, confirm: off}
            """
        #expect(
            problems(text, inventory: inventory) == [
                "p.yml:2:10: error: 'hosts' of play 'first' selects nothing in the inventory: "
                    + "'dbb' matches no host or group; did you mean 'db'?",
                "p.yml:3:15: error: invalid batch size '0' in 'serial': a batch size must be a "
                    + "whole number of hosts (at least 1) or a percentage",
                "p.yml:4:24: error: 'max_fail_percentage' must be between 0 and 100, not -1",
                "p.yml:5:10: error: unknown variable 'usr' in 'vars' of play 'first'; did you "
                    + "mean 'user'?",
                "p.yml:7:27: error: invalid jail name \"1\": it is made of digits only, which "
                    + "jail(8) reads as a jail id; use 1 to 63 letters, digits or '_', not digits "
                    + "only",
                "p.yml:8:7: error: task 1 of play 'first' has a second operation 'jail_start' "
                    + "after 'jail_create'; a task runs one operation, so split it into two "
                    + "tasks",
                "p.yml:9:31: error: invalid release '14.0-STABLE' for 'skel_upgrade': STABLE is "
                    + "a development branch, and freebsd-update upgrades only to releases; "
                    + "write a release such as 14.2-RELEASE",
                "p.yml:10:3: error: play 2 is missing the required key 'name'",
                "p.yml:12:39: error: 'jail_delete' needs 'confirm: true', the playbook form of "
                    + "--yes, because it destroys the jail and its dataset",
            ])
    }

    @Test("unreadable file is one problem")
    func unreadable() {
        do {
            _ = try Playbook.load(path: "/nonexistent/p.yml")
            Issue.record("loading a missing file succeeded")
        } catch {
            #expect(error.isUnreadableFile)
            #expect(
                error.renderedLines == ["error: cannot read the file: No such file or directory"])
        }
    }
}
