import FleetCore

/// Renders the jail.conf file of one thin jail.
public enum JailConf {
    /// The devfs ruleset for jails, `devfsrules_jail` in FreeBSD's /etc/defaults/devfs.rules.
    public static let devfsRuleset = 4

    /// Returns the text of `<jailConfDir>/<name>.conf` for `name` with the pinned `jid`.
    ///
    /// `exec.prestart` mounts the skel read-only with nullfs on the jail's path, then devfs
    /// with the jail ruleset on `dev`, then the jail's own files on `private` (its dataset, or
    /// its directory with nullfs without ZFS). `exec.poststop` unmounts them in reverse.
    /// `mount.nodevfs` is set because devfs must go on top of the nullfs mount, which
    /// jail(8)'s own `mount.devfs` would mount before `exec.prestart`.
    public static func render(name: JailName, jid: Int, layout: JailLayout) -> String {
        let path = layout.path(name)
        let privateMount: [String]
        if let dataset = layout.dataset(name) {
            privateMount = ["mount", "-t", "zfs", dataset, path + "/private"]
        } else {
            privateMount = [
                "mount", "-t", "nullfs", layout.privateDirectory(name), path + "/private",
            ]
        }
        let prestart = [
            ["mount", "-t", "nullfs", "-o", "ro", layout.skelPath, path],
            ["mount", "-t", "devfs", "-o", "ruleset=\(devfsRuleset)", "devfs", path + "/dev"],
            privateMount,
        ]
        let poststop = [
            ["umount", path + "/private"], ["umount", path + "/dev"], ["umount", path],
        ]
        var lines = [
            "# Written by minijail-fleet; it rewrites this file, so edit the host settings.",
            "\(name.value) {",
            "\tjid = \(jid);",
            "\tpath = \"\(path)\";",
            "\thost.hostname = \"\(name.value)\";",
            "\tpersist;",
            "\tmount.nodevfs;",
        ]
        lines += prestart.map { "\texec.prestart += \"\(ShellQuote.join($0))\";" }
        lines += [
            "\texec.start = \"/bin/sh /etc/rc\";",
            "\texec.stop = \"/bin/sh /etc/rc.shutdown jail\";",
        ]
        lines += poststop.map { "\texec.poststop += \"\(ShellQuote.join($0))\";" }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
