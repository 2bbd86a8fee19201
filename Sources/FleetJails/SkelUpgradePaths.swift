/// The paths of a skel upgrade's state under the host's `stateDir`.
public enum SkelUpgradePaths {
    /// Returns the skel's own freebsd-update work directory,
    /// `<stateDir>/freebsd-update/<skel>`, so the host's `/var/db/freebsd-update` stays apart.
    public static func workDirectory(_ settings: HostSettings) -> String {
        RemotePath.join(settings.stateDir, "freebsd-update", settings.skelName.value)
    }

    /// Returns the skel's own freebsd-update config file,
    /// `<stateDir>/freebsd-update/<skel>.conf`.
    public static func configFile(_ settings: HostSettings) -> String {
        RemotePath.join(settings.stateDir, "freebsd-update", settings.skelName.value + ".conf")
    }

    /// Returns the skel's own etcupdate work directory, `<stateDir>/etcupdate/<skel>`.
    public static func etcupdateDirectory(_ settings: HostSettings) -> String {
        RemotePath.join(settings.stateDir, "etcupdate", settings.skelName.value)
    }
}
