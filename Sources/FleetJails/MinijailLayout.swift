/// The file lists of the minijail model, relative to a jail's root.
public enum MinijailLayout {
    /// Files every jail gets its own copy of, taken from the skel's template folder.
    public static let dupedFiles = [
        "etc/passwd", "etc/master.passwd", "etc/group", "etc/hosts", "etc/login.conf", "etc/motd",
    ]

    /// Files that are links in the skel to `/private/<path>`, written per jail.
    public static let symlinkedFiles = [
        "root", "etc/make.conf", "etc/spwd.db", "etc/pwd.db", "etc/login.conf.db",
        "etc/ssh/ssh_host_ecdsa_key", "etc/ssh/ssh_host_ecdsa_key.pub",
        "etc/ssh/ssh_host_ed25519_key", "etc/ssh/ssh_host_ed25519_key.pub",
        "etc/ssh/ssh_host_rsa_key", "etc/ssh/ssh_host_rsa_key.pub",
    ]

    /// Directories that are links in the skel to `/private/<path>`.
    public static let symlinkedPaths = ["etc/rc.conf.d", "home", "usr/local", "tmp", "var", "mnt"]

    /// What the skel's template folder `<skel>/skel` holds and each new jail copies: the
    /// per-jail files, the per-jail directories with their stock content, and `root`.
    public static let templateEntries = dupedFiles + symlinkedPaths + ["root"]

    /// Directories every new jail creates after copying the template.
    public static let createdDirectories = ["etc/ssh", "var/log", "var/run"]
}
