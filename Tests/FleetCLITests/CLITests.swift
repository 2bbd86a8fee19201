import FleetCLI
import Foundation
import Testing

/// Runs the CLI with captured output.
struct CLIRun {
    var status: Int32
    var standardOutput: String
    var standardError: String

    static func run(_ arguments: [String], environment: [String: String] = [:]) async -> CLIRun {
        let output = CapturedOutput()
        let error = CapturedOutput()
        let console = Console(standardOutput: output, standardError: error, colour: false)
        let status = await CLI.main(arguments, console: console, environment: environment)
        return CLIRun(status: status, standardOutput: output.text, standardError: error.text)
    }
}

/// A temporary directory with inventory files, removed at deinit.
final class TemporaryInventory {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "fleet-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Suite("Command line")
struct CLITests {
    static let inventoryText = """
        all:
          vars:
            user: admin
          children:
            web:
              hosts:
                web1:
                  address: 127.0.0.11
                web22:
                  address: 127.0.0.12
                  port: 2222
            db:
              hosts:
                db1:
                  address: 127.0.0.21
        """

    @Test("version")
    func version() async {
        let run = await CLIRun.run(["--version"])
        #expect(run.status == 0)
        #expect(run.standardOutput == "minijail-fleet 0.1.0\n")
        #expect(run.standardError == "")
    }

    @Test("help for a subcommand")
    func help() async {
        let run = await CLIRun.run(["inventory", "list", "--help"])
        #expect(run.status == 0)
        #expect(run.standardOutput.hasPrefix("minijail-fleet inventory list: "))
        #expect(
            run.standardOutput.contains(
                "usage: minijail-fleet inventory list [options] [PATTERN]\n"))
        #expect(run.standardOutput.contains("      --json "))
        #expect(run.standardOutput.contains("  -i, --inventory FILE  "))
        #expect(run.standardError == "")
    }

    @Test("tool help lists commands")
    func toolHelp() async {
        let run = await CLIRun.run(["-h"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("commands:\n  inventory  "))
    }

    @Test(
        "usage errors",
        arguments: [
            (
                ["inventory", "list", "--jsn"],
                "error: unknown option '--jsn'; did you mean '--json'?\n"
                    + "usage: minijail-fleet inventory list [options] [PATTERN]\n"
                    + "Run 'minijail-fleet inventory list --help' for details.\n"
            ),
            (
                ["inventory", "lst"],
                "error: unknown command 'lst'; did you mean 'list'?\n"
                    + "usage: minijail-fleet inventory <command> [options]\n"
                    + "Run 'minijail-fleet inventory --help' for details.\n"
            ),
            (
                ["invntory"],
                "error: unknown command 'invntory'; did you mean 'inventory'?\n"
                    + "usage: minijail-fleet <command> [options]\n"
                    + "Run 'minijail-fleet --help' for details.\n"
            ),
            (
                ["inventory"],
                "error: missing command; expected one of: list, show, check\n"
                    + "usage: minijail-fleet inventory <command> [options]\n"
                    + "Run 'minijail-fleet inventory --help' for details.\n"
            ),
            (
                ["inventory", "show"],
                "error: missing argument HOST\n"
                    + "usage: minijail-fleet inventory show [options] HOST\n"
                    + "Run 'minijail-fleet inventory show --help' for details.\n"
            ),
            (
                ["inventory", "show", "a", "b"],
                "error: unexpected argument 'b'\n"
                    + "usage: minijail-fleet inventory show [options] HOST\n"
                    + "Run 'minijail-fleet inventory show --help' for details.\n"
            ),
            (
                ["exec", "host01", "host02", "--", "true"],
                "error: unexpected argument 'host02'; join host patterns with a comma, as in "
                    + "'host01,host02', and give the command after --\n"
                    + "usage: minijail-fleet exec [options] [PATTERN] -- COMMAND...\n"
                    + "Run 'minijail-fleet exec --help' for details.\n"
            ),
            (
                ["exec", "--all", "--", " "],
                "error: the command after -- is empty; give the command to run\n"
                    + "usage: minijail-fleet exec [options] [PATTERN] -- COMMAND...\n"
                    + "Run 'minijail-fleet exec --help' for details.\n"
            ),
            (
                ["exec", "--all", "--group", "--json", "--", "true"],
                "error: --group prints text and --json prints a document; give one of them\n"
                    + "usage: minijail-fleet exec [options] [PATTERN] -- COMMAND...\n"
                    + "Run 'minijail-fleet exec --help' for details.\n"
            ),
            (
                ["inventory", "list", "web", "db"],
                "error: unexpected argument 'db'; join host patterns with a comma, as in "
                    + "'web,db'\n"
                    + "usage: minijail-fleet inventory list [options] [PATTERN]\n"
                    + "Run 'minijail-fleet inventory list --help' for details.\n"
            ),
            (
                ["inventory", "check", "-i"],
                "error: option '-i' needs a value (FILE)\n"
                    + "usage: minijail-fleet inventory check [options]\n"
                    + "Run 'minijail-fleet inventory check --help' for details.\n"
            ),
            (
                ["inventory", "list", "--json=yes"],
                "error: option '--json' takes no value\n"
                    + "usage: minijail-fleet inventory list [options] [PATTERN]\n"
                    + "Run 'minijail-fleet inventory list --help' for details.\n"
            ),
            (
                ["-x", "inventory", "check"],
                "error: unknown option '-x'\n"
                    + "usage: minijail-fleet <command> [options]\n"
                    + "Run 'minijail-fleet --help' for details.\n"
            ),
            (
                ["inventory", "check", "--json"],
                "error: unknown option '--json'\n"
                    + "usage: minijail-fleet inventory check [options]\n"
                    + "Run 'minijail-fleet inventory check --help' for details.\n"
            ),
        ])
    func usageErrors(arguments: [String], expected: String) async {
        let run = await CLIRun.run(arguments)
        #expect(run.status == 64)
        #expect(run.standardError == expected)
        #expect(run.standardOutput == "")
    }

    @Test("list prints hosts and groups")
    func list() async throws {
        let files = try TemporaryInventory()
        let path = try files.write("hosts.yml", Self.inventoryText)
        let run = await CLIRun.run(["inventory", "list", "-i", path])
        #expect(run.status == 0)
        #expect(run.standardOutput == "web1   web\nweb22  web\ndb1    db\n")
        #expect(run.standardError == "")
    }

    @Test("list with pattern, limit and JSON")
    func listJSON() async throws {
        let files = try TemporaryInventory()
        let path = try files.write("hosts.yml", Self.inventoryText)
        let run = await CLIRun.run([
            "--inventory=\(path)", "inventory", "list", "all:!db", "--limit", "web2*", "--json",
        ])
        #expect(run.status == 0)
        #expect(
            run.standardOutput == """
                [
                  {"name": "web22", "address": "127.0.0.12", "port": 2222, "user": "admin", "groups": ["web"]}
                ]

                """)
    }

    @Test("environment names the inventory, -i wins")
    func inventoryPath() async throws {
        let files = try TemporaryInventory()
        let first = try files.write("first.yml", "all:\n  hosts:\n    one:\n")
        let second = try files.write("second.yml", "all:\n  hosts:\n    two:\n")
        let environment = ["MINIJAIL_FLEET_INVENTORY": first]

        let fromEnvironment = await CLIRun.run(["inventory", "list"], environment: environment)
        #expect(fromEnvironment.standardOutput == "one  ungrouped\n")

        let fromOption = await CLIRun.run(
            ["inventory", "list", "-i\(second)"], environment: environment)
        #expect(fromOption.standardOutput == "two  ungrouped\n")
    }

    @Test("pattern matching nothing fails")
    func noMatch() async throws {
        let files = try TemporaryInventory()
        let path = try files.write("hosts.yml", Self.inventoryText)
        let run = await CLIRun.run(["-i", path, "inventory", "list", "dbb"])
        #expect(run.status == 64)
        #expect(run.standardError == "error: 'dbb' matches no host or group; did you mean 'db'?\n")
        #expect(run.standardOutput == "")
    }

    @Test("check prints every problem and exits 65")
    func checkProblems() async throws {
        let files = try TemporaryInventory()
        let path = try files.write(
            "bad.yml", "all:\n  vars:\n    port: 0755\n  hosts:\n    a:\n      becom: true\n")
        let run = await CLIRun.run(["inventory", "check", "-i", path])
        #expect(run.status == 65)
        #expect(
            run.standardError == """
                \(path):3:11: error: invalid integer '0755' for 'port': leading zeros are not allowed, because YAML 1.1 reads them as octal
                \(path):6:7: error: unknown variable 'becom' in host 'a'; did you mean 'become'?

                """)
        #expect(run.standardOutput == "")
    }

    @Test("bad inventory stops list too")
    func listBadInventory() async throws {
        let files = try TemporaryInventory()
        let path = try files.write("bad.yml", "all:\n  hosts:\n    a:\n    a:\n")
        let run = await CLIRun.run(["inventory", "list", "-i", path])
        #expect(run.status == 65)
        #expect(
            run.standardError
                == "\(path):4:5: error: duplicate key 'a'; it is first defined at \(path):3:5\n")
        #expect(run.standardOutput == "")
    }

    @Test("check prints warnings and a summary")
    func checkGood() async throws {
        let files = try TemporaryInventory()
        let path = try files.write(
            "ok.yml", "all:\n  hosts:\n    a:\n      ansible_connection: ssh\n")
        let run = await CLIRun.run(["inventory", "check", "-i", path])
        #expect(run.status == 0)
        #expect(run.standardOutput == "\(path): 1 host, 1 group, no problems\n")
        #expect(
            run.standardError
                == "\(path):4:7: warning: 'ansible_connection' is an Ansible variable that minijail-fleet ignores\n"
        )

        let quiet = await CLIRun.run(["inventory", "check", "-q", "-i", path])
        #expect(quiet.standardError == "")
    }

    @Test("missing inventory exits 78")
    func missingInventory() async {
        let run = await CLIRun.run(["inventory", "list", "-i", "/nonexistent/hosts.yml"])
        #expect(run.status == 78)
        #expect(
            run.standardError
                == "error: inventory '/nonexistent/hosts.yml': cannot read the file: No such file "
                + "or directory; pass -i FILE or set MINIJAIL_FLEET_INVENTORY\n")
    }

    @Test("show prints values and origins")
    func show() async throws {
        let files = try TemporaryInventory()
        let path = try files.write("hosts.yml", Self.inventoryText)
        let run = await CLIRun.run(["inventory", "show", "-i", path, "--", "web22"])
        #expect(run.status == 0)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first == "host web22 (\(path):9:9)")
        #expect(lines.contains("groups: web"))
        let rows = lines.dropFirst(2).map { $0.split(separator: " ").joined(separator: " ") }
        #expect(rows.contains("port 2222 \(path):11:17 (host)"))
        #expect(rows.contains("user admin \(path):3:11 (group all)"))
        #expect(rows.contains("jails_root /var/jails default"))
        #expect(rows.contains("release_mirror - unset, no default"))
        #expect(rows.contains("keepalive_count_max 3 default"))
        #expect(rows.contains("hash_known_hosts true default"))
        #expect(lines.count == 2 + 24)
    }

    @Test("show of an unknown host fails")
    func showUnknown() async throws {
        let files = try TemporaryInventory()
        let path = try files.write("hosts.yml", Self.inventoryText)
        let run = await CLIRun.run(["inventory", "show", "-i", path, "web2"])
        #expect(run.status == 64)
        #expect(run.standardError == "error: host 'web2' is not in \(path); did you mean 'web1'?\n")
    }
}
