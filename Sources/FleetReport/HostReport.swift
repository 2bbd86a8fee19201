/// The nightly report's record of one host.
public struct HostReport: Codable, Sendable, Equatable {
    /// The inventory name.
    public var host: String
    /// Whether the host's facts were read; when false, only `problem` is meaningful.
    public var reachable: Bool
    /// The reason the host could not be reported, in one line; nil when it was.
    public var problem: String?
    /// The host's userland version, `freebsd-version -u`.
    public var hostVersion: String?
    /// The running kernel, `uname -r`.
    public var kernelVersion: String?
    /// The skel's userland version, `<skel>/bin/freebsd-version -u`; nil without a skel.
    public var skelVersion: String?
    /// Whether the skel's userland is older than the host's.
    public var skelBehind: Bool
    /// The jails under the jails root, skel excluded, sorted by name.
    public var jails: [JailReport]
    /// The pool holding the jails, when the jails root is on ZFS.
    public var pool: PoolReport?
    /// Mounts left below the jails root by jails that are not running.
    public var leftoverMounts: [String]
    /// The newest snapshot of the skel dataset, e.g. `zroot/jails/skel@created`.
    public var lastSkelSnapshot: String?

    /// Creates the report of a host whose facts were read.
    public init(
        host: String, hostVersion: String?, kernelVersion: String?, skelVersion: String?,
        skelBehind: Bool, jails: [JailReport], pool: PoolReport?, leftoverMounts: [String],
        lastSkelSnapshot: String?
    ) {
        self.host = host
        self.reachable = true
        self.problem = nil
        self.hostVersion = hostVersion
        self.kernelVersion = kernelVersion
        self.skelVersion = skelVersion
        self.skelBehind = skelBehind
        self.jails = jails.sorted { $0.name < $1.name }
        self.pool = pool
        self.leftoverMounts = leftoverMounts
        self.lastSkelSnapshot = lastSkelSnapshot
    }

    /// Creates the report of a host that could not be reached or read.
    public init(unreachableHost host: String, problem: String) {
        self.host = host
        self.reachable = false
        self.problem = problem
        self.skelBehind = false
        self.jails = []
        self.leftoverMounts = []
    }

    /// Whether Ctrl-C cut the host off or left it unstarted, so nothing is known about
    /// whether it can be reached. Its problem then starts with `interrupted`.
    public var wasInterrupted: Bool {
        !reachable && problem?.hasPrefix("interrupted") == true
    }
}

/// One jail in a host report.
public struct JailReport: Codable, Sendable, Equatable {
    /// The jail name.
    public var name: String
    /// Whether `jls` lists it.
    public var running: Bool
    /// The jail id while it runs.
    public var jid: Int?
    /// Space used by the jail's dataset, in bytes; nil without ZFS.
    public var usedBytes: Int64?

    /// Creates a jail entry.
    public init(name: String, running: Bool, jid: Int?, usedBytes: Int64?) {
        self.name = name
        self.running = running
        self.jid = jid
        self.usedBytes = usedBytes
    }
}

/// The ZFS pool that contains a host's jails.
public struct PoolReport: Codable, Sendable, Equatable {
    /// The pool name.
    public var name: String
    /// Total size in bytes.
    public var sizeBytes: Int64
    /// Free space in bytes.
    public var freeBytes: Int64
    /// `zpool list` health: ONLINE, DEGRADED, FAULTED, OFFLINE, UNAVAIL, REMOVED or SUSPENDED.
    public var health: String

    /// Creates a pool entry.
    public init(name: String, sizeBytes: Int64, freeBytes: Int64, health: String) {
        self.name = name
        self.sizeBytes = sizeBytes
        self.freeBytes = freeBytes
        self.health = health
    }

    /// Used share of the pool in percent, rounded down.
    public var capacityPercent: Int {
        sizeBytes > 0 ? Int((sizeBytes - freeBytes) * 100 / sizeBytes) : 0
    }
}
