import FleetJails
import Testing

@Suite("Generated sh scripts")
struct ScriptSyntaxTests {
    /// Every script the planner, the probe and the lock can generate for the fixture hosts.
    static func allScripts() throws -> [(String, String)] {
        var scripts: [(String, String)] = []
        let web = Fixtures.name("web")
        let zfs = Fixtures.settings()
        let sources = Fixtures.settings(source: .sources)
        let override = try HostSettings(
            zfsDataset: "tank/jails", releaseMirror: "http://127.0.0.1/r")
        for settings in [zfs, override] {
            scripts.append(("probe", FactsProbe.script(settings: settings)))
        }
        let record = LockRecord(runID: "run1", controller: "ops1", pid: 1, started: 0)
        scripts.append(("lock-acquire", try HostLock.acquireCommand(settings: zfs, record: record)))
        scripts.append(("lock-release", try HostLock.releaseCommand(settings: zfs, runID: "run1")))
        var leftovers = try Fixtures.zfsHostWithWeb()
        leftovers.mounts += Fixtures.webMounts
        let cases: [(Operation, HostFacts, HostSettings)] = [
            (.skelInstall, Fixtures.emptyZFSHost(), zfs),
            (.skelInstall, Fixtures.emptyZFSHost(), sources),
            (.jailCreate(web), Fixtures.zfsHostWithSkel(), zfs),
            (.jailCreate(web), Fixtures.ufsHostWithSkel(), zfs),
            (.jailStart(web), leftovers, zfs),
            (.jailStop(web), Fixtures.running(try Fixtures.zfsHostWithWeb()), zfs),
            (.jailRestart(web), Fixtures.running(try Fixtures.zfsHostWithWeb()), zfs),
            (
                .jailDelete(web, stopFirst: true, confirmed: true),
                Fixtures.running(try Fixtures.zfsHostWithWeb()), zfs
            ),
            (.skelUpgrade(targetRelease: nil), Fixtures.zfsHostWithSkel(), zfs),
            (.skelUpgrade(targetRelease: "14.2"), Fixtures.ufsHostWithSkel(), zfs),
            (.skelUpgrade(targetRelease: nil), Fixtures.zfsHostWithSkel(), sources),
            (
                .jailExec(web, argv: ["sh", "-c", "echo 'x'"]),
                Fixtures.running(try Fixtures.zfsHostWithWeb()), zfs
            ),
            (.hostExec(argv: ["uname", "-a"]), Fixtures.zfsHostWithSkel(), zfs),
        ]
        for (op, facts, settings) in cases {
            let plan = try Planner.plan(op, facts: facts, settings: settings, runID: "run1")
            for step in Fixtures.steps(plan) {
                scripts.append(("\(op) \(step.name)", step.command))
                if let rollback = step.rollback {
                    scripts.append(("\(op) \(rollback.name)", rollback.command))
                }
            }
        }
        return scripts
    }

    /// Constructs that FreeBSD's sh or dash reject, or that behave differently there.
    static let bashisms = [
        "[[ ", " ]]", "function ", "<<<", "&>", "$'", "${!", "source ", "declare ",
        "pipefail", "$RANDOM", "{1..", "echo -e", "=~", "$(<", ">&|",
    ]

    @Test("every script passes dash -n")
    func syntax() throws {
        let scripts = try Self.allScripts()
        #expect(scripts.count > 40)
        for (name, script) in scripts {
            let result = try Shell.run(script, arguments: ["-n", "-c"])
            #expect(result.status == 0, "\(name): \(result.stderr)")
        }
    }

    @Test("no script uses a bashism")
    func noBashisms() throws {
        for (name, script) in try Self.allScripts() {
            for pattern in Self.bashisms {
                #expect(!script.contains(pattern), "\(name) contains \(pattern)")
            }
            // awk programs compare with ==, but test(1) only knows =.
            for line in script.split(separator: "\n") {
                let trimmed = line.drop { $0 == " " }
                #expect(!trimmed.hasPrefix("local "), "\(name) declares a local in: \(line)")
                if !line.contains("awk") {
                    #expect(!line.contains(" == "), "\(name) compares with == in: \(line)")
                }
            }
        }
    }

    @Test("syntax check catches broken scripts")
    func syntaxCheckFails() throws {
        #expect(try Shell.run("if true; then echo x", arguments: ["-n", "-c"]).status != 0)
        #expect(try Shell.run("f() {\n}", arguments: ["-n", "-c"]).status != 0)
    }
}
