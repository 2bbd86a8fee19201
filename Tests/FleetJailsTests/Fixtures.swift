import FleetJails

/// Host facts and settings shared by the planner tests.
enum Fixtures {
    static let root = "/var/jails"

    static func name(_ text: String) -> JailName {
        // Test names are literals that follow the rule.
        try! JailName(text)
    }

    static func settings(
        source: InstallSource = .binaries, mirror: String? = "http://127.0.0.1:8080/releases",
        unameR: String? = nil
    ) -> HostSettings {
        // The values are literals that pass the checks.
        try! HostSettings(installSource: source, releaseMirror: mirror, unameR: unameR)
    }

    static func dataset(_ name: String, _ mountPoint: String) -> Dataset {
        Dataset(name: name, used: "96K", available: "451G", mountPoint: mountPoint)
    }

    static func snapshot(_ name: String) -> Dataset {
        Dataset(name: name, used: "0B", available: "-", mountPoint: "-")
    }

    /// A ZFS host whose jails root is the dataset zroot/var/jails, with no skel yet.
    static func emptyZFSHost() -> HostFacts {
        HostFacts(
            kernelVersion: "14.1-RELEASE-p5", userlandVersion: "14.1-RELEASE-p5",
            release: "14.1-RELEASE-p5", machine: "amd64", processor: "amd64",
            rootFilesystem: "zfs", rootDataset: dataset("zroot/var/jails", root),
            datasets: [
                dataset("zroot", "/zroot"), dataset("zroot/var", "/var"),
                dataset("zroot/var/jails", root),
            ],
            mounts: [
                MountEntry(device: "zroot/var/jails", mountPoint: root, type: "zfs", options: "rw")
            ],
            pools: [
                Pool(
                    name: "zroot", size: "476G", allocated: "12.3G", free: "464G",
                    capacityPercent: 2, health: "ONLINE")
            ],
            clock: 1_764_870_000)
    }

    /// The ZFS host with an installed skel.
    static func zfsHostWithSkel(version: String = "14.1-RELEASE-p5") -> HostFacts {
        var facts = emptyZFSHost()
        facts.datasets.append(dataset("zroot/var/jails/skel", root + "/skel"))
        facts.directories = ["skel"]
        facts.skelVersion = version
        facts.skelTemplateExists = true
        facts.skelSnapshots = [snapshot("zroot/var/jails/skel@created")]
        return facts
    }

    /// The ZFS host with the skel and the stopped jail `web` as created by the planner.
    static func zfsHostWithWeb(jid: Int = 1) throws -> HostFacts {
        var facts = zfsHostWithSkel()
        facts.datasets.append(dataset("zroot/var/jails/web", root + "/web"))
        facts.directories.append("web")
        let layout = try JailLayout(settings: settings(), facts: facts)
        facts.configFiles = [
            JailConfigFile(
                path: "/etc/jail.conf.d/web.conf",
                content: JailConf.render(name: name("web"), jid: jid, layout: layout))
        ]
        return facts
    }

    /// Marks `web` running with its three mounts.
    static func running(_ facts: HostFacts, jid: Int = 1) -> HostFacts {
        var facts = facts
        facts.runningJails = [RunningJail(jid: jid, name: "web", path: root + "/web")]
        facts.mounts += webMounts
        return facts
    }

    static let webMounts = [
        MountEntry(
            device: root + "/skel", mountPoint: root + "/web", type: "nullfs", options: "ro"),
        MountEntry(device: "devfs", mountPoint: root + "/web/dev", type: "devfs", options: "rw"),
        MountEntry(
            device: "zroot/var/jails/web", mountPoint: root + "/web/private", type: "zfs",
            options: "rw"),
    ]

    /// A UFS host with an installed skel directory.
    static func ufsHostWithSkel() -> HostFacts {
        HostFacts(
            release: "13.3-RELEASE-p2", machine: "arm64", processor: "aarch64",
            rootFilesystem: "ufs", skelVersion: "13.3-RELEASE-p2", skelTemplateExists: true,
            directories: ["skel"])
    }

    static func steps(_ plan: Plan) -> [Step] {
        switch plan {
        case .steps(let steps): return steps
        case .unchanged: return []
        }
    }
}
