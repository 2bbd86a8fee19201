/// The facts one probe gathered on a host, the only input the planner reads about it.
public struct HostFacts: Sendable, Equatable {
    /// The installed kernel's version from `freebsd-version -k`, nil when it failed.
    public var kernelVersion: String?
    /// The host userland's version from `freebsd-version -u`, nil when it failed.
    public var userlandVersion: String?
    /// The running kernel's release from `uname -r`, such as `14.1-RELEASE-p5`.
    public var release: String
    /// The machine from `uname -m`, such as `amd64` or `arm64`.
    public var machine: String
    /// The processor architecture from `uname -p`, such as `amd64` or `aarch64`.
    public var processor: String
    /// True when the jails root directory exists.
    public var rootExists: Bool
    /// The file system type of the jails root from `df -T`, such as `zfs` or `ufs`.
    public var rootFilesystem: String?
    /// The dataset that contains the jails root, when the root is on ZFS.
    public var rootDataset: Dataset?
    /// The file systems of the pool (or of the configured dataset), in `zfs list` order.
    public var datasets: [Dataset]
    /// The skel's userland version from `<root>/<skel>/bin/freebsd-version -u`.
    public var skelVersion: String?
    /// True when the skel's template folder `<root>/<skel>/skel` exists.
    public var skelTemplateExists: Bool
    /// The snapshots of the skel dataset.
    public var skelSnapshots: [Dataset]
    /// The names of the directories directly under the jails root.
    public var directories: [String]
    /// The jails running on the host, from `jls`.
    public var runningJails: [RunningJail]
    /// The jail configuration files read: every `<jailConfDir>/*.conf` and `/etc/jail.conf`.
    public var configFiles: [JailConfigFile]
    /// Every mount on the host, from `mount -p`.
    public var mounts: [MountEntry]
    /// Every pool, from `zpool list`.
    public var pools: [Pool]
    /// The lock's owner record, when a lock directory exists.
    public var lock: LockState
    /// The freebsd-update state of the skel in its own work directory.
    public var skelUpdateState: UpdateState
    /// The host's clock, in seconds since the epoch, from `date -u +%s`.
    public var clock: Int?

    /// Creates facts; every field but the release and machine defaults to empty.
    public init(
        kernelVersion: String? = nil, userlandVersion: String? = nil, release: String,
        machine: String, processor: String, rootExists: Bool = true,
        rootFilesystem: String? = nil, rootDataset: Dataset? = nil, datasets: [Dataset] = [],
        skelVersion: String? = nil, skelTemplateExists: Bool = false,
        skelSnapshots: [Dataset] = [], directories: [String] = [],
        runningJails: [RunningJail] = [], configFiles: [JailConfigFile] = [],
        mounts: [MountEntry] = [], pools: [Pool] = [], lock: LockState = .absent,
        skelUpdateState: UpdateState = .idle, clock: Int? = nil
    ) {
        self.kernelVersion = kernelVersion
        self.userlandVersion = userlandVersion
        self.release = release
        self.machine = machine
        self.processor = processor
        self.rootExists = rootExists
        self.rootFilesystem = rootFilesystem
        self.rootDataset = rootDataset
        self.datasets = datasets
        self.skelVersion = skelVersion
        self.skelTemplateExists = skelTemplateExists
        self.skelSnapshots = skelSnapshots
        self.directories = directories
        self.runningJails = runningJails
        self.configFiles = configFiles
        self.mounts = mounts
        self.pools = pools
        self.lock = lock
        self.skelUpdateState = skelUpdateState
        self.clock = clock
    }

    /// True when the jails root is on ZFS.
    public var rootOnZFS: Bool { rootFilesystem == "zfs" && rootDataset != nil }

    /// Returns the mounts at `path` or below it, children first.
    public func mounts(below path: String) -> [MountEntry] {
        mounts.filter { $0.mountPoint == path || $0.mountPoint.hasPrefix(path + "/") }
            .sorted { $0.mountPoint > $1.mountPoint }
    }

    /// Returns the running jail named exactly `name`.
    public func runningJail(named name: String) -> RunningJail? {
        runningJails.first { $0.name == name }
    }

    /// Returns the dataset named exactly `name`.
    public func dataset(named name: String) -> Dataset? {
        datasets.first { $0.name == name }
    }
}

/// One line of `zfs list -Hp -o name,used,avail,mountpoint`.
public struct Dataset: Sendable, Equatable {
    /// The dataset or snapshot name.
    public var name: String
    /// The space used in bytes as `zfs list -p` prints it, such as `98304`; probe output from
    /// before `-p` holds the rounded form (`96K`, `1.21G`), which `ByteCount.parse` also reads.
    public var used: String
    /// The space available in bytes, or `-` for a snapshot.
    public var available: String
    /// The mountpoint: a path, `none`, `legacy`, or `-` for a snapshot.
    public var mountPoint: String

    /// Creates a dataset row.
    public init(name: String, used: String, available: String, mountPoint: String) {
        self.name = name
        self.used = used
        self.available = available
        self.mountPoint = mountPoint
    }
}

/// One running jail from `jls`.
public struct RunningJail: Sendable, Equatable {
    /// The jail id.
    public var jid: Int
    /// The jail's name.
    public var name: String
    /// The jail's root path.
    public var path: String

    /// Creates a running jail.
    public init(jid: Int, name: String, path: String) {
        self.jid = jid
        self.name = name
        self.path = path
    }
}

/// One jail configuration file and the jail ids pinned in it.
public struct JailConfigFile: Sendable, Equatable {
    /// The file's path on the host.
    public var path: String
    /// The file's text.
    public var content: String

    /// Creates a file record.
    public init(path: String, content: String) {
        self.path = path
        self.content = content
    }

    /// The numbers of every `jid = N;` parameter, the jail ids this file pins. Comments are
    /// not removed, so a commented-out jid also counts as taken, which only skips a number.
    public var pinnedJIDs: [Int] {
        let words = content.split(whereSeparator: { " \t\n=;{}".contains($0) })
        return words.indices.dropLast().compactMap { index in
            words[index] == "jid" ? Int(words[index + 1]) : nil
        }
    }
}

/// One line of `mount -p`.
public struct MountEntry: Sendable, Equatable {
    /// The device or source: a dataset, a directory for nullfs, `devfs`.
    public var device: String
    /// The mount point.
    public var mountPoint: String
    /// The file system type, such as `zfs`, `nullfs` or `devfs`.
    public var type: String
    /// The mount options, such as `rw,nfsv4acls` or `ro`.
    public var options: String

    /// Creates a mount entry.
    public init(device: String, mountPoint: String, type: String, options: String) {
        self.device = device
        self.mountPoint = mountPoint
        self.type = type
        self.options = options
    }
}

/// One line of `zpool list -Hp -o name,size,alloc,free,cap,health`.
public struct Pool: Sendable, Equatable {
    /// The pool name.
    public var name: String
    /// The pool size in bytes, as `zpool list -p` prints it.
    public var size: String
    /// The allocated space in bytes.
    public var allocated: String
    /// The free space in bytes.
    public var free: String
    /// The capacity used, in percent.
    public var capacityPercent: Int
    /// The health, such as `ONLINE` or `DEGRADED`.
    public var health: String

    /// Creates a pool row.
    public init(
        name: String, size: String, allocated: String, free: String, capacityPercent: Int,
        health: String
    ) {
        self.name = name
        self.size = size
        self.allocated = allocated
        self.free = free
        self.capacityPercent = capacityPercent
        self.health = health
    }
}

/// The host lock as the facts probe found it.
public enum LockState: Sendable, Equatable {
    /// No lock directory exists.
    case absent
    /// A lock directory exists with a readable owner record.
    case held(LockRecord)
    /// A lock directory exists but its owner record is missing or unreadable.
    case unreadable(String)
}

/// The freebsd-update state of one base directory in its work directory.
public enum UpdateState: Sendable, Equatable {
    /// Nothing is staged.
    case idle
    /// Updates are fetched and wait for `install`.
    case staged
    /// An install stopped part-way (`kerneldone` exists), the state freebsd-update reports as
    /// "You have a partially completed upgrade pending".
    case partiallyInstalled
}
