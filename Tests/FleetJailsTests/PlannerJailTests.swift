import FleetJails
import Testing

@Suite("Planner: jail create, start, stop, restart, delete, exec")
struct PlannerJailTests {
    let settings = Fixtures.settings()
    let web = Fixtures.name("web")

    func plan(_ op: Operation, _ facts: HostFacts) throws -> Plan {
        try Planner.plan(op, facts: facts, settings: settings, runID: "run1")
    }

    @Test("create on ZFS")
    func createZFS() throws {
        let steps = Fixtures.steps(try plan(.jailCreate(web), Fixtures.zfsHostWithSkel()))
        #expect(
            steps.map(\.name)
                == [
                    "create-dataset", "copy-template", "pwd_mkdb", "unmount-dataset",
                    "set-canmount", "write-config",
                ])
        #expect(steps[0].command == "zfs create -o mountpoint=/var/jails/web zroot/var/jails/web")
        #expect(steps[0].rollback?.command == "zfs destroy -r zroot/var/jails/web")
        #expect(steps[1].command.contains("t=/var/jails/skel/skel\nm=/var/jails/web\n"))
        #expect(steps[1].command.contains("chmod 1777 \"$m/tmp\""))
        #expect(steps[1].command.contains("mkdir -p \"$m/etc/ssh\" \"$m/var/log\" \"$m/var/run\""))
        #expect(
            steps[2].command == "pwd_mkdb -d /var/jails/web/etc /var/jails/web/etc/master.passwd")
        #expect(steps[3].command == "zfs umount zroot/var/jails/web")
        #expect(steps[4].command == "zfs set canmount=noauto zroot/var/jails/web")
        #expect(steps[5].command.hasPrefix("set -e\nmkdir -p /etc/jail.conf.d\nprintf '%s\\n' "))
        #expect(
            steps[5].command.hasSuffix(
                "> /etc/jail.conf.d/web.conf.tmp\nmv /etc/jail.conf.d/web.conf.tmp /etc/jail.conf.d/web.conf"
            ))
        #expect(steps[5].command.contains("'\tjid = 1;'"))
        #expect(steps[5].rollback?.command == "rm -f /etc/jail.conf.d/web.conf")
    }

    @Test("rendered jail.conf")
    func renderedConf() throws {
        let layout = try JailLayout(settings: settings, facts: Fixtures.zfsHostWithSkel())
        let expected = """
            # Written by minijail-fleet; it rewrites this file, so edit the host settings.
            web {
            \tjid = 3;
            \tpath = "/var/jails/web";
            \thost.hostname = "web";
            \tpersist;
            \tmount.nodevfs;
            \texec.prestart += "mount -t nullfs -o ro /var/jails/skel /var/jails/web";
            \texec.prestart += "mount -t devfs -o ruleset=4 devfs /var/jails/web/dev";
            \texec.prestart += "mount -t zfs zroot/var/jails/web /var/jails/web/private";
            \texec.start = "/bin/sh /etc/rc";
            \texec.stop = "/bin/sh /etc/rc.shutdown jail";
            \texec.poststop += "umount /var/jails/web/private";
            \texec.poststop += "umount /var/jails/web/dev";
            \texec.poststop += "umount /var/jails/web";
            }

            """
        #expect(JailConf.render(name: web, jid: 3, layout: layout) == expected)
    }

    @Test("create picks a jail id no jail uses or pins")
    func createJID() throws {
        var facts = Fixtures.zfsHostWithSkel()
        facts.runningJails = [RunningJail(jid: 1, name: "other", path: "/usr/jails/other")]
        facts.configFiles = [
            JailConfigFile(path: "/etc/jail.conf", content: "db {\n  jid = 2;\n}\nx { jid=3; }\n")
        ]
        let steps = Fixtures.steps(try plan(.jailCreate(web), facts))
        #expect(steps.last?.command.contains("'\tjid = 4;'") == true)
    }

    @Test("create without ZFS uses directories")
    func createUFS() throws {
        let steps = Fixtures.steps(try plan(.jailCreate(web), Fixtures.ufsHostWithSkel()))
        #expect(
            steps.map(\.name) == [
                "create-directories", "copy-template", "pwd_mkdb", "write-config",
            ])
        #expect(steps[0].command == "mkdir -p /var/jails/.private/web /var/jails/web")
        #expect(
            steps[2].command
                == "pwd_mkdb -d /var/jails/.private/web/etc /var/jails/.private/web/etc/master.passwd"
        )
        #expect(
            steps[3].command.contains(
                "'\texec.prestart += \"mount -t nullfs /var/jails/.private/web /var/jails/web/private\";'"
            ))
    }

    @Test("create of an identical jail is unchanged")
    func createUnchanged() throws {
        let result = try plan(.jailCreate(web), Fixtures.zfsHostWithWeb(jid: 5))
        #expect(result == .unchanged("jail web already exists as configured (jid 5)"))
    }

    @Test(
        "create errors",
        arguments: [
            ("skel", PlanError.reservedName("skel"))
        ])
    func createReserved(name: String, error: PlanError) {
        #expect(throws: error) {
            try plan(.jailCreate(Fixtures.name(name)), Fixtures.zfsHostWithSkel())
        }
    }

    @Test("create names every use of a taken name")
    func createNameInUse() throws {
        var facts = Fixtures.zfsHostWithSkel()
        facts.datasets.append(Fixtures.dataset("zroot/var/jails/web", "/var/jails/web"))
        facts.directories.append("web")
        facts.runningJails = [RunningJail(jid: 9, name: "web", path: "/usr/jails/web")]
        #expect(
            throws: PlanError.nameInUse(
                "web",
                usedBy: [
                    "dataset zroot/var/jails/web", "directory /var/jails/web", "running jail 9",
                ])
        ) { try plan(.jailCreate(web), facts) }
        var changed = try Fixtures.zfsHostWithWeb()
        changed.configFiles[0].content += "# edited\n"
        #expect(
            throws: PlanError.nameInUse(
                "web",
                usedBy: [
                    "dataset zroot/var/jails/web", "directory /var/jails/web",
                    "configuration file /etc/jail.conf.d/web.conf",
                ])
        ) { try plan(.jailCreate(web), changed) }
    }

    @Test("create needs a complete skel")
    func createNeedsSkel() {
        #expect(throws: PlanError.skelNotInstalled(path: "/var/jails/skel")) {
            try plan(.jailCreate(web), Fixtures.emptyZFSHost())
        }
        var partial = Fixtures.zfsHostWithSkel()
        partial.skelSnapshots = []
        partial.skelTemplateExists = false
        #expect(
            throws: PlanError.skelIncomplete(
                path: "/var/jails/skel",
                missing: ["template folder skel", "snapshot zroot/var/jails/skel@created"])
        ) { try plan(.jailCreate(web), partial) }
    }

    @Test("start")
    func start() throws {
        let steps = Fixtures.steps(try plan(.jailStart(web), Fixtures.zfsHostWithWeb()))
        #expect(steps.map(\.name) == ["start"])
        #expect(steps[0].command == "jail -f /etc/jail.conf.d/web.conf -c web && jls -j web jid")
    }

    @Test("start unmounts leftovers first")
    func startLeftovers() throws {
        var facts = try Fixtures.zfsHostWithWeb()
        facts.mounts += Fixtures.webMounts.prefix(2)
        let steps = Fixtures.steps(try plan(.jailStart(web), facts))
        #expect(steps.map(\.name) == ["unmount-leftovers", "start"])
        #expect(
            steps[0].command.hasPrefix(
                "left=$(mount -p | awk -v p=/var/jails/web '$2 == p || index($2, p \"/\") == 1 { print $2 }' | sort -r)"
            ))
    }

    @Test("start of a running jail is unchanged")
    func startRunning() throws {
        let result = try plan(.jailStart(web), Fixtures.running(Fixtures.zfsHostWithWeb(), jid: 4))
        #expect(result == .unchanged("jail web is already running (jid 4)"))
    }

    @Test("start without a configuration file")
    func startNotConfigured() {
        #expect(throws: PlanError.notConfigured("web", configFile: "/etc/jail.conf.d/web.conf")) {
            try plan(.jailStart(web), Fixtures.zfsHostWithSkel())
        }
    }

    @Test("stop")
    func stop() throws {
        let steps = Fixtures.steps(
            try plan(.jailStop(web), Fixtures.running(Fixtures.zfsHostWithWeb())))
        #expect(steps.map(\.name) == ["stop", "unmount-leftovers"])
        #expect(
            steps[0].command
                == "jail -f /etc/jail.conf.d/web.conf -r web || exit 1\n"
                + "if jls -j web jid >/dev/null 2>&1; then echo \"jail web is still running\" >&2; exit 1; fi"
        )
    }

    @Test("stop of a stopped jail")
    func stopStopped() throws {
        #expect(
            try plan(.jailStop(web), Fixtures.zfsHostWithWeb())
                == .unchanged("jail web is not running"))
        #expect(
            try plan(.jailStop(JailName("wbe")), Fixtures.zfsHostWithWeb())
                == .unchanged(
                    "jail wbe is not running, and no jail of that name is configured in "
                        + "/etc/jail.conf.d/wbe.conf"))
        var leftovers = try Fixtures.zfsHostWithWeb()
        leftovers.mounts += Fixtures.webMounts
        #expect(
            Fixtures.steps(try plan(.jailStop(web), leftovers)).map(\.name) == ["unmount-leftovers"]
        )
    }

    @Test("restart")
    func restart() throws {
        let running = Fixtures.steps(
            try plan(.jailRestart(web), Fixtures.running(Fixtures.zfsHostWithWeb())))
        #expect(running.map(\.name) == ["stop", "unmount-leftovers", "start"])
        let stopped = Fixtures.steps(try plan(.jailRestart(web), Fixtures.zfsHostWithWeb()))
        #expect(stopped.map(\.name) == ["start"])
    }

    @Test("delete")
    func delete() throws {
        let steps = Fixtures.steps(
            try plan(.jailDelete(web, stopFirst: false, confirmed: true), Fixtures.zfsHostWithWeb())
        )
        #expect(
            steps.map(\.name) == [
                "check-no-mounts", "destroy-dataset", "remove-mountpoint", "remove-config",
            ])
        #expect(!steps[0].changesHost)
        #expect(steps[1].command == "zfs destroy -r zroot/var/jails/web")
        #expect(steps[2].command == "if [ -d /var/jails/web ]; then rmdir /var/jails/web; fi")
        #expect(steps[3].command == "rm -f /etc/jail.conf.d/web.conf")
    }

    @Test("delete of a running jail with stop first")
    func deleteStopFirst() throws {
        let facts = Fixtures.running(try Fixtures.zfsHostWithWeb(), jid: 2)
        let steps = Fixtures.steps(
            try plan(.jailDelete(web, stopFirst: true, confirmed: true), facts))
        #expect(
            steps.map(\.name)
                == [
                    "stop", "unmount-leftovers", "check-no-mounts", "destroy-dataset",
                    "remove-mountpoint", "remove-config",
                ])
    }

    @Test("delete without ZFS")
    func deleteUFS() throws {
        var facts = Fixtures.ufsHostWithSkel()
        facts.directories.append("web")
        let steps = Fixtures.steps(
            try plan(.jailDelete(web, stopFirst: false, confirmed: true), facts))
        #expect(steps.map(\.name) == ["check-no-mounts", "remove-files", "remove-mountpoint"])
        #expect(
            steps[1].command
                == "if [ -e /var/jails/.private/web ]; then chflags -R noschg /var/jails/.private/web && rm -rf /var/jails/.private/web; fi"
        )
    }

    @Test("delete errors")
    func deleteErrors() throws {
        let facts = try Fixtures.zfsHostWithWeb()
        #expect(throws: PlanError.deleteNotConfirmed("web")) {
            try plan(.jailDelete(web, stopFirst: true, confirmed: false), facts)
        }
        #expect(throws: PlanError.jailRunning("web", jid: 3)) {
            try plan(
                .jailDelete(web, stopFirst: false, confirmed: true), Fixtures.running(facts, jid: 3)
            )
        }
        var leftovers = facts
        leftovers.mounts += Fixtures.webMounts.prefix(2)
        #expect(
            throws: PlanError.mountsRemain(
                "web", mountPoints: ["/var/jails/web/dev", "/var/jails/web"])
        ) { try plan(.jailDelete(web, stopFirst: true, confirmed: true), leftovers) }
        #expect(throws: PlanError.skelInUse(["web"])) {
            try plan(.jailDelete(Fixtures.name("skel"), stopFirst: false, confirmed: true), facts)
        }
    }

    @Test("delete of a missing jail is unchanged")
    func deleteMissing() throws {
        let result = try plan(
            .jailDelete(web, stopFirst: false, confirmed: true), Fixtures.zfsHostWithSkel())
        #expect(result == .unchanged("no jail named web on this host"))
    }

    @Test("delete of an unused skel")
    func deleteSkel() throws {
        let steps = Fixtures.steps(
            try plan(
                .jailDelete(Fixtures.name("skel"), stopFirst: false, confirmed: true),
                Fixtures.zfsHostWithSkel()))
        #expect(steps.map(\.name) == ["check-no-mounts", "destroy-dataset", "remove-mountpoint"])
        #expect(steps[1].command == "zfs destroy -r zroot/var/jails/skel")
    }

    @Test("jail exec and host exec quote every word")
    func exec() throws {
        let facts = Fixtures.running(try Fixtures.zfsHostWithWeb())
        let jail = Fixtures.steps(
            try plan(.jailExec(web, argv: ["sh", "-c", "echo $HOME; id"]), facts))
        #expect(jail.map(\.command) == ["jexec -l web sh -c 'echo $HOME; id'"])
        let host = Fixtures.steps(try plan(.hostExec(argv: ["uname", "-a"]), facts))
        #expect(host.map(\.command) == ["uname -a"])
        #expect(throws: PlanError.jailNotRunning("web")) {
            try plan(.jailExec(web, argv: ["id"]), Fixtures.zfsHostWithWeb())
        }
        #expect(throws: PlanError.emptyCommand) { try plan(.hostExec(argv: []), facts) }
        #expect(throws: PlanError.emptyCommand) { try plan(.jailExec(web, argv: []), facts) }
    }

    @Test("hostile run id rejected")
    func hostileRunID() throws {
        let facts = try Fixtures.zfsHostWithWeb()
        #expect(throws: PlanError.invalidRunID("x; reboot")) {
            try Planner.plan(.jailStart(web), facts: facts, settings: settings, runID: "x; reboot")
        }
    }

    @Test("missing jails root")
    func missingRoot() throws {
        var facts = Fixtures.emptyZFSHost()
        facts.rootExists = false
        #expect(throws: PlanError.rootMissing("/var/jails")) { try plan(.skelInstall, facts) }
    }
}
