import FleetJails
import Foundation
import Testing

/// Runs the probe script under dash with small stand-ins for the FreeBSD commands, so the
/// script's own logic (section markers, the skel dataset lookup, skips) is exercised.
@Suite("Facts probe script under dash")
struct FactsProbeRunTests {
    func write(_ path: String, _ text: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    func makeHost(zfs: Bool) throws -> (TemporaryDirectory, HostSettings, [String: String]) {
        let directory = try TemporaryDirectory()
        let root = directory.path + "/jails"
        let bin = directory.path + "/bin"
        let fm = FileManager.default
        for path in [
            bin, root + "/skel/bin", root + "/skel/skel", root + "/web", directory.path + "/conf",
        ] {
            try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        try write(root + "/skel/bin/freebsd-version", "#!/bin/sh\necho 14.1-RELEASE-p5\n")
        try write(directory.path + "/conf/web.conf", "web {\n\tjid = 4;\n}")
        try write(
            bin + "/freebsd-version", "#!/bin/sh\nprintf '14.1-RELEASE-p5\\n14.1-RELEASE-p6\\n'\n")
        try write(bin + "/uname", "#!/bin/sh\necho 14.1-RELEASE-p5 amd64 amd64\n")
        let type = zfs ? "zfs" : "ufs"
        try write(
            bin + "/df",
            "#!/bin/sh\necho 'Filesystem Type 512-blocks Used Avail Capacity Mounted on'\n"
                + "echo \"zroot/jails \(type) 100 1 99 1% $2\"\n")
        try write(
            bin + "/zfs",
            """
            #!/bin/sh
            echo "$*" >> \(directory.path)/zfs.log
            case "$*" in
            "list -Hp -o name,used,avail,mountpoint \(root)")
              printf 'zroot/jails\\t1073741824\\t9663676416\\t\(root)\\n' ;;
            "list -Hp -o name,used,avail,mountpoint -r -t filesystem zroot")
              printf 'zroot\\t2147483648\\t9663676416\\t/zroot\\n'
              printf 'zroot/jails\\t1073741824\\t9663676416\\t\(root)\\n'
              printf 'zroot/jails/skel\\t1073741824\\t9663676416\\t\(root)/skel\\n' ;;
            "list -Hp -t snapshot -o name,used,avail,mountpoint zroot/jails/skel")
              printf 'zroot/jails/skel@created\\t98304\\t-\\t-\\n' ;;
            *) echo "zfs: unexpected $*" >&2; exit 2 ;;
            esac
            """)
        try write(
            bin + "/zpool",
            "#!/bin/sh\n[ \"$1 $2\" = 'list -Hp' ] || exit 2\n"
                + "printf 'zroot\\t511101108224\\t13207024435\\t497894083789\\t2\\tONLINE\\n'\n")
        try write(
            bin + "/jls",
            "#!/bin/sh\nif [ \"$2\" = name ]; then echo '4 web'; else echo '4 \(root)/web'; fi\n")
        try write(
            bin + "/mount",
            "#!/bin/sh\nprintf '\(root)/skel\\t\(root)/web\\tnullfs\\tro\\t\\t0 0\\n'\n")
        let settings = try HostSettings(
            jailsRoot: root, jailConfDir: directory.path + "/conf",
            stateDir: directory.path + "/state")
        let environment = ["PATH": bin + ":/usr/bin:/bin", "TMPDIR": directory.path]
        return (directory, settings, environment)
    }

    @Test("ZFS host")
    func zfsHost() throws {
        let (directory, settings, environment) = try makeHost(zfs: true)
        let result = try Shell.run(FactsProbe.script(settings: settings), environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let facts = try FactsProbe.parse(result.stdout)
        let root = settings.jailsRoot
        #expect(facts.release == "14.1-RELEASE-p5")
        #expect(facts.userlandVersion == "14.1-RELEASE-p6")
        #expect(facts.rootOnZFS)
        #expect(facts.rootDataset?.name == "zroot/jails")
        #expect(facts.datasets.map(\.name) == ["zroot", "zroot/jails", "zroot/jails/skel"])
        #expect(facts.skelSnapshots.map(\.name) == ["zroot/jails/skel@created"])
        #expect(facts.pools.first?.health == "ONLINE")
        #expect(facts.pools.first?.free == "497894083789")
        #expect(facts.pools.first?.capacityPercent == 2)
        #expect(facts.dataset(named: "zroot/jails/skel")?.used == "1073741824")
        #expect(facts.skelVersion == "14.1-RELEASE-p5")
        #expect(facts.skelTemplateExists)
        #expect(facts.directories == ["skel", "web"])
        #expect(facts.runningJails == [RunningJail(jid: 4, name: "web", path: root + "/web")])
        #expect(facts.mounts(below: root + "/web").map(\.type) == ["nullfs"])
        #expect(facts.configFiles.first?.path == directory.path + "/conf/web.conf")
        #expect(facts.configFiles.first?.pinnedJIDs == [4])
        #expect(facts.lock == .absent)
        #expect(facts.skelUpdateState == .idle)
        #expect(facts.clock != nil)
    }

    @Test("UFS host skips ZFS and reads lock and update state")
    func ufsHost() throws {
        let (directory, settings, environment) = try makeHost(zfs: false)
        let fm = FileManager.default
        try fm.createDirectory(
            atPath: directory.path + "/state/lock", withIntermediateDirectories: true)
        try write(
            directory.path + "/state/lock/owner", "run=r1\ncontroller=ops1\npid=7\nstarted=5\n")
        let staged = directory.path + "/state/freebsd-update/skel/abc-install"
        try fm.createDirectory(atPath: staged, withIntermediateDirectories: true)
        try write(staged + "/kerneldone", "")
        let result = try Shell.run(FactsProbe.script(settings: settings), environment: environment)
        let facts = try FactsProbe.parse(result.stdout)
        #expect(!facts.rootOnZFS)
        #expect(facts.datasets.isEmpty)
        #expect(!fm.fileExists(atPath: directory.path + "/zfs.log"))
        #expect(
            facts.lock == .held(LockRecord(runID: "r1", controller: "ops1", pid: 7, started: 5)))
        #expect(facts.skelUpdateState == .partiallyInstalled)
    }

    @Test("missing command is a failure, not empty output")
    func missingCommand() throws {
        let (_, settings, _) = try makeHost(zfs: false)
        // Without the stand-ins on the PATH, this Linux machine has no jls.
        let environment = ["PATH": "/usr/bin:/bin"]
        let result = try Shell.run(FactsProbe.script(settings: settings), environment: environment)
        #expect(result.stdout.contains("@@mjf end jls-names 127\n"))
        do {
            _ = try FactsProbe.parse(result.stdout)
            Issue.record("parse accepted output with a missing jls")
        } catch {
            guard case .probeFailed(let section, let status, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(section == "jls-names")
            #expect(status == 127)
        }
    }
}
