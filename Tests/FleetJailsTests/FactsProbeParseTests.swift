import FleetJails
import Testing

@Suite("Facts probe parsing")
struct FactsProbeParseTests {
    @Test("ZFS host in real formats")
    func zfsHost() throws {
        let facts = try FactsProbe.parse(ProbeOutputBuilder.zfsHost().output)
        #expect(facts.kernelVersion == "14.1-RELEASE-p5")
        #expect(facts.userlandVersion == "14.1-RELEASE-p6")
        #expect(facts.release == "14.1-RELEASE-p5")
        #expect(facts.machine == "amd64")
        #expect(facts.processor == "amd64")
        #expect(facts.clock == 1_764_870_000)
        #expect(facts.rootFilesystem == "zfs")
        #expect(facts.rootOnZFS)
        #expect(
            facts.rootDataset
                == Dataset(
                    name: "zroot/var/jails", used: "1.21G", available: "451G",
                    mountPoint: "/var/jails"))
        #expect(facts.datasets.count == 5)
        #expect(facts.datasets[4].name == "zroot/var/jails/web")
        #expect(facts.directories == ["skel", "web"])
        #expect(facts.skelVersion == "14.1-RELEASE-p5")
        #expect(facts.skelTemplateExists)
        #expect(facts.skelSnapshots.map(\.name) == ["zroot/var/jails/skel@created"])
        #expect(facts.skelSnapshots.first?.available == "-")
        #expect(
            facts.pools
                == [
                    Pool(
                        name: "zroot", size: "476G", allocated: "12.3G", free: "464G",
                        capacityPercent: 2, health: "ONLINE")
                ])
        #expect(facts.runningJails.isEmpty)
        #expect(facts.mounts.count == 3)
        #expect(
            facts.mounts[2]
                == MountEntry(
                    device: "zroot/var/jails", mountPoint: "/var/jails", type: "zfs",
                    options: "rw,nfsv4acls"))
        #expect(facts.configFiles.map(\.path) == ["/etc/jail.conf.d/web.conf"])
        #expect(facts.configFiles.first?.pinnedJIDs == [1])
        #expect(facts.lock == .absent)
        #expect(facts.skelUpdateState == .idle)
    }

    @Test("running jails joined by jid")
    func runningJails() throws {
        var builder = ProbeOutputBuilder.zfsHost()
        builder.ran("jls-names", stdout: "1 web\n7 db\n")
        builder.ran("jls-paths", stdout: "1 /var/jails/web\n7 /var/jails/my db\n")
        let facts = try FactsProbe.parse(builder.output)
        #expect(
            facts.runningJails
                == [
                    RunningJail(jid: 1, name: "web", path: "/var/jails/web"),
                    RunningJail(jid: 7, name: "db", path: "/var/jails/my db"),
                ])
    }

    @Test("UFS host skips the ZFS sections")
    func ufsHost() throws {
        var builder = ProbeOutputBuilder()
        builder.ran(
            "freebsd-version", status: 1, stderr: "freebsd-version: unable to locate kernel\n")
        builder.ran("uname", stdout: "13.3-RELEASE arm64 aarch64\n")
        builder.ran("clock", stdout: "1764870000\n")
        builder.ran(
            "df",
            stdout: "Filesystem 512-blocks Used Avail Capacity Mounted on\n"
                + "/dev/ada0p2 ufs 40000 100 39900 0% /\n")
        builder.ran("directories")
        for name in ["root-dataset", "datasets", "skel-snapshots", "zpool"] {
            builder.skip(name, "not-zfs")
        }
        builder.skip("skel-version", "absent")
        builder.ran("skel-template", status: 1)
        builder.ran("jls-names")
        builder.ran("jls-paths")
        builder.ran("mounts", stdout: "/dev/ada0p2\t\t/\t\t\tufs\trw\t\t1 1\n")
        builder.configFiles([])
        builder.ran("lock", stdout: "run=r1\ncontroller=ops1\npid=4242\nstarted=1764869000\n")
        builder.ran("update-state", stdout: "partial\n")
        let facts = try FactsProbe.parse(builder.output)
        #expect(facts.kernelVersion == nil)
        #expect(facts.processor == "aarch64")
        #expect(facts.rootFilesystem == "ufs")
        #expect(!facts.rootOnZFS)
        #expect(facts.rootDataset == nil)
        #expect(facts.datasets.isEmpty)
        #expect(facts.skelVersion == nil)
        #expect(!facts.skelTemplateExists)
        #expect(
            facts.lock
                == .held(
                    LockRecord(runID: "r1", controller: "ops1", pid: 4242, started: 1_764_869_000)))
        #expect(facts.skelUpdateState == .partiallyInstalled)
    }

    @Test("missing root")
    func missingRoot() throws {
        var builder = ProbeOutputBuilder.zfsHost()
        builder.skip("df", "missing-root")
        let facts = try FactsProbe.parse(builder.output)
        #expect(!facts.rootExists)
    }

    @Test("failed jls is an error, not an empty list")
    func failedJls() {
        var builder = ProbeOutputBuilder.zfsHost()
        builder.ran("jls-names", status: 127, stderr: "sh: jls: not found\n")
        #expect(
            throws: FactsError.probeFailed(
                section: "jls-names", status: 127, stderr: ["sh: jls: not found"])
        ) { try FactsProbe.parse(builder.output) }
        let message = FactsError.probeFailed(
            section: "jls-names", status: 127, stderr: ["sh: jls: not found"]
        ).description
        #expect(
            message == "facts probe jls-names failed with exit status 127 (command not found): "
                + "sh: jls: not found")
    }

    @Test("failed zfs list is an error")
    func failedZfs() {
        var builder = ProbeOutputBuilder.zfsHost()
        builder.ran("datasets", status: 1, stderr: "cannot open 'zroot': dataset does not exist\n")
        #expect(
            throws: FactsError.probeFailed(
                section: "datasets", status: 1,
                stderr: ["cannot open 'zroot': dataset does not exist"])
        ) { try FactsProbe.parse(builder.output) }
    }

    @Test("unreadable lock")
    func unreadableLock() throws {
        var builder = ProbeOutputBuilder.zfsHost()
        builder.ran(
            "lock", status: 1,
            stderr: "cat: /var/db/minijail-fleet/lock/owner: No such file or directory\n")
        let facts = try FactsProbe.parse(builder.output)
        #expect(
            facts.lock
                == .unreadable("cat: /var/db/minijail-fleet/lock/owner: No such file or directory"))
    }

    @Test(
        "malformed output rejected",
        arguments: [
            ("", FactsError.notProbeOutput(firstLine: "")),
            ("hello\n", .notProbeOutput(firstLine: "hello")),
            ("@@mjf probe 1\n@@mjf begin uname\n|x\n", .truncated),
            ("@@mjf probe 1\n|x\n@@mjf done\n", .badLine(number: 2, text: "|x")),
            ("@@mjf probe 1\nstray\n@@mjf done\n", .badLine(number: 2, text: "stray")),
            ("@@mjf probe 1\n@@mjf begin uname\n@@mjf done\n", .unterminatedSection("uname")),
            ("@@mjf probe 1\n@@mjf done\n", .missingSection("uname")),
        ])
    func malformed(output: String, error: FactsError) {
        #expect(throws: error) { try FactsProbe.parse(output) }
    }

    @Test(
        "bad command formats rejected",
        arguments: [
            ("uname", "14.1-RELEASE amd64\n", "one line: release machine processor"),
            ("datasets", "zroot 1G 2G /zroot\n", "name, used, avail, mountpoint"),
            (
                "zpool", "zroot\t476G\t12.3G\t464G\tx%\tONLINE\n",
                "name, size, alloc, free, cap, health"
            ),
            ("mounts", "devfs /dev devfs\n", "device, mountpoint, type, options, dump pass"),
            ("jls-names", "web 1\n", "a jail id and a value"),
        ])
    func badFormat(section: String, stdout: String, expected: String) {
        var builder = ProbeOutputBuilder.zfsHost()
        builder.ran(section, stdout: stdout)
        var line = stdout
        line.removeLast()
        #expect(throws: FactsError.badFormat(section: section, line: line, expected: expected)) {
            try FactsProbe.parse(builder.output)
        }
    }
}
