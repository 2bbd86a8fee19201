/// Builds facts probe output in the probe's line protocol from raw command outputs.
struct ProbeOutputBuilder {
    private var lines = ["@@mjf probe 1"]

    /// Adds a section whose command printed `stdout` and `stderr` and exited with `status`.
    mutating func ran(_ name: String, status: Int = 0, stdout: String = "", stderr: String = "") {
        lines.append("@@mjf begin \(name)")
        lines += Self.dataLines(stdout, prefix: "|")
        lines += Self.dataLines(stderr, prefix: "!")
        lines.append("@@mjf end \(name) \(status)")
    }

    /// Adds a skipped section.
    mutating func skip(_ name: String, _ reason: String) {
        lines.append("@@mjf skip \(name) \(reason)")
    }

    /// Adds the jail-conf section with `files` as path and content pairs.
    mutating func configFiles(_ files: [(String, String)]) {
        lines.append("@@mjf begin jail-conf")
        for (path, content) in files {
            lines.append("@@mjf file \(path)")
            lines += Self.dataLines(content, prefix: "|")
        }
        lines.append("@@mjf end jail-conf 0")
    }

    /// The complete output, with the closing marker.
    var output: String { (lines + ["@@mjf done"]).joined(separator: "\n") + "\n" }

    private static func dataLines(_ text: String, prefix: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
        if parts.last == "" { parts.removeLast() }
        return parts.map { prefix + $0 }
    }

    /// A ZFS host with a skel and one stopped jail, in real output formats.
    static func zfsHost() -> ProbeOutputBuilder {
        var builder = ProbeOutputBuilder()
        builder.ran("freebsd-version", stdout: "14.1-RELEASE-p5\n14.1-RELEASE-p6\n")
        builder.ran("uname", stdout: "14.1-RELEASE-p5 amd64 amd64\n")
        builder.ran("clock", stdout: "1764870000\n")
        builder.ran(
            "df",
            stdout: "Filesystem       Type 512-blocks    Used     Avail Capacity  Mounted on\n"
                + "zroot/var/jails  zfs   946046840   1048 946045792     0%    /var/jails\n")
        builder.ran("directories", stdout: "/var/jails/skel\n/var/jails/web\n")
        builder.ran("root-dataset", stdout: "zroot/var/jails\t1.21G\t451G\t/var/jails\n")
        builder.ran(
            "datasets",
            stdout: "zroot\t12.3G\t451G\t/zroot\n"
                + "zroot/var\t1.30G\t451G\t/var\n"
                + "zroot/var/jails\t1.21G\t451G\t/var/jails\n"
                + "zroot/var/jails/skel\t1.20G\t451G\t/var/jails/skel\n"
                + "zroot/var/jails/web\t12.5M\t451G\t/var/jails/web\n")
        builder.ran(
            "skel-snapshots",
            stdout: "zroot/var/jails/skel@created\t96K\t-\t-\n")
        builder.ran("zpool", stdout: "zroot\t476G\t12.3G\t464G\t2%\tONLINE\n")
        builder.ran("skel-version", stdout: "14.1-RELEASE-p5\n")
        builder.ran("skel-template")
        builder.ran("jls-names")
        builder.ran("jls-paths")
        builder.ran(
            "mounts",
            stdout: "zroot/ROOT/default\t/\t\t\tzfs\trw,noatime,nfsv4acls\t0 0\n"
                + "devfs\t\t\t/dev\t\t\tdevfs\trw\t\t0 0\n"
                + "zroot/var/jails\t\t/var/jails\t\tzfs\trw,nfsv4acls \t0 0\n")
        builder.configFiles([
            ("/etc/jail.conf.d/web.conf", "web {\n\tjid = 1;\n\tpath = \"/var/jails/web\";\n}\n")
        ])
        builder.skip("lock", "absent")
        builder.ran("update-state")
        return builder
    }
}
