import FleetCore

/// Where the skel and each jail live on one host: paths, datasets and config files.
public struct JailLayout: Sendable, Equatable {
    /// The jails root.
    public let root: String
    /// The skel's path.
    public let skelPath: String
    /// The dataset that holds the skel and jail datasets, nil when the root is not on ZFS.
    public let parentDataset: String?
    /// The jail.conf.d directory.
    public let configDirectory: String
    /// The skel's name.
    public let skelName: JailName

    /// Derives the layout from the settings and the host's facts.
    ///
    /// The parent dataset is `zfsDataset` when set. Otherwise it is the dataset mounted at the
    /// jails root, or the dataset that contains the root followed by the rest of the root's
    /// path (`zroot/data` + `/jails` when `/data/jails` is a directory in `zroot/data`).
    /// Otherwise, when that dataset is mounted at `/` (a boot environment, whose clones must
    /// not hold jails) or at `legacy` or `none`, it is the pool name followed by the root
    /// path, the rule of the original minijail script (`zroot` + `/var/jails`).
    public init(settings: HostSettings, facts: HostFacts) throws(PlanError) {
        root = settings.jailsRoot
        skelName = settings.skelName
        skelPath = RemotePath.join(settings.jailsRoot, settings.skelName.value)
        configDirectory = settings.jailConfDir
        guard facts.rootOnZFS, let containing = facts.rootDataset else {
            parentDataset = nil
            return
        }
        let derived: String
        if let override = settings.zfsDataset {
            derived = override
        } else if containing.mountPoint == root {
            derived = containing.name
        } else if containing.mountPoint != "/" && root.hasPrefix(containing.mountPoint + "/") {
            derived = containing.name + root.dropFirst(containing.mountPoint.count)
        } else {
            derived = String(containing.name.prefix { $0 != "/" }) + root
        }
        guard (try? HostSettings.checkDataset(derived)) != nil else {
            throw PlanError.invalidDatasetName(derived)
        }
        parentDataset = derived
    }

    /// True when jails are datasets; false when they are plain directories.
    public var usesZFS: Bool { parentDataset != nil }

    /// Returns the path where the jail runs; the skel is mounted there read-only.
    public func path(_ name: JailName) -> String { RemotePath.join(root, name.value) }

    /// Returns the dataset of `name`, nil without ZFS.
    public func dataset(_ name: JailName) -> String? { parentDataset.map { $0 + "/" + name.value } }

    /// Returns the directory with the jail's own files without ZFS, `<root>/.private/<name>`.
    /// The leading `.` keeps it apart from every valid jail name.
    public func privateDirectory(_ name: JailName) -> String {
        RemotePath.join(root, ".private", name.value)
    }

    /// Returns the jail's configuration file, `<jailConfDir>/<name>.conf`.
    public func configFile(_ name: JailName) -> String {
        RemotePath.join(configDirectory, name.value + ".conf")
    }

    /// The skel's dataset, nil without ZFS.
    public var skelDataset: String? { dataset(skelName) }

    /// The skel's template folder, `<skel>/skel`.
    public var templatePath: String { RemotePath.join(skelPath, "skel") }
}
