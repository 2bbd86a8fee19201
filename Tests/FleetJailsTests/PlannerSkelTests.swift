import FleetJails
import Testing

@Suite("Planner: skel install and upgrade")
struct PlannerSkelTests {
    func plan(_ op: Operation, _ facts: HostFacts, _ settings: HostSettings = Fixtures.settings())
        throws -> Plan
    {
        try Planner.plan(op, facts: facts, settings: settings, runID: "run1")
    }

    static let update =
        "env PAGER=cat UNAME_r=14.1-RELEASE-p5 freebsd-update --not-running-from-cron"
        + " -b /var/jails/skel -d /var/db/minijail-fleet/freebsd-update/skel"
        + " -f /var/db/minijail-fleet/freebsd-update/skel.conf"

    @Test("install from binaries on ZFS")
    func installBinaries() throws {
        let steps = Fixtures.steps(try plan(.skelInstall, Fixtures.emptyZFSHost()))
        #expect(
            steps.map(\.name)
                == [
                    "fetch-manifest", "fetch-base", "create-skel-dataset", "extract-base",
                    "skel-finish", "snapshot-created", "read-skel-version",
                ])
        let cache = "/var/db/minijail-fleet/releases/amd64/amd64/14.1-RELEASE"
        #expect(
            steps[0].command
                == "mkdir -p \(cache)\nfetch -q -o \(cache)/MANIFEST "
                + "http://127.0.0.1:8080/releases/amd64/amd64/14.1-RELEASE/MANIFEST")
        #expect(steps[1].command.contains("[ \"$(sha256 -q \(cache)/base.txz)\" = \"$want\" ]"))
        #expect(
            steps[1].command.contains(
                "fetch -q -o \(cache)/base.txz.part http://127.0.0.1:8080/releases/amd64/amd64/14.1-RELEASE/base.txz"
            ))
        #expect(steps[1].command.contains("base.txz checksum mismatch"))
        #expect(
            steps[2].command == "zfs create -o mountpoint=/var/jails/skel zroot/var/jails/skel")
        #expect(steps[2].rollback?.command == "zfs destroy -r zroot/var/jails/skel")
        #expect(steps[3].command == "tar -xJf \(cache)/base.txz -C /var/jails/skel")
        #expect(
            steps[4].command.contains(
                "for p in etc/passwd etc/master.passwd etc/group etc/hosts etc/login.conf etc/motd; do"
            ))
        #expect(steps[4].command.contains("  ln -s \"/private/$p\" \"$s/$p\""))
        #expect(steps[4].command.contains("mkdir -p \"$s/private\""))
        #expect(steps[5].command == "zfs snapshot zroot/var/jails/skel@created")
        #expect(steps[6].command == "/var/jails/skel/bin/freebsd-version -u")
        #expect(steps[6].outputCheck == .reportsVersion)
        #expect(!steps[6].changesHost)
    }

    @Test("install creates a missing parent dataset")
    func installParent() throws {
        var facts = Fixtures.emptyZFSHost()
        facts.rootDataset = Fixtures.dataset("zroot/var", "/var")
        facts.datasets.removeLast()
        let steps = Fixtures.steps(try plan(.skelInstall, facts))
        #expect(steps[2].command == "zfs create -p zroot/var/jails")
        #expect(steps[3].command == "zfs create -o mountpoint=/var/jails/skel zroot/var/jails/skel")
    }

    @Test("install uses unameR for the release")
    func installUnameR() throws {
        let settings = Fixtures.settings(unameR: "14.2-RELEASE")
        let steps = Fixtures.steps(try plan(.skelInstall, Fixtures.emptyZFSHost(), settings))
        #expect(steps[0].command.hasSuffix("/releases/amd64/amd64/14.2-RELEASE/MANIFEST"))
    }

    @Test("install from sources")
    func installSources() throws {
        let steps = Fixtures.steps(
            try plan(.skelInstall, Fixtures.emptyZFSHost(), Fixtures.settings(source: .sources)))
        #expect(
            steps.map(\.name)
                == [
                    "create-skel-dataset", "installworld", "distribution", "etcupdate-extract",
                    "skel-finish", "snapshot-created", "read-skel-version",
                ])
        #expect(steps[1].command == "make -C /usr/src installworld DESTDIR=/var/jails/skel")
        #expect(steps[2].command == "make -C /usr/src distribution DESTDIR=/var/jails/skel")
        #expect(
            steps[3].command
                == "mkdir -p /var/db/minijail-fleet/etcupdate/skel && etcupdate extract"
                + " -d /var/db/minijail-fleet/etcupdate/skel -s /usr/src -D /var/jails/skel")
    }

    @Test("install errors")
    func installErrors() throws {
        var stable = Fixtures.emptyZFSHost()
        stable.release = "14.2-STABLE"
        #expect(throws: PlanError.unsupportedVersion("14.2-STABLE", role: "release to install")) {
            try plan(.skelInstall, stable)
        }
        #expect(throws: PlanError.mirrorNotSet) {
            try plan(.skelInstall, Fixtures.emptyZFSHost(), Fixtures.settings(mirror: nil))
        }
        var partial = Fixtures.zfsHostWithSkel()
        partial.skelVersion = nil
        #expect(
            throws: PlanError.skelIncomplete(
                path: "/var/jails/skel", missing: ["bin/freebsd-version"])
        ) { try plan(.skelInstall, partial) }
    }

    @Test("install of an installed skel is unchanged")
    func installUnchanged() throws {
        #expect(
            try plan(.skelInstall, Fixtures.zfsHostWithSkel())
                == .unchanged("skel /var/jails/skel is already installed (14.1-RELEASE-p5)"))
    }

    @Test("upgrade to the latest patch level")
    func upgradePatch() throws {
        let steps = Fixtures.steps(
            try plan(.skelUpgrade(targetRelease: nil), Fixtures.zfsHostWithSkel()))
        #expect(
            steps.map(\.name)
                == [
                    "write-update-config", "fetch", "snapshot-before-install", "install",
                    "read-skel-version",
                ])
        #expect(
            steps[0].command.contains(
                "grep -v -E '^[[:space:]]*(Components|BackupKernel)([[:space:]]|$)' /etc/freebsd-update.conf"
            ))
        #expect(steps[0].command.contains("printf '%s\\n' 'Components world' 'BackupKernel no'"))
        #expect(
            steps[0].command.contains("'IgnorePaths /var' 'IgnorePaths /mnt' 'IgnorePaths /root'"))
        #expect(steps[0].command.contains("'IgnorePaths /etc/master.passwd'"))
        #expect(steps[0].command.split(separator: "'IgnorePaths /root'").count == 2)
        #expect(steps[1].command == Self.update + " fetch </dev/null")
        #expect(steps[1].outputCheck == .freebsdUpdate)
        #expect(steps[2].command == "zfs snapshot zroot/var/jails/skel@upgrade-run1")
        #expect(steps[3].command.contains("out=$(\(Self.update) install </dev/null 2>&1)"))
        #expect(
            steps[2].rollback?.command
                == "zfs rollback -r zroot/var/jails/skel@upgrade-run1 && rm -f "
                + "/var/db/minijail-fleet/freebsd-update/skel/*-install")
        #expect(steps[3].rollback == nil)
    }

    @Test("upgrade to a target release")
    func upgradeTarget() throws {
        let steps = Fixtures.steps(
            try plan(.skelUpgrade(targetRelease: "14.2"), Fixtures.zfsHostWithSkel()))
        #expect(steps[1].name == "upgrade")
        #expect(steps[1].command == Self.update + " -r 14.2-RELEASE upgrade </dev/null")
    }

    @Test("upgrade without ZFS rolls back with freebsd-update")
    func upgradeUFS() throws {
        let steps = Fixtures.steps(
            try plan(.skelUpgrade(targetRelease: nil), Fixtures.ufsHostWithSkel()))
        #expect(
            steps.map(\.name) == ["write-update-config", "fetch", "install", "read-skel-version"])
        #expect(steps[2].rollback?.command.hasSuffix(" rollback") == true)
        #expect(steps[2].rollback?.command.contains("UNAME_r=13.3-RELEASE-p2") == true)
    }

    @Test("upgrade from sources")
    func upgradeSources() throws {
        let steps = Fixtures.steps(
            try plan(
                .skelUpgrade(targetRelease: nil), Fixtures.zfsHostWithSkel(),
                Fixtures.settings(source: .sources)))
        #expect(
            steps.map(\.name) == [
                "snapshot-before-install", "mount-scratch-private", "installworld", "etcupdate",
                "unmount-scratch-private", "read-skel-version",
            ])
        #expect(steps[1].command.hasPrefix("if [ -e /private ]; then"))
        #expect(steps[1].rollback?.command == "umount /private && rmdir /private")
        #expect(steps[2].rollback?.command == "zfs rollback -r zroot/var/jails/skel@upgrade-run1")
        #expect(
            steps[3].command
                == "mkdir -p /var/db/minijail-fleet/etcupdate/skel && etcupdate -d /var/db/minijail-fleet/etcupdate/skel -D /var/jails/skel"
        )
    }

    @Test(
        "upgrade refused before freebsd-update runs",
        arguments: [
            ("14.2-STABLE", nil, PlanError.unsupportedVersion("14.2-STABLE", role: "skel version")),
            ("15.0-CURRENT", nil, .unsupportedVersion("15.0-CURRENT", role: "skel version")),
            (
                "14.1-RELEASE-p5", "14.3-STABLE",
                .unsupportedVersion("14.3-STABLE", role: "target release")
            ),
            (
                "14.1-RELEASE-p5", "13.4",
                .targetNotNewer(current: "14.1-RELEASE-p5", target: "13.4-RELEASE")
            ),
            (
                "14.1-RELEASE-p5", "14.2-RELEASE; reboot",
                .invalidVersion("14.2-RELEASE; reboot", role: "target release")
            ),
            ("14.1-RELEASE-p5", "", .invalidVersion("", role: "target release")),
            ("banana", nil, .invalidVersion("banana", role: "skel version")),
        ] as [(String, String?, PlanError)])
    func upgradeRefused(version: String, target: String?, error: PlanError) {
        #expect(throws: error) {
            try plan(
                .skelUpgrade(targetRelease: target), Fixtures.zfsHostWithSkel(version: version))
        }
    }

    @Test(
        "error messages name inventory variables",
        arguments: [
            (
                PlanError.invalidVersion("14.2-RELEASE; reboot", role: "target release"),
                "target release \"14.2-RELEASE; reboot\" is not a FreeBSD version; write a "
                    + "release such as 14.2-RELEASE"
            ),
            (
                .unsupportedVersion("14.2-STABLE", role: "target release"),
                "target release 14.2-STABLE is not a release: STABLE, CURRENT and PRERELEASE "
                    + "have no release sets or binary updates; use the sources install source"
            ),
            (
                .rootMissing("/var/jails"),
                "jails root /var/jails does not exist; create it or set jails_root"
            ),
            (
                .invalidDatasetName("zroot/a b"),
                "derived dataset name \"zroot/a b\" is invalid; set zfs_dataset"
            ),
            (
                .mirrorNotSet,
                "skel install from binaries needs release_mirror, the URL of a FreeBSD releases "
                    + "directory; set it in the inventory"
            ),
        ])
    func errorMessage(error: PlanError, expected: String) {
        #expect(error.description == expected)
    }

    @Test("upgrade to the current release is unchanged")
    func upgradeSameRelease() throws {
        #expect(
            try plan(.skelUpgrade(targetRelease: "14.1-RELEASE"), Fixtures.zfsHostWithSkel())
                == .unchanged("skel already runs 14.1-RELEASE-p5 of 14.1-RELEASE"))
    }

    @Test("partially installed upgrade offers resume or rollback")
    func upgradePartial() throws {
        var facts = Fixtures.zfsHostWithSkel()
        facts.skelUpdateState = .partiallyInstalled
        facts.skelSnapshots.append(Fixtures.snapshot("zroot/var/jails/skel@upgrade-run0"))
        let error = PlanError.upgradePartiallyInstalled(
            skel: "/var/jails/skel", resume: Self.update + " install",
            rollback: "zfs rollback -r zroot/var/jails/skel@upgrade-run0")
        #expect(throws: error) { try plan(.skelUpgrade(targetRelease: nil), facts) }
        #expect(
            error.description.hasPrefix(
                "skel /var/jails/skel has a partially completed upgrade pending; resume it with: env PAGER=cat"
            ))
        #expect(
            error.description.hasSuffix(
                " or roll back with: zfs rollback -r zroot/var/jails/skel@upgrade-run0"))
    }

    @Test("dataset derivation from the jails root")
    func datasetDerivation() throws {
        var facts = Fixtures.emptyZFSHost()
        facts.rootDataset = Fixtures.dataset("zroot/var", "/var")
        #expect(
            try JailLayout(settings: Fixtures.settings(), facts: facts).parentDataset
                == "zroot/var/jails")
        facts.rootDataset = Fixtures.dataset("zroot/ROOT/default", "/")
        #expect(
            try JailLayout(settings: Fixtures.settings(), facts: facts).parentDataset
                == "zroot/var/jails")
        facts.rootDataset = Fixtures.dataset("tank/data", "/data")
        let data = try HostSettings(jailsRoot: "/data/jails")
        #expect(try JailLayout(settings: data, facts: facts).parentDataset == "tank/data/jails")
        facts.rootDataset = Fixtures.dataset("tank/x", "legacy")
        #expect(
            try JailLayout(settings: Fixtures.settings(), facts: facts).parentDataset
                == "tank/var/jails")
        let override = try HostSettings(zfsDataset: "tank/jails")
        #expect(try JailLayout(settings: override, facts: facts).parentDataset == "tank/jails")
    }
}
