import FleetJails
import FleetReport

/// Turns one host's facts into its nightly report entry.
public enum ReportBuilder {
    /// Builds the report of `host` from `facts` gathered with `settings`.
    public static func report(host: String, facts: HostFacts, settings: HostSettings) -> HostReport
    {
        let root = settings.jailsRoot
        let skel = settings.skelName.value
        let running = Dictionary(
            facts.runningJails.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let rootDataset = facts.rootDataset?.name

        var jails: [JailReport] = []
        for name in jailNames(facts: facts, settings: settings) {
            let dataset = rootDataset.flatMap { facts.dataset(named: $0 + "/" + name) }
            jails.append(
                JailReport(
                    name: name, running: running[name] != nil, jid: running[name]?.jid,
                    usedBytes: dataset.flatMap { ByteCount.parse($0.used) }))
        }

        var leftovers: [String] = []
        for mount in facts.mounts(below: root) {
            let relative = mount.mountPoint.dropFirst(root.count + 1)
            guard let jail = relative.split(separator: "/").first.map(String.init),
                jail != skel, running[jail] == nil
            else { continue }
            // A stopped jail's own dataset mounted at its own path is not left over: that is
            // how jails without canmount=noauto look while stopped.
            if mount.type == "zfs" && String(relative) == jail { continue }
            leftovers.append(mount.mountPoint)
        }

        let skelBehind: Bool
        if let skelText = facts.skelVersion, let hostText = facts.userlandVersion,
            let skelVersion = try? FreeBSDVersion(skelText),
            let hostVersion = try? FreeBSDVersion(hostText)
        {
            skelBehind = skelVersion < hostVersion
        } else {
            skelBehind = false
        }

        return HostReport(
            host: host, hostVersion: facts.userlandVersion, kernelVersion: facts.release,
            skelVersion: facts.skelVersion, skelBehind: skelBehind, jails: jails,
            pool: pool(facts: facts), leftoverMounts: leftovers.sorted(),
            lastSkelSnapshot: facts.skelSnapshots.last?.name)
    }

    /// The jails under the root: every directory with a configuration file or a dataset,
    /// the skel and hidden folders excluded.
    static func jailNames(facts: HostFacts, settings: HostSettings) -> [String] {
        let skel = settings.skelName.value
        let configured = Set(
            facts.configFiles.compactMap { file -> String? in
                guard file.path.hasPrefix(settings.jailConfDir + "/"), file.path.hasSuffix(".conf")
                else { return nil }
                return String(file.path.dropFirst(settings.jailConfDir.count + 1).dropLast(5))
            })
        let datasets = Set(
            facts.datasets.compactMap { dataset -> String? in
                guard let parent = facts.rootDataset?.name,
                    dataset.name.hasPrefix(parent + "/")
                else { return nil }
                let child = dataset.name.dropFirst(parent.count + 1)
                return child.contains("/") || child.contains("@") ? nil : String(child)
            })
        return facts.directories.filter { name in
            name != skel && !name.hasPrefix(".")
                && (configured.contains(name) || datasets.contains(name))
        }.sorted()
    }

    private static func pool(facts: HostFacts) -> PoolReport? {
        guard let dataset = facts.rootDataset?.name else { return nil }
        let poolName = String(dataset.split(separator: "/").first ?? "")
        guard let pool = facts.pools.first(where: { $0.name == poolName }),
            let size = ByteCount.parse(pool.size), let free = ByteCount.parse(pool.free)
        else { return nil }
        return PoolReport(name: pool.name, sizeBytes: size, freeBytes: free, health: pool.health)
    }
}
